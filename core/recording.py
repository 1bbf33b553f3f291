"""Capturing a job's provider calls into its transcript (core/transcript.py).

The adapters and the result downloads send through a `RecordingClient`. The JobManager calls
`record_calls` in each job's own task; every request that task (or a task it starts, such as
Vidu's state stream) sends then lands in that job's transcript, whichever provider's client it
goes through, and the adapters need not know. A request sent outside any job (a reachability
check, a test) is not recorded and costs nothing extra.

With STUDIO_RECORD set, each job's calls are also written whole as a replay fixture:
`<STUDIO_RECORD>/<provider>-<capability>-<job id>/transcript.json`, with every binary answer
(result files) in `bodies/` beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from core.config import Settings
from core.provider import Provider
from core.store import JobRecord
from core.transcript import (
    BODY_LIMIT,
    PARSE_LIMIT,
    TRANSCRIPT_NAME,
    Body,
    Exchange,
    Role,
    Scrub,
    Transcript,
    keep_window,
    mask_headers,
    mask_url,
    read_transcript,
    shape_body,
    write_transcript,
)

log = logging.getLogger(__name__)

BODIES_DIR = "bodies"
# A streamed text answer (an event stream) up to this size is kept inline in a fixture.
FIXTURE_INLINE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CallNote:
    """What the code sending a request knows about it and the client does not."""

    role: Role | None = None
    attempt: int = 1


# A job's transcript is rewritten after a status call at most this often (and at its end).
WRITE_EVERY_S = 2.0
_RECORDER: ContextVar[TranscriptRecorder | None] = ContextVar("studio_transcript", default=None)
_NOTE: ContextVar[CallNote | None] = ContextVar("studio_call_note", default=None)


@contextlib.contextmanager
def noted(*, role: Role | None = None, attempt: int | None = None) -> Iterator[None]:
    """Requests sent inside the block are marked with `role` and `attempt`."""
    current = _NOTE.get() or CallNote()
    token = _NOTE.set(CallNote(role or current.role, attempt or current.attempt))
    try:
        yield
    finally:
        _NOTE.reset(token)


def record_calls(record: JobRecord, provider: Provider, settings: Settings, scrub: Scrub) -> None:
    """From now on, the calls of the current task (and the tasks it starts) go to the job's
    transcript, masked with `scrub`; resuming a job goes on with the transcript it has."""
    addresses = getattr(provider, "addresses_in_use", None)
    head = Transcript(
        job_id=record.id,
        provider=record.provider,
        capability=record.capability,
        addresses=addresses() if callable(addresses) else {},
    )
    fixture_dir = None
    if settings.record_dir is not None:
        fixture_dir = settings.record_dir / f"{record.provider}-{record.capability}-{record.id}"
    use_recorder(TranscriptRecorder(record.output_dir / TRANSCRIPT_NAME, head, scrub, fixture_dir))


def use_recorder(recorder: TranscriptRecorder | None) -> None:
    """The current task's calls (and those of the tasks it starts) go to `recorder`."""
    _RECORDER.set(recorder)


def flush_recorder() -> None:
    """Write what the current task's transcript holds that is not on disk yet (a job's end)."""
    recorder = _RECORDER.get()
    if recorder is not None:
        recorder.flush()


class RecordingClient(httpx.AsyncClient):
    """An httpx client whose every exchange goes to the transcript of the job sending it."""

    def __init__(self, *args: Any, role: Role = "call", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._role: Role = role

    async def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        recorder = _RECORDER.get()
        if recorder is None:
            return await super().send(request, stream=stream, **kwargs)
        note = _NOTE.get() or CallNote()
        call = recorder.begin(request, note.role or self._role, note.attempt)
        try:
            response = await super().send(request, stream=stream, **kwargs)
        except BaseException as error:  # a Stop (CancelledError) is recorded too
            call.fail(error)
            raise
        call.answered(response)
        if stream:
            call.raw = True
            response.stream = _Tee(response.stream, call)
        else:
            call.feed(response.content)
            call.ended()
            call.close()
        return response


class _Tee(httpx.AsyncByteStream):
    """A streamed answer's bytes, seen by the transcript on their way to the reader."""

    def __init__(self, inner: Any, call: _Call) -> None:
        self._inner = inner
        self._call = call

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                self._call.feed(chunk)
                yield chunk
        except GeneratorExit:  # the reader stopped early: not an error of the exchange
            raise
        except BaseException as error:
            self._call.fail(error)
            raise
        self._call.ended()

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._call.close()


def _error_name(error: BaseException) -> str:
    return "cancelled" if isinstance(error, asyncio.CancelledError) else type(error).__name__


class _Call:
    """One exchange while it happens: the request, then the answer's bytes as they come."""

    def __init__(
        self, recorder: TranscriptRecorder, n: int, request: httpx.Request, role: Role, attempt: int
    ) -> None:
        self.recorder = recorder
        self.n = n
        self.request = request
        self.role: Role = role
        self.attempt = attempt
        self.at = time.time()
        self._started = time.perf_counter()
        self.ms = 0.0
        self.response: httpx.Response | None = None
        self.error: str | None = None
        self.head = bytearray()  # the beginning, for the transcript
        self.size = 0
        self.complete = False
        # Streamed: the bytes are as they came, still in the answer's content encoding.
        self.raw = False
        self.whole: bytearray | None = bytearray() if recorder.fixture_dir else None
        self.file: Path | None = None
        self._handle: IO[bytes] | None = None
        self._closed = False

    def answered(self, response: httpx.Response) -> None:
        self.response = response

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        room = PARSE_LIMIT - len(self.head)
        if room > 0:
            self.head += chunk[:room]
        if self.whole is not None:
            self._keep(chunk)

    def _keep(self, chunk: bytes) -> None:
        # A fixture keeps whole answers; a large one (a result file) goes straight to disk.
        assert self.whole is not None
        if self._handle is None and len(self.whole) + len(chunk) <= FIXTURE_INLINE_BYTES:
            self.whole += chunk
            return
        try:
            if self._handle is None:
                self.file = self.recorder.body_path(self.n)
                self.file.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self.file.open("wb")
                self._handle.write(self.whole)
                self.whole = bytearray()
            self._handle.write(chunk)
        except OSError:
            log.warning("could not keep answer %d of the fixture", self.n, exc_info=True)
            self.whole = None

    def ended(self) -> None:
        self.complete = True

    def fail(self, error: BaseException) -> None:
        self.error = _error_name(error)
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.ms = (time.perf_counter() - self._started) * 1000.0
        if self._handle is not None:
            self._handle.close()
        try:
            self.recorder.finish(self)
        except Exception:  # the transcript must never break the job it describes
            log.exception("could not record call %d", self.n)


class TranscriptRecorder:
    """The transcript of one job (and its fixture, when recording), rewritten after each call
    so that a failed, stopped or crashed job keeps the calls it made."""

    def __init__(
        self, path: Path, head: Transcript, scrub: Scrub, fixture_dir: Path | None = None
    ) -> None:
        self.path = path
        self.scrub = scrub
        self.fixture_dir = fixture_dir
        self.transcript = _continued(read_transcript(path), head)
        self.fixture: Transcript | None = None
        if fixture_dir is not None:
            self.fixture = _continued(read_transcript(fixture_dir / TRANSCRIPT_NAME), head)
        numbers = [exchange.n for exchange in self.transcript.exchanges]
        self._sent = max([self.transcript.total, *numbers])
        self._unwritten = False
        self._written_at = 0.0

    def begin(self, request: httpx.Request, role: Role, attempt: int) -> _Call:
        self._sent += 1
        return _Call(self, self._sent, request, role, attempt)

    def body_path(self, n: int) -> Path:
        assert self.fixture_dir is not None
        return self.fixture_dir / BODIES_DIR / f"{n}.bin"

    def finish(self, call: _Call) -> None:
        exchange = self._exchange(call, whole=False)
        transcript = self.transcript
        transcript.total += 1
        transcript.exchanges = keep_window([*transcript.exchanges, exchange])
        if self.fixture is not None:
            self.fixture.total += 1
            self.fixture.exchanges = sorted(
                [*self.fixture.exchanges, self._exchange(call, whole=True)], key=lambda e: e.n
            )
        self._unwritten = True
        # Status calls come often and the writes run on the loop all jobs share: at most one
        # every WRITE_EVERY_S; anything else (a create, an upload, a download) at once.
        if call.role != "call" or time.monotonic() - self._written_at >= WRITE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if not self._unwritten:
            return
        self._unwritten = False
        self._written_at = time.monotonic()
        self._write(self.path, self.transcript)
        if self.fixture is not None and self.fixture_dir is not None:
            self._write(self.fixture_dir / TRANSCRIPT_NAME, self.fixture)

    @staticmethod
    def _write(path: Path, transcript: Transcript) -> None:
        try:
            write_transcript(path, transcript)
        except OSError:
            log.warning("could not write %s", path, exc_info=True)

    def _exchange(self, call: _Call, *, whole: bool) -> Exchange:
        request, response = call.request, call.response
        return Exchange(
            n=call.n,
            role=call.role,
            attempt=call.attempt,
            at=call.at,
            ms=round(call.ms, 1),
            method=request.method,
            url=mask_url(str(_logical_url(request)), self.scrub),
            status=response.status_code if response is not None else None,
            error=call.error,
            request_headers=mask_headers(request.headers.multi_items(), self.scrub),
            request_body=self._request_body(request, whole=whole),
            response_headers=(
                mask_headers(response.headers.multi_items(), self.scrub) if response else {}
            ),
            response_body=self._response_body(call, whole=whole) if response else None,
        )

    def _request_body(self, request: httpx.Request, *, whole: bool) -> Body | None:
        content_type = request.headers.get("content-type", "")
        try:
            content = request.content
        except httpx.RequestNotRead:  # a streamed upload (multipart): its size only
            declared = request.headers.get("content-length", "")
            size = int(declared) if declared.isdigit() else 0
            return Body(size=size, content_type=content_type, binary=True)
        if not content:
            return None
        return shape_body(content, content_type, self.scrub, limit=None if whole else BODY_LIMIT)

    def _response_body(self, call: _Call, *, whole: bool) -> Body:
        assert call.response is not None
        content_type = call.response.headers.get("content-type", "")
        if not whole or call.whole is None:
            complete = call.complete and len(call.head) == call.size
            return shape_body(
                bytes(call.head), content_type, self.scrub, complete=complete, size=call.size
            )
        if call.file is None:
            body = shape_body(bytes(call.whole), content_type, self.scrub, limit=None)
            if not body.binary:
                return body
            call.file = self.body_path(call.n)
            call.file.parent.mkdir(parents=True, exist_ok=True)
            call.file.write_bytes(call.whole)
        assert self.fixture_dir is not None
        encoding = call.response.headers.get("content-encoding", "") if call.raw else ""
        return Body(
            size=call.size,
            content_type=content_type,
            binary=True,
            cut=not call.complete,
            file=call.file.relative_to(self.fixture_dir).as_posix(),
            content_encoding=encoding,
        )


def _continued(existing: Transcript | None, head: Transcript) -> Transcript:
    """The job's transcript so far (a resumed job), else a new one."""
    if existing is None or existing.job_id != head.job_id:
        return head.model_copy(deep=True)
    return existing.model_copy(update={"addresses": head.addresses or existing.addresses})


def _logical_url(request: httpx.Request) -> httpx.URL:
    """The URL as its sender meant it: the guarded fetcher (core/fetch.py) connects to a
    checked address and names the host in the Host header."""
    host = request.headers.get("host", "")
    if host and host != request.url.netloc.decode("ascii", "replace"):
        with contextlib.suppress(httpx.InvalidURL, ValueError):
            return request.url.copy_with(netloc=host.encode("ascii", "replace"))
    return request.url
