"""The offline provider: the studio's engines run locally, through the same pipeline as remote APIs.

`submit()` hands the engine to the bounded worker pool and returns at once; `status()` reads the
run's progress, latest preview and result. A URL the visitor gave is fetched first, on the job's
event loop through the guarded fetcher (core/fetch.py): a slow URL never holds an engine worker,
and Stop cancels the fetch at once. Cheap to start again, so unfinished offline jobs are
simply re-run after a restart (`resubmit_safe`): the seed makes the result the same.
"""

from __future__ import annotations

import asyncio
import logging

from core.config import Settings
from core.errors import InvalidRequest, ProviderError, StudioError
from core.fetch import FetchPolicy
from core.media import UploadLimits
from core.messages import Message, Text, msg
from core.provider import Artifact, JobContext, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, StudioRequest
from core.workers import WorkerPool
from providers.declarations import OFFLINE
from providers.offline.cancel import EngineCancelled
from providers.offline.limits import check_heavy
from providers.offline.runs import EngineRun
from providers.offline.sources import UrlSource, as_upload, fetch_source, url_to_fetch
from providers.offline.task_registry import Task, check_for, task_for

log = logging.getLogger(__name__)

CAPABILITY_NAMES: dict[Capability, Message] = {
    "text_to_music": msg("capability_text_to_music"),
    "image_to_music": msg("capability_image_to_music"),
    "extend_music": msg("capability_extend_music"),
    "text_to_image": msg("capability_text_to_image"),
    "video_upscale": msg("capability_video_upscale"),
}


def _said(error: StudioError) -> Text:
    """What a refusal or a provider error says, as one message."""
    if isinstance(error, InvalidRequest):
        return error.as_message()
    if isinstance(error, ProviderError):
        return error.message
    return str(error)


class OfflineProvider:
    name = OFFLINE.name
    label = OFFLINE.label
    capabilities: frozenset[Capability] = OFFLINE.capabilities
    resubmit_safe = True

    def __init__(
        self,
        pool: WorkerPool,
        fetch_policy: FetchPolicy,
        input_limits: UploadLimits | None = None,
        settings: Settings | None = None,
    ) -> None:
        self._pool = pool
        # For the caps on heavy requests in public mode (providers/offline/limits.py).
        self._settings = settings
        # For URLs the visitor gives (FetchPolicy.for_visitor_urls), and the caps their
        # content meets as an upload would (core.limits.upload_limits).
        self._fetch_policy = fetch_policy
        self._input_limits = input_limits or UploadLimits(max_bytes=fetch_policy.max_bytes)
        self._runs: dict[str, EngineRun] = {}
        # Runs whose input URL is being fetched: the fetch's task and its progress message.
        self._fetches: dict[str, tuple[asyncio.Task[None], Message]] = {}

    def check(self, request: StudioRequest) -> None:
        if request.capability not in self.capabilities:
            raise InvalidRequest(
                "provider", msg("offline_cannot_do", capability=request.capability)
            )
        if self._settings is not None:
            check_heavy(self._settings, request, self.name)
        check = check_for(request.capability)
        if check is not None:
            check(request)

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        self.check(request)
        task = task_for(request.capability)
        run = EngineRun(wake=ctx.wake)
        self._runs[ctx.job_id] = run
        wanted = url_to_fetch(request)
        if wanted is None:
            self._queue(task, request, ctx, run)
        else:
            source, url = wanted
            fetch = asyncio.create_task(
                self._fetch_then_queue(task, request, ctx, run, source, url),
                name=f"fetch-{ctx.job_id}",
            )
            self._fetches[ctx.job_id] = (fetch, source.progress)
        return TaskHandle(task_id=ctx.job_id)

    def _queue(self, task: Task, request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
        run.future = self._pool.submit(lambda: self._work(task, request, ctx, run), ctx.owner)

    async def _fetch_then_queue(
        self,
        task: Task,
        request: StudioRequest,
        ctx: JobContext,
        run: EngineRun,
        source: UrlSource,
        url: str,
    ) -> None:
        try:
            path = await fetch_source(source, url, ctx.work_dir / "input", self._fetch_policy)
            fetched = as_upload(request, source, path, self._input_limits)
            self.check(fetched)
        except StudioError as error:
            run.fail(_said(error))
            return
        except Exception as error:  # a bug here must end this job, not the app
            log.exception("offline %s: fetching the input failed", request.capability)
            run.fail(msg("engine_fetch_crashed", error=type(error).__name__))
            return
        finally:
            self._fetches.pop(ctx.job_id, None)
        if not run.should_stop():
            self._queue(task, fetched, ctx, run)
            ctx.wake()

    @staticmethod
    def _work(
        task: Task,
        request: StudioRequest,
        ctx: JobContext,
        run: EngineRun,
    ) -> None:
        if run.should_stop():
            return
        try:
            run.update(0.0, msg("engine_starting"))
            task(request, ctx, run)
            run.finish()
        except EngineCancelled:
            run.fail(msg("job_stopped"))
        except StudioError as error:
            run.fail(_said(error))
        except Exception as error:  # an engine bug must end this job, not the app
            log.exception("offline %s engine failed", request.capability)
            # A capability without a display name yet must still end its job with a sentence.
            capability = CAPABILITY_NAMES.get(request.capability, request.capability)
            run.fail(msg("engine_crashed", capability=capability, error=type(error).__name__))

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        run = self._runs.get(handle.task_id)
        if run is None:
            return TaskStatus(
                state=TaskState.FAILED,
                error=msg("engine_run_unknown"),
                retryable=True,
            )
        with run.lock:
            if run.error is not None:
                self._runs.pop(handle.task_id, None)
                return TaskStatus(state=TaskState.FAILED, error=run.error, retryable=True)
            if run.outputs is not None:
                self._runs.pop(handle.task_id, None)
                return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=run.outputs)
            fetching = self._fetches.get(handle.task_id)
            if fetching is not None:
                return TaskStatus(state=TaskState.RUNNING, percent=0.0, message=fetching[1])
            if not run.started:
                position = self._pool.position(run.future) if run.future else None
                return TaskStatus(state=TaskState.QUEUED, queue_position=position)
            return TaskStatus(
                state=TaskState.RUNNING,
                percent=run.percent,
                message=run.message,
                preview=run.preview,
            )

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> list[Artifact]:
        """Stop the engine between two stages; the files it had completed are the job's."""
        run = self._runs.pop(handle.task_id, None)
        if run is None:
            return []
        made = run.halt()
        fetching = self._fetches.pop(handle.task_id, None)
        if fetching is not None:
            fetching[0].cancel()
            # Returns once the fetch has let go of its connection and removed its file.
            await asyncio.wait({fetching[0]})
        if run.future is not None and run.future.cancel():
            self._pool.forget(run.future)
        return made

    def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
        return OFFLINE.polling.delay(elapsed_s, eta_s)

    async def aclose(self) -> None:
        for run in self._runs.values():
            run.stop.set()
        fetches = [fetch for fetch, _ in self._fetches.values()]
        for fetch in fetches:
            fetch.cancel()
        if fetches:
            await asyncio.wait(fetches)
