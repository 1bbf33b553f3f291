"""core/retry.py (pure policy) and core/http.send_with_retry against a real local server."""

from __future__ import annotations

import email.utils
import random
import socket

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.http import send_with_retry
from core.retry import (
    BASE_DELAY_S,
    MAX_ATTEMPTS,
    MAX_DELAY_S,
    RETRY_CODES,
    parse_retry_after,
    retry_delay,
    should_retry,
)
from tests.local_http import Answer, Script, serve


def _response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers or {})


# --- should_retry ------------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(RETRY_CODES))
def test_retries_busy_and_timeout_statuses(status: int) -> None:
    assert should_retry(_response(status))


@pytest.mark.parametrize("status", [200, 201, 301, 400, 401, 403, 404, 405, 409, 413, 422, 501])
def test_does_not_retry_final_statuses(status: int) -> None:
    assert not should_retry(_response(status))


def test_retries_network_errors_but_not_others() -> None:
    request = httpx.Request("GET", "http://example.invalid/")
    assert should_retry(None, httpx.ConnectError("refused", request=request))
    assert should_retry(None, httpx.ReadTimeout("slow", request=request))
    assert should_retry(None, httpx.RemoteProtocolError("broken", request=request))
    assert not should_retry(None, httpx.UnsupportedProtocol("ftp", request=request))
    assert not should_retry(None, ValueError("not a network error"))


def test_no_response_and_no_error_is_not_retried() -> None:
    assert not should_retry(None)


# --- parse_retry_after -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), (" 2.5 ", 2.5), ("0", 0.0), ("-3", 0.0), (None, None), ("", None), ("soon", None)],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date_is_relative_to_now() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 42, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(42.0, abs=1.0)
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


# --- retry_delay -------------------------------------------------------------------------


def test_delay_honours_retry_after_up_to_the_cap() -> None:
    assert retry_delay(1, _response(503, {"Retry-After": "3"})) == 3.0
    assert retry_delay(1, _response(503, {"Retry-After": "3600"})) == MAX_DELAY_S
    assert retry_delay(2, _response(429, {"Retry-After": "1"}), cap_s=0.5) == 0.5


def test_delay_without_retry_after_is_jittered_exponential() -> None:
    rng = random.Random(1234)
    for attempt in range(1, 12):
        ceiling = min(MAX_DELAY_S, BASE_DELAY_S * 2 ** (attempt - 1))
        samples = [retry_delay(attempt, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        # Jitter: the samples are not all the same number.
        assert len({round(s, 9) for s in samples}) > 1


@given(attempt=st.integers(min_value=-3, max_value=200), seed=st.integers(0, 2**32 - 1))
def test_delay_always_within_zero_and_cap(attempt: int, seed: int) -> None:
    delay = retry_delay(attempt, rng=random.Random(seed))
    assert 0 < delay <= MAX_DELAY_S


def test_garbage_retry_after_falls_back_to_backoff() -> None:
    delay = retry_delay(1, _response(503, {"Retry-After": "later"}), rng=random.Random(0))
    assert BASE_DELAY_S / 2 <= delay <= BASE_DELAY_S


# --- send_with_retry, against a real server ----------------------------------------------


class _Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


async def test_retries_a_busy_server_until_it_answers() -> None:
    script = Script(
        {"/s": [Answer(503, b"busy", {"Retry-After": "2"}, times=2), Answer(200, b"ok")]}
    )
    sleeps = _Sleeps()
    with serve(script) as base:
        async with httpx.AsyncClient() as client:
            response = await send_with_retry(client, "GET", f"{base}/s", sleep=sleeps)
    assert response.status_code == 200
    assert response.text == "ok"
    assert script.calls["/s"] == 3
    assert sleeps.delays == [2.0, 2.0]


async def test_final_error_status_is_returned_without_retry() -> None:
    script = Script({"/s": [Answer(404, b"nope")]})
    sleeps = _Sleeps()
    with serve(script) as base:
        async with httpx.AsyncClient() as client:
            response = await send_with_retry(client, "GET", f"{base}/s", sleep=sleeps)
    assert response.status_code == 404
    assert script.calls["/s"] == 1
    assert sleeps.delays == []


async def test_gives_up_after_max_attempts_and_returns_last_response() -> None:
    script = Script({"/s": [Answer(500, b"down")]})
    sleeps = _Sleeps()
    with serve(script) as base:
        async with httpx.AsyncClient() as client:
            response = await send_with_retry(
                client, "GET", f"{base}/s", max_attempts=3, sleep=sleeps
            )
    assert response.status_code == 500
    assert script.calls["/s"] == 3
    assert len(sleeps.delays) == 2


async def test_also_retry_adds_provider_rules() -> None:
    script = Script({"/s": [Answer(200, b'{"code": 430}', times=1), Answer(200, b'{"code": 200}')]})
    sleeps = _Sleeps()
    with serve(script) as base:
        async with httpx.AsyncClient() as client:
            response = await send_with_retry(
                client,
                "GET",
                f"{base}/s",
                also_retry=lambda r: r.json().get("code") == 430,
                sleep=sleeps,
            )
    assert response.json() == {"code": 200}
    assert script.calls["/s"] == 2
    assert len(sleeps.delays) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_network_errors_are_retried_then_raised() -> None:
    sleeps = _Sleeps()
    url = f"http://127.0.0.1:{_closed_port()}/s"
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await send_with_retry(client, "GET", url, sleep=sleeps)
    assert len(sleeps.delays) == MAX_ATTEMPTS - 1
