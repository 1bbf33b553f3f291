"""Suno API emulator: upload-and-extend, record-info, file upload (docs/providers.md#suno).

Where the docs are silent, decided (docs/providers.md#emulators):
- every API answer is HTTP 200 with the code in the envelope (an int), or, when a test asks
  (`account(state).http_status_errors`), an error also carries its code as the HTTP status:
  400 bad parameter, 401 bad key, 404 wrong path or method, 405 or 430 over the rate limit
  (20 calls / 10 s per key, when enabled; which code is `account(state).rate_limit_code`),
  413 prompt/style/title too long for the model, 429 out of credits (each task costs one
  credit of `account(state).credits`, unlimited unless a test sets it), 455 maintenance
  (`account(state).maintenance`), 500 server error (scripted faults);
- an unknown taskId in record-info is code 400;
- each task makes two tracks; record-info walks PENDING → TEXT_SUCCESS (stream URLs) →
  FIRST_SUCCESS (first track complete) → SUCCESS;
- callbacks (snake_case, `task_id`) go out for text / first / complete (complete twice when
  `suno_duplicate_callbacks`), or error; any reply but HTTP 200 is retried;
- uploads need the same Bearer key and are served from /suno-upload/files/<uploadPath>/<name>,
  with Range support unless `account(state).upload_ranges` is off;
  `continueAt` is checked against the real length only for these own uploads.
"""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from emulators import media
from emulators.callbacks import SUNO_RETRY_DELAYS, http_ok, send_callback
from emulators.common import (
    BadRequest,
    Switches,
    TaskClock,
    base_url,
    is_multiple,
    is_number,
    json_body,
    now_ms,
    safe_join,
    serve_file,
    suno_error,
)
from emulators.state import EmulatorState

log = logging.getLogger(__name__)

PROVIDER = "suno"
TEXT_LIMITS: dict[str, tuple[int, int, int]] = {
    "V3_5": (3000, 200, 80),
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100),
    "V4_5PLUS": (5000, 1000, 100),
    "V5": (5000, 1000, 100),
}
MODEL_NAMES = {
    "V3_5": "chirp-v3-5",
    "V4": "chirp-v4",
    "V4_5": "chirp-auk",
    "V4_5PLUS": "chirp-bluejay",
    "V5": "chirp-crow",
}
SOURCE_MAX_S = 8 * 60.0
# fail_tasks(reason=...) names one of these statuses, or gives a SENSITIVE_WORD_ERROR message.
FAILURE_MESSAGES = {
    "SENSITIVE_WORD_ERROR": "The prompt contains sensitive words.",
    "CREATE_TASK_FAILED": "Failed to create the task.",
    "GENERATE_AUDIO_FAILED": "Audio generation failed.",
    "CALLBACK_EXCEPTION": "Callback exception.",
}
TRACKS_PER_TASK = 2
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# The page's answer codes and what each means (its words, in English).
CODE_MESSAGES: dict[int, str] = {
    400: "Parameter error",
    401: "You do not have access permissions",
    404: "Wrong request method or path",
    405: "Call limit exceeded",
    413: "Title or prompt too long",
    429: "Insufficient credits",
    430: "Your call frequency is too high. Please try again later.",
    455: "The website is under maintenance",
    500: "Server error",
}
CREDITS_PER_TASK = 1


@dataclass
class SunoAccount:
    """How the emulated account answers, chosen per test (`account(state)`)."""

    # None: unlimited; else what is left (a task costs CREDITS_PER_TASK; too few: code 429).
    credits: int | None = None
    # Errors carry their code as the HTTP status too, not only in the envelope.
    http_status_errors: bool = False
    rate_limit_code: Literal[405, 430] = 430
    # Every API call answers 455.
    maintenance: bool = False
    # Uploaded files honour Range requests (False: always the whole file, no Accept-Ranges).
    upload_ranges: bool = True

    def spend(self, credits: int) -> bool:
        if self.credits is None:
            return True
        if self.credits < credits:
            return False
        self.credits -= credits
        return True


_ACCOUNTS = Switches(SunoAccount)
# The emulated account of a state (by default: unlimited credits, HTTP 200 answers, 430,
# Range served).
account = _ACCOUNTS.of


@dataclass
class Track:
    track_id: str
    title: str
    tags: str
    prompt: str
    model_name: str
    audio: Path
    cover: Path
    audio_url: str
    stream_url: str
    image_url: str
    created: int = field(default_factory=now_ms)
    duration: float | None = None
    complete: bool = False

    def record_info(self) -> dict[str, Any]:
        return {
            "id": self.track_id,
            "audioUrl": self.audio_url if self.complete else "",
            "sourceAudioUrl": self.audio_url if self.complete else "",
            "streamAudioUrl": self.stream_url,
            "sourceStreamAudioUrl": self.stream_url,
            "imageUrl": self.image_url if self.complete else "",
            "sourceImageUrl": self.image_url if self.complete else "",
            "prompt": self.prompt,
            "modelName": self.model_name,
            "title": self.title,
            "tags": self.tags,
            "createTime": self.created,
            "duration": self.duration if self.complete else None,
        }

    def callback(self) -> dict[str, Any]:
        info = self.record_info()
        return {
            "id": info["id"],
            "audio_url": info["audioUrl"],
            "source_audio_url": info["sourceAudioUrl"],
            "stream_audio_url": info["streamAudioUrl"],
            "source_stream_audio_url": info["sourceStreamAudioUrl"],
            "image_url": info["imageUrl"],
            "source_image_url": info["sourceImageUrl"],
            "prompt": info["prompt"],
            "model_name": info["modelName"],
            "title": info["title"],
            "tags": info["tags"],
            "createTime": info["createTime"],
            "duration": info["duration"],
        }


@dataclass
class SunoTask:
    task_id: str
    request: dict[str, Any]
    params: dict[str, Any]
    clock: TaskClock
    callback_url: str
    status: str = "PENDING"
    error_code: int | None = None
    error_message: str | None = None
    tracks: list[Track] = field(default_factory=list)
    visible_tracks: int = 0
    created: int = field(default_factory=now_ms)
    callbacks: asyncio.Task[Any] | None = None

    def record_info(self) -> dict[str, Any]:
        return {
            "taskId": self.task_id,
            "parentMusicId": "",
            "param": json.dumps(self.request, ensure_ascii=False),
            "response": {
                "taskId": self.task_id,
                "sunoData": [t.record_info() for t in self.tracks[: self.visible_tracks]],
            },
            "status": self.status,
            "type": "upload_extend",
            "operationType": "upload_extend",
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
            "createTime": self.created,
        }


class RateLimiter:
    """A sliding window of accepted calls per key."""

    def __init__(self) -> None:
        self.calls: dict[str, deque[float]] = {}

    def allow(self, key: str, limit: int, window: float) -> bool:
        now = time.monotonic()
        recent = self.calls.setdefault(key, deque())
        while recent and now - recent[0] >= window:
            recent.popleft()
        if len(recent) >= limit:
            return False
        recent.append(now)
        return True


def _ok(data: Any, msg: str = "success") -> JSONResponse:
    return JSONResponse({"code": 200, "msg": msg, "data": data})


def _err(state: EmulatorState, code: int, msg: str | None = None) -> JSONResponse:
    """An error answer: the code in the envelope, and as the HTTP status when asked for."""
    status = code if account(state).http_status_errors else 200
    return JSONResponse(suno_error(code, msg or CODE_MESSAGES[code]), status_code=status)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(name, f"must be a string, got {type(value).__name__}", 400)
    return value


def _weight(body: dict[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if not is_number(value) or not 0 <= value <= 1:
        raise BadRequest(name, f"{value!r} must be a number in [0, 1]", 400)
    if not is_multiple(float(value), 0.01):
        raise BadRequest(name, f"{value} must be a multiple of 0.01", 400)
    return float(value)


def validate_extend(body: dict[str, Any], source_seconds: float | None) -> dict[str, Any]:
    """Every documented rule; raises BadRequest with Suno's code (400 or 413).

    See docs/providers.md#suno-limits.
    """
    # Checked first: the one refusal a public client has recorded word for word.
    callback = body.get("callBackUrl")
    if not isinstance(callback, str) or not callback.strip():
        raise BadRequest("", "Please enter callBackUrl", 400)
    upload_url = _text(body, "uploadUrl")
    if not upload_url.strip():
        raise BadRequest("uploadUrl", "is required", 400)
    if not upload_url.lower().startswith(("http://", "https://")):
        raise BadRequest("uploadUrl", "must be an http(s) URL", 400)
    custom = body.get("defaultParamFlag")
    if not isinstance(custom, bool):
        raise BadRequest("defaultParamFlag", "is required (true or false)", 400)
    model = body.get("model")
    if model not in TEXT_LIMITS:
        raise BadRequest("model", f"{model!r} is not one of {', '.join(TEXT_LIMITS)}", 400)
    instrumental = body.get("instrumental", False)
    if not isinstance(instrumental, bool):
        raise BadRequest("instrumental", "must be true or false", 400)
    prompt, style, title = _text(body, "prompt"), _text(body, "style"), _text(body, "title")
    negative = _text(body, "negativeTags")
    for name, value, limit in zip(
        ("prompt", "style", "title"), (prompt, style, title), TEXT_LIMITS[model], strict=True
    ):
        if len(value) > limit:
            raise BadRequest(
                name, f"{len(value)} characters; model {model} allows at most {limit}", 413
            )
    continue_at = body.get("continueAt")
    if custom:
        if not style.strip():
            raise BadRequest("style", "is required when defaultParamFlag is true", 400)
        if not title.strip():
            raise BadRequest("title", "is required when defaultParamFlag is true", 400)
        if not instrumental and not prompt.strip():
            raise BadRequest("prompt", "is required unless instrumental (it is the lyrics)", 400)
        if continue_at is None:
            raise BadRequest("continueAt", "is required when defaultParamFlag is true", 400)
    elif not prompt.strip():
        raise BadRequest("prompt", "is required when defaultParamFlag is false", 400)
    if continue_at is not None:
        if not is_number(continue_at) or continue_at <= 0:
            raise BadRequest("continueAt", f"{continue_at!r} must be greater than 0", 400)
        if source_seconds is not None and continue_at >= source_seconds:
            raise BadRequest(
                "continueAt",
                f"{continue_at} must be less than the uploaded audio's length "
                f"({source_seconds:.2f} s)",
                400,
            )
    if source_seconds is not None and source_seconds > SOURCE_MAX_S:
        raise BadRequest("uploadUrl", "the uploaded audio is longer than 8 minutes", 400)
    gender = body.get("vocalGender")
    if gender is not None and gender not in ("m", "f"):
        raise BadRequest("vocalGender", f"{gender!r} must be 'm' or 'f'", 400)
    weights = {n: _weight(body, n) for n in ("styleWeight", "weirdnessConstraint", "audioWeight")}
    return {
        "upload_url": upload_url,
        "custom": custom,
        "model": model,
        "instrumental": instrumental,
        "prompt": prompt,
        "style": style,
        "title": title,
        "negative_tags": negative,
        "continue_at": float(continue_at) if continue_at is not None else None,
        "vocal_gender": gender,
        "callback_url": callback,
        **weights,
    }


def _callback_payload(task: SunoTask, kind: str) -> dict[str, Any]:
    if kind == "error":
        code = 400 if task.status == "SENSITIVE_WORD_ERROR" else 501
        return {
            "code": code,
            "msg": task.error_message or "generation failed",
            "data": {"callbackType": "error", "task_id": task.task_id, "data": None},
        }
    messages = {
        "text": "Text generation completed successfully.",
        "first": "First track generation completed successfully.",
        "complete": "All generated successfully.",
    }
    return {
        "code": 200,
        "msg": messages[kind],
        "data": {
            "callbackType": kind,
            "task_id": task.task_id,
            "data": [t.callback() for t in task.tracks[: task.visible_tracks]],
        },
    }


def _callback(state: EmulatorState, task: SunoTask, kind: str) -> None:
    task.callbacks = send_callback(
        state,
        PROVIDER,
        task.callback_url,
        _callback_payload(task, kind),
        accepts=http_ok,
        retry_delays=SUNO_RETRY_DELAYS,
        after=task.callbacks,
    )


def _fail(state: EmulatorState, task: SunoTask, status: str, message: str) -> None:
    task.status, task.error_message = status, message
    task.error_code = 400 if status == "SENSITIVE_WORD_ERROR" else 500
    _callback(state, task, "error")


async def _run(
    state: EmulatorState, task: SunoTask, source: Path | None, failure: str | None
) -> None:
    params = task.params

    def make() -> None:
        for i, track in enumerate(task.tracks):
            seed = media.stable_seed(task.task_id, i)
            track.duration = round(
                media.extend_audio(
                    source,
                    params["continue_at"],
                    state.music_seconds,
                    params["style"] + " " + params["prompt"],
                    seed,
                    track.audio,
                ),
                2,
            )
            media.make_image(track.title, 128, 128, seed, track.cover)

    fail_status, fail_message = None, None
    if failure is not None:
        if failure in FAILURE_MESSAGES:
            fail_status, fail_message = failure, FAILURE_MESSAGES[failure]
        else:
            fail_status, fail_message = "SENSITIVE_WORD_ERROR", failure
        if fail_status != "GENERATE_AUDIO_FAILED":
            await task.clock.at(0.3)
            _fail(state, task, fail_status, fail_message)
            return
    work = asyncio.ensure_future(asyncio.to_thread(make))
    try:
        await task.clock.at(0.25)
        if fail_status is None:
            await work  # stream URLs must play from TEXT_SUCCESS on
        task.visible_tracks = len(task.tracks)
        task.status = "TEXT_SUCCESS"
        task.clock.mark()
        _callback(state, task, "text")
        if fail_status is not None:
            await task.clock.at(0.55, min_gap=0.2)
            _fail(state, task, fail_status, fail_message or "")
            return
        await task.clock.at(0.55, min_gap=0.2)
        task.tracks[0].complete = True
        task.status = "FIRST_SUCCESS"
        _callback(state, task, "first")
        await task.clock.at(1.0, min_gap=0.2)
        for track in task.tracks:
            track.complete = True
        task.status = "SUCCESS"
        _callback(state, task, "complete")
        if state.suno_duplicate_callbacks:
            _callback(state, task, "complete")
    except Exception as exc:
        log.exception("suno task %s failed to generate", task.task_id)
        _fail(state, task, "GENERATE_AUDIO_FAILED", f"Audio generation failed ({exc})")


def build_router(state: EmulatorState) -> APIRouter:
    router = APIRouter()
    tasks: dict[str, SunoTask] = state.tasks[PROVIDER]
    out_dir = state.provider_dir(PROVIDER)
    upload_root = out_dir / "uploads"
    limiter = RateLimiter()

    def gate(request: Request) -> JSONResponse | None:
        if account(state).maintenance:
            return _err(state, 455)
        key = _bearer(request)
        if key != state.keys.suno_api_key:
            return _err(state, 401)
        if state.suno_rate_limit and not limiter.allow(
            key, state.suno_rate_limit_calls, state.suno_rate_limit_window_s
        ):
            return _err(state, account(state).rate_limit_code)
        return None

    def own_upload(url: str) -> Path | None:
        path = urlparse(url).path
        return state.suno_uploads.get(path)

    @router.post("/suno/api/v1/generate/upload-extend")
    async def upload_extend(request: Request) -> Response:
        refused = gate(request)
        if refused is not None:
            return refused
        try:
            body = await json_body(request)
            upload_url = body.get("uploadUrl")
            source = own_upload(upload_url) if isinstance(upload_url, str) else None
            seconds = None
            if source is not None:
                try:
                    seconds = await asyncio.to_thread(media.audio_seconds, source)
                except Exception as exc:
                    raise BadRequest("uploadUrl", "the uploaded file is not audio", 400) from exc
            params = validate_extend(body, seconds)
        except BadRequest as exc:
            return _err(state, exc.code if isinstance(exc.code, int) else 400, str(exc))
        if not account(state).spend(CREDITS_PER_TASK):
            return _err(state, 429)
        task_id = uuid.uuid4().hex
        base = base_url(request)
        title = params["title"] or "Extended track"
        tags = params["style"]
        lyrics = "" if params["instrumental"] else params["prompt"]
        tracks = []
        for _ in range(TRACKS_PER_TASK):
            track_id = str(uuid.uuid4())
            tracks.append(
                Track(
                    track_id=track_id,
                    title=title,
                    tags=tags,
                    prompt=lyrics,
                    model_name=MODEL_NAMES[params["model"]],
                    audio=out_dir / f"{track_id}.mp3",
                    cover=out_dir / f"{track_id}.png",
                    audio_url=f"{base}/suno/files/{track_id}.mp3",
                    stream_url=f"{base}/suno/files/stream/{track_id}.mp3",
                    image_url=f"{base}/suno/files/{track_id}.png",
                )
            )
        task = SunoTask(
            task_id,
            body,
            params,
            TaskClock(state.task_seconds),
            params["callback_url"],
            tracks=tracks,
        )
        tasks[task_id] = task
        failure = state.faults.take_task_failure(PROVIDER)
        reason = None if failure is None else failure.reason or "SENSITIVE_WORD_ERROR"
        state.spawn(_run(state, task, source, reason))
        return _ok({"taskId": task_id})

    @router.get("/suno/api/v1/generate/record-info")
    async def record_info(request: Request) -> Response:
        refused = gate(request)
        if refused is not None:
            return refused
        task_id = request.query_params.get("taskId", "")
        if not task_id:
            return _err(state, 400, "taskId is required")
        task = tasks.get(task_id)
        if task is None:
            return _err(state, 400, f"taskId {task_id} not found")
        return _ok(task.record_info())

    @router.get("/suno/files/{name}")
    async def result_file(name: str) -> Response:
        path = safe_join(out_dir, name)
        if path is None or path.parent != out_dir:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, path)

    @router.get("/suno/files/stream/{name}")
    async def stream_file(name: str) -> Response:
        path = safe_join(out_dir, name)
        if path is None or path.parent != out_dir:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, path)

    @router.post("/suno-upload/api/file-stream-upload")
    async def file_upload(request: Request) -> Response:
        if _bearer(request) != state.keys.suno_api_key:
            return _err(state, 401)
        form = await request.form(max_part_size=MAX_UPLOAD_BYTES)
        upload = form.get("file")
        upload_path = form.get("uploadPath")
        if not isinstance(upload, UploadFile):
            return _err(state, 400, "file is required")
        if not isinstance(upload_path, str) or not upload_path.strip():
            return _err(state, 400, "uploadPath is required")
        file_name = form.get("fileName")
        name = file_name if isinstance(file_name, str) and file_name.strip() else upload.filename
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            return _err(state, 400, f"fileName {name!r} is not a valid file name")
        data = await upload.read()
        if not data:
            return _err(state, 400, "file is empty")
        if len(data) > MAX_UPLOAD_BYTES:
            return _err(state, 413, "file is too large")
        folder = safe_join(upload_root, upload_path)
        if folder is None:
            return _err(state, 400, f"uploadPath {upload_path!r} is not a valid path")
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        url_path = "/suno-upload/files/" + target.relative_to(upload_root).as_posix()
        state.suno_uploads[url_path] = target
        download_url = base_url(request) + url_path
        return JSONResponse(
            {
                "success": True,
                "code": 200,
                "msg": "success",
                "data": {
                    "fileName": name,
                    "filePath": target.relative_to(upload_root).as_posix(),
                    "downloadUrl": download_url,
                    "fileSize": len(data),
                    "mimeType": upload.content_type or "application/octet-stream",
                    "uploadedAt": now_ms(),
                },
            }
        )

    @router.get("/suno-upload/files/{path:path}")
    async def uploaded_file(path: str) -> Response:
        target = state.suno_uploads.get("/suno-upload/files/" + path)
        if target is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if not account(state).upload_ranges:
            # A server that ignores Range: the whole file, every time.
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return Response(await asyncio.to_thread(target.read_bytes), media_type=kind)
        # Uploads are inputs, not results: expire_results leaves them alone.
        return serve_file(state, PROVIDER, target, expirable=False)

    return router
