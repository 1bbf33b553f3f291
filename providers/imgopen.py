"""Img Open: Stable Audio text-to-music and SD text-to-image v2 (PROVIDERS.md §1).

Both capabilities are polled on the same queryTaskInfo call, by our own business task id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import SecretStr, ValidationError

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.media import sniff_bytes
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, StudioRequest, TextToImageRequest, TextToMusicRequest
from providers.remote_base import (
    AUDIO_SUFFIXES,
    DEFAULT_TIMEOUT,
    IMAGE_SUFFIXES,
    CreateOutcomeUnknown,
    LazyClient,
    file_name,
    growing_delay,
    http_error,
    is_http_url,
    keys_present,
    lookup_key,
    missing_key_error,
    parse_json,
    send_create,
    send_repeatable,
    try_json,
    url_suffix,
    wire_record,
)
from providers.wire.imgopen import (
    ARCHIVE_STATUS_PATH,
    IMAGE_PATH,
    KEY_ID_HEADER,
    KEY_SECRET_HEADER,
    MUSIC_PATH,
    STATUS_PATH,
    AlwaysOnScripts,
    CreateData,
    Envelope,
    OverrideSettings,
    ResultItem,
    TaskInfo,
    Text2ImageBody,
    Text2MusicBody,
)

LABEL = "Img Open"
CREDENTIAL_FIELDS: tuple[str, ...] = ("IMGOPEN_ACCESS_KEY_ID", "IMGOPEN_ACCESS_KEY_SECRET")
Kind = Literal["music", "image"]

DONE_STATUS = 2
# DECIDED (PROVIDERS.md): 1 and 3 are "still running", as a public client reads them.
RUNNING_STATUSES: frozenset[int] = frozenset({1, 3})
# DECIDED: a task the status call does not know yet is given this long to appear.
UNKNOWN_TASK_GRACE_S = 60.0
POLL_FIRST_S = 1.0
POLL_LAST_S = 5.0
# A gentle back-off: a finished task is seen within about a fifth of its run time.
POLL_GROWTH = 1.25

PreviewSaver = Callable[[bytes, str], Path]


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return keys_present(settings, credentials, CREDENTIAL_FIELDS)


def create(settings: Settings) -> Provider:
    return ImgOpenProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def wire_music_request(
    request: TextToMusicRequest, *, task_id: str, callback_url: str | None = None
) -> Text2MusicBody:
    return Text2MusicBody(
        businessTaskId=task_id,
        prompt=request.prompt,
        # -1 is the provider's own "random" too, so it passes through unchanged.
        seed=request.seed,
        steps=request.steps,
        cfg=round(request.cfg, 1),
        seconds=round(request.seconds, 1),
        callbackUrl=callback_url,
    )


def wire_image_request(
    request: TextToImageRequest, *, task_id: str, callback_url: str | None = None
) -> Text2ImageBody:
    hr_x, hr_y = request.output_size if request.enable_hr else (None, None)
    return Text2ImageBody(
        prompt=request.prompt,
        negative_prompt=request.negative_prompt,
        n_iter=request.n_iter,
        steps=request.steps,
        seed=str(request.seed),
        restore_faces=request.restore_faces,
        enable_hr=request.enable_hr,
        hr_scale=request.hr_scale,
        hr_second_pass_steps=request.hr_second_pass_steps,
        hr_resize_x=hr_x,
        hr_resize_y=hr_y,
        denoising_strength=request.denoising_strength,
        width=request.width,
        height=request.height,
        cfg_scale=request.cfg_scale,
        sampler_index=request.sampler,
        callbackUrl=callback_url,
        alwayson_scripts=AlwaysOnScripts(
            # Empty means "the account's default": leave the field out rather than send "".
            sd_model_checkpoint=request.checkpoint.strip() or None,
            id_task=task_id,
            sd_vae=request.vae.strip() or None,
            override_settings=OverrideSettings(CLIP_stop_at_last_layers=request.clip_skip),
        ),
    )


def wire_request(
    request: StudioRequest, *, task_id: str, callback_url: str | None = None
) -> Text2MusicBody | Text2ImageBody:
    """The create call's JSON body for `request` (callback_url only when it is reachable)."""
    if isinstance(request, TextToMusicRequest):
        return wire_music_request(request, task_id=task_id, callback_url=callback_url)
    if isinstance(request, TextToImageRequest):
        return wire_image_request(request, task_id=task_id, callback_url=callback_url)
    raise InvalidRequest("capability", f"{LABEL} does not serve {request.capability}")


# --- answer mapping (pure) --------------------------------------------------------------


def find_audio_url(item: Mapping[str, Any]) -> str | None:
    """The audio URL of a text-to-music result item (DECIDED in PROVIDERS.md §1).

    Any field whose name contains "url" and whose value ends in an audio suffix, `image_url`
    first; failing that, `image_url` itself (the provider reuses its image result list).
    """
    candidates = [("image_url", item.get("image_url"))] + [
        (key, value) for key, value in item.items() if key != "image_url"
    ]
    for key, value in candidates:
        if "url" in key.lower() and is_http_url(value) and url_suffix(value) in AUDIO_SUFFIXES:
            return value.strip()
    image_url = item.get("image_url")
    return image_url.strip() if is_http_url(image_url) else None


_PERCENT_NUMBER = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%?\s*$")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _PERCENT_NUMBER.match(value)
        if match:
            return float(match.group(1))
    return None


def find_percent(data: Mapping[str, Any]) -> float | None:
    """A progress percent when the answer carries one (none is documented)."""
    for key, value in data.items():
        lowered = key.lower()
        if "url" in lowered or not ("percent" in lowered or "progress" in lowered):
            continue
        number = _number(value)
        if number is None:
            continue
        # 0.0-1.0 as a float (A1111's "progress") is a fraction; whole numbers are percents.
        is_fraction = (
            "percent" not in lowered
            and 0.0 <= number <= 1.0
            and (isinstance(value, float) or (isinstance(value, str) and "." in value))
            and not (isinstance(value, str) and "%" in value)
        )
        return max(0.0, min(100.0, number * 100.0 if is_fraction else number))
    return None


def find_eta(data: Mapping[str, Any]) -> float | None:
    for key in ("eta_relative", "eta", "eta_s"):
        number = _number(data.get(key))
        if number is not None and number >= 0:
            return number
    return None


_DATA_URI = re.compile(r"^data:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)


def _decode_image(text: str) -> bytes | None:
    text = text.strip()
    if _DATA_URI.match(text):
        text = text.split(",", 1)[1]
    elif len(text) < 64:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if sniff_bytes(raw[:64]) in ("png", "jpeg", "webp", "gif") else None


def find_preview(value: Any, depth: int = 0) -> str | bytes | None:
    """The first http(s) URL or base64 image inside `temporaryImageDto` (shape undocumented)."""
    if depth > 6 or value is None:
        return None
    if isinstance(value, str):
        if is_http_url(value):
            return value.strip()
        return _decode_image(value)
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(items, list | tuple) or isinstance(value, Mapping):
        for item in items:
            found = find_preview(item, depth + 1)
            if found is not None:
                return found
    return None


def _status_code(value: int | str | None) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value.strip())
    return None


def parse_envelope(answer: Any, *, retryable: bool) -> Envelope:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        raise ProviderError(
            f"{LABEL} sent an answer the studio cannot read.", retryable=retryable
        ) from None


def _maybe_envelope(answer: Any) -> Envelope | None:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        return None


def envelope_error(envelope: Envelope, *, when: str, retryable: bool) -> ProviderError:
    said = (envelope.msg or "").strip() or "no reason given"
    message = f"{LABEL} {when} (code {envelope.code}): {said}"
    if envelope.code.strip() in ("401", "403"):
        # Bad keys do not get better by asking again.
        names = " and ".join(CREDENTIAL_FIELDS)
        return ProviderError(f"{message}. Check {names} in Settings.", retryable=False)
    return ProviderError(message, retryable=retryable)


def _preview(info: TaskInfo, save_preview: PreviewSaver | None) -> Artifact | None:
    found = find_preview(info.temporaryImageDto)
    if isinstance(found, str):
        suffix = url_suffix(found) if url_suffix(found) in IMAGE_SUFFIXES else ".png"
        return Artifact(kind="image", name=f"preview{suffix}", url=found)
    if isinstance(found, bytes) and save_preview is not None:
        fmt = sniff_bytes(found[:64])
        suffix = ".jpg" if fmt == "jpeg" else f".{fmt}"
        path = save_preview(found, suffix)
        return Artifact(kind="image", name=path.name, path=path)
    return None


def _outputs(items: list[ResultItem], kind: Kind) -> tuple[list[Artifact], int]:
    outputs: list[Artifact] = []
    blocked = 0
    for index, item in enumerate(items, start=1):
        if item.img_audit_status is False:
            blocked += 1
            continue
        fields = item.model_dump(exclude_none=True)
        url = find_audio_url(fields) if kind == "music" else item.image_url
        if not is_http_url(url):
            continue
        metadata: dict[str, Any] = {"index": index}
        if item.seed is not None:
            metadata["seed"] = item.seed
        if kind == "music":
            name = file_name(url, f"music-{index}", ".mp3", AUDIO_SUFFIXES)
            outputs.append(Artifact(kind="audio", name=name, url=url, metadata=metadata))
        else:
            name = file_name(url, f"image-{index}", ".png", IMAGE_SUFFIXES)
            outputs.append(Artifact(kind="image", name=name, url=url, metadata=metadata))
    return outputs, blocked


def map_task_info(
    info: TaskInfo, kind: Kind, *, save_preview: PreviewSaver | None = None
) -> TaskStatus:
    """A task's `data` (queryTaskInfo) in the studio's terms."""
    extra = dict(info.model_extra or {})
    code = _status_code(info.status)
    what = "images" if kind == "image" else "audio files"
    if code in RUNNING_STATUSES:
        return TaskStatus(
            state=TaskState.RUNNING,
            percent=find_percent(extra),
            eta_s=find_eta(extra),
            message=f"{LABEL} is working on it",
            preview=_preview(info, save_preview) if kind == "image" else None,
        )
    desc = (info.desc or "").strip()
    if code != DONE_STATUS:
        reason = f": {desc}" if desc else f" (status {info.status})"
        return TaskStatus(
            state=TaskState.FAILED, error=f"{LABEL} could not finish the task{reason}"
        )
    items = info.differentialImageRspList or []
    outputs, blocked = _outputs(items, kind)
    if not outputs:
        if blocked:
            return TaskStatus(
                state=TaskState.FAILED,
                error=(
                    f"{LABEL}'s content moderation blocked all {blocked} of the {what}; "
                    "try a different prompt."
                ),
            )
        return TaskStatus(
            state=TaskState.FAILED, error=f"{LABEL} finished the task but sent no {what}."
        )
    message = ""
    if blocked:
        message = (
            f"{LABEL}'s content moderation blocked {blocked} of the {len(items)} {what}; "
            "they are left out."
        )
    return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs, message=message)


def map_status(answer: Any, kind: Kind, *, save_preview: PreviewSaver | None = None) -> TaskStatus:
    """A queryTaskInfo answer in the studio's terms.

    An error envelope raises a retryable ProviderError (the job is not failed by one answer);
    an answer without task data means the task is not listed yet: queued.
    """
    envelope = parse_envelope(answer, retryable=True)
    if not envelope.ok:
        raise envelope_error(envelope, when="could not report the task", retryable=True)
    if not isinstance(envelope.data, Mapping) or not envelope.data:
        return TaskStatus(state=TaskState.QUEUED, message=f"Waiting for {LABEL} to list the task")
    try:
        info = TaskInfo.model_validate(envelope.data)
    except ValidationError:
        raise ProviderError(
            f"{LABEL} sent a task status the studio cannot read.", retryable=True
        ) from None
    return map_task_info(info, kind, save_preview=save_preview)


# --- the provider ------------------------------------------------------------------------


def _kind_of(request: StudioRequest) -> Kind:
    if isinstance(request, TextToMusicRequest):
        return "music"
    if isinstance(request, TextToImageRequest):
        return "image"
    raise InvalidRequest("capability", f"{LABEL} does not serve {request.capability}")


class ImgOpenProvider:
    name = "imgopen"
    label = LABEL
    capabilities: frozenset[Capability] = frozenset({"text_to_music", "text_to_image"})
    resubmit_safe = False
    credential_fields = CREDENTIAL_FIELDS  # what a job resumed after a restart must be offered

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._settings = settings
        self._base = settings.imgopen_base_url.rstrip("/")
        self._http = LazyClient(timeout)

    def check(self, request: StudioRequest) -> None:
        _kind_of(request)

    def _headers(self, ctx: JobContext) -> dict[str, str]:
        key_id = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[0])
        secret = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[1])
        if not key_id or not secret:
            raise missing_key_error(LABEL, CREDENTIAL_FIELDS)
        return {KEY_ID_HEADER: key_id, KEY_SECRET_HEADER: secret}

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        kind = _kind_of(request)
        headers = self._headers(ctx)
        callback = ctx.callback_url if ctx.callback_reachable else None
        body = wire_request(request, task_id=ctx.job_id, callback_url=callback)
        path = MUSIC_PATH if kind == "music" else IMAGE_PATH
        data = {"kind": kind, "business_task_id": ctx.job_id, "submitted_at": time.time()}
        try:
            response = await send_create(
                self._http.get(),
                "POST",
                self._base + path,
                label=LABEL,
                json=body.model_dump(exclude_none=True),
                headers=headers,
            )
        except CreateOutcomeUnknown:
            # Our own business id makes the create checkable: if the task exists, carry on.
            if await self._task_exists(ctx.job_id, headers):
                return TaskHandle(task_id=ctx.job_id, data=data)
            raise
        answer = self._answer(response, retryable=False)
        envelope = parse_envelope(answer, retryable=False)
        if not envelope.ok:
            raise envelope_error(envelope, when="refused the task", retryable=False)
        created = CreateData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        data["request"] = wire_record(response.request)
        return TaskHandle(task_id=created.any_id or ctx.job_id, data=data)

    async def _query(self, path: str, query_id: str, headers: dict[str, str]) -> Any:
        response = await send_repeatable(
            self._http.get(),
            "POST",
            self._base + path,
            label=LABEL,
            what="check the task",
            json={"businessTaskId": query_id},
            headers=headers,
        )
        return self._answer(response, retryable=True)

    @staticmethod
    def _answer(response: httpx.Response, *, retryable: bool) -> Any:
        """The JSON of an answer; an HTTP error becomes a sentence (the provider's if any)."""
        answer = try_json(response)
        if response.status_code >= 400:
            envelope = _maybe_envelope(answer)
            if envelope is not None and not envelope.ok and envelope.msg:
                retry = retryable and response.status_code not in (401, 403)
                raise envelope_error(envelope, when="refused the request", retryable=retry)
            retry = retryable and response.status_code not in (401, 403)
            raise http_error(LABEL, response, answer, retryable=retry)
        if answer is None:
            return parse_json(response, LABEL, retryable=retryable)
        return answer

    async def _task_exists(self, query_id: str, headers: dict[str, str]) -> bool:
        try:
            answer = await self._query(STATUS_PATH, query_id, headers)
            envelope = parse_envelope(answer, retryable=True)
        except ProviderError:
            return False
        return envelope.ok and isinstance(envelope.data, Mapping) and bool(envelope.data)

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        kind: Kind = "music" if handle.data.get("kind") == "music" else "image"
        headers = self._headers(ctx)
        query_id = str(handle.data.get("business_task_id") or handle.task_id)
        answer = await self._query(STATUS_PATH, query_id, headers)
        envelope = parse_envelope(answer, retryable=True)
        if not envelope.ok or not envelope.data:
            # The live call only knows this month's tasks; a resumed older task is archived.
            archived = await self._archived(query_id, headers)
            if archived is not None:
                answer = archived
            elif not envelope.ok:
                raise envelope_error(envelope, when="could not report the task", retryable=True)
            else:
                submitted = float(handle.data.get("submitted_at") or 0.0)
                if time.time() - submitted > UNKNOWN_TASK_GRACE_S:
                    raise ProviderError(
                        f"{LABEL} does not know this task any more; it cannot be followed.",
                        retryable=False,
                    )
        return map_status(answer, kind, save_preview=self._preview_saver(ctx))

    async def _archived(self, query_id: str, headers: dict[str, str]) -> Any | None:
        try:
            answer = await self._query(ARCHIVE_STATUS_PATH, query_id, headers)
            envelope = parse_envelope(answer, retryable=True)
        except ProviderError:
            return None
        if envelope.ok and isinstance(envelope.data, Mapping) and envelope.data:
            return answer
        return None

    @staticmethod
    def _preview_saver(ctx: JobContext) -> PreviewSaver:
        def save(data: bytes, suffix: str) -> Path:
            ctx.work_dir.mkdir(parents=True, exist_ok=True)
            # Named by content: the same intermediate image is written once.
            path = ctx.work_dir / f"preview-{hashlib.sha1(data).hexdigest()[:12]}{suffix}"
            if not path.exists():
                path.write_bytes(data)
            return path

        return save

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        # Img Open documents no way to stop a task; the job just stops following it.
        return None

    def poll_delay(self, attempt: int, elapsed_s: float) -> float:
        return growing_delay(attempt, first_s=POLL_FIRST_S, last_s=POLL_LAST_S, factor=POLL_GROWTH)

    async def aclose(self) -> None:
        await self._http.aclose()
