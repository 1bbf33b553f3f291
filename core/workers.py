"""A bounded pool for CPU-bound work (the offline engines) that serves visitors in turn.

Threads, not processes: the engines spend their time in numpy, which releases the GIL, and
threads let an engine hand progress and previews back without pickling.

Fair share: each owner (visitor) has a line of its own, first in first out, and a free worker
takes the next job of the owner served least recently. One visitor's flood of jobs therefore
never holds another visitor's job for longer than the jobs already running: a newcomer's job
runs next, then the owners alternate.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import count
from typing import Any

_NEVER_SERVED = -1


@dataclass(frozen=True)
class _Work:
    owner: str
    fn: Callable[[], Any]
    future: Future[Any]


class WorkerPool:
    def __init__(self, max_workers: int) -> None:
        self.max_workers = max(1, max_workers)
        self._cond = threading.Condition()
        self._lines: dict[str, deque[_Work]] = {}
        # When each owner was last given a worker (a tick of `_ticks`); an owner with no
        # entry comes before everyone (see `_prune` for when entries go).
        self._last_served: dict[str, int] = {}
        self._running: dict[str, int] = {}
        self._ticks = count()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._closed = False

    def submit(self, fn: Callable[[], Any], owner: str = "") -> Future[Any]:
        """Run `fn` when a worker is free and it is `owner`'s turn; its place in the line is
        known (`position`) until it starts."""
        future: Future[Any] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("the worker pool is shut down")
            self._lines.setdefault(owner, deque()).append(_Work(owner, fn, future))
            if self._idle == 0 and len(self._threads) < self.max_workers:
                self._spawn()
            self._cond.notify()
        return future

    def position(self, future: Future[Any]) -> int | None:
        """1-based place among all waiting work in the order it will run, or None once it
        runs (or was cancelled)."""
        with self._cond:
            order = self._turn_order()
            for owner, line in self._lines.items():
                waiting = [work.future for work in line if not work.future.cancelled()]
                if future not in waiting:
                    continue
                index = waiting.index(future)
                lengths = {o: self._waiting_count(o) for o in order}
                rank = order.index(owner)
                # Every owner's first job comes before anyone's second, and so on; within a
                # round the owners go in turn order.
                ahead = sum(min(length, index) for length in lengths.values())
                ahead += sum(1 for other in order[:rank] if lengths[other] > index)
                return ahead + 1
        return None

    def forget(self, future: Future[Any]) -> None:
        """Drop a cancelled future from its line."""
        with self._cond:
            for owner, line in list(self._lines.items()):
                for work in line:
                    if work.future is future:
                        line.remove(work)
                        break
                if not line:
                    self._drop_line(owner)

    def shutdown(self) -> None:
        with self._cond:
            self._closed = True
            waiting = [work.future for line in self._lines.values() for work in line]
            self._lines.clear()
            self._last_served.clear()
            self._cond.notify_all()
        for future in waiting:
            future.cancel()

    # ----------------------------------------------------------------- under the lock
    def _spawn(self) -> None:
        thread = threading.Thread(
            target=self._serve, name=f"engine_{len(self._threads)}", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def _waiting_count(self, owner: str) -> int:
        return sum(1 for work in self._lines[owner] if not work.future.cancelled())

    def _turn_order(self) -> list[str]:
        """Owners with waiting work, the one served least recently first (ties: who came
        first, as dicts keep insertion order)."""
        return sorted(
            (owner for owner in self._lines if self._waiting_count(owner)),
            key=lambda owner: self._last_served.get(owner, _NEVER_SERVED),
        )

    def _drop_line(self, owner: str) -> None:
        self._lines.pop(owner, None)
        self._prune()

    def _prune(self) -> None:
        """Forget the turns that can no longer matter, so the table stays small.

        Kept: owners with work waiting or running (a running job was its owner's turn), and
        owners served after the longest-waiting owner was. Anyone else was served before every
        waiting owner, so counting them as new when they come back changes nothing.
        """
        waiting = [self._last_served.get(o, _NEVER_SERVED) for o in self._lines]
        keep_from = min(waiting) if waiting else None
        for other in [o for o in self._last_served if o not in self._lines]:
            if self._running.get(other):
                continue
            if keep_from is None or self._last_served[other] < keep_from:
                del self._last_served[other]

    def _next(self) -> _Work | None:
        """The next work to run, marked running; cancelled work is dropped on the way."""
        while True:
            order = self._turn_order()
            for owner in list(self._lines):
                if owner not in order:  # only cancelled work left in this line
                    self._drop_line(owner)
            if not order:
                return None
            owner = order[0]
            line = self._lines[owner]
            work = line.popleft()
            if not work.future.set_running_or_notify_cancel():
                if not line:
                    self._drop_line(owner)
                continue
            self._last_served[owner] = next(self._ticks)
            self._running[owner] = self._running.get(owner, 0) + 1
            if not line:
                self._drop_line(owner)
            return work

    def _serve(self) -> None:
        finished: str | None = None
        while True:
            with self._cond:
                if finished is not None:
                    self._finished(finished)
                self._idle += 1
                work = self._next()
                while work is None and not self._closed:
                    self._cond.wait()
                    work = self._next()
                self._idle -= 1
                if work is None:
                    return
            try:
                result = work.fn()
            except BaseException as error:
                work.future.set_exception(error)
            else:
                work.future.set_result(result)
            finished = work.owner

    def _finished(self, owner: str) -> None:
        left = self._running.get(owner, 0) - 1
        if left > 0:
            self._running[owner] = left
        else:
            self._running.pop(owner, None)
            self._prune()
