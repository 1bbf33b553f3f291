"""Tencent Multimedia Lab: image to music (imageBgmGeneration; PROVIDERS.md §2).

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
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, ImageToMusicRequest, StudioRequest
from providers.remote_base import (
    DEFAULT_TIMEOUT,
    VIDEO_SUFFIXES,
    CreateOutcomeUnknown,
    LazyClient,
    error_text,
    http_error,
    is_http_url,
    keys_present,
    lookup_key,
    missing_key_error,
    parse_json,
    redact,
    send_create,
    send_repeatable,
    try_json,
    url_suffix,
    wire_record,
)
from providers.wire.tencent import (
    ACTION_CREATE,
    ACTION_GET,
    ACTION_LIST,
    CUSTOM_ID_MAX,
    IMAGE_SUFFIXES,
    STATE_CANCELED,
    STATE_COMPLETED,
    STATE_ERROR,
    STATE_PROCESSING,
    STATE_SUBMITTED,
    Answer,
    CreateJobRequest,
    ImageBgmGeneration,
    Job,
    JobInput,
    JobOutput,
    SmartContentDescriptor,
    with_keys,
)

LABEL = "Tencent Multimedia Lab"
CREDENTIAL_FIELDS: tuple[str, ...] = ("TENCENT_MMLAB_SECRET_ID", "TENCENT_MMLAB_SECRET_KEY")
POLL_S = 2.0
# DECIDED: each job writes into its own folder of the user's bucket, so that two jobs never
# overwrite each other's "song.mp3".
DESTINATION_ROOT = "/aigc-studio"
KEYS_HINT = "Check TENCENT_MMLAB_SECRET_ID and TENCENT_MMLAB_SECRET_KEY in Settings."
NEEDS_PUBLIC_URL = (
    "Tencent fetches the image from a URL, and this app has no public address for an "
    "uploaded file: paste an image_url instead, or set STUDIO_PUBLIC_URL to the app's "
    "public address."
)


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return keys_present(settings, credentials, CREDENTIAL_FIELDS)


def create(settings: Settings) -> Provider:
    return TencentProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def custom_id_for(job_id: str) -> str:
    """Our job id as a `customId` (< 64 characters, harmless characters only)."""
    return re.sub(r"[^0-9A-Za-z_-]", "-", job_id)[:CUSTOM_ID_MAX]


def destination_for(custom_id: str) -> str:
    return f"{DESTINATION_ROOT}/{custom_id}"


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
                    imageBgmGeneration=ImageBgmGeneration(
                        songQuantity=request.song_quantity,
                        outputType="MP4" if request.output_type == "mp4" else "MP3",
                        emotion=request.emotion,
                        genre=request.genre,
                        type=request.song_type,
                    )
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


def is_rate_limited(response: httpx.Response) -> bool:
    """Whether an answer asks us to slow down (worth asking again after a pause)."""
    return (_error_code(try_json(response)) or "").startswith("RequestLimitExceeded")


def is_auth_failure(answer: Any) -> bool:
    """Whether an answer is the API's refusal of the keys (retrying cannot help)."""
    return (_error_code(answer) or "").startswith("AuthFailure")


def _state(value: int | str | None) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        named = {"SUBMITTED": 1, "PROCESSING": 2, "COMPLETED": 3, "ERROR": 4, "CANCELED": 5}
        text = value.strip().upper()
        return int(text) if re.fullmatch(r"[0-9]+", text) else named.get(text)
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
    state = _state(job.state)
    if state == STATE_SUBMITTED:
        return TaskStatus(state=TaskState.QUEUED, message=f"Submitted to {LABEL}")
    if state == STATE_PROCESSING:
        return TaskStatus(state=TaskState.RUNNING, message=f"{LABEL} is composing")
    if state == STATE_CANCELED:
        return TaskStatus(state=TaskState.FAILED, error=f"The task was canceled at {LABEL}.")
    if state == STATE_ERROR:
        reason = job_error(job, answer if answer is not None else job.model_dump(), secrets)
        return TaskStatus(
            state=TaskState.FAILED, error=f"{LABEL} could not make the music: {reason}"
        )
    if state != STATE_COMPLETED:
        return TaskStatus(state=TaskState.RUNNING, message=f"{LABEL} reports state {job.state}")
    outputs, unresolved = _outputs(job, output_base_url)
    if unresolved and not outputs:
        files = ", ".join(unresolved[:5])
        return TaskStatus(
            state=TaskState.FAILED,
            error=(
                f"{LABEL} finished, but it saved the music in your storage bucket and "
                "TENCENT_MMLAB_OUTPUT_BASE_URL is not set, so the studio cannot download it. "
                f"Set it to the bucket's address; the files are: {files}"
            ),
        )
    if not outputs:
        return TaskStatus(
            state=TaskState.FAILED, error=f"{LABEL} finished the task but named no result file."
        )
    return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs)


def parse_answer(answer: Any, *, retryable: bool) -> Answer:
    try:
        return Answer.model_validate(answer)
    except ValidationError:
        raise ProviderError(
            f"{LABEL} sent an answer the studio cannot read.", retryable=retryable
        ) from None


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
            raise ProviderError(f"{LABEL} refused the keys: {reason}. {KEYS_HINT}", retryable=False)
        raise ProviderError(f"{LABEL} could not report the task: {reason}", retryable=True)
    return map_job(job, output_base_url=output_base_url, answer=answer, secrets=secrets)


# --- the provider ------------------------------------------------------------------------


def _request_of(request: StudioRequest) -> ImageToMusicRequest:
    if not isinstance(request, ImageToMusicRequest):
        raise InvalidRequest("capability", f"{LABEL} does not serve {request.capability}")
    return request


class TencentProvider:
    name = "tencent"
    label = LABEL
    capabilities: frozenset[Capability] = frozenset({"image_to_music"})
    resubmit_safe = False
    credential_fields = CREDENTIAL_FIELDS  # what a job resumed after a restart must be offered

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self._settings = settings
        self._url = settings.tencent_mmlab_url
        self._output_base = (settings.tencent_mmlab_output_base_url or "").strip() or None
        self._http = LazyClient(timeout)

    def check(self, request: StudioRequest) -> None:
        request = _request_of(request)
        if request.image is not None:
            require_format(request.image, "image", ("png", "jpeg", "webp"))
        if request.image_url is not None:
            suffix = url_suffix(request.image_url)
            if suffix and suffix not in IMAGE_SUFFIXES:
                raise InvalidRequest(
                    "image_url",
                    f"a {suffix} file is not accepted; allowed: png, jpg, jpeg, webp",
                )

    def _keys(self, ctx: JobContext) -> tuple[str, str]:
        secret_id = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[0])
        secret_key = lookup_key(ctx, self._settings, CREDENTIAL_FIELDS[1])
        if not secret_id or not secret_key:
            raise missing_key_error(LABEL, CREDENTIAL_FIELDS)
        return secret_id, secret_key

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        request = _request_of(request)
        self.check(request)
        image_url = request.image_url
        if image_url is None and request.image is not None:
            image_url = ctx.public_url_for(request.image)
        if not image_url:
            raise InvalidRequest("image", NEEDS_PUBLIC_URL)
        secret_id, secret_key = self._keys(ctx)
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
            response = await send_create(
                self._http.get(), "POST", self._url, label=LABEL, json=payload
            )
        except CreateOutcomeUnknown:
            # customId is ours: ListJobs tells whether the job exists after all.
            found = await self._find_by_custom_id(custom_id, secret_id, secret_key)
            if found is not None:
                return TaskHandle(task_id=found, data=data)
            raise
        secrets = (secret_id, secret_key)
        answer = self._answer(response, secrets, retryable=False)
        parsed = parse_answer(answer, retryable=False)
        job = parsed.createJobResponse.job if parsed.createJobResponse else None
        if job is None or not job.id:
            reason = job_error(job, answer, secrets)
            hint = f". {KEYS_HINT}" if is_auth_failure(answer) else ""
            raise ProviderError(f"{LABEL} refused the task: {reason}{hint}", retryable=False)
        data["request"] = wire_record(response.request)
        return TaskHandle(task_id=job.id, data=data)

    @staticmethod
    def _answer(response: httpx.Response, secrets: Sequence[str], *, retryable: bool) -> Any:
        answer = try_json(response)
        if response.status_code >= 400:
            retry = retryable and response.status_code not in (401, 403)
            if isinstance(answer, Mapping) and answer.get("errorResponse"):
                reason = job_error(None, answer, secrets)
                raise ProviderError(f"{LABEL} refused the request: {reason}", retryable=retry)
            raise http_error(LABEL, response, None, retryable=retry)
        if answer is None:
            return parse_json(response, LABEL, retryable=retryable)
        return answer

    async def _find_by_custom_id(
        self, custom_id: str, secret_id: str, secret_key: str
    ) -> str | None:
        payload = with_keys(
            ACTION_LIST, secret_id, secret_key, listJobsRequest={"customId": custom_id}
        )
        try:
            response = await send_repeatable(
                self._http.get(),
                "POST",
                self._url,
                label=LABEL,
                what="look the task up",
                json=payload,
                also_retry=is_rate_limited,
            )
            parsed = parse_answer(
                self._answer(response, (secret_id, secret_key), retryable=True), retryable=True
            )
        except ProviderError:
            return None
        jobs = (parsed.listJobsResponse and parsed.listJobsResponse.jobs) or []
        matches = [job.id for job in jobs if job.customId == custom_id and job.id]
        return matches[-1] if matches else None

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        secret_id, secret_key = self._keys(ctx)
        payload = with_keys(ACTION_GET, secret_id, secret_key, getJobRequest={"id": handle.task_id})
        response = await send_repeatable(
            self._http.get(),
            "POST",
            self._url,
            label=LABEL,
            what="check the task",
            json=payload,
            also_retry=is_rate_limited,
        )
        secrets = (secret_id, secret_key)
        answer = self._answer(response, secrets, retryable=True)
        return map_status(answer, output_base_url=self._output_base, secrets=secrets)

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        # The job API documents no cancel action; the job just stops following the task.
        return None

    def poll_delay(self, attempt: int, elapsed_s: float) -> float:
        return POLL_S

    async def aclose(self) -> None:
        await self._http.aclose()
