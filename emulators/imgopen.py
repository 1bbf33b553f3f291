"""Img Open emulator: text2music, SD text2image v2, live and archived task queries.

Follows docs/providers.md#imgopen; where the docs are silent, decided
(docs/providers.md#emulators):
- every answer is HTTP 200; errors are envelope codes (strings): "400" bad parameter,
  "401" bad keys, "404" unknown task, "500" generation failure;
- text2music answers `data.taskId` equal to the `businessTaskId` sent, so the status call
  works with either;
- status 3 = queued, 1 = running, 2 = done, 4 = failed (`desc` says why);
- `temporaryImageDto` = {"image_url": url} (or {"image_base64": png} when configured) once a
  halfway image exists; music tasks have none;
- the callback POSTs the status envelope; a reply is accepted only as JSON code "200".
"""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from emulators import media
from emulators.callbacks import IMGOPEN_RETRY_DELAYS, imgopen_accepts, send_callback
from emulators.common import (
    BadRequest,
    TaskClock,
    base_url,
    imgopen_error,
    is_number,
    json_body,
    number_in,
    optional_str,
    required_str,
    safe_join,
    serve_file,
)
from emulators.state import EmulatorState

log = logging.getLogger(__name__)

PROVIDER = "imgopen"
STATUS_RUNNING = 1
STATUS_DONE = 2
STATUS_QUEUED = 3
STATUS_FAILED = 4
DEFAULT_MUSIC_SECONDS = 30.0  # the page gives no default (docs/providers.md#imgopen-music)
AUDIO_ENCODING = ".mp3"


@dataclass
class ImgOpenTask:
    task_id: str
    kind: Literal["music", "image"]
    clock: TaskClock
    callback_url: str | None
    status: int = STATUS_QUEUED
    desc: str = "排队中"
    results: list[dict[str, Any]] = field(default_factory=list)
    preview: Path | None = None
    preview_url: str | None = None
    callbacks: asyncio.Task[Any] | None = None


def _ok(data: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"code": "200", "msg": "success", "data": data})


def _err(code: int | str, msg: str) -> JSONResponse:
    return JSONResponse(imgopen_error(code, msg))


def _authorized(state: EmulatorState, request: Request) -> bool:
    keys = state.keys
    return (
        request.headers.get("X-Request-req-accessKeyId") == keys.imgopen_access_key_id
        and request.headers.get("X-Request-req-accessKeySecret") == keys.imgopen_access_key_secret
    )


def _resolve_seed(value: Any, field_name: str) -> int:
    """-1 (or absent) = random; the SD seed may arrive as a string, as in its page's example."""
    if value is None:
        return secrets.randbelow(2**32)
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError as exc:
            raise BadRequest(field_name, f"must be an integer, got {value!r}") from exc
    if not is_number(value) or not float(value).is_integer():
        raise BadRequest(field_name, f"must be an integer, got {value!r}")
    seed = int(value)
    if seed == -1:
        return secrets.randbelow(2**32)
    if not 0 <= seed < 2**32:
        raise BadRequest(field_name, f"{seed} is out of range [-1, 4294967295]")
    return seed


def _status_data(state: EmulatorState, task: ImgOpenTask, *, archived: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        ("task_id" if archived else "id_task"): task.task_id,
        "status": task.status,
        "desc": task.desc,
    }
    if not archived:
        data["temporaryImageDto"] = _preview_dto(state, task)
    data["differentialImageRspList"] = [dict(r) for r in task.results]
    if state.imgopen_progress_field and not archived:
        done = task.status in (STATUS_DONE, STATUS_FAILED)
        data["progress"] = 100 if done else min(99, int(task.clock.fraction() * 100))
    return data


def _preview_dto(state: EmulatorState, task: ImgOpenTask) -> dict[str, Any] | None:
    if task.status != STATUS_RUNNING or task.preview is None:
        return None
    if state.imgopen_preview_style == "base64":
        return {"image_base64": base64.b64encode(task.preview.read_bytes()).decode("ascii")}
    return {"image_url": task.preview_url}


def _callback(state: EmulatorState, task: ImgOpenTask) -> None:
    payload = {"code": "200", "msg": "success", "data": _status_data(state, task, archived=False)}
    task.callbacks = send_callback(
        state,
        PROVIDER,
        task.callback_url,
        payload,
        accepts=imgopen_accepts,
        retry_delays=IMGOPEN_RETRY_DELAYS,
        after=task.callbacks,
    )


async def _run(
    state: EmulatorState,
    task: ImgOpenTask,
    make: Any,
    failure_reason: str | None,
    preview_of: Any | None,
) -> None:
    """Queued → running (→ halfway preview) → done or failed, over the task's time."""
    work = asyncio.ensure_future(asyncio.to_thread(make))
    await task.clock.at(0.15)
    task.status, task.desc = STATUS_RUNNING, "生成中"
    if failure_reason is not None:
        await task.clock.at(0.5)
        work.cancel()
        task.status, task.desc = STATUS_FAILED, f"任务失败: {failure_reason}"
        _callback(state, task)
        return
    try:
        results = await work
        if preview_of is not None:
            await task.clock.at(0.4, min_gap=0.1)
            task.preview, task.preview_url = await asyncio.to_thread(preview_of, results)
            task.clock.mark()
    except Exception as exc:
        log.exception("imgopen task %s failed to generate", task.task_id)
        task.status, task.desc = STATUS_FAILED, f"任务失败: 生成异常 ({type(exc).__name__})"
        _callback(state, task)
        return
    await task.clock.at(1.0, min_gap=0.2)
    task.results = results
    task.status, task.desc = STATUS_DONE, "任务成功 !"
    _callback(state, task)


def _file_url(base: str, path: Path) -> str:
    return f"{base}/imgopen/files/{path.name}"


def _music_params(body: dict[str, Any]) -> dict[str, Any]:
    task_id = required_str(body, "businessTaskId")
    if body.get("comfyTaskType") != "StableAudioOpen":
        raise BadRequest(
            "comfyTaskType", f"must be 'StableAudioOpen', got {body.get('comfyTaskType')!r}"
        )
    prompt = required_str(body, "prompt")
    seed = _resolve_seed(body.get("seed"), "seed")
    steps = number_in(body, "steps", 10, 100, default=50, integer=True)
    cfg = number_in(body, "cfg", 1, 15, default=7.0, step=0.1)
    seconds = number_in(body, "seconds", 1.0, 50.0, default=DEFAULT_MUSIC_SECONDS)
    optional_str(body, "inputFilename")
    return {
        "task_id": task_id,
        "prompt": prompt,
        "seed": seed,
        "steps": int(steps or 50),
        "cfg": float(cfg or 7.0),
        "seconds": float(seconds or DEFAULT_MUSIC_SECONDS),
        "callback_url": optional_str(body, "callbackUrl"),
    }


def _bool(body: dict[str, Any], name: str, default: bool = False) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise BadRequest(name, f"must be true or false, got {value!r}")
    return value


def _image_params(body: dict[str, Any]) -> dict[str, Any]:
    # The page documents the body's shape only; the ranges are A1111's usual ones
    # (docs/providers.md#imgopen-image).
    scripts = body.get("alwayson_scripts")
    if not isinstance(scripts, dict):
        raise BadRequest("alwayson_scripts", "is required (it carries id_task)")
    task_id = required_str(scripts, "id_task")
    prompt = required_str(body, "prompt")
    negative = optional_str(body, "negative_prompt") or ""
    width = int(number_in(body, "width", 64, 2048, default=512, integer=True) or 512)
    height = int(number_in(body, "height", 64, 2048, default=512, integer=True) or 512)
    steps = int(number_in(body, "steps", 1, 150, default=20, integer=True) or 20)
    n_iter = int(number_in(body, "n_iter", 1, 8, default=1, integer=True) or 1)
    cfg_scale = float(number_in(body, "cfg_scale", 1, 30, default=7.0) or 7.0)
    number_in(body, "denoising_strength", 0, 1)
    sampler = optional_str(body, "sampler_index") or "Euler a"
    if _bool(body, "enable_hr"):
        scale = float(number_in(body, "hr_scale", 1, 4, default=2.0) or 2.0)
        rx = int(number_in(body, "hr_resize_x", 0, 4096, default=0, integer=True) or 0)
        ry = int(number_in(body, "hr_resize_y", 0, 4096, default=0, integer=True) or 0)
        number_in(body, "hr_second_pass_steps", 0, 150, integer=True)
        # A1111: explicit resize targets win over the scale; one alone keeps the aspect ratio.
        if rx and ry:
            width, height = rx, ry
        elif rx:
            width, height = rx, round(height * rx / width)
        elif ry:
            width, height = round(width * ry / height), ry
        else:
            width, height = round(width * scale), round(height * scale)
        if max(width, height) > 4096:
            raise BadRequest("hr_scale", f"the upscaled image {width}×{height} exceeds 4096 px")
    _bool(body, "restore_faces")
    return {
        "task_id": task_id,
        "prompt": prompt,
        "negative_prompt": negative,
        "width": width,
        "height": height,
        "steps": steps,
        "n_iter": n_iter,
        "cfg_scale": cfg_scale,
        "sampler": sampler,
        "seed": _resolve_seed(body.get("seed"), "seed"),
        "callback_url": optional_str(body, "callbackUrl"),
    }


def build_router(state: EmulatorState) -> APIRouter:
    router = APIRouter(prefix="/imgopen")
    tasks: dict[str, ImgOpenTask] = state.tasks[PROVIDER]
    out_dir = state.provider_dir(PROVIDER)

    def register(params: dict[str, Any], kind: Literal["music", "image"]) -> ImgOpenTask:
        if params["task_id"] in tasks:
            field_name = "businessTaskId" if kind == "music" else "alwayson_scripts.id_task"
            raise BadRequest(field_name, f"{params['task_id']!r} already exists")
        task = ImgOpenTask(
            params["task_id"], kind, TaskClock(state.task_seconds), params["callback_url"]
        )
        tasks[task.task_id] = task
        return task

    @router.post("/AIGCImgOpenServ/saas/vocal/text2music")
    async def text2music(request: Request) -> Response:
        if not _authorized(state, request):
            return _err(401, "accessKeyId or accessKeySecret is invalid")
        try:
            params = _music_params(await json_body(request))
            task = register(params, "music")
        except BadRequest as exc:
            return _err(400, str(exc))
        failure = state.faults.take_task_failure(PROVIDER)
        base = base_url(request)
        dst = out_dir / f"{uuid.uuid4().hex}{AUDIO_ENCODING}"

        def make() -> list[dict[str, Any]]:
            media.make_music(
                params["prompt"],
                params["seconds"],
                params["seed"],
                dst,
                cfg=params["cfg"],
                steps=params["steps"],
            )
            return [
                {
                    "img_audit_status": True,
                    "image_status": 1,
                    "image_url": _file_url(base, dst),
                    "seed": params["seed"],
                }
            ]

        reason = None if failure is None else failure.reason or "音频生成失败"
        state.spawn(_run(state, task, make, reason, None))
        return _ok({"taskId": task.task_id})

    @router.post("/AIGCImgOpenServ/saas/sd/v2/text2image")
    async def text2image(request: Request) -> Response:
        if not _authorized(state, request):
            return _err(401, "accessKeyId or accessKeySecret is invalid")
        try:
            params = _image_params(await json_body(request))
            task = register(params, "image")
        except BadRequest as exc:
            return _err(400, str(exc))
        failure = state.faults.take_task_failure(PROVIDER)
        base = base_url(request)

        def make() -> list[dict[str, Any]]:
            results = []
            for i in range(params["n_iter"]):
                seed = (params["seed"] + i) % 2**32
                dst = out_dir / f"{uuid.uuid4().hex}.png"
                media.make_image(
                    params["prompt"],
                    params["width"],
                    params["height"],
                    seed,
                    dst,
                    negative_prompt=params["negative_prompt"],
                    steps=params["steps"],
                    cfg_scale=params["cfg_scale"],
                    sampler=params["sampler"],
                )
                results.append(
                    {
                        "img_audit_status": True,
                        "image_status": 1,
                        "image_url": _file_url(base, dst),
                        "seed": seed,
                    }
                )
            return results

        def preview_of(results: list[dict[str, Any]]) -> tuple[Path, str]:
            final = out_dir / results[0]["image_url"].rsplit("/", 1)[1]
            dst = media.make_preview(final, out_dir / f"{uuid.uuid4().hex}.png")
            return dst, _file_url(base, dst)

        reason = None if failure is None else failure.reason or "图片生成失败"
        state.spawn(_run(state, task, make, reason, preview_of))
        return _ok({"task_id": task.task_id})

    async def query(request: Request, archived: bool) -> Response:
        if not _authorized(state, request):
            return _err(401, "accessKeyId or accessKeySecret is invalid")
        try:
            task_id = required_str(await json_body(request), "businessTaskId")
        except BadRequest as exc:
            return _err(400, str(exc))
        task = tasks.get(task_id)
        if task is None:
            return _err(404, f"task {task_id!r} not found")
        return _ok(_status_data(state, task, archived=archived))

    @router.post("/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo")
    async def query_live(request: Request) -> Response:
        return await query(request, archived=False)

    @router.post("/AIGCImgOpenServ/saas/sd/queryTaskInfo")
    async def query_archived(request: Request) -> Response:
        return await query(request, archived=True)

    @router.get("/files/{name}")
    async def files(name: str) -> Response:
        path = safe_join(out_dir, name)
        if path is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, path)

    return router
