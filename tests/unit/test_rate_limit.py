"""The per-account sliding window that keeps all Suno jobs of one key within Suno's limit."""

from __future__ import annotations

import asyncio
import contextlib
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


async def test_callers_of_one_account_are_served_in_the_order_they_came() -> None:
    limiter = SlidingWindowLimiter(2, 0.3)
    served: list[int] = []

    async def call(n: int) -> None:
        await limiter.acquire("acct")
        served.append(n)

    tasks = []
    for n in range(6):
        tasks.append(asyncio.create_task(call(n)))
        await asyncio.sleep(0.01)  # each caller comes after the one before
    await asyncio.gather(*tasks)
    assert served == list(range(6))


async def test_an_account_over_its_budget_does_not_hold_up_another() -> None:
    limiter = SlidingWindowLimiter(1, 5.0)
    await limiter.acquire("busy")
    waiting = asyncio.create_task(limiter.acquire("busy"))  # waits about 5 s for its place
    await asyncio.sleep(0.01)
    origin = time.monotonic()
    await limiter.acquire("other")
    assert time.monotonic() - origin < 0.1
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting


async def test_a_caller_stopped_while_waiting_leaves_no_trace() -> None:
    limiter = SlidingWindowLimiter(1, 0.2)
    await limiter.acquire("acct")
    stopped = asyncio.create_task(limiter.acquire("acct"))
    await asyncio.sleep(0.01)
    stopped.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await stopped
    await asyncio.sleep(0.25)  # the one call leaves the window
    assert limiter.wait_s("acct") == 0.0
    assert limiter.accounts() == 0  # keys come and go: nothing is kept for them


def test_an_account_never_asked_about_again_is_forgotten() -> None:
    limiter = SlidingWindowLimiter(limit=3, window_s=10.0)
    limiter.record("visitor-key", now=0.0)  # their last job's last call
    limiter.record("server-key", now=11.0)
    assert limiter.accounts() == 1
