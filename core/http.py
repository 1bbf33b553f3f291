"""Repeatable HTTP calls with the studio's retry policy (core/retry.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from core.recording import noted
from core.retry import MAX_ATTEMPTS, retry_delay, should_retry

Sleep = Callable[[float], Awaitable[None]]


async def send_with_retry(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    also_retry: Callable[[httpx.Response], bool] | None = None,
    never_retry: Callable[[httpx.Response], bool] | None = None,
    sleep: Sleep = asyncio.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """Send a request that is safe to repeat; retry on the policy's errors and statuses.

    `also_retry` adds provider rules (e.g. Suno's 405/430 rate-limit codes in an HTTP 200 body);
    `never_retry` takes answers out of the policy that waiting cannot cure (Suno's 429, "out of
    credits", even as an HTTP status).
    Returns the last response, which may still be an error: callers translate it. Raises the
    last transport error when every attempt failed on the network.
    """
    for attempt in range(1, max_attempts + 1):
        try:
            with noted(attempt=attempt):  # the transcript tells a retry from a new call
                response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            if attempt == max_attempts or not should_retry(None, error):
                raise
            await sleep(retry_delay(attempt))
            continue
        retry = should_retry(response) or (also_retry is not None and also_retry(response))
        if never_retry is not None and never_retry(response):
            retry = False
        if not retry or attempt == max_attempts:
            return response
        await sleep(retry_delay(attempt, response))
    raise AssertionError("unreachable")  # pragma: no cover
