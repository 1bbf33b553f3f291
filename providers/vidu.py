"""Vidu through a reseller's aggregator: upscale a finished creation (docs/providers.md#vidu).

While a task runs, its live state stream (server-sent events) gives state changes and an ETA
without polling: a background reader per task keeps the latest state and wakes the job on a
change. When the stream is not offered or breaks, the task is polled instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from pydantic import SecretStr, ValidationError

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.messages import Message, msg
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.requests import StudioRequest, VideoUpscaleRequest
from providers import remote_base
from providers.declarations import VIDU
from providers.remote_base import (
    DEFAULT_TIMEOUT,
    RemoteProvider,
    error_text,
    is_http_url,
    try_json,
    wire_record,
)
from providers.wire.vidu import (
    DONE_STATE,
    FAILED_STATE,
    QUEUED_STATES,
    STATE_STREAM_PATH,
    TASKS_PATH,
    StateEvent,
    Task,
    UpscaleBody,
    UpscaleInput,
    UpscaleSettings,
)

LABEL = VIDU.label
CREDENTIAL_FIELDS = VIDU.credential_fields
# With a live stream, the task is still read in full this often, so that a stream that went
# quiet without closing cannot hide the end of the task for long.
POLL_ANYWAY_S = 30.0
STREAM_READ_TIMEOUT_S = 60.0
STREAM_MAX_FAILURES = 3


def is_configured(settings: Settings, credentials: Mapping[str, SecretStr]) -> bool:
    return remote_base.is_configured(VIDU, settings, credentials)


def create(settings: Settings) -> Provider:
    return ViduProvider(settings)


# --- request mapping (pure) -------------------------------------------------------------


def wire_request(request: VideoUpscaleRequest) -> UpscaleBody:
    if request.creation_id is None:
        raise InvalidRequest("creation_id", msg("vidu_not_a_video_file"))
    return UpscaleBody(
        input=UpscaleInput(creation_id=request.creation_id),
        settings=UpscaleSettings(model=request.model, duration=request.duration),
    )


# --- answer mapping (pure) --------------------------------------------------------------


def err_code_message(code: str) -> Message:
    """The message for a Vidu `err_code` (the codes are not documented for this route)."""
    lowered = code.lower()
    if "credit" in lowered or "balance" in lowered or "quota" in lowered:
        hint = "vidu_hint_credits"
    elif any(word in lowered for word in ("prohibit", "illegal", "audit", "policy", "sensitive")):
        hint = "vidu_hint_moderation"
    elif "notfound" in lowered or "not_found" in lowered or "creation" in lowered:
        hint = "vidu_hint_creation"
    elif "timeout" in lowered:
        hint = "vidu_hint_timeout"
    else:
        return msg("vidu_failed_code", code=code)
    return msg("vidu_failed_because", why=msg(hint), code=code)


def _creation_artifact(task: Task, index: int) -> Artifact | None:
    creation = (task.creations or [])[index - 1]
    if not is_http_url(creation.uri):
        return None
    metadata: dict[str, Any] = {"creation_id": creation.id, "task_id": task.id}
    if creation.cover_uri:
        metadata["cover_uri"] = creation.cover_uri
    if creation.resolution is not None:
        metadata["width"] = creation.resolution.width
        metadata["height"] = creation.resolution.height
    if creation.video is not None:
        metadata["duration"] = creation.video.duration
        metadata["fps"] = creation.video.fps
    name = f"upscaled-{creation.id or f'{task.id}-{index}'}.mp4"
    return Artifact(
        kind="video",
        name=name,
        url=str(creation.uri).strip(),
        metadata={k: v for k, v in metadata.items() if v is not None},
    )


def map_task(task: Task) -> TaskStatus:
    state = (task.state or "").strip().lower()
    if task.err_code and task.err_code.strip():
        return TaskStatus(state=TaskState.FAILED, error=err_code_message(task.err_code.strip()))
    if state == FAILED_STATE:
        return TaskStatus(state=TaskState.FAILED, error=msg("vidu_failed"))
    if state == DONE_STATE:
        outputs = [
            artifact
            for index in range(1, len(task.creations or []) + 1)
            if (artifact := _creation_artifact(task, index)) is not None
        ]
        if not outputs:
            # Named by id only, the videos are still in the user's Vidu account: say which.
            ids = [c.id for c in task.creations or [] if c.id]
            error = msg("vidu_no_video_ids", ids=", ".join(ids)) if ids else msg("vidu_no_video")
            return TaskStatus(state=TaskState.FAILED, error=error)
        return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs)
    if state in QUEUED_STATES:
        return TaskStatus(state=TaskState.QUEUED, message=msg("vidu_queued"))
    if state == "processing":
        return TaskStatus(state=TaskState.RUNNING, message=msg("vidu_upscaling"))
    if task.state:
        reports = msg("provider_reports", provider=LABEL, status=task.state)
    else:
        reports = msg("vidu_reports_no_state")
    return TaskStatus(state=TaskState.RUNNING, message=reports)


def parse_task(answer: Any, *, retryable: bool) -> Task:
    # Some resellers wrap the task object in {"data": ...}; the page shows it bare
    # (docs/providers.md#vidu-create).
    if (
        isinstance(answer, Mapping)
        and "id" not in answer
        and isinstance(answer.get("data"), Mapping)
    ):
        answer = answer["data"]
    try:
        return Task.model_validate(answer)
    except ValidationError:
        raise ProviderError(
            msg("vidu_task_unreadable", provider=LABEL), retryable=retryable
        ) from None


def map_status(answer: Any) -> TaskStatus:
    """A task object (GET /vidu/v1/tasks/{id}) in the studio's terms."""
    return map_task(parse_task(answer, retryable=True))


def map_stream_state(event: StateEvent) -> TaskStatus:
    """One live state event in the studio's terms (a success still needs the task's creations)."""
    state = (event.state or "").strip().lower()
    eta = event.estimated_time_left if (event.estimated_time_left or -1) >= 0 else None
    if event.err_code and event.err_code.strip():
        return TaskStatus(state=TaskState.FAILED, error=err_code_message(event.err_code.strip()))
    if state == FAILED_STATE:
        return TaskStatus(state=TaskState.FAILED, error=msg("vidu_failed"))
    if state in QUEUED_STATES:
        return TaskStatus(state=TaskState.QUEUED, message=msg("vidu_queued"), eta_s=eta)
    return TaskStatus(state=TaskState.RUNNING, message=msg("vidu_upscaling"), eta_s=eta)


def is_final_event(event: StateEvent) -> bool:
    state = (event.state or "").strip().lower()
    return state in (DONE_STATE, FAILED_STATE) or bool(event.err_code and event.err_code.strip())


class SseLines:
    """Server-sent events, line by line: `feed()` returns an event's data when one ends."""

    def __init__(self) -> None:
        self._data: list[str] = []

    def feed(self, line: str) -> str | None:
        line = line.rstrip("\r\n")
        if not line:
            return self.flush()
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if field == "data":
            self._data.append(value[1:] if value.startswith(" ") else value)
        return None

    def flush(self) -> str | None:
        data, self._data = self._data, []
        return "\n".join(data) if data else None


def parse_state_event(data: str) -> StateEvent | None:
    try:
        return StateEvent.model_validate(json.loads(data))
    except (ValueError, ValidationError):
        return None


# --- the live state stream ---------------------------------------------------------------


class _StreamUnsupported(Exception):
    """The reseller does not offer the state stream: poll instead, and don't ask again."""


class StateWatcher:
    """Reads one task's state stream in the background; keeps the latest event."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        task_id: str,
        headers: dict[str, str],
        wake: Callable[[], None],
    ) -> None:
        self.latest: StateEvent | None = None
        self.unsupported = False
        self._client = client
        self._url = url
        self._task_id = task_id
        self._headers = {**headers, "Accept": "text/event-stream"}
        self._wake = wake
        self._dead = False
        self._runner = asyncio.create_task(self._run(), name=f"vidu-state-{task_id}")

    @property
    def alive(self) -> bool:
        return not self._dead and not self._runner.done()

    async def _run(self) -> None:
        failures = 0
        try:
            while failures < STREAM_MAX_FAILURES:
                try:
                    got_events = await self._read_once()
                except _StreamUnsupported:
                    self.unsupported = True
                    return
                except httpx.HTTPError:
                    got_events = False
                if self.latest is not None and is_final_event(self.latest):
                    return
                failures = 0 if got_events else failures + 1
                await asyncio.sleep(min(5.0, 0.5 * 2**failures))
        finally:
            self._dead = True

    async def _read_once(self) -> bool:
        got_events = False
        async with self._client.stream(
            "GET",
            self._url,
            params={"id": self._task_id},
            headers=self._headers,
            timeout=httpx.Timeout(10.0, read=STREAM_READ_TIMEOUT_S),
        ) as response:
            if response.status_code in (404, 405, 501):
                raise _StreamUnsupported
            content_type = response.headers.get("content-type", "")
            if response.status_code != 200:
                return False
            if "text/event-stream" not in content_type:
                raise _StreamUnsupported
            parser = SseLines()
            async for line in response.aiter_lines():
                data = parser.feed(line)
                if data is not None and self._take(data):
                    got_events = True
                    if self.latest is not None and is_final_event(self.latest):
                        return True
            data = parser.flush()
            if data is not None and self._take(data):
                got_events = True
        return got_events

    def _take(self, data: str) -> bool:
        event = parse_state_event(data)
        if event is None:
            return False
        before = self.latest
        self.latest = event
        if before is None or (before.state, before.err_code) != (event.state, event.err_code):
            self._wake()
        return True

    async def stop(self) -> None:
        self._runner.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._runner


# --- the provider ------------------------------------------------------------------------


def _about_creation(answer: Any) -> bool:
    """Whether an error answer is about the creation id (the usual mistake: a task id)."""
    if not isinstance(answer, Mapping):
        return False
    error = answer.get("error")
    parts = [error_text(answer) or ""]
    if isinstance(error, Mapping):
        parts.append(str(error.get("code") or ""))
    return "creation" in " ".join(parts).lower()


class ViduProvider(RemoteProvider):
    declaration = VIDU

    def __init__(self, settings: Settings, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        super().__init__(settings, timeout=timeout)
        self._base = self.address()
        self._watchers: dict[str, StateWatcher] = {}
        self._last_poll: dict[str, float] = {}

    def check(self, request: StudioRequest) -> None:
        request = self.served(request, VideoUpscaleRequest)
        if request.creation_id is None:
            raise InvalidRequest("creation_id", msg("vidu_not_a_video_file"))

    def _headers(self, ctx: JobContext) -> dict[str, str]:
        if not self._base:
            raise ProviderError(msg("vidu_no_base_url"))
        (key,) = self.keys(ctx)
        return {"Authorization": f"Bearer {key}"}

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        request = self.served(request, VideoUpscaleRequest)
        self.check(request)
        headers = self._headers(ctx)
        body = wire_request(request)
        response = await self.create_call(
            "POST", self._base + TASKS_PATH, json=body.model_dump(), headers=headers
        )
        if response.status_code in (400, 404) and _about_creation(try_json(response)):
            raise ProviderError(
                msg(
                    "vidu_unknown_creation",
                    creation_id=request.creation_id,
                    why=msg("vidu_not_a_video_file"),
                )
            )
        # A 429 was refused before any work: only then is trying again later safe to suggest.
        answer = self.answer(response, retryable=response.status_code == 429)
        try:
            task = parse_task(answer, retryable=False)
        except ProviderError:
            said = error_text(answer)
            if said:
                raise ProviderError(msg("vidu_refused_task", said=said[:300])) from None
            raise
        if task.err_code and task.err_code.strip():
            raise ProviderError(err_code_message(task.err_code.strip()))
        return TaskHandle(
            task_id=task.id,
            data={"creation_id": request.creation_id, "request": wire_record(response.request)},
        )

    def _watcher(
        self, ctx: JobContext, handle: TaskHandle, headers: dict[str, str]
    ) -> StateWatcher | None:
        watcher = self._watchers.get(handle.task_id)
        if watcher is not None:
            return watcher
        watcher = StateWatcher(
            self._http.get(), self._base + STATE_STREAM_PATH, handle.task_id, headers, ctx.wake
        )
        self._watchers[handle.task_id] = watcher
        return watcher

    async def _forget(self, task_id: str) -> None:
        self._last_poll.pop(task_id, None)
        watcher = self._watchers.pop(task_id, None)
        if watcher is not None:
            await watcher.stop()

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        headers = self._headers(ctx)
        watcher = self._watcher(ctx, handle, headers)
        event = watcher.latest if watcher is not None and watcher.alive else None
        now = time.monotonic()
        recently_polled = now - self._last_poll.get(handle.task_id, -POLL_ANYWAY_S) < POLL_ANYWAY_S
        if event is not None and not is_final_event(event) and recently_polled:
            return map_stream_state(event)
        response = await self.repeat_call(
            "GET", f"{self._base}{TASKS_PATH}/{handle.task_id}", headers=headers
        )
        self._last_poll[handle.task_id] = now
        status = map_status(self.answer(response, retryable=True))
        if status.state in (TaskState.SUCCEEDED, TaskState.FAILED):
            await self._forget(handle.task_id)
        elif status.eta_s is None and event is not None:
            status = status.model_copy(update={"eta_s": map_stream_state(event).eta_s})
        return status

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        # No cancel is documented for this route: stop following the task.
        with contextlib.suppress(Exception):
            await self._forget(handle.task_id)

    async def aclose(self) -> None:
        for task_id in list(self._watchers):
            await self._forget(task_id)
        await super().aclose()
