"""A per-account sliding-window rate limit shared by every job of a provider.

Suno allows 20 requests per 10 s per account; each job polling on its own schedule would
exceed that as soon as a few run at once, and a create refused with 430 fails its job.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    def __init__(
        self, limit: int, window_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    @staticmethod
    def account(key: str | None) -> str:
        """A name for the account behind `key` that does not keep the key itself."""
        return hashlib.sha256((key or "").encode()).hexdigest()[:16]

    def wait_s(self, account: str, now: float | None = None) -> float:
        """Seconds until `account` may make another call (0 when it may now)."""
        now = self._clock() if now is None else now
        calls = self._calls.setdefault(account, deque())
        while calls and now - calls[0] >= self.window_s:
            calls.popleft()
        if len(calls) < self.limit:
            return 0.0
        return self.window_s - (now - calls[0])

    def record(self, account: str, now: float | None = None) -> None:
        self._calls.setdefault(account, deque()).append(self._clock() if now is None else now)

    async def acquire(self, account: str) -> None:
        """Wait for a free place in the window, then take it."""
        while True:
            async with self._lock:
                wait = self.wait_s(account)
                if wait <= 0:
                    self.record(account)
                    return
            await asyncio.sleep(wait)
