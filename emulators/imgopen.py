"""Img Open emulator: text2music, SD text2image v2, the live, archived and tools task queries.

Follows docs/providers.md#imgopen; where the docs are silent, decided
(docs/providers.md#emulators):
- every answer is HTTP 200; errors are envelope codes: "400" bad parameter, "401" bad keys,
  "404" unknown task, "500" generation failure;
- text2music answers `data.taskId` equal to the `businessTaskId` sent, so the status call
  works with either;
- a task walks waiting → working → done or failed; the status and `desc` of each phase come
  from the shape (below): by default 3 "排队中", 1 "生成中", 2 "任务成功 !", 4 "任务失败: …";
- `temporaryImageDto` = {"image_url": url} (or {"image_base64": png} when configured) once a
  halfway image exists; music tasks have none;
- the tools query (`/saas/tool/{toolCode}/queryTask`) knows text-to-music tasks under the
  shape's `music_tool_code` (by default "text2music": the part of the create path after its
  category, as the page's rule reads for tools) and nothing else;
- the callback POSTs the status envelope; a reply is accepted only as JSON code "200".

The shape is chosen per test (`shape(state)`, an `ImgOpenShape`; `use_shape` sets one): the
status and `desc` of every phase, states the adapter does not know, statuses as text ("2"),
the envelope code as a number, how an unknown task is answered, which query knows music
tasks and how the tools query words its answer, and whether the SD body must name a checkpoint.
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
    Switches,
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
DEFAULT_MUSIC_SECONDS = 30.0  # the page gives no default (docs/providers.md#imgopen-music)
AUDIO_ENCODING = ".mp3"
# Where each phase ends, as a fraction of the task's time.
WAITING_ENDS = 0.15

Kind = Literal["music", "image"]
Phase = Literal["waiting", "working", "done", "failed"]
# A status as the answer carries it, and the `desc` beside it ("{reason}" is filled in).
State = tuple[int | str, str]
UnknownTask = Literal["code_404", "null_data", "empty_data"]
ToolAnswer = Literal["sd", "flat"]


@dataclass
class ImgOpenShape:
    """How this emulator answers; the defaults are the pages' examples where they have one."""

    # Each phase's (status, desc); several waiting or working states take turns over the phase.
    waiting: tuple[State, ...] = ((3, "排队中"),)
    working: tuple[State, ...] = ((1, "生成中"),)
    done: State = (2, "任务成功 !")
    failed: State = (4, "任务失败: {reason}")
    # "2" instead of 2, in every answer.
    status_as_text: bool = False
    # The envelope's code as a number (200) instead of the page's string ("200").
    code_as_number: bool = False
    # How a query answers for a task it does not know.
    unknown_task: UnknownTask = "code_404"
    # Which queries know a text-to-music task: the SD ones, and the tools query under this
    # toolCode (None: no tools query knows it).
    music_on_sd: bool = True
    music_tool_code: str | None = "text2music"
    # The tools query's answer: the SD query's shape, or flat (status, desc and the result's
    # `audioUrl` side by side in `data`, as the tools pages' answers are laid out).
    tool_answer: ToolAnswer = "sd"
    # Refuse an SD body without `alwayson_scripts.sd_model_checkpoint` (code "400").
    require_checkpoint: bool = False


_SHAPES = Switches(ImgOpenShape)
shape = _SHAPES.of
use_shape = _SHAPES.use


@dataclass
class ImgOpenTask:
    task_id: str
    kind: Kind
    clock: TaskClock
    callback_url: str | None
    phase: Phase = "waiting"
    reason: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)
    preview: Path | None = None
    preview_url: str | None = None
    callbacks: asyncio.Task[Any] | None = None


def _code(value: int | str, chosen: ImgOpenShape) -> int | str:
    return int(value) if chosen.code_as_number else str(value)


def _ok(chosen: ImgOpenShape, data: Any) -> JSONResponse:
    return JSONResponse({"code": _code(200, chosen), "msg": "success", "data": data})


def _err(chosen: ImgOpenShape, code: int | str, msg: str) -> JSONResponse:
    body = imgopen_error(code, msg)
    body["code"] = _code(body["code"], chosen)
    return JSONResponse(body)


def _unknown_task(chosen: ImgOpenShape, task_id: str) -> JSONResponse:
    if chosen.unknown_task == "null_data":
        return _ok(chosen, None)
    if chosen.unknown_task == "empty_data":
        return _ok(chosen, {})
    return _err(chosen, 404, f"task {task_id!r} not found")


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


def _turn(states: tuple[State, ...], position: float) -> State:
    """The state whose turn it is `position` (0 to 1) of the way through its phase."""
    index = min(len(states) - 1, max(0, int(position * len(states))))
    return states[index]


def status_of(task: ImgOpenTask, chosen: ImgOpenShape) -> tuple[int | str, str]:
    """The task's (status, desc) as the shape words them now."""
    fraction = task.clock.fraction()
    if task.phase == "waiting":
        status, desc = _turn(chosen.waiting, fraction / WAITING_ENDS)
    elif task.phase == "working":
        status, desc = _turn(chosen.working, (fraction - WAITING_ENDS) / (1 - WAITING_ENDS))
    elif task.phase == "done":
        status, desc = chosen.done
    else:
        status, desc = chosen.failed
    desc = desc.replace("{reason}", task.reason)
    return (str(status) if chosen.status_as_text else status), desc


def _finished(task: ImgOpenTask) -> bool:
    return task.phase in ("done", "failed")


def _status_data(state: EmulatorState, task: ImgOpenTask, *, archived: bool) -> dict[str, Any]:
    status, desc = status_of(task, shape(state))
    data: dict[str, Any] = {
        ("task_id" if archived else "id_task"): task.task_id,
        "status": status,
        "desc": desc,
    }
    if not archived:
        data["temporaryImageDto"] = _preview_dto(state, task)
    data["differentialImageRspList"] = [dict(r) for r in task.results]
    if state.imgopen_progress_field and not archived:
        data["progress"] = 100 if _finished(task) else min(99, int(task.clock.fraction() * 100))
    return data


def _tool_data(state: EmulatorState, task: ImgOpenTask) -> dict[str, Any]:
    chosen = shape(state)
    if chosen.tool_answer == "sd":
        return _status_data(state, task, archived=False)
    status, desc = status_of(task, chosen)
    data: dict[str, Any] = {
        "businessTaskId": task.task_id,
        "taskId": task.task_id,
        "status": status,
        "desc": desc,
    }
    if task.results:
        data["audioUrl"] = task.results[0]["image_url"]
        data["seed"] = task.results[0]["seed"]
    return data


def _preview_dto(state: EmulatorState, task: ImgOpenTask) -> dict[str, Any] | None:
    if task.phase != "working" or task.preview is None:
        return None
    if state.imgopen_preview_style == "base64":
        return {"image_base64": base64.b64encode(task.preview.read_bytes()).decode("ascii")}
    return {"image_url": task.preview_url}


def _callback(state: EmulatorState, task: ImgOpenTask) -> None:
    chosen = shape(state)
    payload = {
        "code": _code(200, chosen),
        "msg": "success",
        "data": _status_data(state, task, archived=False),
    }
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
    """Waiting → working (→ halfway preview) → done or failed, over the task's time."""
    work = asyncio.ensure_future(asyncio.to_thread(make))
    await task.clock.at(WAITING_ENDS)
    task.phase = "working"
    if failure_reason is not None:
        await task.clock.at(0.5)
        work.cancel()
        task.phase, task.reason = "failed", failure_reason
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
        task.phase, task.reason = "failed", f"生成异常 ({type(exc).__name__})"
        _callback(state, task)
        return
    await task.clock.at(1.0, min_gap=0.2)
    task.results = results
    task.phase = "done"
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


def _checkpoint(scripts: dict[str, Any], required: bool) -> None:
    """A named checkpoint must be a name; an absent one is the account's default unless the
    shape requires one."""
    name = "alwayson_scripts.sd_model_checkpoint"
    value = scripts.get("sd_model_checkpoint")
    if value is None:
        if required:
            raise BadRequest(name, "is required: name the model to draw with")
        return
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(name, f"must name a checkpoint, got {value!r}")


def _image_params(body: dict[str, Any], chosen: ImgOpenShape) -> dict[str, Any]:
    # The page documents the body's shape only; the ranges are A1111's usual ones
    # (docs/providers.md#imgopen-image).
    scripts = body.get("alwayson_scripts")
    if not isinstance(scripts, dict):
        raise BadRequest("alwayson_scripts", "is required (it carries id_task)")
    task_id = required_str(scripts, "id_task")
    _checkpoint(scripts, chosen.require_checkpoint)
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

    def register(params: dict[str, Any], kind: Kind) -> ImgOpenTask:
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
        chosen = shape(state)
        if not _authorized(state, request):
            return _err(chosen, 401, "accessKeyId or accessKeySecret is invalid")
        try:
            params = _music_params(await json_body(request))
            task = register(params, "music")
        except BadRequest as exc:
            return _err(chosen, 400, str(exc))
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
        return _ok(chosen, {"taskId": task.task_id})

    @router.post("/AIGCImgOpenServ/saas/sd/v2/text2image")
    async def text2image(request: Request) -> Response:
        chosen = shape(state)
        if not _authorized(state, request):
            return _err(chosen, 401, "accessKeyId or accessKeySecret is invalid")
        try:
            params = _image_params(await json_body(request), chosen)
            task = register(params, "image")
        except BadRequest as exc:
            return _err(chosen, 400, str(exc))
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
        return _ok(chosen, {"task_id": task.task_id})

    async def asked_for(request: Request) -> tuple[ImgOpenShape, str | JSONResponse]:
        """The shape and the task id a query asks about, or the answer refusing the query."""
        chosen = shape(state)
        if not _authorized(state, request):
            return chosen, _err(chosen, 401, "accessKeyId or accessKeySecret is invalid")
        try:
            return chosen, required_str(await json_body(request), "businessTaskId")
        except BadRequest as exc:
            return chosen, _err(chosen, 400, str(exc))

    async def query(request: Request, archived: bool) -> Response:
        chosen, asked = await asked_for(request)
        if isinstance(asked, JSONResponse):
            return asked
        task = tasks.get(asked)
        if task is None or (task.kind == "music" and not chosen.music_on_sd):
            return _unknown_task(chosen, asked)
        return _ok(chosen, _status_data(state, task, archived=archived))

    @router.post("/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo")
    async def query_live(request: Request) -> Response:
        return await query(request, archived=False)

    @router.post("/AIGCImgOpenServ/saas/sd/queryTaskInfo")
    async def query_archived(request: Request) -> Response:
        return await query(request, archived=True)

    @router.post("/AIGCImgOpenServ/saas/tool/{tool_code:path}/queryTask")
    async def query_tool(tool_code: str, request: Request) -> Response:
        chosen, asked = await asked_for(request)
        if isinstance(asked, JSONResponse):
            return asked
        task = tasks.get(asked)
        if task is None or task.kind != "music" or tool_code != chosen.music_tool_code:
            return _unknown_task(chosen, asked)
        return _ok(chosen, _tool_data(state, task))

    @router.get("/files/{name}")
    async def files(name: str) -> Response:
        path = safe_join(out_dir, name)
        if path is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, path)

    return router
