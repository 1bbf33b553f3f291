"""The outermost ASGI layer: records every call and plays the scripted faults.

It must sit outside FastAPI's own middleware so that it receives the server's raw `send`:
"drop" reaches through it to uvicorn's transport and aborts the connection, so the client gets
no HTTP answer at all (a transport error), not a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulators.common import fault_body, split_path
from emulators.state import CallRecord, EmulatorState, Fault

MALFORMED_BODY = b'{"code": "200", "msg": "success", "data": {"status": 2, "differentialIm'


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole request body, and whether the client went away while sending it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands out the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _action_of(body: bytes) -> str | None:
    try:
        parsed = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    action = parsed.get("action") if isinstance(parsed, dict) else None
    return action if isinstance(action, str) else None


def _retry_after(fault: Fault) -> dict[str, str]:
    if fault.retry_after is None:
        return {}
    return {"Retry-After": f"{fault.retry_after:g}"}


async def _drop(send: Send) -> None:
    """Close the TCP connection without a byte of answer."""
    cycle: Any = getattr(send, "__self__", None)  # uvicorn's RequestResponseCycle
    transport = getattr(cycle, "transport", None)
    if transport is not None:
        transport.abort()
        # Tell uvicorn the client is gone, so it does not try to answer with a 500.
        cycle.disconnected = True
        return
    # Another server: start an answer and break it off, the closest an app can get.
    await send({"type": "http.response.start", "status": 200, "headers": []})
    raise ConnectionAbortedError("emulated dropped connection")


async def _hang(fault: Fault, receive: Receive) -> bool:
    """Sleep `hang_seconds`; False when the client gave up first."""

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(until_disconnect(), timeout=fault.hang_seconds)
    except TimeoutError:
        return True
    return False


class FaultLayer:
    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        provider, path = split_path(scope["path"])
        if provider is None:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        record = self.state.calls.record(provider, method, path)
        raw_send = send

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await raw_send(message)

        action = None
        body: bytes | None = None
        if method == "POST" and self.state.faults.wants_action(provider):
            body, gone = await _read_body(receive)
            if gone:
                record.status = 0
                return
            receive = _replay(body, receive)
            action = _action_of(body)
        fault = self.state.faults.take(provider, method, path, action)
        if fault is None:
            await self.app(scope, receive, tracking_send)
            return
        await self._play(fault, provider, record, scope, receive, raw_send, tracking_send, body)

    async def _play(
        self,
        fault: Fault,
        provider: str,
        record: CallRecord,
        scope: Scope,
        receive: Receive,
        raw_send: Send,
        send: Send,
        body: bytes | None,
    ) -> None:
        response: Response
        if fault.kind == "drop":
            record.status = 0
            await _drop(raw_send)
            return
        if fault.kind == "hang":
            if body is None:
                body, gone = await _read_body(receive)
                if gone:
                    record.status = 0
                    return
            if not await _hang(fault, receive):
                record.status = 0
                return
            # Hung long enough: answer normally after all.
            await self.app(scope, _replay(body, receive), send)
            return
        if fault.kind == "malformed":
            response = Response(MALFORMED_BODY, status_code=200, media_type="application/json")
        elif fault.kind == "envelope":
            response = JSONResponse(
                fault_body(provider, fault.status), status_code=200, headers=_retry_after(fault)
            )
        else:
            response = JSONResponse(
                fault_body(provider, fault.status),
                status_code=fault.status,
                headers=_retry_after(fault),
            )
        with contextlib.suppress(OSError):
            await response(scope, receive, send)
