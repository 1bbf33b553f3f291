"""Callback delivery: POST a payload, judge the reply by the provider's rule, retry if told to."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from emulators.state import CallbackAttempt, EmulatorState

# Img Open's documented retry schedule (docs/providers.md#imgopen-callbacks).
IMGOPEN_RETRY_DELAYS: tuple[float, ...] = (3, 5, 15, 30, 60, 600, 3600)
# Suno documents no schedule: the same shape, shorter (docs/providers.md#emulators).
SUNO_RETRY_DELAYS: tuple[float, ...] = (3, 5, 15, 30, 60)

ReplyRule = Callable[[httpx.Response], bool]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return None


def imgopen_accepts(response: httpx.Response) -> bool:
    """Img Open counts a delivery only when the reply is JSON with code 200."""
    body = _json(response)
    return isinstance(body, dict) and str(body.get("code")) == "200"


def http_ok(response: httpx.Response) -> bool:
    """Suno (and, by decision, Tencent) count any HTTP 200 reply as delivered.

    See docs/providers.md#emulators.
    """
    return response.status_code == 200


async def deliver(
    state: EmulatorState,
    provider: str,
    url: str,
    payload: Any,
    *,
    accepts: ReplyRule,
    retry_delays: Sequence[float] = (),
) -> bool:
    """POST `payload` to `url`, retrying after each (scaled) delay until accepted."""
    delays = list(retry_delays)[: max(0, state.callback_max_retries)]
    attempt = 0
    async with httpx.AsyncClient(timeout=state.callback_timeout_s) as client:
        while True:
            attempt += 1
            status: int | None = None
            error: str | None = None
            ok = False
            try:
                response = await client.post(url, json=payload)
                status = response.status_code
                ok = accepts(response)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            state.record_callback(
                CallbackAttempt(provider, url, payload, status, ok, attempt, error)
            )
            if ok or not delays:
                return ok
            await asyncio.sleep(delays.pop(0) * state.callback_delay_scale)


def send_callback(
    state: EmulatorState,
    provider: str,
    url: str | None,
    payload: Any,
    *,
    accepts: ReplyRule,
    retry_delays: Sequence[float] = (),
    after: asyncio.Task[Any] | None = None,
) -> asyncio.Task[Any] | None:
    """Fire and forget, so a slow receiver never holds up the task.

    `after` is the task's previous delivery: callbacks of one task arrive in order.
    """
    if not url or not url.lower().startswith(("http://", "https://")):
        return after

    async def run() -> bool:
        if after is not None:
            with contextlib.suppress(Exception):
                await after
        return await deliver(
            state, provider, url, payload, accepts=accepts, retry_delays=retry_delays
        )

    return state.spawn(run())
