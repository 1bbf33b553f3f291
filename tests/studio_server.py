"""Launch the real studio app in-process on a free port, for end-to-end tests."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gradio_client import Client

from app import Studio, build_studio
from core.config import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningStudio:
    studio: Studio
    url: str

    @property
    def settings(self) -> Settings:
        return self.studio.services.settings

    def client(self, downloads: Path) -> Client:
        return Client(self.url, verbose=False, download_files=str(downloads))

    def close(self) -> None:
        self.studio.demo.close()
        self.studio.close()


def launch_studio(data_dir: Path, **overrides: Any) -> RunningStudio:
    settings = Settings(studio_data_dir=data_dir, _env_file=None, **overrides)  # type: ignore[call-arg]
    port = free_port()
    studio = build_studio(settings, port=port)
    _, url, _ = studio.demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **studio.launch_kwargs(),
    )
    return RunningStudio(studio=studio, url=url.rstrip("/"))


@contextlib.contextmanager
def sandbox_studio(data_dir: Path, task_seconds: float | None = None) -> Iterator[RunningStudio]:
    """The studio in sandbox mode (its providers are the emulators, on this machine), closed
    after use; `task_seconds` shortens the emulated tasks (3 s, for people watching)."""
    running = launch_studio(data_dir, studio_sandbox=True)
    assert running.studio.sandbox is not None
    if task_seconds is not None:
        running.studio.sandbox.state.task_seconds = task_seconds
    try:
        yield running
    finally:
        running.close()
