"""The per-account sliding window that keeps all Suno jobs of one key within Suno's limit."""

from __future__ import annotations

import asyncio
import time

from providers.rate_limit import SlidingWindowLimiter
from providers.suno import CALLS_PER_WINDOW, WINDOW_S


def test_window_counts_calls_and_frees_places_as_they_age() -> None:
    limiter = SlidingWindowLimiter(3, 10.0, clock=lambda: 0.0)
    for now in (0.0, 1.0, 2.0):
        assert limiter.wait_s("a", now) == 0.0
        limiter.record("a", now)
    assert limiter.wait_s("a", 2.5) == 7.5  # the call at 0 s leaves the window at 10 s
    assert limiter.wait_s("b", 2.5) == 0.0  # another account has its own window
    assert limiter.wait_s("a", 10.0) == 0.0


def test_account_names_do_not_keep_the_key() -> None:
    name = SlidingWindowLimiter.account("canary-key-123")
    assert "canary" not in name
    assert name == SlidingWindowLimiter.account("canary-key-123")
    assert name != SlidingWindowLimiter.account("another-key")


def test_suno_budget_is_under_its_documented_limit() -> None:
    assert CALLS_PER_WINDOW / WINDOW_S < 20 / 10


async def test_concurrent_callers_are_spread_over_the_window() -> None:
    limiter = SlidingWindowLimiter(4, 0.5)
    started: list[float] = []
    origin = time.monotonic()

    async def call() -> None:
        await limiter.acquire("acct")
        started.append(time.monotonic() - origin)

    await asyncio.gather(*(call() for _ in range(10)))
    started.sort()
    # No 0.5 s window ever holds more than 4 calls.
    for i in range(len(started) - 4):
        assert started[i + 4] - started[i] >= 0.5 - 0.02, started
    assert started[-1] >= 1.0 - 0.05
