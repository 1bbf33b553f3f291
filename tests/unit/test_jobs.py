"""JobManager: success, failure, cancel mid-run, late subscribers, resume, and the store's record."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from core.config import Settings
from core.errors import ProviderError
from core.events import Event, Failed, Queued, Running, Succeeded
from core.jobs import STOPPED_MESSAGE, JobManager
from core.provider import Artifact, JobContext, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, StudioRequest, TextToMusicRequest
from core.store import JobStore

CANARY = "canary-KEY-7f3a9c"


class ScriptedProvider:
    """A provider whose task walks through `steps` statuses, one per poll."""

    name = "scripted"
    label = "Scripted"
    capabilities: frozenset[Capability] = frozenset({"text_to_music"})
    credential_fields = ("X_KEY",)

    def __init__(
        self,
        steps: list[TaskStatus | Exception],
        *,
        resubmit_safe: bool = False,
        submit_error: Exception | None = None,
    ) -> None:
        self.steps = steps
        self.resubmit_safe = resubmit_safe
        self.submit_error = submit_error
        self.submits = 0
        self.polls = 0
        self.cancelled: list[str] = []
        self.seen_credentials: list[dict[str, SecretStr]] = []

    def check(self, request: StudioRequest) -> None:
        return None

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        self.submits += 1
        self.seen_credentials.append(dict(ctx.credentials))
        if self.submit_error:
            raise self.submit_error
        return TaskHandle(task_id=f"task-{ctx.job_id[:6]}", data={"n": self.submits})

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        step = self.steps[min(self.polls, len(self.steps) - 1)]
        self.polls += 1
        if isinstance(step, Exception):
            raise step
        if step.state is TaskState.SUCCEEDED:
            made = []
            for artifact in step.outputs:
                path = ctx.work_dir / artifact.name
                path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
                made.append(artifact.model_copy(update={"path": path}))
            return step.model_copy(update={"outputs": made})
        return step

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        self.cancelled.append(handle.task_id)

    def poll_delay(self, attempt: int, elapsed_s: float) -> float:
        return 0.01

    async def aclose(self) -> None:
        return None


def running(percent: float | None, message: str = "working") -> TaskStatus:
    return TaskStatus(state=TaskState.RUNNING, percent=percent, message=message)


DONE = TaskStatus(
    state=TaskState.SUCCEEDED,
    outputs=[Artifact(kind="audio", name="song.wav", metadata={"seed": 5})],
)
REQUEST = TextToMusicRequest(prompt="calm piano", seconds=5, seed=5)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(studio_data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def store(settings: Settings) -> JobStore:
    store = JobStore(settings.db_path)
    yield store
    store.close()


def manager(settings: Settings, store: JobStore, provider: ScriptedProvider) -> JobManager:
    return JobManager(store, settings, lambda name: provider if name == provider.name else None)


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


async def test_success_moves_outputs_and_records_every_state(
    settings: Settings, store: JobStore
) -> None:
    provider = ScriptedProvider([running(10), running(50, "half"), running(40), DONE])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST, credentials={"X_KEY": SecretStr(CANARY)})
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
    finally:
        jobs.close()
    assert isinstance(events[-1], Succeeded)
    percents = [e.percent for e in events if isinstance(e, Running) and e.percent is not None]
    assert percents == sorted(percents), "percent must never go backwards"
    output = events[-1].outputs[0]
    assert output.path.is_file()
    folder = output.path.parent
    assert folder.parent.parent == settings.outputs_dir
    # The folder's random part keeps a known job id from opening its files (core/media.py).
    assert folder.name.startswith(f"{job_id}-")
    assert len(folder.name) == len(job_id) + 1 + 16
    sidecar = json.loads(output.path.with_name(output.path.name + ".json").read_text())
    assert sidecar["params"]["prompt"] == "calm piano"
    assert sidecar["seed"] == 5
    record = store.get(job_id)
    assert record is not None
    assert record.state == "succeeded"
    assert record.task is not None
    assert record.task.task_id.startswith("task-")
    states = [e.state for e in store.events(job_id)]
    assert states[0] == "queued"
    assert "running" in states
    assert states[-1] == "succeeded"
    assert provider.submits == 1
    assert provider.seen_credentials[0]["X_KEY"].get_secret_value() == CANARY
    assert CANARY not in settings.db_path.read_bytes().decode("latin-1")
    assert CANARY not in output.path.with_name(output.path.name + ".json").read_text()


async def test_failure_reports_the_providers_sentence(settings: Settings, store: JobStore) -> None:
    failed = TaskStatus(state=TaskState.FAILED, error="The prompt was refused by moderation.")
    provider = ScriptedProvider([running(5), failed])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
    finally:
        jobs.close()
    assert events[-1] == Failed(message="The prompt was refused by moderation.", retryable=False)
    record = store.get(job_id)
    assert record is not None
    assert record.state == "failed"
    assert record.message == "The prompt was refused by moderation."


async def test_submit_error_and_unexpected_error_end_the_job_cleanly(
    settings: Settings, store: JobStore
) -> None:
    refused = ScriptedProvider([DONE], submit_error=ProviderError("Out of credits."))
    broken = ScriptedProvider([ZeroDivisionError("boom")])
    fine = ScriptedProvider([DONE])
    providers = {"a": refused, "b": broken, "c": fine}
    for name, provider in providers.items():
        provider.name = name
    jobs = JobManager(store, settings, providers.get)
    try:
        ids = [jobs.submit(p, REQUEST) for p in providers.values()]
        ends = [(await asyncio.wait_for(collect(jobs.events(i)), 10))[-1] for i in ids]
    finally:
        jobs.close()
    assert ends[0] == Failed(message="Out of credits.", retryable=False)
    assert isinstance(ends[1], Failed)
    assert "ZeroDivisionError" in str(ends[1].message)
    assert "Traceback" not in str(ends[1].message)
    assert isinstance(ends[2], Succeeded), "one broken job must not stop the others"


async def test_retryable_status_errors_are_tolerated(settings: Settings, store: JobStore) -> None:
    flaky = ProviderError("busy", retryable=True)
    provider = ScriptedProvider([flaky, running(20), DONE])
    import core.jobs as jobs_module

    original = jobs_module.STATUS_ERROR_BACKOFF_S
    jobs_module.STATUS_ERROR_BACKOFF_S = (0.01,) * 8
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
    finally:
        jobs.close()
        jobs_module.STATUS_ERROR_BACKOFF_S = original
    assert isinstance(events[-1], Succeeded)


async def test_cancel_mid_run(settings: Settings, store: JobStore) -> None:
    provider = ScriptedProvider([running(10)])  # runs forever
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        seen: list[Event] = []
        async for event in jobs.events(job_id):
            seen.append(event)
            if isinstance(event, Running):
                assert jobs.cancel(job_id)
    finally:
        jobs.close()
    assert seen[-1] == Failed(message=STOPPED_MESSAGE, retryable=True)
    assert provider.cancelled, "the provider's task must be cancelled too"
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled"


async def test_late_subscriber_gets_latest_state_then_the_end(
    settings: Settings, store: JobStore
) -> None:
    provider = ScriptedProvider([running(30, "third")] * 30 + [DONE])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        await asyncio.sleep(0.15)
        first = await anext(jobs.events(job_id))
        assert isinstance(first, Running)
        assert first.percent == 30
        rest = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
        assert isinstance(rest[-1], Succeeded)
        after = await collect(jobs.events(job_id))
        assert len(after) == 1
        assert isinstance(after[0], Succeeded)
    finally:
        jobs.close()
    # A fresh manager (as after a restart) answers from the store.
    again = manager(settings, store, provider)
    try:
        from_store = await collect(again.events(job_id))
    finally:
        again.close()
    assert isinstance(from_store[0], Succeeded)
    assert from_store[0].outputs[0].path.is_file()


async def test_heartbeat_repeats_the_latest_state(settings: Settings, store: JobStore) -> None:
    provider = ScriptedProvider([running(10)])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        seen = []
        async for event in jobs.events(job_id, heartbeat_s=0.05):
            seen.append(event)
            if len(seen) == 6:
                jobs.cancel(job_id)
    finally:
        jobs.close()
    assert sum(isinstance(e, Running) for e in seen) >= 4
    assert isinstance(seen[-1], Failed)


async def test_resume_polls_a_remote_task_without_creating_it_again(
    settings: Settings, store: JobStore
) -> None:
    provider = ScriptedProvider([running(10)] * 1000)
    jobs = manager(settings, store, provider)
    job_id = jobs.submit(provider, REQUEST)
    await asyncio.sleep(0.2)
    jobs.close()  # as if the process stopped: the job stays unfinished
    record = store.get(job_id)
    assert record is not None
    assert record.state == "running"
    assert record.task is not None

    after = ScriptedProvider([running(60), DONE])
    again = manager(settings, store, after)
    try:
        assert again.resume_unfinished() == [job_id]
        events = await asyncio.wait_for(collect(again.events(job_id)), 10)
    finally:
        again.close()
    assert isinstance(events[-1], Succeeded)
    assert after.submits == 0, "a remote task must never be created twice"
    final = store.get(job_id)
    assert final is not None
    assert final.state == "succeeded"


async def test_resume_without_a_task_id_does_not_resubmit_remote_jobs(
    settings: Settings, store: JobStore
) -> None:
    store.create("j1", "text_to_music", "scripted", REQUEST.public_params(), settings.outputs_dir)
    provider = ScriptedProvider([DONE])
    jobs = manager(settings, store, provider)
    try:
        assert jobs.resume_unfinished() == []
    finally:
        jobs.close()
    record = store.get("j1")
    assert record is not None
    assert record.state == "failed"
    assert "not sent again" in record.message
    assert provider.submits == 0


async def test_resume_reruns_offline_style_jobs(settings: Settings, store: JobStore) -> None:
    store.create("j2", "text_to_music", "scripted", REQUEST.public_params(), settings.outputs_dir)
    provider = ScriptedProvider([running(50), DONE], resubmit_safe=True)
    jobs = manager(settings, store, provider)
    try:
        assert jobs.resume_unfinished() == ["j2"]
        events = await asyncio.wait_for(collect(jobs.events("j2")), 10)
    finally:
        jobs.close()
    assert isinstance(events[-1], Succeeded)
    assert provider.submits == 1


async def test_queued_position_is_passed_on(settings: Settings, store: JobStore) -> None:
    queued = TaskStatus(state=TaskState.QUEUED, queue_position=3)
    provider = ScriptedProvider([queued, DONE])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
    finally:
        jobs.close()
    assert Queued(position=3) in events


async def test_cancel_right_after_submit_stops_the_job(settings: Settings, store: JobStore) -> None:
    provider = ScriptedProvider([running(10)])
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        assert jobs.cancel(job_id)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
    finally:
        jobs.close()
    assert events[-1] == Failed(message=STOPPED_MESSAGE, retryable=True)
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled"


async def test_cancel_is_not_lost_to_a_busy_wake_up(settings: Settings, store: JobStore) -> None:
    """A provider that wakes its poller all the time (as the offline engine does) still stops."""

    class Chatty(ScriptedProvider):
        async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
            ctx.wake()
            return await super().status(ctx, handle)

        def poll_delay(self, attempt: int, elapsed_s: float) -> float:
            return 0.0005

    for _ in range(20):
        provider = Chatty([running(10)])
        jobs = manager(settings, store, provider)
        try:
            job_id = jobs.submit(provider, REQUEST)
            await asyncio.sleep(0.01)
            assert jobs.cancel(job_id)
            events = await asyncio.wait_for(collect(jobs.events(job_id)), 10)
        finally:
            jobs.close()
        assert events[-1] == Failed(message=STOPPED_MESSAGE, retryable=True)


class GatedProvider(ScriptedProvider):
    """Each task runs until the test lets it finish (by its submit order)."""

    def __init__(self) -> None:
        super().__init__([running(10.0)])
        self.finish: set[str] = set()
        self.order: list[str] = []

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        self.order.append(ctx.job_id)
        return await super().submit(ctx, request)

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        if ctx.job_id in self.finish:
            return await ScriptedProvider(steps=[DONE]).status(ctx, handle)
        return running(10.0)


async def _until(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition never held"
        await asyncio.sleep(0.02)


async def test_in_public_mode_a_visitors_extra_jobs_wait_their_turn(tmp_path: Path) -> None:
    public = Settings(
        studio_data_dir=tmp_path / "data",
        studio_public=True,
        studio_visitor_max_running=2,
        _env_file=None,  # type: ignore[call-arg]
    )
    store = JobStore(public.db_path)
    provider = GatedProvider()
    jobs = manager(public, store, provider)
    try:
        mine = [jobs.submit(provider, REQUEST, owner="anon:a") for _ in range(3)]
        other = jobs.submit(provider, REQUEST, owner="anon:b")
        await _until(lambda: len(provider.order) == 3)
        await asyncio.sleep(0.3)
        # Two of A's jobs and B's run; A's third waits, queued, without reaching the provider.
        assert len(provider.order) == 3
        assert other in provider.order
        waiting = next(job for job in mine if job not in provider.order)
        assert store.get(waiting).state == "queued"  # type: ignore[union-attr]
        provider.finish.add(provider.order[0])
        await _until(lambda: waiting in provider.order)
        provider.finish.update([*mine, other])
        await _until(lambda: all(store.get(j).state == "succeeded" for j in [*mine, other]))  # type: ignore[union-attr]
        assert not jobs._turns, "a visitor with no job keeps no turn"
    finally:
        jobs.close()
        store.close()
