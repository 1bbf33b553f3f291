"""Vidu (through an aggregator) emulator: upscale tasks, task query, live state stream.

Follows docs/providers.md#vidu; where the docs are silent, decided (docs/providers.md#emulators):
- errors are the aggregator's OpenAI-style {"error": {"code", "message", "type"}} with a real
  HTTP status: 401 bad key, 400 bad body or unknown creation, 404 unknown task;
- only `type` "upscale", `settings.model` "stable" and `settings.duration` 4 or 8 are accepted;
- a creation id is known when registered (`state.vidu_add_creation`, the page's example id) or
  when it is all digits, unless registered unknown (`faults.vidu_unknown_creation`);
- states queueing → processing → success, or failed with a non-empty `err_code`;
- the shape is chosen per test (`shape(state)`, a `ViduShape`): `creations` as objects
  (Vidu's own API: `id`, `uri`, `cover_uri`, ...; the default), as bare URL strings (the
  page's array[string]) or as objects naming the video `url` and the cover `cover_url`; the
  waiting state may be another of Vidu's names (`created`, `queued`, `scheduling`);
- result URLs carry fake `Expires`/`Signature` query parameters, like the real signed ones;
- the state stream sends `data: {...}` lines on every change and every ~tenth of the task's
  time, and ends after the final state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from emulators import media
from emulators.common import (
    BadRequest,
    Switches,
    TaskClock,
    base_url,
    json_body,
    safe_join,
    serve_file,
    vidu_error,
)
from emulators.state import EmulatorState, ViduCreation

log = logging.getLogger(__name__)

PROVIDER = "vidu"
FINAL_STATES = ("success", "failed")
SOURCE_SIZE = (192, 108)
UPSCALE = 2
URL_LIFETIME_S = 3600


CreationShape = Literal["objects", "strings", "url_objects"]


@dataclass
class ViduShape:
    """How this emulator answers; the defaults are Vidu's own API's."""

    creations: CreationShape = "objects"
    queued_state: str = "queueing"


_SHAPES = Switches(ViduShape)
shape = _SHAPES.of
use_shape = _SHAPES.use


def _creation_as(creation: dict[str, Any], kind: CreationShape) -> Any:
    if kind == "strings":
        return creation["uri"]
    if kind == "url_objects":
        renamed = {"uri": "url", "cover_uri": "cover_url"}
        return {renamed.get(key, key): value for key, value in creation.items()}
    return creation


def _digits() -> str:
    return str(10**15 + secrets.randbelow(9 * 10**15))


@dataclass
class ViduTask:
    task_id: str
    creation_id: str
    duration: int
    model: str
    clock: TaskClock
    state: str = "queueing"
    err_code: str = ""
    created_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat().replace("+00:00", "Z")
    )
    creations: list[dict[str, Any]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def set_state(self, value: str) -> None:
        self.state = value
        # Wake every open state stream, then arm the event again for the next change.
        self.changed.set()
        self.changed = asyncio.Event()

    def to_json(self, kind: CreationShape = "objects") -> dict[str, Any]:
        return {
            "id": self.task_id,
            "input": {"creation_id": self.creation_id, "prompts": [], "lang": "en"},
            "settings": {
                "style": "general",
                "duration": self.duration,
                "aspect_ratio": "16:9",
                "model": self.model,
            },
            "type": "upscale",
            "state": self.state,
            "creations": [_creation_as(c, kind) for c in self.creations],
            "err_code": self.err_code,
            "created_at": self.created_at,
        }

    def live(self) -> dict[str, Any]:
        left = 0.0 if self.state in FINAL_STATES else self.clock.left()
        return {
            "state": self.state,
            "estimated_time_left": math.ceil(left * 10) / 10,
            "err_code": self.err_code,
        }


def _err(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(vidu_error(code, message), status_code=status)


def _parse(body: dict[str, Any]) -> tuple[str, str, int]:
    """(creation_id, model, duration) or BadRequest: every field is required.

    See docs/providers.md#vidu-fields.
    """
    inp = body.get("input")
    if not isinstance(inp, dict):
        raise BadRequest("input", "is required")
    creation_id = inp.get("creation_id")
    if not isinstance(creation_id, str) or not creation_id.strip():
        raise BadRequest("input.creation_id", "is required (a string)")
    kind = body.get("type")
    if kind is None:
        raise BadRequest("type", "is required")
    if kind != "upscale":
        raise BadRequest("type", f"{kind!r} is not supported here (only 'upscale')")
    settings = body.get("settings")
    if not isinstance(settings, dict):
        raise BadRequest("settings", "is required")
    model = settings.get("model")
    if model is None:
        raise BadRequest("settings.model", "is required")
    if model != "stable":
        raise BadRequest("settings.model", f"{model!r} is not supported (only 'stable')")
    duration = settings.get("duration")
    if duration is None:
        raise BadRequest("settings.duration", "is required")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration not in (4, 8):
        raise BadRequest("settings.duration", f"{duration!r} must be the integer 4 or 8")
    return creation_id.strip(), model, duration


def build_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(prefix="/vidu")
    tasks: dict[str, ViduTask] = state.tasks[PROVIDER]
    out_dir = state.provider_dir(PROVIDER)
    source_dir = out_dir / "sources"

    def authorized(request: Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == state.keys.vidu_api_key

    def creation_for(creation_id: str) -> ViduCreation | None:
        if state.faults.is_unknown_creation(creation_id):
            return None
        known = state.vidu_creations.get(creation_id)
        if known is not None:
            return known
        return ViduCreation(creation_id) if creation_id.isdigit() else None

    def source_video(creation: ViduCreation) -> Any:
        if creation.video_path is not None:
            return creation.video_path
        path = source_dir / f"{creation.creation_id}.mp4"
        if not path.exists():
            w, h = SOURCE_SIZE
            media.make_video(
                state.video_seconds, w, h, path, seed=media.stable_seed(creation.creation_id)
            )
        return path

    def signed(base: str, name: str) -> str:
        expires = int(time.time()) + URL_LIFETIME_S
        return f"{base}/vidu/files/{name}?Expires={expires}&Signature={secrets.token_hex(16)}"

    async def run(task: ViduTask, creation: ViduCreation, base: str, failure: str | None) -> None:
        await task.clock.at(0.15)
        task.set_state("processing")
        try:
            if failure is not None:
                await task.clock.at(0.5)
                raise RuntimeError(failure)
            out_id = _digits()
            video, cover = out_dir / f"{out_id}.mp4", out_dir / f"{out_id}.png"

            def make() -> media.VideoInfo:
                info = media.upscale_video(source_video(creation), video, UPSCALE)
                media.grab_frame(video, cover)
                return info

            info = await asyncio.to_thread(make)
            await task.clock.at(1.0, min_gap=0.2)
            task.creations = [
                {
                    "id": out_id,
                    "task_id": task.task_id,
                    "type": "video",
                    "uri": signed(base, video.name),
                    "cover_uri": signed(base, cover.name),
                    "resolution": {"width": info.width, "height": info.height},
                    "video": {"duration": round(info.duration, 3), "fps": round(info.fps, 3)},
                }
            ]
            task.set_state("success")
        except Exception as exc:
            if failure is None:
                log.exception("vidu task %s failed", task.task_id)
            task.err_code = failure or f"InternalServiceFailure: {type(exc).__name__}"
            task.set_state("failed")

    @router.post("/vidu/v1/tasks")
    async def create(request: Request) -> Response:
        if not authorized(request):
            return _err(401, "invalid_api_key", "invalid or missing API key")
        try:
            creation_id, model, duration = _parse(await json_body(request))
        except BadRequest as exc:
            return _err(400, "invalid_request", str(exc))
        creation = creation_for(creation_id)
        if creation is None:
            return _err(400, "CreationNotFound", f"creation {creation_id} not found")
        answers = shape(state)
        task = ViduTask(
            _digits(),
            creation_id,
            duration,
            model,
            TaskClock(state.task_seconds),
            state=answers.queued_state,
        )
        tasks[task.task_id] = task
        failure = state.faults.take_task_failure(PROVIDER)
        reason = None if failure is None else failure.reason or "InternalServiceFailure"
        state.spawn(run(task, creation, base_url(request), reason))
        return JSONResponse(task.to_json(answers.creations))

    @router.get("/vidu/v1/tasks/state")
    async def live_state(request: Request) -> Response:
        if not authorized(request):
            return _err(401, "invalid_api_key", "invalid or missing API key")
        task = tasks.get(request.query_params.get("id", ""))
        if task is None:
            return _err(404, "TaskNotFound", "task not found")

        async def events() -> AsyncIterator[str]:
            tick = max(0.05, task.clock.seconds / 10)
            while True:
                changed = task.changed
                yield f"data: {json.dumps(task.live())}\n\n"
                if task.state in FINAL_STATES:
                    return
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout=tick)

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @router.get("/vidu/v1/tasks/{task_id}")
    async def get_task(task_id: str, request: Request) -> Response:
        if not authorized(request):
            return _err(401, "invalid_api_key", "invalid or missing API key")
        task = tasks.get(task_id)
        if task is None:
            return _err(404, "TaskNotFound", f"task {task_id} not found")
        return JSONResponse(task.to_json(shape(state).creations))

    @router.get("/files/{name}")
    async def files(name: str) -> Response:
        path = safe_join(out_dir, name)
        if path is None or path.parent != out_dir:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, path)

    return router
