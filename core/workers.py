"""A bounded pool for CPU-bound work (the offline engines), with queue positions.

Threads, not processes: the engines spend their time in numpy, which releases the GIL, and
threads let an engine hand progress and previews back without pickling.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class WorkerPool:
    def __init__(self, max_workers: int) -> None:
        self.max_workers = max(1, max_workers)
        self._executor = ThreadPoolExecutor(self.max_workers, thread_name_prefix="engine")
        self._lock = threading.Lock()
        self._waiting: list[Future[Any]] = []

    def submit(self, fn: Callable[[], Any], owner: str = "") -> Future[Any]:
        """Run `fn` when a worker is free; the future's position is tracked until it starts.

        `owner` is the visitor the work is for.
        """
        started = threading.Event()

        def run() -> Any:
            with self._lock:
                if future in self._waiting:
                    self._waiting.remove(future)
            started.set()
            return fn()

        with self._lock:
            future = self._executor.submit(run)
            if not started.is_set() and not future.done():
                self._waiting.append(future)
        return future

    def position(self, future: Future[Any]) -> int | None:
        """1-based place in the waiting line, or None once it runs."""
        with self._lock:
            try:
                return self._waiting.index(future) + 1
            except ValueError:
                return None

    def forget(self, future: Future[Any]) -> None:
        """Drop a cancelled future from the waiting line."""
        with self._lock:
            if future in self._waiting:
                self._waiting.remove(future)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
