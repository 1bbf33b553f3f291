"""Small pieces every emulator uses: URL prefixes, error shapes, body checks, task clocks, and
the per-test switches of how an emulator answers."""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar
from weakref import WeakKeyDictionary

from fastapi import Request
from fastapi.responses import FileResponse, JSONResponse, Response

from emulators.state import EmulatorState

T = TypeVar("T")


class Switches(Generic[T]):
    """An emulator's switches (how it answers: shapes, an account), one set per emulator state,
    so that emulators/state.py needs no field for each of them; a test changes their fields or
    puts in a new set. Made with their defaults on first use."""

    # Every emulator's holder, so that one call gives a state all its defaults back.
    _every: ClassVar[list[Switches[Any]]] = []

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._held: WeakKeyDictionary[EmulatorState, T] = WeakKeyDictionary()
        Switches._every.append(self)

    def of(self, state: EmulatorState) -> T:
        """The switches the emulator behind `state` uses now."""
        found = self._held.get(state)
        if found is None:
            found = self._held[state] = self._make()
        return found

    def use(self, state: EmulatorState, chosen: T) -> T:
        """Answer by `chosen` from now on (a fresh default set goes back to the defaults)."""
        self._held[state] = chosen
        return chosen

    @classmethod
    def reset_all(cls, state: EmulatorState) -> None:
        """Every emulator's switches of `state` back to their defaults (a test's clean slate)."""
        for holder in cls._every:
            holder._held.pop(state, None)


# URL prefix -> provider. Longer prefixes first: "/tencent-output" must win over "/tencent".
PREFIXES: tuple[tuple[str, str], ...] = (
    ("/tencent-output", "tencent"),
    ("/suno-upload", "suno"),
    ("/imgopen", "imgopen"),
    ("/tencent", "tencent"),
    ("/suno", "suno"),
    ("/vidu", "vidu"),
)


def split_path(path: str) -> tuple[str | None, str]:
    """(provider, path relative to that provider's base URL); (None, path) for other routes."""
    for prefix, provider in PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return provider, path[len(prefix) :] or "/"
    return None, path


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def now_ms() -> int:
    return int(time.time() * 1000)


def new_request_id() -> str:
    return str(uuid.uuid4())


class BadRequest(Exception):
    """A request value breaks a documented rule; `field` names it, `str()` says why."""

    def __init__(self, field: str, message: str, code: int | str | None = None) -> None:
        self.field = field
        self.code = code
        super().__init__(f"{field}: {message}" if field else message)


# ------------------------------------------- error shapes (Decisions: docs/providers.md#emulators)


def imgopen_error(code: int | str, msg: str) -> dict[str, Any]:
    # Img Open's envelope carries the code as a string (docs/providers.md#imgopen-endpoints).
    return {"code": str(code), "msg": msg, "data": None}


def suno_error(code: int, msg: str) -> dict[str, Any]:
    # Suno's envelope carries the code as an int (docs/providers.md#suno-endpoints).
    return {"code": int(code), "msg": msg, "data": None}


TENCENT_CODES = {
    400: "InvalidParameter",
    401: "AuthFailure",
    403: "AuthFailure",
    404: "ResourceNotFound",
    405: "RequestLimitExceeded",
    429: "RequestLimitExceeded",
    430: "RequestLimitExceeded",
}


def tencent_error(code: str, message: str) -> dict[str, Any]:
    return {"requestId": new_request_id(), "errorResponse": {"code": code, "message": message}}


def tencent_code_for(status: int) -> str:
    return TENCENT_CODES.get(status, "InternalError" if status >= 500 else "InvalidParameter")


def vidu_error(code: str, message: str) -> dict[str, Any]:
    # The aggregator's shape (OpenAI-style), which is what a reseller sends back.
    return {"error": {"code": code, "message": message, "type": "vidu_api_error"}}


FAULT_MESSAGE = "emulated fault"


def fault_body(provider: str, status: int) -> dict[str, Any]:
    """The provider's error body for a scripted fault with this (HTTP or envelope) code."""
    if provider == "imgopen":
        return imgopen_error(status, f"{FAULT_MESSAGE} {status}")
    if provider == "suno":
        return suno_error(status, f"{FAULT_MESSAGE} {status}")
    if provider == "tencent":
        return tencent_error(tencent_code_for(status), f"{FAULT_MESSAGE} {status}")
    return vidu_error(str(status), f"{FAULT_MESSAGE} {status}")


# --------------------------------------------------------------------- body checks


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("body", "is not valid JSON") from exc
    if not isinstance(body, dict):
        raise BadRequest("body", "must be a JSON object")
    return body


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_multiple(value: float, step: float) -> bool:
    ratio = value / step
    return math.isclose(ratio, round(ratio), abs_tol=1e-6)


def number_in(
    body: dict[str, Any],
    field: str,
    low: float,
    high: float,
    *,
    default: float | None = None,
    integer: bool = False,
    step: float | None = None,
    code: int | str | None = None,
) -> float | None:
    """A numeric field checked against [low, high] (and integer / a step), or its default."""
    value = body.get(field)
    if value is None:
        return default
    if not is_number(value):
        raise BadRequest(field, f"must be a number, got {value!r}", code)
    if integer and not float(value).is_integer():
        raise BadRequest(field, f"must be an integer, got {value!r}", code)
    if not low <= value <= high:
        raise BadRequest(field, f"{value} is out of range [{low:g}, {high:g}]", code)
    if step is not None and not is_multiple(float(value), step):
        raise BadRequest(field, f"{value} must be a multiple of {step:g}", code)
    return float(value)


def optional_str(body: dict[str, Any], field: str, code: int | str | None = None) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(field, f"must be a string, got {type(value).__name__}", code)
    return value


def required_str(body: dict[str, Any], field: str, code: int | str | None = None) -> str:
    value = optional_str(body, field, code)
    if value is None or not value.strip():
        raise BadRequest(field, "is required", code)
    return value


# --------------------------------------------------------------------- task clocks


class TaskClock:
    """Where a task is in its `seconds`-long life, from the moment it was created."""

    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.seconds = max(0.0, seconds)
        self._last_step = self.start

    def fraction(self) -> float:
        if self.seconds <= 0:
            return 1.0
        return min(1.0, (time.monotonic() - self.start) / self.seconds)

    def left(self) -> float:
        return max(0.0, self.start + self.seconds - time.monotonic())

    def mark(self) -> None:
        """Note a state change that happened outside `at` (e.g. when slow work finished)."""
        self._last_step = time.monotonic()

    async def at(self, fraction: float, *, min_gap: float = 0.0) -> None:
        """Sleep until `fraction` of the task's time has passed, and at least `min_gap` (a
        fraction too) since the previous step: a slow generation delays the later states
        instead of skipping them, so every state stays observable."""
        target = max(self.start + self.seconds * fraction, self._last_step + self.seconds * min_gap)
        delay = target - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        self._last_step = time.monotonic()


# --------------------------------------------------------------------- files


def serve_file(
    state: EmulatorState, provider: str, path: Path, *, expirable: bool = True
) -> Response:
    """A result file, or 403 once the provider's results were expired, or 404."""
    if expirable and state.faults.results_expired(provider):
        return Response(
            b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
            status_code=403,
            media_type="application/xml",
        )
    if not path.is_file():
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    return FileResponse(path)


def safe_join(root: Path, relative: str) -> Path | None:
    """`root/relative` unless `relative` escapes `root`."""
    parts = [p for p in relative.replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return root.joinpath(*parts) if parts else root
