"""Suno API: upload a song and extend it (upload-extend; PROVIDERS.md §3).

A local song is first uploaded to Suno's file service for an `uploadUrl`; the extend task is
then created once and followed on record-info. Suno's rate-limit codes (405, 430) only slow
the polling down: they never fail a job.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import SecretStr, ValidationError

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.media import require_format, sniff_bytes
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, ExtendMusicRequest, StudioRequest
from core.retry import parse_retry_after
from providers.rate_limit import SlidingWindowLimiter
from providers.remote_base import (
    AUDIO_SUFFIXES,
    DEFAULT_TIMEOUT,
    LazyClient,
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
from providers.wire.suno import (
    DONE_STATUS,
    EXTEND_PATH,
    FAILED_STATUSES,
    OK_CODE,
    PREVIEW_STATUS,
    RECORD_INFO_PATH,
    UPLOAD_PATH,
    CreateData,
    Envelope,
    RecordInfo,
    Track,
    UploadData,
    UploadExtendBody,
)

LABEL = "Suno"
CREDENTIAL_FIELDS: tuple[str, ...] = ("SUNO_API_KEY",)
POLL_S = 3.0
# 405 "call limit" and 430 "calling too often": Suno allows 20 requests per 10 s per account,
# so DECIDED wait one whole window before asking again (unless told otherwise).
SLOW_DOWN_CODES: frozenset[int] = frozenset({405, 430})
SLOW_DOWN_S = 10.0
# Our own budget per account, a little under Suno's 20 per 10 s: all jobs share it.
CALLS_PER_WINDOW = 18
WINDOW_S = 10.0
# DECIDED: the folder of Suno's file service our uploads go to.
UPLOAD_DIR = "aigc-studio"
UPLOAD_FORMATS: tuple[str, ...] = ("mp3", "wav", "flac", "ogg")
MIME_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
}

# Each answer code of the seed as a sentence, and whether trying again later may help.
CODE_MESSAGES: dict[int, tuple[str, bool]] = {
    400: ("Suno refused the parameters.", False),
    401: ("Suno refused the API key: check SUNO_API_KEY in Settings.", False),
    404: ("Suno does not know this address or method: check SUNO_BASE_URL.", False),
    405: ("Suno's call limit was reached; try again in a little while.", True),
    413: ("The prompt, style or title is too long for Suno.", False),
    429: ("The Suno account is out of credits: top it up to continue.", False),
    430: ("Suno says we are calling too often; try again in a few seconds.", True),
    455: ("Suno is down for maintenance; try again later.", True),
    500: ("Suno had a server error; try again later.", True),
}
STATUS_FAILURES: dict[str, str] = {
    "CREATE_TASK_FAILED": "Suno could not create the task.",
    "GENERATE_AUDIO_FAILED": "Suno could not generate the music.",
    "CALLBACK_EXCEPTION": "Suno's task ended with an error while reporting back.",
    "SENSITIVE_WORD_ERROR": "Suno refused the text: it contains words Suno does not allow.",
}


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return keys_present(settings, credentials, CREDENTIAL_FIELDS)


def create(settings: Settings) -> Provider:
    return SunoProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def wire_request(
    request: ExtendMusicRequest, *, upload_url: str, callback_url: str
) -> UploadExtendBody:
    """The upload-extend body: custom mode sends its fields, default mode only the prompt.

    In default mode Suno takes every other parameter from the source song (seed 003).
    Optional controls are sent only when set.
    """
    custom = request.custom_mode
    return UploadExtendBody(
        uploadUrl=upload_url,
        defaultParamFlag=custom,
        instrumental=request.instrumental,
        model=request.model,
        callBackUrl=callback_url,
        prompt=request.prompt.strip() or None,
        style=(request.style.strip() or None) if custom else None,
        title=(request.title.strip() or None) if custom else None,
        continueAt=request.continue_at if custom else None,
        negativeTags=request.negative_tags.strip() or None,
        vocalGender=request.vocal_gender,
        styleWeight=request.style_weight,
        weirdnessConstraint=request.weirdness_constraint,
        audioWeight=request.audio_weight,
    )


# --- answer mapping (pure) --------------------------------------------------------------


def code_message(code: int, msg: str | None = None) -> tuple[str, bool]:
    """A plain sentence for one of Suno's answer codes, and whether it is worth retrying."""
    sentence, retryable = CODE_MESSAGES.get(
        code, (f"Suno answered with an unexpected code {code}.", code >= 500)
    )
    said = (msg or "").strip()
    if said and said.lower() not in ("success", "ok"):
        sentence = f"{sentence} Suno said: {said[:300]}"
    return sentence, retryable


def parse_envelope(answer: Any, *, retryable: bool) -> Envelope:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        raise ProviderError(
            f"{LABEL} sent an answer the studio cannot read.", retryable=retryable
        ) from None


def _slug(text: str | None, default: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z一-鿿]+", "-", (text or "").strip()).strip("-")
    return slug[:60] or default


def _track_artifact(track: Track, index: int, url: str) -> Artifact:
    suffix = url_suffix(url)
    suffix = suffix if suffix in AUDIO_SUFFIXES else ".mp3"
    metadata: dict[str, Any] = {
        key: value
        for key, value in (
            ("title", track.title),
            ("tags", track.tags),
            ("duration", track.duration),
            ("id", track.id),
        )
        if value is not None
    }
    return Artifact(
        kind="audio",
        name=f"{_slug(track.title, 'extended')}-{index}{suffix}",
        url=url,
        metadata=metadata,
    )


def is_slow_down(response: httpx.Response) -> bool:
    """Whether an answer is one of Suno's "slow down" codes (worth asking again later)."""
    answer = try_json(response)
    return isinstance(answer, Mapping) and answer.get("code") in SLOW_DOWN_CODES


def slow_down(retry_after_s: float | None = None) -> TaskStatus:
    wait = retry_after_s if retry_after_s is not None else SLOW_DOWN_S
    return TaskStatus(
        state=TaskState.RUNNING,
        message=f"Suno asks us to slow down; checking again in {wait:.0f} s",
        retry_after_s=wait,
    )


def map_record_info(info: RecordInfo) -> TaskStatus:
    """record-info's `data` in the studio's terms."""
    status = (info.status or "").strip().upper()
    tracks = (info.response.sunoData if info.response else None) or []
    finished = [
        (index, track) for index, track in enumerate(tracks, start=1) if is_http_url(track.audioUrl)
    ]
    if status == DONE_STATUS or (status == "CALLBACK_EXCEPTION" and finished):
        # CALLBACK_EXCEPTION with finished tracks: the music is made, only the call to our
        # callback address failed (it is sent even when unreachable), so it is a success.
        if not finished:
            return TaskStatus(state=TaskState.FAILED, error="Suno finished but sent no audio file.")
        outputs = [
            _track_artifact(track, index, str(track.audioUrl).strip()) for index, track in finished
        ]
        return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs)
    if status in FAILED_STATUSES:
        sentence = STATUS_FAILURES[status]
        said = (info.errorMessage or "").strip()
        return TaskStatus(
            state=TaskState.FAILED,
            error=f"{sentence} Suno said: {said[:300]}" if said else sentence,
        )
    if status == PREVIEW_STATUS and tracks:
        first = tracks[0]
        url = first.streamAudioUrl if is_http_url(first.streamAudioUrl) else first.audioUrl
        preview = _track_artifact(first, 1, url.strip()) if is_http_url(url) else None
        return TaskStatus(
            state=TaskState.RUNNING,
            message="The first track is ready to listen to; finishing the rest",
            preview=preview,
        )
    if status == "TEXT_SUCCESS":
        return TaskStatus(state=TaskState.RUNNING, message="Lyrics ready; Suno is composing")
    if status == "PENDING":
        return TaskStatus(state=TaskState.RUNNING, message="Suno is working on it")
    return TaskStatus(state=TaskState.RUNNING, message=f"Suno reports {info.status or 'no status'}")


def map_status(answer: Any, *, retry_after_s: float | None = None) -> TaskStatus:
    """A record-info answer in the studio's terms.

    405/430 slow the polling down (a status with `retry_after_s`); 401 fails; any other error
    code raises a retryable ProviderError so that one bad answer never fails the job.
    """
    envelope = parse_envelope(answer, retryable=True)
    if envelope.code in SLOW_DOWN_CODES:
        return slow_down(retry_after_s)
    if envelope.code != OK_CODE:
        sentence, _ = code_message(envelope.code, envelope.msg)
        raise ProviderError(sentence, retryable=envelope.code != 401)
    if not isinstance(envelope.data, Mapping):
        raise ProviderError(f"{LABEL} sent a task status without data.", retryable=True)
    try:
        info = RecordInfo.model_validate(envelope.data)
    except ValidationError:
        raise ProviderError(
            f"{LABEL} sent a task status the studio cannot read.", retryable=True
        ) from None
    return map_record_info(info)


# --- the provider ------------------------------------------------------------------------


def _request_of(request: StudioRequest) -> ExtendMusicRequest:
    if not isinstance(request, ExtendMusicRequest):
        raise InvalidRequest("capability", f"{LABEL} does not serve {request.capability}")
    return request


class SunoProvider:
    name = "suno"
    label = LABEL
    capabilities: frozenset[Capability] = frozenset({"extend_music"})
    resubmit_safe = False
    credential_fields = CREDENTIAL_FIELDS  # what a job resumed after a restart must be offered

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._settings = settings
        self._base = settings.suno_base_url.rstrip("/")
        self._upload_base = settings.suno_upload_base_url.rstrip("/")
        self._max_upload_bytes = settings.max_upload_bytes
        self._http = LazyClient(timeout)
        self._pace = SlidingWindowLimiter(CALLS_PER_WINDOW, WINDOW_S)

    def check(self, request: StudioRequest) -> None:
        request = _request_of(request)
        if request.audio is not None:
            require_format(request.audio, "audio", UPLOAD_FORMATS)
            size = request.audio.stat().st_size
            if size > self._max_upload_bytes:
                raise InvalidRequest(
                    "audio",
                    f"the file is {size / 1e6:.0f} MB; at most "
                    f"{self._settings.max_upload_mb} MB can be uploaded (STUDIO_MAX_UPLOAD_MB)",
                )

    def _headers(self, ctx: JobContext) -> dict[str, str]:
        key = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[0])
        if not key:
            raise missing_key_error(LABEL, CREDENTIAL_FIELDS)
        return {"Authorization": f"Bearer {key}"}

    async def _wait_turn(self, ctx: JobContext) -> None:
        """Keep every job of one account, together, within Suno's rate limit."""
        key = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[0])
        await self._pace.acquire(SlidingWindowLimiter.account(key))

    @staticmethod
    def _envelope_of(response: httpx.Response, *, retryable: bool, when: str) -> Envelope:
        """The answer's envelope; an HTTP or envelope error becomes a sentence."""
        answer = try_json(response)
        envelope: Envelope | None = None
        if answer is not None:
            try:
                envelope = Envelope.model_validate(answer)
            except ValidationError:
                envelope = None
        if envelope is None or (response.status_code >= 400 and envelope.code not in CODE_MESSAGES):
            if response.status_code >= 400:
                retry = retryable and response.status_code not in (401, 403)
                raise http_error(LABEL, response, answer, retryable=retry)
            return parse_envelope(
                parse_json(response, LABEL, retryable=retryable), retryable=retryable
            )
        if envelope.code != OK_CODE:
            sentence, retry = code_message(envelope.code, envelope.msg)
            raise ProviderError(f"{when}: {sentence}", retryable=retry)
        return envelope

    async def _upload(self, ctx: JobContext, request: ExtendMusicRequest) -> str:
        assert request.audio is not None
        content = await asyncio.to_thread(request.audio.read_bytes)
        fmt = sniff_bytes(content[:64])
        name = request.audio.name
        await self._wait_turn(ctx)
        response = await send_repeatable(
            self._http.get(),
            "POST",
            self._upload_base + UPLOAD_PATH,
            label=LABEL,
            what="upload the song",
            headers=self._headers(ctx),
            # A folder per job: two uploads of "song.mp3" must not replace each other.
            data={"uploadPath": f"{UPLOAD_DIR}/{_slug(ctx.job_id, 'job')}", "fileName": name},
            files={"file": (name, content, MIME_TYPES.get(fmt, "application/octet-stream"))},
            timeout=httpx.Timeout(30.0, write=300.0),
            also_retry=is_slow_down,
        )
        envelope = self._envelope_of(
            response, retryable=False, when="Uploading the song to Suno failed"
        )
        uploaded = UploadData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        if not is_http_url(uploaded.downloadUrl):
            raise ProviderError("Suno's file service accepted the song but gave no address for it.")
        return str(uploaded.downloadUrl).strip()

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        request = _request_of(request)
        self.check(request)
        headers = self._headers(ctx)
        if not ctx.callback_url:
            raise ProviderError("Suno needs a callback address and the app has none configured.")
        upload_url = request.upload_url or await self._upload(ctx, request)
        body = wire_request(request, upload_url=upload_url, callback_url=ctx.callback_url)
        await self._wait_turn(ctx)
        response = await send_create(
            self._http.get(),
            "POST",
            self._base + EXTEND_PATH,
            label=LABEL,
            json=body.model_dump(exclude_none=True),
            headers=headers,
        )
        envelope = self._envelope_of(response, retryable=False, when="Suno refused the task")
        created = CreateData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        if not created.taskId:
            raise ProviderError("Suno accepted the request but gave no task id.")
        return TaskHandle(
            task_id=created.taskId,
            data={"model": request.model, "request": wire_record(response.request)},
        )

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        await self._wait_turn(ctx)
        response = await send_repeatable(
            self._http.get(),
            "GET",
            self._base + RECORD_INFO_PATH,
            label=LABEL,
            what="check the task",
            params={"taskId": handle.task_id},
            headers=self._headers(ctx),
        )
        answer = try_json(response)
        if answer is None or not isinstance(answer, Mapping) or "code" not in answer:
            if response.status_code >= 400:
                raise http_error(LABEL, response, answer, retryable=response.status_code != 401)
            answer = parse_json(response, LABEL, retryable=True)
        asked = parse_retry_after(response.headers.get("retry-after"))
        return map_status(answer, retry_after_s=asked)

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        # Suno documents no way to stop a task; the job just stops following it.
        return None

    def poll_delay(self, attempt: int, elapsed_s: float) -> float:
        return POLL_S

    async def aclose(self) -> None:
        await self._http.aclose()
