"""JobManager: success, failure, cancel mid-run (keeping what was made), late subscribers,
resume, and the store's record."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PIL import Image
from pydantic import SecretStr

import providers.offline.provider as offline_provider
from core.config import Settings
from core.errors import ProviderError
from core.events import Cancelled, Event, Failed, Queued, Running, Succeeded
from core.fetch import FetchPolicy
from core.jobs import ALREADY_FINISHED_MESSAGE, STOPPED_MESSAGE, JobManager
from core.messages import Message
from core.provider import Artifact, JobContext, TaskHandle, TaskState, TaskStatus
from core.requests import Capability, ImageToMusicRequest, StudioRequest, TextToMusicRequest
from core.store import JobStore
from core.workers import WorkerPool
from providers.offline.cancel import EngineCancelled
from providers.offline.provider import OfflineProvider
from providers.offline.runs import EngineRun
from providers.offline.task_registry import Task

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

    def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
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
    assert seen[-1] == Cancelled(), "a stop is an end, not an error"
    assert not any(isinstance(e, Failed) for e in seen)
    assert provider.cancelled, "the provider's task must be cancelled too"
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled"
    assert record.message_text == STOPPED_MESSAGE
    assert record.outputs == []


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
    assert isinstance(seen[-1], Cancelled)


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


class LearningProvider(ScriptedProvider):
    """Learns at its first status call which of its status calls knows the task (as Img Open
    does), and asks only that one afterwards."""

    def __init__(self, steps: list[TaskStatus | Exception]) -> None:
        super().__init__(steps)
        self.asked_with: list[dict[str, Any]] = []

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        self.asked_with.append(dict(handle.data))
        handle.data.setdefault("status_query", "tool")
        return await super().status(ctx, handle)


async def test_what_an_adapter_learns_about_its_task_survives_a_restart(
    settings: Settings, store: JobStore
) -> None:
    provider = LearningProvider([running(10)] * 1000)
    jobs = manager(settings, store, provider)
    job_id = jobs.submit(provider, REQUEST)
    await _until(lambda: provider.polls >= 2)
    jobs.close()
    record = store.get(job_id)
    assert record is not None
    assert record.task is not None
    assert record.task.data["status_query"] == "tool"

    after = LearningProvider([running(60), DONE])
    again = manager(settings, store, after)
    try:
        assert again.resume_unfinished() == [job_id]
        await asyncio.wait_for(collect(again.events(job_id)), 10)
    finally:
        again.close()
    assert after.asked_with[0]["status_query"] == "tool"


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
    assert events[-1] == Cancelled()
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled"


async def test_cancel_is_not_lost_to_a_busy_wake_up(settings: Settings, store: JobStore) -> None:
    """A provider that wakes its poller all the time (as the offline engine does) still stops."""

    class Chatty(ScriptedProvider):
        async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
            ctx.wake()
            return await super().status(ctx, handle)

        def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
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
        assert events[-1] == Cancelled()


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


async def _until(condition: Any, within_s: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
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


# ---------------------------------------------------------------------------- a stop keeps
# what was made (issue 11): the offline engines for real, files on disk.
def offline_manager(settings: Settings, store: JobStore) -> tuple[JobManager, OfflineProvider]:
    provider = OfflineProvider(WorkerPool(1), FetchPolicy.for_visitor_urls(settings))
    jobs = JobManager(store, settings, lambda name: provider if name == provider.name else None)
    return jobs, provider


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "dusk.png"
    Image.new("RGB", (64, 48), (40, 60, 160)).save(path)
    return path


def songs_request(picture: Path, count: int = 40) -> ImageToMusicRequest:
    return ImageToMusicRequest(image=picture, song_quantity=count, output_type="mp3")


async def stop_after_songs(jobs: JobManager, job_id: str, done: int) -> list[Event]:
    """Follow the job; Stop it once `done` songs are written (the engine is on the next)."""
    seen: list[Event] = []
    async for event in jobs.events(job_id):
        seen.append(event)
        message = event.message if isinstance(event, Running) else None
        if isinstance(message, Message) and message.params.get("index", 0) > done:
            assert jobs.cancel(job_id)
    return seen


def listed_beside(output_dir: Path) -> set[str]:
    """The media files in a job's outputs folder (not its sidecars, not its inputs)."""
    return {p.name for p in output_dir.iterdir() if p.is_file() and p.suffix != ".json"}


async def test_a_stopped_offline_job_keeps_the_songs_it_had_written(
    settings: Settings, store: JobStore, picture: Path
) -> None:
    jobs, provider = offline_manager(settings, store)
    try:
        job_id = jobs.submit(provider, songs_request(picture))
        seen = await asyncio.wait_for(stop_after_songs(jobs, job_id, done=3), 120)
    finally:
        jobs.close()
    end = seen[-1]
    assert isinstance(end, Cancelled), end
    assert not any(isinstance(e, Failed) for e in seen), "a stop is never an error"
    kept = [output.path for output in end.outputs]
    # Songs 1..n in order, at least the three done when Stop was pressed, far from all 40.
    assert 3 <= len(kept) < 10, kept
    assert [path.stem.rsplit("song", 1)[1] for path in kept] == [
        str(i) for i in range(1, len(kept) + 1)
    ]
    for path in kept:
        samples, rate = sf.read(path)
        assert len(samples) / rate == pytest.approx(30.0, abs=0.5), path
        assert path.with_name(path.name + ".json").is_file()
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled"
    assert record.outputs == end.outputs
    assert listed_beside(record.output_dir) == {path.name for path in kept}
    # A watcher arriving later (another tab, History, after a restart) sees the same end.
    again = manager(settings, store, ScriptedProvider([running(1)]))
    try:
        assert await collect(again.events(job_id)) == [end]
    finally:
        again.close()


def gated_task(wrote_half: threading.Event) -> Task:
    """An engine that completes one file, then is stopped while writing the second."""

    def task(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
        first = ctx.work_dir / "one.wav"
        sf.write(first, np.zeros((4410, 2), np.float32), 44100)
        run.keep(Artifact(kind="audio", name=first.name, path=first))
        with (ctx.work_dir / "two.wav").open("wb") as half:
            half.write(b"RIFF\x24\x00\x01\x00WAVEfmt ")  # a header and nothing else yet
            half.flush()
            wrote_half.set()
            while not run.should_stop():
                time.sleep(0.01)
        raise EngineCancelled

    return task


async def test_a_file_being_written_at_the_stop_is_not_listed(
    settings: Settings, store: JobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrote_half = threading.Event()
    monkeypatch.setattr(offline_provider, "task_for", lambda capability: gated_task(wrote_half))
    jobs, provider = offline_manager(settings, store)
    try:
        job_id = jobs.submit(provider, REQUEST)
        assert await asyncio.to_thread(wrote_half.wait, 30)
        assert jobs.cancel(job_id)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 30)
    finally:
        jobs.close()
    end = events[-1]
    assert isinstance(end, Cancelled)
    assert [output.path.name for output in end.outputs] == ["one.wav"]
    record = store.get(job_id)
    assert record is not None
    assert listed_beside(record.output_dir) == {"one.wav"}


async def test_a_stop_after_the_end_changes_nothing(settings: Settings, store: JobStore) -> None:
    jobs, provider = offline_manager(settings, store)
    quick = TextToMusicRequest(prompt="calm piano", seconds=1, steps=10, seed=3)
    try:
        job_id = jobs.submit(provider, quick)
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 60)
        assert isinstance(events[-1], Succeeded)
        before = store.get(job_id)
        assert not jobs.cancel(job_id), "an ended job has nothing to stop"
        assert jobs.latest(job_id) == events[-1]
        assert store.get(job_id) == before
    finally:
        jobs.close()
    assert str(ALREADY_FINISHED_MESSAGE).startswith("This job had already finished")
    assert ALREADY_FINISHED_MESSAGE.render("zh").startswith("这个任务已经结束")


class _GatedDownload:
    """A result URL on 127.0.0.1 that answers once the test opens the gate."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.gate = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.asked.set()
                outer.gate.wait(30)
                body = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)
                self.send_response(200)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/song.wav"

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()


class UrlResultProvider(ScriptedProvider):
    """Running once, then succeeded with its result still at `url`, as a remote API answers."""

    def __init__(self, url: str) -> None:
        super().__init__([running(50)])
        self.url = url

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        self.polls += 1
        if self.polls < 2:
            return running(50)
        song = Artifact(kind="audio", name="song.wav", url=self.url)
        return TaskStatus(state=TaskState.SUCCEEDED, outputs=[song])


async def test_a_stop_while_the_results_download_finds_the_job_finished(
    settings: Settings, store: JobStore
) -> None:
    served = _GatedDownload()
    provider = UrlResultProvider(served.url)
    jobs = manager(settings, store, provider)
    try:
        job_id = jobs.submit(provider, REQUEST)
        assert await asyncio.to_thread(served.asked.wait, 30)
        assert not jobs.cancel(job_id), "the task has succeeded: its results are being saved"
        served.gate.set()
        events = await asyncio.wait_for(collect(jobs.events(job_id)), 30)
    finally:
        jobs.close()
        served.close()
    assert isinstance(events[-1], Succeeded)
    assert events[-1].outputs[0].path.is_file()
    assert store.get(job_id).state == "succeeded"  # type: ignore[union-attr]


async def test_a_stop_made_as_the_app_shuts_down_is_kept_over_the_restart(
    settings: Settings, store: JobStore, picture: Path
) -> None:
    jobs, provider = offline_manager(settings, store)
    try:
        job_id = jobs.submit(provider, songs_request(picture))
        async for event in jobs.events(job_id):
            message = event.message if isinstance(event, Running) else None
            if isinstance(message, Message) and message.params.get("index", 0) > 2:
                break
        assert jobs.cancel(job_id)
    finally:
        jobs.close()  # the restart begins before the job's task has handled its Stop
    record = store.get(job_id)
    assert record is not None
    assert record.state == "cancelled", "a stopped job must not be run again after the restart"
    assert len(record.outputs) >= 2
    assert all(output.path.is_file() for output in record.outputs)
    restarted, _ = offline_manager(settings, store)
    try:
        assert restarted.resume_unfinished() == []
        assert await collect(restarted.events(job_id)) == [Cancelled(outputs=record.outputs)]
    finally:
        restarted.close()
