"""Img Open: Stable Audio text-to-music and SD text-to-image v2 (docs/providers.md#imgopen).

Both capabilities are polled by our own business task id: on the SD queryTaskInfo call, and for
music on the tools' queryTask call when the SD one does not know the task. The call that
answered is kept in the task handle's data, so later polls ask it first.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from core.config import Settings
from core.errors import ProviderError
from core.messages import msg
from core.provider import JobContext, Provider, TaskHandle, TaskStatus
from core.requests import StudioRequest, TextToImageRequest, TextToMusicRequest
from providers import remote_base
from providers.declarations import IMGOPEN
from providers.imgopen_answers import (
    STATUS_QUERY_KEY,
    TOOL_QUERY_PREFIX,
    UNKNOWN_STATE_DEADLINE_S,
    UNKNOWN_TASK_GRACE_S,
    Kind,
    PreviewSaver,
    envelope_error,
    knows_task,
    map_status,
    maybe_envelope,
    not_listed_yet,
    parse_envelope,
    query_path,
    says_unknown,
    status_queries,
    wants_checkpoint,
)
from providers.remote_base import (
    CreateOutcomeUnknown,
    Refused,
    RemoteProvider,
    not_served,
    wire_record,
)
from providers.wire.imgopen import (
    IMAGE_PATH,
    KEY_ID_HEADER,
    KEY_SECRET_HEADER,
    MUSIC_PATH,
    PAGE_EXAMPLE_CHECKPOINT,
    AlwaysOnScripts,
    CreateData,
    OverrideSettings,
    Text2ImageBody,
    Text2MusicBody,
)

LABEL = IMGOPEN.label
CREDENTIAL_FIELDS = IMGOPEN.credential_fields


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return remote_base.is_configured(IMGOPEN, settings, credentials)


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
    raise not_served(LABEL, request)


# --- the provider ------------------------------------------------------------------------


def _kind_of(request: StudioRequest) -> Kind:
    if isinstance(request, TextToMusicRequest):
        return "music"
    if isinstance(request, TextToImageRequest):
        return "image"
    raise not_served(LABEL, request)


class ImgOpenProvider(RemoteProvider):
    declaration = IMGOPEN
    # Per instance so that a test can wait out a state it does not know in less than that.
    unknown_state_deadline_s = UNKNOWN_STATE_DEADLINE_S

    def check(self, request: StudioRequest) -> None:
        _kind_of(request)

    def _headers(self, ctx: JobContext) -> dict[str, str]:
        key_id, secret = self.keys(ctx)
        return {KEY_ID_HEADER: key_id, KEY_SECRET_HEADER: secret}

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        kind = _kind_of(request)
        headers = self._headers(ctx)
        callback = ctx.callback_url if ctx.callback_reachable else None
        body = wire_request(request, task_id=ctx.job_id, callback_url=callback)
        path = MUSIC_PATH if kind == "music" else IMAGE_PATH
        data = {"kind": kind, "business_task_id": ctx.job_id, "submitted_at": time.time()}
        try:
            response = await self.create_call(
                "POST",
                self.address() + path,
                json=body.model_dump(exclude_none=True),
                headers=headers,
            )
        except CreateOutcomeUnknown:
            # Our own business id makes the create checkable: if the task exists, carry on.
            if await self._task_exists(kind, ctx.job_id, headers):
                return TaskHandle(task_id=ctx.job_id, data=data)
            raise
        answer = self.answer(response, retryable=False)
        envelope = parse_envelope(answer, retryable=False)
        if not envelope.ok:
            error = envelope_error(envelope, when="imgopen_refused_task", retryable=False)
            if wants_checkpoint(envelope, body):
                hint = msg(
                    "imgopen_wants_checkpoint", what=error.message, example=PAGE_EXAMPLE_CHECKPOINT
                )
                raise ProviderError(hint) from None
            raise error
        created = CreateData.model_validate(
            envelope.data if isinstance(envelope.data, dict) else {}
        )
        data["request"] = wire_record(response.request)
        return TaskHandle(task_id=created.any_id or ctx.job_id, data=data)

    async def _query(self, path: str, query_id: str, headers: dict[str, str]) -> Any:
        response = await self.repeat_call(
            "POST", self.address() + path, json={"businessTaskId": query_id}, headers=headers
        )
        return self.answer(response, retryable=True)

    def refusal(self, refused: Refused) -> ProviderError:
        # Img Open words its HTTP errors in its envelope when it can: its words come first.
        envelope = maybe_envelope(refused.answer)
        if envelope is not None and not envelope.ok and envelope.msg:
            return envelope_error(
                envelope, when="imgopen_refused_request", retryable=refused.retryable
            )
        return super().refusal(refused)

    async def _task_exists(self, kind: Kind, query_id: str, headers: dict[str, str]) -> bool:
        try:
            found, _answer = await self._find(status_queries(kind), query_id, headers)
        except ProviderError:
            return False
        return found is not None

    async def _find(
        self, queries: tuple[str, ...], query_id: str, headers: dict[str, str]
    ) -> tuple[str | None, Any]:
        """The first status call that knows the task, with its answer; (None, the first
        call's answer) when none does. Only the first call's "unknown" moves on to the next:
        its other errors are raised."""
        first = await self._query(query_path(queries[0]), query_id, headers)
        envelope = parse_envelope(first, retryable=True)
        if knows_task(envelope):
            return queries[0], first
        if not says_unknown(envelope):
            raise envelope_error(envelope, when="imgopen_no_report", retryable=True)
        for query in queries[1:]:
            answer = await self._probe(query_path(query), query_id, headers)
            if answer is not None:
                return query, answer
        return None, first

    async def _probe(self, path: str, query_id: str, headers: dict[str, str]) -> Any | None:
        """A status call's answer when it knows the task; None on anything else."""
        try:
            answer = await self._query(path, query_id, headers)
            envelope = parse_envelope(answer, retryable=True)
        except ProviderError:
            return None
        return answer if knows_task(envelope) else None

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        kind: Kind = "music" if handle.data.get("kind") == "music" else "image"
        headers = self._headers(ctx)
        query_id = str(handle.data.get("business_task_id") or handle.task_id)
        queries = status_queries(kind, handle.data.get(STATUS_QUERY_KEY))
        found, answer = await self._find(queries, query_id, headers)
        submitted = float(handle.data.get("submitted_at") or 0.0)
        if found is None:
            # Every call said it does not know the task ("404" or no data, `_find`): a new
            # task may take a moment to be listed. After that, a "404" is the provider's own
            # refusal (retried a few times), no data our sentence.
            if time.time() - submitted <= UNKNOWN_TASK_GRACE_S:
                return not_listed_yet()
            envelope = parse_envelope(answer, retryable=True)
            if not envelope.ok:
                raise envelope_error(envelope, when="imgopen_no_report", retryable=True)
            raise ProviderError(msg("imgopen_task_forgotten", provider=LABEL))
        # Kept with the task (and so in the job's data): later polls ask this call first.
        handle.data[STATUS_QUERY_KEY] = found
        deadline = self.unknown_state_deadline_s
        overdue = bool(submitted) and time.time() - submitted > deadline
        return map_status(
            answer,
            kind,
            save_preview=self._preview_saver(ctx),
            results_mean_done=found.startswith(TOOL_QUERY_PREFIX),
            overdue_after_s=deadline if overdue else None,
        )

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
