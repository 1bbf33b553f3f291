"""JobManager: runs each job as a background task and tells subscribers how it goes.

Jobs live on the manager's own event loop, in a thread of its own, so that a job outlives the
browser tab (and the Gradio request) that started it, and so that unfinished jobs can be resumed
at start-up before any request arrives. Subscribers may sit on any loop: events are handed over
with `call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import shutil
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from core.callbacks import CallbackSigner
from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.events import (
    Cancelled,
    Event,
    Failed,
    Output,
    Queued,
    Running,
    Succeeded,
    is_terminal,
)
from core.fetch import FetchPolicy
from core.limits import check_admission
from core.media import download, job_output_dir, move_into, safe_name, write_sidecar
from core.messages import Message, Text, msg
from core.provider import Artifact, JobContext, Provider, TaskHandle, TaskState, TaskStatus
from core.recording import RecordingClient, flush_recorder, record_calls
from core.redact import Redactor, secret_values, set_job_keys
from core.requests import REQUEST_MODELS, StudioRequest
from core.store import JobRecord, JobStore

log = logging.getLogger(__name__)
T = TypeVar("T")

# Consecutive status calls that may fail (each already retried inside the adapter) before the
# job is given up: a provider that is down for minutes should not lose the job at once.
MAX_STATUS_ERRORS = 8
STATUS_ERROR_BACKOFF_S = (2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 60.0, 60.0)
# Finished jobs stay in memory this long so late subscribers see the live end of the story.
KEEP_FINISHED_S = 600.0
# What the record of a stopped job says (its event, Cancelled, carries the files it kept).
STOPPED_MESSAGE = msg("job_stopped")
# The answer to a Stop that came after the job's end (`cancel` said False): nothing changed.
ALREADY_FINISHED_MESSAGE = msg("job_already_finished")
# A job started with a visitor's keys, found unfinished at start-up: the keys were in memory
# only, and the server's keys must never stand in for them.
WAITING_FOR_KEY_MESSAGE = msg("job_waiting_for_key")


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Event]


@dataclass
class _LiveJob:
    record: JobRecord
    provider: Provider
    request: StudioRequest
    credentials: dict[str, SecretStr] = field(default_factory=dict, repr=False)
    task: asyncio.Task[None] | None = None
    latest: Event | None = None
    best_percent: float | None = None
    started_at: float = field(default_factory=time.monotonic)
    last_recorded_bucket: int = -1
    subscribers: list[_Subscriber] = field(default_factory=list)
    wake_event: asyncio.Event | None = None
    handle: TaskHandle | None = None
    # Set when Stop comes before the job's task exists (a click right after Generate).
    cancel_requested: bool = False
    # Set once the provider said the task succeeded: its results are being saved, and a Stop
    # from then on finds the job already finished.
    finishing: bool = False
    # After a restart, a visitor-key job waits for its owner's keys (offer_keys) from
    # `waiting_since` (epoch seconds, kept in the store); `keys_arrived` wakes its task.
    waiting: bool = False
    waiting_since: float | None = None
    keys_arrived: asyncio.Event | None = None


@dataclass
class _Turn:
    """One visitor's running slots and how many of their jobs hold or wait for one."""

    semaphore: asyncio.Semaphore
    jobs: int = 0


class JobManager:
    def __init__(
        self,
        store: JobStore,
        settings: Settings,
        providers: Callable[[str], Provider | None],
        *,
        redactor: Redactor | None = None,
        callbacks: CallbackSigner | None = None,
        file_base_url: str | None = None,
        result_policy: FetchPolicy | None = None,
    ) -> None:
        self.store = store
        # Which addresses results and previews may come from (the sandbox's emulators too).
        self.result_policy = result_policy or FetchPolicy.for_results(settings)
        # Where providers can fetch our files from: the public URL, or this machine's address
        # when the providers are the sandbox emulators running here.
        self.file_base_url = (file_base_url or settings.public_url or "").rstrip("/") or None
        self.settings = settings
        self._providers = providers
        self.redactor = redactor or Redactor()
        self.callbacks = callbacks
        self._lock = threading.Lock()
        self._live: dict[str, _LiveJob] = {}
        self._closing = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="jobs", daemon=True)
        self._thread.start()
        self._http: httpx.AsyncClient | None = None
        # Public mode: how many of each visitor's jobs may run at once; the rest wait their
        # turn as queued (loop-side only, so no lock).
        self._turns: dict[str, _Turn] = {}

    # ----------------------------------------------------------------- public, any thread
    def submit(
        self,
        provider: Provider,
        request: StudioRequest,
        *,
        credentials: dict[str, SecretStr] | None = None,
        owner: str = "",
    ) -> str:
        """Store the job, start it in the background and return its id at once.

        `owner` is the visitor who started it (core/visitors.py). `credentials` are the
        session's keys: a job whose provider's keys the session holds runs on those alone and
        never with the server's; it is given no other key of the session.
        """
        check_admission(self.settings, self.store, owner)
        provider.check(request)
        fields = getattr(provider, "credential_fields", ())
        own_keys = {name: key for name, key in (credentials or {}).items() if name in fields}
        job_id = uuid.uuid4().hex
        created = time.time()
        output_dir = job_output_dir(self.settings.outputs_dir, job_id, created)
        request = self._keep_inputs(request, output_dir / "inputs")
        record = self.store.create(
            job_id,
            request.capability,
            provider.name,
            request.public_params(),
            output_dir,
            created_at=created,
            owner=owner,
            visitor_keys=bool(own_keys),
        )
        live = _LiveJob(record, provider, request, credentials=own_keys)
        live.latest = Queued(position=None)
        with self._lock:
            self._live[job_id] = live
        asyncio.run_coroutine_threadsafe(self._start(live), self._loop)
        return job_id

    def cancel(self, job_id: str) -> bool:
        """Stop a running job (and its remote task where the provider can); it ends Cancelled
        with the files it had completed. False, changing nothing, when the job had already
        finished (or is unknown): the answer is then ALREADY_FINISHED_MESSAGE."""
        with self._lock:
            live = self._live.get(job_id)
            if live is None or live.finishing or is_terminal(live.latest or Queued()):
                return False
            live.cancel_requested = True
            task = live.task
        if task is not None:
            self._loop.call_soon_threadsafe(task.cancel)
        return True

    def wake(self, job_id: str) -> bool:
        """Ask the job's poller to look now (a provider callback arrived)."""
        with self._lock:
            live = self._live.get(job_id)
        if live is None or live.wake_event is None:
            return False
        self._loop.call_soon_threadsafe(live.wake_event.set)
        return True

    def latest(self, job_id: str) -> Event | None:
        with self._lock:
            live = self._live.get(job_id)
        if live is not None:
            return live.latest
        record = self.store.get(job_id)
        return event_from_record(record) if record else None

    def is_live(self, job_id: str) -> bool:
        with self._lock:
            live = self._live.get(job_id)
        return live is not None and not is_terminal(live.latest or Queued())

    async def events(
        self, job_id: str, *, heartbeat_s: float | None = None
    ) -> AsyncIterator[Event]:
        """The job's events from its latest state on; ends after the terminal one.

        A slow subscriber skips intermediate progress (only the newest state matters) but never
        misses the end. With `heartbeat_s`, the latest state is repeated when nothing happened
        for that long: a UI refreshes its elapsed time, and a closed browser tab is noticed.
        """
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Queue())
        with self._lock:
            live = self._live.get(job_id)
            if live is not None:
                live.subscribers.append(subscriber)
                if live.latest is not None:
                    subscriber.queue.put_nowait(live.latest)
        if live is None:
            record = self.store.get(job_id)
            if record is None:
                raise KeyError(job_id)
            yield event_from_record(record)
            return
        try:
            while True:
                got = await _within(subscriber.queue.get(), heartbeat_s)
                if got is not None:
                    event = got
                else:
                    with self._lock:
                        latest = live.latest
                    if latest is None or is_terminal(latest):
                        continue  # the terminal event is on its way through the queue
                    event = latest
                while not subscriber.queue.empty() and not is_terminal(event):
                    event = subscriber.queue.get_nowait()
                yield event
                if is_terminal(event):
                    return
        finally:
            with self._lock:
                if subscriber in live.subscribers:
                    live.subscribers.remove(subscriber)

    def resume_unfinished(self) -> list[str]:
        """Pick up every job the store says is unfinished (after a restart)."""
        resumed: list[str] = []
        unfinished = self.store.unfinished()
        self._sweep_work_dirs({record.folder_name for record in unfinished})
        for record in unfinished:
            with self._lock:
                if record.id in self._live:
                    continue
            provider = self._providers(record.provider)
            if provider is None:
                self._finish_record(
                    record,
                    Failed(
                        message=msg("job_provider_gone", provider=record.provider), retryable=True
                    ),
                )
                continue
            try:
                request = REQUEST_MODELS[record.capability](**record.params)  # type: ignore[index]
            except (ValueError, InvalidRequest, KeyError) as error:
                reason = error.as_message() if isinstance(error, InvalidRequest) else str(error)
                self._finish_record(record, Failed(message=msg("job_not_resumable", reason=reason)))
                continue
            if record.task is None and not provider.resubmit_safe:
                # The create call may or may not have reached the provider: never send it twice.
                self._finish_record(
                    record,
                    Failed(message=msg("job_create_unknown"), retryable=True),
                )
                continue
            waits = record.visitor_keys and not provider.resubmit_safe
            if waits and time.time() >= self._key_deadline(record.waiting_since or time.time()):
                self._finish_record(record, Failed(message=self._key_wait_expired_message()))
                continue
            live = _LiveJob(record, provider, request)
            live.handle = None if provider.resubmit_safe else record.task
            live.latest = Queued(position=None)
            if waits:
                self._wait_for_keys(live)
            with self._lock:
                self._live[record.id] = live
            asyncio.run_coroutine_threadsafe(self._start(live), self._loop)
            resumed.append(record.id)
        return resumed

    def offer_keys(self, owner: str, credentials: Mapping[str, SecretStr]) -> list[str]:
        """Start every job of `owner` that waits for its keys and has all it needs in
        `credentials` (the owner's session keys, used for that job and never stored).
        Returns the ids of the jobs started; offering again is harmless."""
        if not owner:
            return []
        started: list[_LiveJob] = []
        with self._lock:
            for live in self._live.values():
                if not live.waiting or live.cancel_requested or live.record.owner != owner:
                    continue
                keys = _keys_for(live.provider, credentials)
                if keys is None:
                    continue
                live.credentials = keys
                live.waiting = False
                started.append(live)
        for live in started:
            event = live.keys_arrived
            if event is not None:
                self._loop.call_soon_threadsafe(event.set)
        return [live.record.id for live in started]

    def _wait_for_keys(self, live: _LiveJob) -> None:
        """Park a resumed visitor-key job until its owner offers the keys (or time runs out)."""
        since = live.record.waiting_since or time.time()
        live.waiting = True
        live.waiting_since = since
        live.keys_arrived = asyncio.Event()
        live.best_percent = live.record.percent
        self.store.set_waiting(live.record.id, since)
        self._publish(live, Running(percent=live.record.percent, message=WAITING_FOR_KEY_MESSAGE))

    def _key_deadline(self, since: float) -> float:
        """When a job that began waiting for its owner's keys at `since` gives up."""
        return since + self.settings.studio_user_key_wait_hours * 3600.0

    def _key_wait_expired_message(self) -> Message:
        hours = f"{self.settings.studio_user_key_wait_hours:g}"
        return msg("job_key_wait_expired", hours=hours)

    async def _await_keys(self, live: _LiveJob) -> bool:
        """In the job's task: True once the owner's keys arrived, False when the wait ran out
        (the job is then failed with a sentence saying why)."""
        assert live.keys_arrived is not None
        assert live.waiting_since is not None
        # One timer per waiting job, due at its own deadline: nothing polls in between.
        remaining = self._key_deadline(live.waiting_since) - time.time()
        await _within(live.keys_arrived.wait(), max(0.0, remaining))
        with self._lock:
            arrived = not live.waiting  # offer_keys flips it under the lock
            live.waiting = False
        if not arrived:
            self._publish(live, Failed(message=self._key_wait_expired_message(), retryable=True))
            return False
        self.store.set_waiting(live.record.id, None)
        return True

    def _job_keys(self, live: _LiveJob) -> tuple[str, ...]:
        """The keys this job's texts are scrubbed of, besides the server's."""
        return secret_values(live.credentials.values())

    def close(self, timeout: float = 5.0) -> None:
        """Stop the runtime; unfinished jobs stay unfinished in the store, to be resumed."""
        self._closing = True

        async def shutdown() -> None:
            tasks = [live.task for live in list(self._live.values()) if live.task]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            providers = {id(live.provider): live.provider for live in self._live.values()}
            for provider in providers.values():
                with contextlib.suppress(Exception):
                    await provider.aclose()
            if self._http is not None:
                await self._http.aclose()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)

    # ----------------------------------------------------------------- runtime loop only
    async def _start(self, live: _LiveJob) -> None:
        live.wake_event = asyncio.Event()
        with self._lock:
            if live.cancel_requested:
                stopped = True
            else:
                stopped = False
                live.task = asyncio.create_task(self._run(live), name=f"job-{live.record.id}")
        if stopped:
            self._publish(live, Cancelled(), "cancelled", outputs=[])
            self._loop.call_later(KEEP_FINISHED_S, self._forget, live.record.id)

    def _context(self, live: _LiveJob) -> JobContext:
        job_id = live.record.id
        callback_url, reachable = (None, False)
        if self.callbacks is not None:
            callback_url, reachable = self.callbacks.url_for(live.provider.name, job_id)
        work_dir = self.settings.work_dir / live.record.folder_name
        work_dir.mkdir(parents=True, exist_ok=True)
        return JobContext(
            job_id=job_id,
            work_dir=work_dir,
            owner=live.record.owner,
            server_keys=not live.record.visitor_keys,
            callback_url=callback_url,
            callback_reachable=reachable,
            credentials=live.credentials,
            public_url_for=self._public_url_for,
            wake=lambda: self.wake(job_id),
        )

    def _public_url_for(self, path: Path) -> str | None:
        base = self.file_base_url
        outputs = self.settings.outputs_dir.resolve()
        resolved = path.resolve()
        if base is None or not resolved.is_relative_to(outputs):
            return None
        return f"{base}/gradio_api/file={resolved}"

    async def _run(self, live: _LiveJob) -> None:
        provider = live.provider
        ctx: JobContext | None = None
        try:
            if live.keys_arrived is not None and not await self._await_keys(live):
                return
            # This task's log lines (and its child tasks') are scrubbed of this job's keys only.
            set_job_keys(self._job_keys(live))
            # ... and its provider calls (and its child tasks') go to the job's transcript.
            scrub = functools.partial(self.redactor.scrub_data, job_keys=self._job_keys(live))
            record_calls(live.record, provider, self.settings, scrub)
            async with self._turn_of(live.record.owner):
                ctx = self._context(live)
                if live.handle is None:
                    live.handle = await provider.submit(ctx, live.request)
                    self.store.set_task(live.record.id, live.handle)
                await self._poll(live, ctx, live.handle)
        except asyncio.CancelledError:
            # Shutting down leaves the job unfinished, to be resumed; but a Stop that came
            # first is honoured, or the restarted app would run the job again.
            if self._closing and not live.cancel_requested:
                raise
            kept: list[Output] = []
            if live.handle is not None and ctx is not None:
                # A second cancel (Stop's own, racing the check in _sleep_or_wake) must not
                # interrupt the clean-up and leave the job without its end. A job still
                # waiting for its owner's keys has no task to cancel and has made nothing.
                kept = await _to_the_end(self._stop_task(live, ctx, live.handle))
            self._publish(live, Cancelled(outputs=kept), "cancelled", outputs=kept)
        except InvalidRequest as error:
            message = self.redactor.scrub_text(error.as_message(), self._job_keys(live))
            self._publish(live, Failed(message=message))
        except ProviderError as error:
            message = self.redactor.scrub_text(error.message, self._job_keys(live))
            self._publish(live, Failed(message=message, retryable=error.retryable))
        except Exception as error:
            log.exception("job %s on %s failed unexpectedly", live.record.id, provider.name)
            self._publish(
                live,
                Failed(
                    message=msg("job_crashed", provider=provider.label, error=type(error).__name__),
                    retryable=True,
                ),
            )
        finally:
            if not self._closing:
                # Previews are served from the work folder and a client may still be fetching
                # the last one: the folder goes when the job is forgotten, not at its end.
                self._loop.call_later(KEEP_FINISHED_S, self._forget, live.record.id)

    @contextlib.asynccontextmanager
    async def _turn_of(self, owner: str) -> AsyncIterator[None]:
        """Held while a job runs: in public mode one visitor's jobs beyond
        `studio_visitor_max_running` wait (queued) until one of theirs ends."""
        if not self.settings.public_mode or not owner:
            yield
            return
        turn = self._turns.get(owner)
        if turn is None:
            turn = self._turns[owner] = _Turn(
                asyncio.Semaphore(self.settings.studio_visitor_max_running)
            )
        turn.jobs += 1
        try:
            async with turn.semaphore:
                yield
        finally:
            turn.jobs -= 1
            if not turn.jobs:
                del self._turns[owner]  # visitors come and go: keep none that has no job

    async def _poll(self, live: _LiveJob, ctx: JobContext, handle: TaskHandle) -> None:
        provider = live.provider
        errors = 0
        last_preview: tuple[str | None, str | None] = (None, None)
        preview_path: Path | None = None
        # The task's age, not this run's: after a restart both the schedule and the ETA read
        # from a percent count from when the task was created.
        live.started_at = _task_born(live.record, handle)
        while True:
            assert live.wake_event is not None
            live.wake_event.clear()
            known = handle.model_dump()
            try:
                status = await provider.status(ctx, handle)
                errors = 0
            except ProviderError as error:
                if not error.retryable or errors + 1 >= MAX_STATUS_ERRORS:
                    raise
                errors += 1
                await self._sleep_or_wake(live, STATUS_ERROR_BACKOFF_S[errors - 1])
                continue
            if handle.model_dump() != known:
                # What the adapter learnt about its task (e.g. which status call knows it)
                # must survive a restart, or the resumed job asks everyone again.
                self.store.set_task(live.record.id, handle)
            if status.state is TaskState.SUCCEEDED:
                outputs = await self._collect(live, ctx, status.outputs)
                self._publish(live, Succeeded(outputs=outputs), "succeeded", outputs=outputs)
                return
            if status.state is TaskState.FAILED:
                message = status.error or msg("job_provider_failed", provider=provider.label)
                message = self.redactor.scrub_text(message, self._job_keys(live))
                self._publish(live, Failed(message=message, retryable=status.retryable))
                return
            eta = status.eta_s
            if status.state is TaskState.QUEUED:
                self._publish(live, Queued(position=status.queue_position), "queued")
            else:
                if status.preview is not None:
                    key = (status.preview.url, str(status.preview.path))
                    if key != last_preview:
                        preview_path = await self._materialize_preview(ctx, status.preview)
                        last_preview = key
                running = self._running_event(live, status, preview_path)
                eta = running.eta_s  # the provider's, else one from its percent
                self._publish(live, running, "running")
            delay = provider.poll_delay(time.monotonic() - live.started_at, eta)
            await self._sleep_or_wake(live, max(delay, status.retry_after_s or 0.0))

    @staticmethod
    async def _sleep_or_wake(live: _LiveJob, delay: float) -> None:
        assert live.wake_event is not None
        await _within(live.wake_event.wait(), delay)
        if live.cancel_requested:
            raise asyncio.CancelledError  # a Stop that raced a wake-up must still stop the job

    def _running_event(self, live: _LiveJob, status: TaskStatus, preview: Path | None) -> Running:
        percent = status.percent
        if percent is not None:
            percent = max(0.0, min(100.0, percent))
            # Percent never goes backwards, whatever the provider says.
            if live.best_percent is not None:
                percent = max(percent, live.best_percent)
            live.best_percent = percent
        elapsed = time.monotonic() - live.started_at
        eta = status.eta_s
        if eta is None and percent is not None and 1.0 <= percent < 100.0 and elapsed > 0.5:
            eta = elapsed * (100.0 - percent) / percent
        kind = None
        if preview is not None and status.preview is not None:
            kind = status.preview.kind
        return Running(
            percent=percent,
            message=status.message or msg("job_running"),
            preview=preview,
            preview_kind=kind,
            eta_s=eta,
        )

    async def _materialize_preview(self, ctx: JobContext, artifact: Artifact) -> Path | None:
        if artifact.path is not None:
            return artifact.path
        if artifact.url is None:
            return None
        try:
            return await download(
                self._client(),
                artifact.url,
                ctx.work_dir / "previews",
                artifact.name,
                artifact.kind,
                policy=self.result_policy,
                max_attempts=2,
            )
        except ProviderError:
            return None  # a preview is a nicety; the job goes on without it

    async def _collect(
        self, live: _LiveJob, ctx: JobContext, artifacts: list[Artifact]
    ) -> list[Output]:
        """Save a successful task's results. Once begun, a Stop neither interrupts it nor
        changes the end: the job has finished, it is only being written down."""
        with self._lock:
            live.finishing = True
        if not artifacts:
            raise ProviderError(msg("job_no_files", provider=live.provider.label))
        outputs, problems = await _to_the_end(self._save(live, artifacts))
        if not outputs:
            raise ProviderError(problems[0] if problems else msg("job_nothing_saved"))
        return outputs

    async def _stop_task(self, live: _LiveJob, ctx: JobContext, handle: TaskHandle) -> list[Output]:
        """Stop the provider's task; save the files it had completed (the job keeps them)."""
        made: list[Artifact] = []
        try:
            made = await live.provider.cancel(ctx, handle) or []
        except Exception:  # cancel must not raise; if it does, the job still ends stopped
            log.exception("job %s: cancelling on %s failed", live.record.id, live.provider.name)
        outputs, problems = await self._save(live, made)
        if problems:
            log.warning("job %s: %d kept file(s) could not be saved", live.record.id, len(problems))
        return outputs

    async def _save(
        self, live: _LiveJob, artifacts: list[Artifact]
    ) -> tuple[list[Output], list[Text]]:
        """Move or download `artifacts` into the job's outputs, each with its sidecar; the
        outputs saved and, for those that could not be, why."""
        output_dir = live.record.output_dir
        base_meta: dict[str, Any] = {
            "job_id": live.record.id,
            "capability": live.record.capability,
            "provider": live.provider.name,
            "created_at": live.record.created_at,
            "params": live.record.params,
        }
        outputs: list[Output] = []
        problems: list[Text] = []
        for artifact in artifacts:
            try:
                if artifact.path is not None:
                    path = move_into(artifact.path, output_dir, artifact.name)
                else:
                    assert artifact.url is not None
                    path = await download(
                        self._client(),
                        artifact.url,
                        output_dir,
                        artifact.name,
                        artifact.kind,
                        policy=self.result_policy,
                    )
            except ProviderError as error:
                problems.append(error.message)
                continue
            metadata = {**base_meta, **artifact.metadata}
            # Through JSON first (default=str, as the file is written), then value by value:
            # whatever a key looks like, masking it cannot break the file's structure.
            plain = json.loads(json.dumps(metadata, default=str))
            sidecar = self.redactor.scrub_data(plain, self._job_keys(live))
            write_sidecar(path, sidecar)
            outputs.append(Output(path=path, kind=artifact.kind, metadata=artifact.metadata))
        return outputs, problems

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = RecordingClient(timeout=httpx.Timeout(60.0, connect=10.0), role="download")
        return self._http

    def _publish(
        self,
        live: _LiveJob,
        event: Event,
        state: str | None = None,
        *,
        outputs: list[Output] | None = None,
    ) -> None:
        if is_terminal(event):
            flush_recorder()  # whoever hears the end may zip the transcript at once
        if state is None:
            state = "failed" if isinstance(event, Failed) else "running"
        percent = event.percent if isinstance(event, Running) else None
        if isinstance(event, Succeeded):
            percent = 100.0
        message: Text = event.message if isinstance(event, Running | Failed) else ""
        if isinstance(event, Cancelled):
            message = STOPPED_MESSAGE
        record_event = self._should_record(live, state, percent)
        self.store.update_state(
            live.record.id,
            state,  # type: ignore[arg-type]
            percent=percent if percent is not None else live.best_percent,
            message=message,
            outputs=outputs,
            record_event=record_event,
        )
        live.record = live.record.model_copy(update={"state": state})
        with self._lock:
            live.latest = event
            subscribers = list(live.subscribers)
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):  # the subscriber's loop has closed
                subscriber.loop.call_soon_threadsafe(subscriber.queue.put_nowait, event)

    @staticmethod
    def _should_record(live: _LiveJob, state: str, percent: float | None) -> bool:
        # Every change of state is kept; progress only at each tenth, to keep the log readable.
        if state != live.record.state:
            live.last_recorded_bucket = int((percent or 0) // 10)
            return True
        if state == "running" and percent is not None:
            bucket = int(percent // 10)
            if bucket > live.last_recorded_bucket:
                live.last_recorded_bucket = bucket
                return True
        return False

    def _finish_record(self, record: JobRecord, event: Failed) -> None:
        self.store.update_state(record.id, "failed", message=event.message)

    def _forget(self, job_id: str) -> None:
        with self._lock:
            live = self._live.get(job_id)
            if live is not None and not live.subscribers:
                del self._live[job_id]
        record = live.record if live is not None else self.store.get(job_id)
        if record is not None:
            shutil.rmtree(self.settings.work_dir / record.folder_name, ignore_errors=True)

    def _sweep_work_dirs(self, keep: set[str]) -> None:
        """Remove scratch folders left by jobs that ended before the last stop."""
        root = self.settings.work_dir
        if not root.is_dir():
            return
        for folder in root.iterdir():
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _keep_inputs(request: StudioRequest, inputs_dir: Path) -> StudioRequest:
        """Copy uploaded files next to the job's outputs, so History keeps what was asked."""
        updates: dict[str, Path] = {}
        for name in type(request).model_fields:
            value = getattr(request, name)
            if isinstance(value, Path) and value.is_file():
                inputs_dir.mkdir(parents=True, exist_ok=True)
                target = inputs_dir / safe_name(value.name, default=name)
                if value.resolve() != target.resolve():
                    shutil.copy2(value, target)
                updates[name] = target
        return request.model_copy(update=updates) if updates else request


async def _to_the_end(awaitable: Awaitable[T]) -> T:
    """`awaitable`'s result, even when the caller is cancelled meanwhile (a Stop's own cancel
    arriving late, or the shutdown): a clean-up half done would leave files unlisted."""
    task = asyncio.ensure_future(awaitable)
    while True:
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                return task.result()


def _task_born(record: JobRecord, handle: TaskHandle) -> float:
    """When the provider's task began (time.monotonic()), which its polling schedule follows:
    just now for a task created by this run, the job's creation for one resumed after a restart
    (a task that ran on meanwhile is not looked at as often as a new one)."""
    now = time.monotonic()
    if record.task != handle:  # the record as loaded holds the handle only when resumed
        return now
    return now - max(0.0, time.time() - record.created_at)


async def _within(awaitable: Awaitable[T], seconds: float | None) -> T | None:
    """`awaitable`'s result, or None after `seconds`.

    Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that arrives just as the
    awaited thing completes, and then Stop would not stop the job.
    """
    task = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    finally:
        if not task.done():
            task.cancel()
    if done or (task.done() and not task.cancelled()):
        return task.result()
    return None


def _keys_for(provider: Provider, offered: Mapping[str, SecretStr]) -> dict[str, SecretStr] | None:
    """The offered keys a waiting job on `provider` needs, or None when one is missing.

    Only the provider's own fields go to the job; a provider that declares none (a test
    double) takes whatever non-blank keys were offered.
    """
    present = {name: value for name, value in offered.items() if value.get_secret_value().strip()}
    needed: tuple[str, ...] = tuple(getattr(provider, "credential_fields", ()))
    if not needed:
        return present or None
    if not all(name in present for name in needed):
        return None
    return {name: present[name] for name in needed}


def event_from_record(record: JobRecord) -> Event:
    if record.state == "succeeded":
        return Succeeded(outputs=record.outputs)
    if record.state == "cancelled":
        return Cancelled(outputs=record.outputs)
    if record.state == "failed":
        return Failed(message=record.message_text or msg("job_failed"), retryable=True)
    if record.state == "queued":
        return Queued(position=None)
    return Running(percent=record.percent, message=record.message_text or msg("job_running"))
