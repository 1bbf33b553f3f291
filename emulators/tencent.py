"""Tencent Multimedia Lab emulator: image → music jobs (docs/providers.md#tencent).

One POST endpoint; `action` picks CreateJob / GetJob / ListJobs. Answers follow the page's
examples exactly. Where the docs are silent, decided (docs/providers.md#emulators):
- errors are HTTP 200 with {"requestId", "errorResponse": {"code", "message"}}; codes
  AuthFailure, InvalidParameter, InvalidAction, ResourceNotFound;
- a failed job has state 4 ERROR and `message`;
- the shape is chosen per test (`shape(state)`, a `TencentShape`): by default the page's, enums
  only as the page's numbers (a name such as "MP3" is refused with InvalidParameter) and
  answers with numbers (`"state": 1`, the echoed enums as numbers); `accept_names` also takes
  names, `answer_names` answers with names (`"state": "SUBMITTED"`, `"outputType": "MP4"`);
- the emulator cannot reach the internet: it fetches the input image only from 127.0.0.1 /
  localhost (and then checks it is png/jpg/webp); other URLs are accepted unseen;
- results live at /tencent-output/<destination>/<songName>; with outputType MP4 each song
  has a `videoName` (the image over the music) besides its `songName`;
- the callback POSTs the Job struct once (no documented retries), when COMPLETED or ERROR.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from emulators import media
from emulators.callbacks import http_ok, send_callback
from emulators.common import (
    BadRequest,
    Switches,
    TaskClock,
    json_body,
    new_request_id,
    now_ms,
    safe_join,
    serve_file,
    tencent_error,
)
from emulators.state import EmulatorState

log = logging.getLogger(__name__)

PROVIDER = "tencent"
SUBMITTED, PROCESSING, COMPLETED, ERROR, CANCELED = 1, 2, 3, 4, 5
STATE_NAMES = {
    SUBMITTED: "SUBMITTED",
    PROCESSING: "PROCESSING",
    COMPLETED: "COMPLETED",
    ERROR: "ERROR",
    CANCELED: "CANCELED",
}
OUTPUT_TYPES = {1: "MP3", 2: "MP4"}
SONG_TYPES = {1: "LARGE_MODEL", 2: "MULTITRACK"}
EMOTIONS = {
    1: "HAPPY",
    2: "SAD",
    3: "ROMANTIC",
    4: "QUIET",
    5: "LAZY",
    6: "EXCITING",
    7: "MAGNIFICENT",
    8: "FUNNY",
    9: "FEAR",
    10: "WARM",
    11: "ANGRY",
}
GENRES = {1: "POP", 2: "CLASSICAL", 3: "CHINA", 4: "SOFT", 5: "JAZZ"}
MULTITRACK_ONLY = {"WARM", "ANGRY"}
IMAGE_SUFFIXES = {"png", "jpg", "jpeg", "webp"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_INPUT_BYTES = 30 * 1024 * 1024


@dataclass
class TencentShape:
    """What this emulator accepts and how it answers; the defaults are the page's."""

    accept_names: bool = False
    answer_names: bool = False


_SHAPES = Switches(TencentShape)
shape = _SHAPES.of
use_shape = _SHAPES.use


# The enum fields of imageBgmGeneration, each with its numbered table.
ENUM_FIELDS: dict[str, dict[int, str]] = {
    "outputType": OUTPUT_TYPES,
    "type": SONG_TYPES,
    "emotion": EMOTIONS,
    "genre": GENRES,
}


def _as_number(value: Any, table: dict[int, str]) -> Any:
    return next((n for n, name in table.items() if name == value), value)


def _echo_output(output: dict[str, Any], names: bool) -> dict[str, Any]:
    """An output as sent, with its enums written as the answer shape wants them."""
    echoed = dict(output)
    descriptor = output.get("smartContentDescriptor")
    gen = descriptor.get("imageBgmGeneration") if isinstance(descriptor, dict) else None
    if not isinstance(descriptor, dict) or not isinstance(gen, dict):
        return echoed
    gen = dict(gen)
    for key, table in ENUM_FIELDS.items():
        if gen.get(key) not in (None, ""):
            gen[key] = table.get(gen[key], gen[key]) if names else _as_number(gen[key], table)
    echoed["smartContentDescriptor"] = {**descriptor, "imageBgmGeneration": gen}
    return echoed


@dataclass
class SongSpec:
    quantity: int
    output_type: str
    emotion: str | None
    genre: str | None
    song_type: str
    prefix: str
    destination: str
    input_index: int


@dataclass
class TencentJob:
    job_id: str
    request: dict[str, Any]
    specs: list[SongSpec]
    clock: TaskClock
    music_seconds: float = 4.0
    state: int = SUBMITTED
    created_at: int = field(default_factory=now_ms)
    started_at: int = 0
    completed_at: int = 0
    message: str | None = None
    results: list[list[dict[str, str]]] = field(default_factory=list)

    def to_json(self, names: bool = False) -> dict[str, Any]:
        """The Job struct; `names` writes the state and the enums as names, not numbers."""
        req = self.request
        state: int | str = STATE_NAMES[self.state] if names else self.state
        job: dict[str, Any] = {"id": self.job_id, "state": state}
        for key in ("customId", "callback"):
            if key in req:
                job[key] = req[key]
        job["timing"] = {
            "createdAt": str(self.created_at),
            "startedAt": str(self.started_at),
            "completedAt": str(self.completed_at),
        }
        job["inputs"] = req.get("inputs", [])
        outputs = []
        for i, output in enumerate(req.get("outputs", [])):
            echoed = _echo_output(output, names)
            if self.state == COMPLETED and i < len(self.results):
                echoed["smartContentResult"] = {"imageBgmGeneration": self.results[i]}
            outputs.append(echoed)
        job["outputs"] = outputs
        if self.message is not None:
            job["message"] = self.message
        return job


def _enum(
    value: Any, table: dict[int, str], name: str, default: str | None, accept_names: bool
) -> str | None:
    """The enum's name; the page lists numbers, so a name is taken only with `accept_names`."""
    if value is None or value == "":
        return default
    if accept_names and isinstance(value, str) and value in table.values():
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in table:
        return table[value]
    allowed = ", ".join(f"{n} ({label})" for n, label in table.items())
    if accept_names:
        allowed += " or " + ", ".join(table.values())
    raise BadRequest(name, f"{value!r} is not one of {allowed}")


def _url_suffix(url_or_path: str) -> str | None:
    name = urlparse(url_or_path).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[1].lower() if "." in name else None


def _check_input(item: Any, index: int) -> None:
    where = f"inputs[{index}]"
    if not isinstance(item, dict):
        raise BadRequest(where, "must be an object with url or source")
    url, source = item.get("url"), item.get("source")
    if (url is None) == (source is None):
        raise BadRequest(where, "give exactly one of url and source")
    if url is not None:
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
            raise BadRequest(f"{where}.url", f"must be an http(s) URL, got {url!r}")
        target = url
    else:
        if not isinstance(source, dict) or not all(
            isinstance(source.get(k), str) and source.get(k) for k in ("contentId", "path")
        ):
            raise BadRequest(f"{where}.source", "needs contentId and path (strings)")
        target = source["path"]
    suffix = _url_suffix(target)
    if suffix is not None and suffix not in IMAGE_SUFFIXES:
        raise BadRequest(where, f"file format {suffix!r} is not one of png, jpg, jpeg, webp")


def _parse_output(output: Any, index: int, n_inputs: int, accept_names: bool) -> SongSpec:
    where = f"outputs[{index}]"
    if not isinstance(output, dict):
        raise BadRequest(where, "must be an object")
    destination = output.get("destination", "/")
    if not isinstance(destination, str) or ".." in destination.split("/"):
        raise BadRequest(f"{where}.destination", f"invalid directory {destination!r}")
    selectors = output.get("inputSelectors", [0])
    if (
        not isinstance(selectors, list)
        or not selectors
        or not all(isinstance(s, int) and 0 <= s < n_inputs for s in selectors)
    ):
        raise BadRequest(f"{where}.inputSelectors", f"must list input indexes below {n_inputs}")
    descriptor = output.get("smartContentDescriptor")
    if not isinstance(descriptor, dict):
        raise BadRequest(f"{where}.smartContentDescriptor", "is required")
    prefix = descriptor.get("outputPrefix", "")
    if not isinstance(prefix, str) or len(prefix) >= 20:
        raise BadRequest(f"{where}.outputPrefix", "must be a string shorter than 20 characters")
    if "/" in prefix or "\\" in prefix:
        raise BadRequest(f"{where}.outputPrefix", "must not contain a path separator")
    gen = descriptor.get("imageBgmGeneration")
    if not isinstance(gen, dict):
        raise BadRequest(f"{where}.imageBgmGeneration", "is required")
    quantity = gen.get("songQuantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 100:
        raise BadRequest("songQuantity", f"{quantity!r} is out of range [1, 100]")
    song_type = _enum(gen.get("type"), SONG_TYPES, "type", "LARGE_MODEL", accept_names)
    output_type = _enum(gen.get("outputType"), OUTPUT_TYPES, "outputType", "MP3", accept_names)
    emotion = _enum(gen.get("emotion"), EMOTIONS, "emotion", None, accept_names)
    genre = _enum(gen.get("genre"), GENRES, "genre", None, accept_names)
    if emotion in MULTITRACK_ONLY and song_type != "MULTITRACK":
        raise BadRequest("emotion", f"{emotion} is only valid with type MULTITRACK")
    if genre is not None and song_type == "MULTITRACK":
        raise BadRequest("genre", "cannot be set with type MULTITRACK")
    return SongSpec(
        quantity=quantity,
        output_type=output_type or "MP3",
        emotion=emotion,
        genre=genre,
        song_type=song_type or "LARGE_MODEL",
        prefix=prefix,
        destination=destination.strip("/"),
        input_index=selectors[0],
    )


def _parse_create(req: Any, accept_names: bool) -> list[SongSpec]:
    if not isinstance(req, dict):
        raise BadRequest("createJobRequest", "is required")
    custom_id = req.get("customId")
    if custom_id is not None and (not isinstance(custom_id, str) or len(custom_id) >= 64):
        raise BadRequest("customId", "must be a string shorter than 64 characters")
    callback = req.get("callback")
    if callback is not None and not isinstance(callback, str):
        raise BadRequest("callback", "must be a string")
    timeout = req.get("timeout")
    if timeout is not None and (
        not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0
    ):
        raise BadRequest("timeout", f"must be a positive integer (seconds), got {timeout!r}")
    inputs = req.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        raise BadRequest("inputs", "needs at least one input (url or source)")
    for i, item in enumerate(inputs):
        _check_input(item, i)
    outputs = req.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        raise BadRequest("outputs", "needs at least one output with imageBgmGeneration")
    return [_parse_output(o, i, len(inputs), accept_names) for i, o in enumerate(outputs)]


async def _fetch_local_image(url: str) -> bytes | None:
    """The input image when it is on this machine; None for URLs the emulator cannot reach."""
    if (urlparse(url).hostname or "") not in LOCAL_HOSTS:
        return None
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as client:
        response = await client.get(url)
    if response.status_code != 200:
        raise ValueError(f"downloading the input failed with HTTP {response.status_code}")
    if len(response.content) > MAX_INPUT_BYTES:
        raise ValueError("the input image is larger than 30 MB")
    if media.sniff_image(response.content) not in ("png", "jpeg", "webp"):
        raise ValueError("the input is not a png, jpg or webp image")
    return response.content


def _make_songs(
    job: TencentJob, images: list[bytes | None], out_root: Path
) -> list[list[dict[str, str]]]:
    results: list[list[dict[str, str]]] = []
    inputs = job.request["inputs"]
    for spec in job.specs:
        image = images[spec.input_index]
        source = inputs[spec.input_index]
        identity = hashlib.sha256(image or repr(source).encode()).hexdigest()
        mood = " ".join(x for x in (spec.emotion, spec.genre, spec.song_type) if x)
        folder = out_root.joinpath(*[p for p in spec.destination.split("/") if p])
        songs: list[dict[str, str]] = []
        for k in range(spec.quantity):
            stem = f"{spec.prefix}{job.job_id[:8]}_{k}"
            song = folder / f"{stem}.mp3"
            seed = media.stable_seed(identity, k)
            media.make_music(f"image {identity[:12]} {mood}", job.music_seconds, seed, song)
            entry = {"songName": song.name}
            if spec.output_type == "MP4":
                video = folder / f"{stem}.mp4"
                with tempfile.TemporaryDirectory() as tmp:
                    still = Path(tmp) / "still.png"
                    if image is not None:
                        still.write_bytes(image)
                    else:
                        media.make_image(mood or "image", 320, 240, seed, still)
                    media.make_video(
                        job.music_seconds, 320, 240, video, image=still, audio=song, fps=4
                    )
                entry["videoName"] = video.name
            songs.append(entry)
        results.append(songs)
    return results


async def _run(state: EmulatorState, job: TencentJob, failure: str | None, root: Path) -> None:
    await job.clock.at(0.15)
    job.state, job.started_at = PROCESSING, now_ms()
    timeout = job.request.get("timeout")
    try:
        if failure is not None:
            await job.clock.at(0.5)
            raise RuntimeError(failure)
        images = [
            await _fetch_local_image(i["url"]) if "url" in i else None
            for i in job.request["inputs"]
        ]
        job.results = await asyncio.to_thread(_make_songs, job, images, root)
        await job.clock.at(1.0, min_gap=0.2)
        if timeout is not None and time.monotonic() - job.clock.start > timeout:
            raise RuntimeError(f"job timed out after {timeout} s")
        job.state = COMPLETED
    except Exception as exc:
        if failure is None:
            log.info("tencent job %s failed: %s", job.job_id, exc)
        job.state, job.message = ERROR, str(exc) or type(exc).__name__
    job.completed_at = now_ms()
    payload = job.to_json(shape(state).answer_names)
    send_callback(state, PROVIDER, job.request.get("callback"), payload, accepts=http_ok)


def build_router(state: EmulatorState) -> APIRouter:
    router = APIRouter()
    jobs: dict[str, TencentJob] = state.tasks[PROVIDER]
    out_root = state.provider_dir(PROVIDER) / "out"

    def answer(key: str, value: dict[str, Any]) -> JSONResponse:
        return JSONResponse({"requestId": new_request_id(), key: value})

    def create(body: dict[str, Any]) -> JSONResponse:
        req = body.get("createJobRequest")
        specs = _parse_create(req, shape(state).accept_names)
        job = TencentJob(
            str(uuid.uuid4()), req, specs, TaskClock(state.task_seconds), state.music_seconds
        )
        jobs[job.job_id] = job
        failure = state.faults.take_task_failure(PROVIDER)
        reason = None if failure is None else failure.reason or "music generation failed"
        state.spawn(_run(state, job, reason, out_root))
        return answer("createJobResponse", {"job": job.to_json(shape(state).answer_names)})

    def get(body: dict[str, Any]) -> JSONResponse:
        req = body.get("getJobRequest")
        job_id = req.get("id") if isinstance(req, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise BadRequest("getJobRequest.id", "is required")
        job = jobs.get(job_id)
        if job is None:
            return JSONResponse(tencent_error("ResourceNotFound", f"job {job_id} not found"))
        return answer("getJobResponse", {"job": job.to_json(shape(state).answer_names)})

    def list_jobs(body: dict[str, Any]) -> JSONResponse:
        req = body.get("listJobsRequest") or {}
        if not isinstance(req, dict):
            raise BadRequest("listJobsRequest", "must be an object")
        custom_id = req.get("customId")
        names = shape(state).answer_names
        found = [
            j.to_json(names)
            for j in jobs.values()
            if custom_id is None or j.request.get("customId") == custom_id
        ]
        return answer("listJobsResponse", {"jobs": found, "total": len(found)})

    handlers = {"CreateJob": create, "GetJob": get, "ListJobs": list_jobs}

    @router.post("/tencent/job")
    async def job_endpoint(request: Request) -> Response:
        try:
            body = await json_body(request)
        except BadRequest as exc:
            return JSONResponse(tencent_error("InvalidParameter", str(exc)))
        if body.get("secretId") != state.keys.tencent_secret_id or (
            body.get("secretKey") != state.keys.tencent_secret_key
        ):
            return JSONResponse(tencent_error("AuthFailure", "secretId or secretKey is invalid"))
        handler = handlers.get(body.get("action"))  # type: ignore[arg-type]
        if handler is None:
            return JSONResponse(
                tencent_error("InvalidAction", f"unknown action {body.get('action')!r}")
            )
        try:
            return handler(body)
        except BadRequest as exc:
            return JSONResponse(tencent_error("InvalidParameter", str(exc)))

    @router.get("/tencent-output/{path:path}")
    async def output_file(path: str) -> Response:
        target = safe_join(out_root, path)
        if target is None:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return serve_file(state, PROVIDER, target)

    return router
