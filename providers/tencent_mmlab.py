"""Tencent Multimedia Lab: image to music (imageBgmGeneration; docs/providers.md#tencent).

One POST endpoint; the body's `action` picks CreateJob, GetJob or ListJobs. The provider
fetches the input image itself, so a local upload needs a public URL of the app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr, ValidationError

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.media import require_format
from core.messages import Message, msg
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import ImageToMusicRequest, StudioRequest
from providers import remote_base
from providers.declarations import TENCENT
from providers.remote_base import (
    DEFAULT_TIMEOUT,
    VIDEO_SUFFIXES,
    CreateOutcomeUnknown,
    Refused,
    RemoteProvider,
    error_text,
    http_error,
    is_http_url,
    redact,
    try_json,
    unreadable,
    url_suffix,
    wire_record,
)
from providers.wire.tencent import (
    ACTION_CREATE,
    ACTION_GET,
    ACTION_LIST,
    CUSTOM_ID_MAX,
    DEFAULT_OUTPUT_TYPE,
    DEFAULT_SONG_TYPE,
    EMOTIONS,
    GENRES,
    IMAGE_SUFFIXES,
    OUTPUT_TYPES,
    SONG_TYPES,
    STATES,
    Answer,
    CreateJobRequest,
    ImageBgmGeneration,
    Job,
    JobInput,
    JobOutput,
    SmartContentDescriptor,
    with_keys,
)

LABEL = TENCENT.label
CREDENTIAL_FIELDS = TENCENT.credential_fields
# Each job writes into its own folder of the user's bucket, so that two jobs never overwrite
# each other's "song.mp3" (a Decision: docs/providers.md#tencent-fields).
DESTINATION_ROOT = "/aigc-studio"
# The provider's name for `image_url`, for errors about it.
IMAGE_WIRE_FIELD = "inputs[0].url"
# The errorResponse code that says "not now" rather than "no": a status call answered with it
# is asked again, and a create refused with it is worth trying again later (never repeated).
RATE_LIMIT_CODE = "RequestLimitExceeded"


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return remote_base.is_configured(TENCENT, settings, credentials)


def keys_hint(what: Message) -> Message:
    """`what`, then which keys to check: retrying cannot help with refused keys."""
    return msg("provider_check_keys", what=what, names=" and ".join(CREDENTIAL_FIELDS))


def create(settings: Settings) -> Provider:
    return TencentProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def custom_id_for(job_id: str) -> str:
    """Our job id as a `customId` (< 64 characters, harmless characters only)."""
    return re.sub(r"[^0-9A-Za-z_-]", "-", job_id)[:CUSTOM_ID_MAX]


def destination_for(custom_id: str) -> str:
    return f"{DESTINATION_ROOT}/{custom_id}"


def enum_number(
    name: str | None, table: Mapping[str, int], default: str | None = None
) -> int | None:
    """The page's number for an enum name; None (left out) when unset or the page's default."""
    if name is None or name == default:
        return None
    return table[name]


def bgm_generation(request: ImageToMusicRequest) -> ImageBgmGeneration:
    """The imageBgmGeneration block: enums as numbers, only what differs from the defaults."""
    return ImageBgmGeneration(
        # No default is documented, and the page's example always carries it: always sent.
        songQuantity=request.song_quantity,
        outputType=enum_number(request.output_type.upper(), OUTPUT_TYPES, DEFAULT_OUTPUT_TYPE),
        emotion=enum_number(request.emotion, EMOTIONS),
        genre=enum_number(request.genre, GENRES),
        type=enum_number(request.song_type, SONG_TYPES, DEFAULT_SONG_TYPE),
    )


def wire_request(
    request: ImageToMusicRequest,
    *,
    image_url: str,
    custom_id: str,
    callback_url: str | None = None,
) -> CreateJobRequest:
    """The createJobRequest for `request` (without the keys, which `with_keys` adds)."""
    return CreateJobRequest(
        inputs=[JobInput(url=image_url)],
        outputs=[
            JobOutput(
                destination=destination_for(custom_id),
                inputSelectors=[0],
                smartContentDescriptor=SmartContentDescriptor(
                    imageBgmGeneration=bgm_generation(request)
                ),
            )
        ],
        callback=callback_url,
        customId=custom_id,
    )


# --- answer mapping (pure) --------------------------------------------------------------


def result_url(output_base_url: str | None, destination: str | None, name: str) -> str | None:
    """Where a result file lives: `<base>/<destination>/<name>`; an absolute name as is."""
    if is_http_url(name):
        return name.strip()
    if not output_base_url:
        return None
    path = "/".join(part.strip("/") for part in (destination or "", name) if part.strip("/"))
    return f"{output_base_url.rstrip('/')}/{quote(path, safe='/')}"


def _scrubbed(answer: Any, secrets: Sequence[str | None]) -> str:
    if isinstance(answer, Mapping):
        answer = {k: v for k, v in answer.items() if k not in ("secretId", "secretKey")}
    try:
        text = json.dumps(answer, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = str(answer)
    return redact(text, secrets)[:300]


def job_error(job: Job | None, answer: Any, secrets: Sequence[str | None] = ()) -> str:
    """The provider's reason: errorResponse.message, job.message, job.error, else the answer."""
    candidates: list[Any] = []
    if isinstance(answer, Mapping):
        error_response = answer.get("errorResponse")
        if isinstance(error_response, Mapping):
            candidates.append(error_response.get("message"))
    if job is not None:
        candidates += [job.message, job.error]
    for candidate in candidates:
        text = error_text(candidate) if not isinstance(candidate, str) else candidate.strip()
        if text:
            return redact(text, secrets)[:300]
    return _scrubbed(answer, secrets)


def _error_code(answer: Any) -> str | None:
    error_response = answer.get("errorResponse") if isinstance(answer, Mapping) else None
    code = error_response.get("code") if isinstance(error_response, Mapping) else None
    return code if isinstance(code, str) else None


def is_transient(answer: Any) -> bool:
    """Whether an errorResponse asks us to slow down (worth asking again after a pause)."""
    return (_error_code(answer) or "").startswith(RATE_LIMIT_CODE)


def is_rate_limited(response: httpx.Response) -> bool:
    return is_transient(try_json(response))


def is_auth_failure(answer: Any) -> bool:
    """Whether an answer is the API's refusal of the keys (retrying cannot help)."""
    return (_error_code(answer) or "").startswith("AuthFailure")


def enum_name(value: Any, table: Mapping[str, int]) -> str | None:
    """An enum of an answer as its name, whether it came as a number, a numeric string or a
    name (any case); None when it is none of the table's."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().upper()
        if not (text.isascii() and text.isdigit()):
            return text if text in table else None
        value = int(text)
    if isinstance(value, int):
        return next((name for name, number in table.items() if number == value), None)
    return None


def _outputs(job: Job, output_base_url: str | None) -> tuple[list[Artifact], list[str]]:
    """The result files, and the names that could not be turned into URLs."""
    outputs: list[Artifact] = []
    unresolved: list[str] = []
    index = 0
    for output in job.outputs or []:
        results = (output.smartContentResult and output.smartContentResult.imageBgmGeneration) or []
        for result in results:
            for name in (result.songName, result.videoName):
                if not name or not name.strip():
                    continue
                url = result_url(output_base_url, output.destination, name.strip())
                if url is None:
                    unresolved.append(f"{(output.destination or '').rstrip('/')}/{name.strip()}")
                    continue
                index += 1
                suffix = url_suffix(url)
                kind = "video" if suffix in VIDEO_SUFFIXES else "audio"
                base = name.strip().rsplit("/", 1)[-1] or f"song-{index}{suffix or '.mp3'}"
                outputs.append(
                    Artifact(
                        kind=kind,
                        name=base,
                        url=url,
                        metadata={"index": index, "destination": output.destination or "/"},
                    )
                )
    return outputs, unresolved


def map_job(
    job: Job, *, output_base_url: str | None, answer: Any = None, secrets: Sequence[str] = ()
) -> TaskStatus:
    """A Job struct (GetJob, or a callback's body) in the studio's terms."""
    state = enum_name(job.state, STATES)
    if state == "SUBMITTED":
        return TaskStatus(state=TaskState.QUEUED, message=msg("tencent_submitted", provider=LABEL))
    if state == "PROCESSING":
        return TaskStatus(state=TaskState.RUNNING, message=msg("tencent_composing", provider=LABEL))
    if state == "CANCELED":
        return TaskStatus(state=TaskState.FAILED, error=msg("tencent_canceled", provider=LABEL))
    if state == "ERROR":
        reason = job_error(job, answer if answer is not None else job.model_dump(), secrets)
        return TaskStatus(
            state=TaskState.FAILED, error=msg("tencent_failed", provider=LABEL, said=reason)
        )
    if state != "COMPLETED":
        return TaskStatus(
            state=TaskState.RUNNING,
            message=msg("tencent_reports_state", provider=LABEL, state=job.state),
        )
    outputs, unresolved = _outputs(job, output_base_url)
    if unresolved and not outputs:
        files = ", ".join(unresolved[:5])
        return TaskStatus(
            state=TaskState.FAILED,
            error=msg("tencent_needs_output_base", provider=LABEL, files=files),
        )
    if not outputs:
        return TaskStatus(state=TaskState.FAILED, error=msg("tencent_no_result", provider=LABEL))
    return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs)


def parse_answer(answer: Any, *, retryable: bool) -> Answer:
    try:
        return Answer.model_validate(answer)
    except ValidationError:
        raise unreadable(LABEL, retryable=retryable) from None


def map_status(
    answer: Any, *, output_base_url: str | None, secrets: Sequence[str] = ()
) -> TaskStatus:
    """A GetJob answer in the studio's terms; an errorResponse raises a retryable error."""
    parsed = parse_answer(answer, retryable=True)
    holder = parsed.getJobResponse or parsed.createJobResponse
    job = holder.job if holder is not None else None
    if job is None:
        reason = job_error(None, answer, secrets)
        if is_auth_failure(answer):
            raise ProviderError(keys_hint(msg("tencent_refused_keys", provider=LABEL, said=reason)))
        raise ProviderError(msg("tencent_no_report", provider=LABEL, said=reason), retryable=True)
    return map_job(job, output_base_url=output_base_url, answer=answer, secrets=secrets)


# --- the provider ------------------------------------------------------------------------


class TencentProvider(RemoteProvider):
    declaration = TENCENT

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        super().__init__(settings, timeout=timeout)
        self._output_base = self.address(1) or None

    def check(self, request: StudioRequest) -> None:
        request = self.served(request, ImageToMusicRequest)
        if request.image is not None:
            require_format(request.image, "image", ("png", "jpeg", "webp"))
        if request.image_url is not None:
            suffix = url_suffix(request.image_url)
            if suffix and suffix not in IMAGE_SUFFIXES:
                raise InvalidRequest(
                    "image_url",
                    msg("tencent_image_suffix", suffix=suffix),
                    provider_field=IMAGE_WIRE_FIELD,
                )

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        request = self.served(request, ImageToMusicRequest)
        self.check(request)
        image_url = request.image_url
        if image_url is None and request.image is not None:
            image_url = ctx.public_url_for(request.image)
        if not image_url:
            raise InvalidRequest("image", msg("tencent_needs_public_url"))
        secret_id, secret_key = self.keys(ctx)
        custom_id = custom_id_for(ctx.job_id)
        callback = ctx.callback_url if ctx.callback_reachable else None
        body = wire_request(
            request, image_url=image_url, custom_id=custom_id, callback_url=callback
        )
        payload = with_keys(
            ACTION_CREATE,
            secret_id,
            secret_key,
            createJobRequest=body.model_dump(exclude_none=True),
        )
        data = {"custom_id": custom_id, "output_type": request.output_type}
        try:
            response = await self.create_call("POST", self.address(), json=payload)
        except CreateOutcomeUnknown:
            # customId is ours: ListJobs tells whether the job exists after all.
            found = await self._find_by_custom_id(custom_id, secret_id, secret_key)
            if found is not None:
                return TaskHandle(task_id=found, data=data)
            raise
        secrets = (secret_id, secret_key)
        answer = self.answer(response, retryable=False, secrets=secrets)
        parsed = parse_answer(answer, retryable=False)
        job = parsed.createJobResponse.job if parsed.createJobResponse else None
        if job is None or not job.id:
            refused = msg(
                "tencent_refused_task", provider=LABEL, said=job_error(job, answer, secrets)
            )
            if is_auth_failure(answer):
                raise ProviderError(keys_hint(refused))
            raise ProviderError(refused, retryable=is_transient(answer))
        data["request"] = wire_record(response.request)
        return TaskHandle(task_id=job.id, data=data)

    def refusal(self, refused: Refused) -> ProviderError:
        # Only the errorResponse's own words are quoted: the rest of the body may echo the keys.
        answer = refused.answer
        if isinstance(answer, Mapping) and answer.get("errorResponse"):
            reason = job_error(None, answer, refused.secrets)
            said = msg("tencent_refused_request", provider=LABEL, said=reason)
            if is_auth_failure(answer):
                return ProviderError(keys_hint(said))
            return ProviderError(said, retryable=refused.retryable)
        return http_error(LABEL, refused.response, None, retryable=refused.retryable)

    async def _find_by_custom_id(
        self, custom_id: str, secret_id: str, secret_key: str
    ) -> str | None:
        payload = with_keys(
            ACTION_LIST, secret_id, secret_key, listJobsRequest={"customId": custom_id}
        )
        try:
            response = await self.repeat_call(
                "POST",
                self.address(),
                what=msg("provider_to_look_up_task"),
                json=payload,
                also_retry=is_rate_limited,
            )
            parsed = parse_answer(
                self.answer(response, retryable=True, secrets=(secret_id, secret_key)),
                retryable=True,
            )
        except ProviderError:
            return None
        jobs = (parsed.listJobsResponse and parsed.listJobsResponse.jobs) or []
        matches = [job.id for job in jobs if job.customId == custom_id and job.id]
        return matches[-1] if matches else None

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        secret_id, secret_key = self.keys(ctx)
        payload = with_keys(ACTION_GET, secret_id, secret_key, getJobRequest={"id": handle.task_id})
        response = await self.repeat_call(
            "POST", self.address(), json=payload, also_retry=is_rate_limited
        )
        secrets = (secret_id, secret_key)
        answer = self.answer(response, retryable=True, secrets=secrets)
        return map_status(answer, output_base_url=self._output_base, secrets=secrets)
