"""Suno API: upload a song and extend it (upload-extend; docs/providers.md#suno).

A local song is first uploaded to Suno's file service for an `uploadUrl`; a song given by URL
is measured first (its length, read through the guarded fetcher), so that the rules on an
uploaded song's length hold for it too. The extend task is then created once and followed on
record-info. Suno's rate-limit codes (405, 430) only slow the polling down: they never fail a
job; its 429 means out of credits, which waiting does not cure: never retried.
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
from core.fetch import FetchPolicy, shown_url
from core.media import require_format, sniff_bytes
from core.messages import Message, msg
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import SOURCE_AUDIO_MAX_S, ExtendMusicRequest, StudioRequest, build_request
from core.retry import parse_retry_after
from providers import remote_base, song_at_url
from providers.declarations import SUNO, sandbox_origins
from providers.rate_limit import SlidingWindowLimiter
from providers.remote_base import (
    AUDIO_SUFFIXES,
    DEFAULT_TIMEOUT,
    RemoteProvider,
    error_text,
    http_error,
    is_http_url,
    parse_json,
    try_json,
    unreadable,
    unreadable_status,
    url_suffix,
    wire_record,
)
from providers.wire.suno import (
    DONE_STATUS,
    EXTEND_PATH,
    FAILED_STATUSES,
    FIELD_NAMES,
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

LABEL = SUNO.label
CREDENTIAL_FIELDS = SUNO.credential_fields
# 405 "call limit" and 430 "calling too often": Suno allows 20 requests per 10 s per account,
# so wait one whole window before asking again, unless told otherwise
# (docs/providers.md#suno-rate-limit).
SLOW_DOWN_CODES: frozenset[int] = frozenset({405, 430})
SLOW_DOWN_S = 10.0
# 429 is "out of credits" (积分不足), not "slow down": waiting cures neither it nor a refused
# key, so no call answered with these is repeated and a status call so answered fails the job.
OUT_OF_CREDITS = 429
HOPELESS_CODES: frozenset[int] = frozenset({401, OUT_OF_CREDITS})
# Our own budget per account, a little under Suno's 20 per 10 s: all jobs share it.
CALLS_PER_WINDOW = 18
WINDOW_S = 10.0
# Our folder on Suno's file service; each job uploads into its own subfolder so that two
# uploads of one file name never replace each other (docs/providers.md#suno-upload).
UPLOAD_DIR = "aigc-studio"
UPLOAD_FORMATS: tuple[str, ...] = ("mp3", "wav", "flac", "ogg")
MIME_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
}

# Each documented answer code: its sentence (message key "suno_code_<code>") and whether
# trying again later may help (docs/providers.md#suno-codes).
CODE_RETRYABLE: dict[int, bool] = {
    400: False,
    401: False,
    404: False,
    405: True,
    413: False,
    429: False,
    430: True,
    455: True,
    500: True,
}
# Each failed task status, worded by the message key "suno_failed_<status, lower-case>".
STATUS_FAILURES: frozenset[str] = frozenset(
    {"CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION", "SENSITIVE_WORD_ERROR"}
)


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return remote_base.is_configured(SUNO, settings, credentials)


def create(settings: Settings) -> Provider:
    return SunoProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def wire_request(
    request: ExtendMusicRequest, *, upload_url: str, callback_url: str
) -> UploadExtendBody:
    """The upload-extend body: custom mode sends its fields, default mode only the prompt.

    In default mode Suno takes every other parameter from the source song, and optional
    controls are sent only when set (docs/providers.md#suno-fields).
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


def suno_said(sentence: Message, said: str | None) -> Message:
    """`sentence`, followed by Suno's own words when it gave any (kept as they are)."""
    said = (said or "").strip()
    return msg("suno_said", what=sentence, said=said[:300]) if said else sentence


def code_message(code: int, said: str | None = None) -> tuple[Message, bool]:
    """The message for one of Suno's answer codes, and whether it is worth retrying."""
    if code in CODE_RETRYABLE:
        sentence, retryable = msg(f"suno_code_{code}"), CODE_RETRYABLE[code]
    else:
        sentence, retryable = msg("suno_code_unexpected", code=code), code >= 500
    if (said or "").strip().lower() in ("success", "ok"):
        said = None
    return suno_said(sentence, said), retryable


def parse_envelope(answer: Any, *, retryable: bool) -> Envelope:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        raise unreadable(LABEL, retryable=retryable) from None


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


def with_http_code(status: int, answer: Any) -> Any:
    """An answer in Suno's terms: an HTTP error status that is one of the page's codes stands
    for that code when the body carries none of them (a gateway's page, an empty body)."""
    if status < 400 or status not in CODE_RETRYABLE:
        return answer
    if isinstance(answer, Mapping) and answer.get("code") in CODE_RETRYABLE:
        return answer
    return {"code": status, "msg": error_text(answer), "data": None}


def answer_code(response: httpx.Response) -> Any:
    """The code an answer carries, in the body or as a documented HTTP status (None if none)."""
    answer = with_http_code(response.status_code, try_json(response))
    return answer.get("code") if isinstance(answer, Mapping) else None


def is_slow_down(response: httpx.Response) -> bool:
    """Whether an answer is one of Suno's "slow down" codes (worth asking again later)."""
    return answer_code(response) in SLOW_DOWN_CODES


def is_hopeless(response: httpx.Response) -> bool:
    """Whether asking again cannot help: out of credits, or the key refused."""
    return answer_code(response) in HOPELESS_CODES


def slow_down(retry_after_s: float | None = None) -> TaskStatus:
    wait = retry_after_s if retry_after_s is not None else SLOW_DOWN_S
    return TaskStatus(
        state=TaskState.RUNNING,
        message=msg("suno_slow_down", seconds=f"{wait:.0f}"),
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
            return TaskStatus(state=TaskState.FAILED, error=msg("suno_no_audio"))
        outputs = [
            _track_artifact(track, index, str(track.audioUrl).strip()) for index, track in finished
        ]
        return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs)
    if status in FAILED_STATUSES:
        sentence = msg(f"suno_failed_{status.lower()}")
        return TaskStatus(state=TaskState.FAILED, error=suno_said(sentence, info.errorMessage))
    if status == PREVIEW_STATUS and tracks:
        first = tracks[0]
        url = first.streamAudioUrl if is_http_url(first.streamAudioUrl) else first.audioUrl
        preview = _track_artifact(first, 1, url.strip()) if is_http_url(url) else None
        return TaskStatus(
            state=TaskState.RUNNING, message=msg("suno_first_track_ready"), preview=preview
        )
    if status == "TEXT_SUCCESS":
        return TaskStatus(state=TaskState.RUNNING, message=msg("suno_lyrics_ready"))
    if status == "PENDING":
        return TaskStatus(state=TaskState.RUNNING, message=msg("provider_working", provider=LABEL))
    return TaskStatus(state=TaskState.RUNNING, message=_reports(info.status))


def _reports(status: str | None) -> Message:
    if status:
        return msg("provider_reports", provider=LABEL, status=status)
    return msg("provider_reports_nothing", provider=LABEL)


def map_status(answer: Any, *, retry_after_s: float | None = None) -> TaskStatus:
    """A record-info answer in the studio's terms.

    405/430 slow the polling down (a status with `retry_after_s`); 401 and 429 (out of credits)
    fail; any other error code raises a retryable ProviderError so that one bad answer never
    fails the job.
    """
    envelope = parse_envelope(answer, retryable=True)
    if envelope.code in SLOW_DOWN_CODES:
        return slow_down(retry_after_s)
    if envelope.code != OK_CODE:
        sentence, _ = code_message(envelope.code, envelope.msg)
        raise ProviderError(sentence, retryable=envelope.code not in HOPELESS_CODES)
    if not isinstance(envelope.data, Mapping):
        raise ProviderError(msg("provider_status_without_data", provider=LABEL), retryable=True)
    try:
        info = RecordInfo.model_validate(envelope.data)
    except ValidationError:
        raise unreadable_status(LABEL) from None
    return map_record_info(info)


# --- the provider ------------------------------------------------------------------------


class SunoProvider(RemoteProvider):
    declaration = SUNO

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        super().__init__(settings, timeout=timeout)
        self._max_upload_bytes = settings.max_upload_bytes
        self._pace = SlidingWindowLimiter(CALLS_PER_WINDOW, WINDOW_S)
        # A song given by URL is fetched (only as much as its length needs) like any URL a
        # visitor gives the server.
        self._fetch_policy = FetchPolicy.for_visitor_urls(settings, sandbox_origins(settings))

    def check(self, request: StudioRequest) -> None:
        request = self.served(request, ExtendMusicRequest)
        if request.audio is not None:
            require_format(request.audio, "audio", UPLOAD_FORMATS)
            size = request.audio.stat().st_size
            if size > self._max_upload_bytes:
                raise InvalidRequest(
                    "audio",
                    msg(
                        "suno_upload_too_large",
                        size_mb=f"{size / 1e6:.0f}",
                        most_mb=self._settings.max_upload_mb,
                    ),
                )

    def _headers(self, ctx: JobContext) -> dict[str, str]:
        (key,) = self.keys(ctx)
        return {"Authorization": f"Bearer {key}"}

    async def _wait_turn(self, ctx: JobContext) -> None:
        """Keep every job of one account, together, within Suno's rate limit."""
        (key,) = self.keys(ctx)
        await self._pace.acquire(SlidingWindowLimiter.account(key))

    def _envelope_of(self, response: httpx.Response, *, retryable: bool, when: str) -> Envelope:
        """The answer's envelope; an HTTP or envelope error becomes a message. `when` is the
        key of what was being done ("suno_upload_failed", "suno_refused_task")."""
        answer = with_http_code(response.status_code, try_json(response))
        envelope: Envelope | None = None
        if answer is not None:
            try:
                envelope = Envelope.model_validate(answer)
            except ValidationError:
                envelope = None
        if envelope is None or (
            response.status_code >= 400 and envelope.code not in CODE_RETRYABLE
        ):
            return parse_envelope(self.answer(response, retryable=retryable), retryable=retryable)
        if envelope.code != OK_CODE:
            sentence, retry = code_message(envelope.code, envelope.msg)
            raise ProviderError(msg(when, what=sentence), retryable=retry)
        return envelope

    async def _upload(self, ctx: JobContext, request: ExtendMusicRequest) -> str:
        assert request.audio is not None
        content = await asyncio.to_thread(request.audio.read_bytes)
        fmt = sniff_bytes(content[:64])
        name = request.audio.name
        await self._wait_turn(ctx)
        response = await self.repeat_call(
            "POST",
            self.address(1) + UPLOAD_PATH,
            what=msg("provider_to_upload_song"),
            headers=self._headers(ctx),
            # A folder per job: two uploads of "song.mp3" must not replace each other.
            data={"uploadPath": f"{UPLOAD_DIR}/{_slug(ctx.job_id, 'job')}", "fileName": name},
            files={"file": (name, content, MIME_TYPES.get(fmt, "application/octet-stream"))},
            timeout=httpx.Timeout(30.0, write=300.0),
            also_retry=is_slow_down,
            never_retry=is_hopeless,
        )
        envelope = self._envelope_of(response, retryable=False, when="suno_upload_failed")
        uploaded = UploadData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        if not is_http_url(uploaded.downloadUrl):
            raise ProviderError(msg("suno_upload_no_address"))
        return str(uploaded.downloadUrl).strip()

    async def _measured(self, ctx: JobContext, request: ExtendMusicRequest) -> ExtendMusicRequest:
        """The request with the length of the song at `upload_url`, held to the rules an
        uploaded song's length meets (core/requests.py ExtendMusicRequest: at most 8 minutes,
        `continue_at` below it) before anything is paid for."""
        url = request.upload_url
        assert url is not None
        folder = ctx.work_dir / "measure"
        try:
            seconds = await song_at_url.measure(url, self._fetch_policy, folder)
        except song_at_url.Unmeasured as error:
            sentence = msg(
                "suno_song_length_unknown",
                url=shown_url(url),
                why=error.why,
                most=f"{SOURCE_AUDIO_MAX_S:.0f}",
            )
            raise InvalidRequest(
                "upload_url", sentence, provider_field=FIELD_NAMES["upload_url"]
            ) from None
        try:
            measured = build_request(
                request.capability, **{**request.model_dump(), "source_seconds": seconds}
            )
        except InvalidRequest as error:
            # With no file, the model names the length it was given; here that is the song's.
            field = "upload_url" if error.field == "source_seconds" else error.field
            raise InvalidRequest(
                field, error.message, provider_field=FIELD_NAMES.get(field)
            ) from None
        return self.served(measured, ExtendMusicRequest)

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        request = self.served(request, ExtendMusicRequest)
        self.check(request)
        headers = self._headers(ctx)
        if not ctx.callback_url:
            raise ProviderError(msg("suno_needs_callback"))
        if request.upload_url is not None:
            request = await self._measured(ctx, request)
        upload_url = request.upload_url or await self._upload(ctx, request)
        body = wire_request(request, upload_url=upload_url, callback_url=ctx.callback_url)
        await self._wait_turn(ctx)
        response = await self.create_call(
            "POST",
            self.address() + EXTEND_PATH,
            json=body.model_dump(exclude_none=True),
            headers=headers,
        )
        envelope = self._envelope_of(response, retryable=False, when="suno_refused_task")
        created = CreateData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        if not created.taskId:
            raise ProviderError(msg("suno_no_task_id"))
        return TaskHandle(
            task_id=created.taskId,
            data={"model": request.model, "request": wire_record(response.request)},
        )

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        await self._wait_turn(ctx)
        response = await self.repeat_call(
            "GET",
            self.address() + RECORD_INFO_PATH,
            params={"taskId": handle.task_id},
            headers=self._headers(ctx),
            never_retry=is_hopeless,
        )
        answer = with_http_code(response.status_code, try_json(response))
        if answer is None or not isinstance(answer, Mapping) or "code" not in answer:
            if response.status_code >= 400:
                raise http_error(LABEL, response, answer, retryable=response.status_code != 401)
            answer = parse_json(response, LABEL, retryable=True)
        asked = parse_retry_after(response.headers.get("retry-after"))
        return map_status(answer, retry_after_s=asked)
