"""One FastAPI app serving an emulator for every declared remote provider, plus a callback sink.

Which providers there are, and the path each of their base URLs is served at, come from their
declarations (providers/declarations.py, `Address.emulator_mount`; plain data, no adapter
code): e.g. IMGOPEN_BASE_URL is `<server>/imgopen`, TENCENT_MMLAB_URL `<server>/tencent/job`.
`/_emulator/sink/*` is a callback receiver for tests and demos.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from emulators import imgopen, suno, tencent, vidu
from emulators.common import imgopen_error, split_path, suno_error, tencent_error, vidu_error
from emulators.faults import FaultLayer
from emulators.state import EmulatorState
from providers.declarations import REMOTE

# The emulator of each declared remote provider, by name; each has build_router(state).
EMULATORS: dict[str, ModuleType] = {
    "imgopen": imgopen,
    "tencent": tencent,
    "suno": suno,
    "vidu": vidu,
}


class EmulatorApp(FastAPI):
    """A FastAPI app whose entry point is the fault layer (it needs the server's raw `send`)."""

    def __init__(self, state: EmulatorState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.emulator_state = state
        self._fault_layer = FaultLayer(super().__call__, state)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._fault_layer(scope, receive, send)


def _not_found(request: Request, exc: StarletteHTTPException) -> Response:
    """Wrong path or method, in the shape of the provider the path belongs to."""
    provider, path = split_path(request.url.path)
    status = exc.status_code
    message = f"{request.method} {path}: {exc.detail}"
    if provider == "suno":
        # Suno's 404 means "wrong method or path" (its 405 means "call limit"): envelope 404.
        return JSONResponse(suno_error(404, message), status_code=200)
    if provider == "imgopen":
        return JSONResponse(imgopen_error(status, message), status_code=status)
    if provider == "tencent":
        return JSONResponse(tencent_error("InvalidAction", message), status_code=status)
    if provider == "vidu":
        return JSONResponse(vidu_error(str(status), message), status_code=status)
    return JSONResponse({"detail": exc.detail}, status_code=status)


def _check_mounts(routers: list[APIRouter]) -> None:
    """Every declared base URL must lead to at least one emulated route."""
    paths = [getattr(route, "path", "") for router in routers for route in router.routes]
    for declared in REMOTE:
        for address in declared.addresses:
            mount = address.emulator_mount
            if not any(path == mount or path.startswith(mount + "/") for path in paths):
                raise RuntimeError(f"no emulator route under {mount} ({address.env})")


def build_app(state: EmulatorState) -> FastAPI:
    app = EmulatorApp(
        state,
        title="AIGC Studio provider emulators",
        docs_url="/_emulator/docs",
        redoc_url=None,
        openapi_url="/_emulator/openapi.json",
    )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return _not_found(request, exc)

    app.add_exception_handler(StarletteHTTPException, http_error)
    routers: list[APIRouter] = []
    for declared in REMOTE:
        emulator = EMULATORS.get(declared.name)
        if emulator is None:
            raise RuntimeError(f"provider {declared.name!r} is declared but has no emulator")
        routers.append(emulator.build_router(state))
    _check_mounts(routers)
    for router in routers:
        app.include_router(router)

    @app.post("/_emulator/sink/{key}")
    async def sink(key: str, request: Request) -> Response:
        raw = await request.body()
        try:
            payload: Any = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            payload = raw.decode("utf-8", "replace")
        reply = state.sink.receive(key, payload)
        if isinstance(reply.body, str):
            return PlainTextResponse(reply.body, status_code=reply.status)
        return JSONResponse(reply.body, status_code=reply.status)

    @app.get("/_emulator/health")
    async def health() -> dict[str, Any]:
        return {"ok": True, "task_seconds": state.task_seconds}

    return app
