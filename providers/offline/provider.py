"""The offline provider: the studio's engines run locally, through the same pipeline as remote APIs.

`submit()` hands the engine to the bounded worker pool and returns at once; `status()` reads the
run's progress, latest preview and result. Cheap to start again, so unfinished offline jobs are
simply re-run after a restart (`resubmit_safe`): the seed makes the result the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.errors import InvalidRequest, StudioError
from core.provider import JobContext, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, StudioRequest
from core.workers import WorkerPool
from providers.offline.cancel import EngineCancelled
from providers.offline.runs import EngineRun
from providers.offline.task_registry import TASKS, check_for, task_for

log = logging.getLogger(__name__)

POLL_DELAY_S = 1.0  # the engine wakes the poller on each progress step; this is a fallback


class OfflineProvider:
    name = "offline"
    label = "Offline"
    capabilities: frozenset[Capability] = frozenset(TASKS)
    resubmit_safe = True

    def __init__(self, pool: WorkerPool) -> None:
        self._pool = pool
        self._runs: dict[str, EngineRun] = {}

    def check(self, request: StudioRequest) -> None:
        if request.capability not in self.capabilities:
            raise InvalidRequest("provider", f"offline cannot do {request.capability}")
        check = check_for(request.capability)
        if check is not None:
            check(request)

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        self.check(request)
        task = task_for(request.capability)
        run = EngineRun(wake=ctx.wake)
        self._runs[ctx.job_id] = run
        run.future = self._pool.submit(lambda: self._work(task, request, ctx, run), ctx.owner)
        return TaskHandle(task_id=ctx.job_id)

    @staticmethod
    def _work(
        task: Callable[[StudioRequest, JobContext, EngineRun], list],
        request: StudioRequest,
        ctx: JobContext,
        run: EngineRun,
    ) -> None:
        if run.should_stop():
            return
        try:
            run.update(0.0, "Starting")
            run.finish(task(request, ctx, run))
        except EngineCancelled:
            run.fail("Stopped.")
        except StudioError as error:
            run.fail(str(error))
        except Exception as error:  # an engine bug must end this job, not the app
            log.exception("offline %s engine failed", request.capability)
            run.fail(
                f"The offline {request.capability.replace('_', ' ')} engine failed "
                f"({type(error).__name__}); the details are in the server log."
            )

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        run = self._runs.get(handle.task_id)
        if run is None:
            return TaskStatus(
                state=TaskState.FAILED,
                error="This offline run is no longer known to the engine (the app restarted).",
                retryable=True,
            )
        with run.lock:
            if run.error is not None:
                self._runs.pop(handle.task_id, None)
                return TaskStatus(state=TaskState.FAILED, error=run.error, retryable=True)
            if run.outputs is not None:
                self._runs.pop(handle.task_id, None)
                return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=run.outputs)
            if not run.started:
                position = self._pool.position(run.future) if run.future else None
                return TaskStatus(state=TaskState.QUEUED, queue_position=position)
            return TaskStatus(
                state=TaskState.RUNNING,
                percent=run.percent,
                message=run.message,
                preview=run.preview,
            )

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        run = self._runs.pop(handle.task_id, None)
        if run is None:
            return
        run.stop.set()
        if run.future is not None and run.future.cancel():
            self._pool.forget(run.future)

    def poll_delay(self, attempt: int, elapsed_s: float) -> float:
        return POLL_DELAY_S

    async def aclose(self) -> None:
        for run in self._runs.values():
            run.stop.set()
