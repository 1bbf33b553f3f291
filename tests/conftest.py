"""Shared fixtures: a studio launched on a free port, and a gradio_client per test."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.studio_server import RunningStudio, launch_studio


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
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
