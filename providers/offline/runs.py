"""The bookkeeping of one offline engine run: progress, preview, result, stop flag.

The engine writes from a worker thread; the provider's `status()` reads from the job loop.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.events import MediaKind
from core.messages import Text, msg
from core.provider import Artifact


@dataclass
class EngineRun:
    """Shared state between an engine in a worker and the poller; guarded by `lock`."""

    wake: Any  # Callable[[], None]: tells the job's poller there is news
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    percent: float = 0.0
    message: Text = field(default_factory=lambda: msg("engine_starting"))
    preview: Artifact | None = None
    outputs: list[Artifact] | None = None
    # The result files complete so far, in order: what a Stop keeps.
    made: list[Artifact] = field(default_factory=list)
    error: Text | None = None
    future: Future[Any] | None = None
    started: bool = False

    def should_stop(self) -> bool:
        return self.stop.is_set()

    def update(
        self,
        percent: float,
        message: Text,
        preview: Path | None = None,
        preview_kind: MediaKind | None = None,
    ) -> None:
        with self.lock:
            self.started = True
            self.percent = max(self.percent, min(99.0, percent))
            self.message = message
            if preview is not None and preview_kind is not None:
                self.preview = Artifact(kind=preview_kind, name=preview.name, path=preview)
        self.wake()

    def keep(self, artifact: Artifact) -> None:
        """A result file is complete (written and closed): the job keeps it even if stopped.
        Called only after the writing returned, so a file half written is never listed."""
        with self.lock:
            self.made.append(artifact)
        self.wake()

    def finish(self) -> None:
        """The engine is done: its results are the files it kept."""
        with self.lock:
            self.outputs = list(self.made)
            self.percent = 100.0
        self.wake()

    def halt(self) -> list[Artifact]:
        """Ask the engine to stop; the files it had completed by now."""
        self.stop.set()
        with self.lock:
            return list(self.made)

    def fail(self, message: Text) -> None:
        with self.lock:
            self.error = message
        self.wake()


class PreviewThrottle:
    """Lets a preview through when progress moved by `step` percent since the last one."""

    def __init__(self, step: float = 8.0) -> None:
        self.step = step
        self._last = -step

    def due(self, percent: float, *, final: bool = False) -> bool:
        if final or percent - self._last >= self.step:
            self._last = percent
            return True
        return False
