"""Retry policy for calls that are safe to repeat (status, downloads, uploads): pure functions.

Never used for the call that creates a task: a retried create can bill twice.
"""

from __future__ import annotations

import email.utils
import random
import time

import httpx

MAX_ATTEMPTS = 5
BASE_DELAY_S = 0.5
MAX_DELAY_S = 30.0
# 408 timeout, 425 too early, 429 too many requests, and the 5xx a proxy or server gives when busy.
RETRY_CODES: frozenset[int] = frozenset({408, 425, 429, 500, 502, 503, 504})
RETRY_EXCEPTIONS: tuple[type[BaseException], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def should_retry(response: httpx.Response | None, error: BaseException | None = None) -> bool:
    """Whether a repeatable call that ended like this is worth another attempt."""
    if error is not None:
        return isinstance(error, RETRY_EXCEPTIONS)
    return response is not None and response.status_code in RETRY_CODES


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_delay(
    attempt: int,
    response: httpx.Response | None = None,
    *,
    base_s: float = BASE_DELAY_S,
    cap_s: float = MAX_DELAY_S,
    rng: random.Random | None = None,
) -> float:
    """Delay before retry number `attempt` (1-based): Retry-After if given, else full jitter."""
    if response is not None:
        asked = parse_retry_after(response.headers.get("retry-after"))
        if asked is not None:
            return min(asked, cap_s)
    ceiling = min(cap_s, base_s * (2 ** max(0, attempt - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)
