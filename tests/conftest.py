"""Shared fixtures: a studio launched on a free port, and a download folder per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.studio_server import RunningStudio

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# gradio_client's telemetry would try to reach huggingface.co; tests talk to 127.0.0.1 only.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    from tests.studio_server import launch_studio  # imports the whole app: only when needed

    running = launch_studio(tmp_path_factory.mktemp("studio"))
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    # gradio_client leaves a directory per downloaded file: keep them in the test's tmp dir.
    path = tmp_path / "downloads"
    path.mkdir()
    return path
