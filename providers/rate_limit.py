"""A per-account sliding-window rate limit shared by every job of a provider.

Suno allows 20 requests per 10 s per account; each job polling on its own schedule would
exceed that as soon as a few run at once, and a create refused with 430 fails its job. A call
over the budget waits for a place instead: a job is slowed down, never failed, by the budget.
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
        # One queue per account, so that its callers are served first come, first served (an
        # asyncio.Lock wakes its waiters in order) and another account's never wait behind them.
        self._turns: dict[str, asyncio.Lock] = {}
        self._queued: dict[str, int] = {}

    @staticmethod
    def account(key: str | None) -> str:
        """A name for the account behind `key` that does not keep the key itself."""
        return hashlib.sha256((key or "").encode()).hexdigest()[:16]

    def wait_s(self, account: str, now: float | None = None) -> float:
        """Seconds until `account` may make another call (0 when it may now)."""
        now = self._clock() if now is None else now
        calls = self._calls.get(account)
        while calls and now - calls[0] >= self.window_s:
            calls.popleft()
        if not calls:
            self._calls.pop(account, None)  # accounts come and go: keep none without calls
            return 0.0
        if len(calls) < self.limit:
            return 0.0
        return self.window_s - (now - calls[0])

    def record(self, account: str, now: float | None = None) -> None:
        now = self._clock() if now is None else now
        # Accounts whose last call left the window are forgotten here too: one that is never
        # asked about again (a visitor's key after their last job) must not stay for good.
        for idle in [
            name for name, calls in self._calls.items() if now - calls[-1] >= self.window_s
        ]:
            del self._calls[idle]
        self._calls.setdefault(account, deque()).append(now)

    def accounts(self) -> int:
        """How many accounts have calls in their window (or callers waiting)."""
        return len(self._calls.keys() | self._turns.keys())

    async def acquire(self, account: str) -> None:
        """Wait for a free place in the window, then take it."""
        turn = self._turns.setdefault(account, asyncio.Lock())
        self._queued[account] = self._queued.get(account, 0) + 1
        try:
            async with turn:
                # One sleep is enough: while the turn is held no one else of this account
                # calls, and the oldest call leaves the window when `wait_s` said.
                wait = self.wait_s(account)
                if wait > 0:
                    await asyncio.sleep(wait)
                self.record(account)
        finally:
            self._queued[account] -= 1
            if not self._queued[account]:
                del self._queued[account], self._turns[account]
