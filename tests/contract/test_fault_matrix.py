"""The fault matrix: the JobManager driving each real adapter against a misbehaving emulator.

Every transient fault (5xx, rate limits with Retry-After, a hang past the adapter's timeout, a
dropped connection, a malformed answer) on the status path or on the result download must be
absorbed: the job succeeds. Every lasting one (a failed task, an expired result link, a create
call that errors or breaks off) must end the job with exactly one Failed event carrying a
sentence a person can read, with no key and no stack trace. In every case the provider's
create call was made exactly once: a create is never retried (it could bill twice).

The adapters run unchanged except for a shorter poll schedule (and, for the hang cases, a
short read timeout): the schedule is the adapters' own business, tested elsewhere.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import numpy as np
import pytest
import soundfile as sf

import core.jobs
from core.callbacks import CallbackSigner
from core.config import Settings
from core.events import Event, Failed, Succeeded, is_terminal
from core.jobs import JobManager
from core.media import sniff_file
from core.provider import Provider
from core.requests import (
    ExtendMusicRequest,
    ImageToMusicRequest,
    StudioRequest,
    TextToMusicRequest,
    VideoUpscaleRequest,
)
from core.store import JobStore
from emulators.state import Fault, ProviderName
from emulators.testing import EmulatorServer
from providers.imgopen import ImgOpenProvider
from providers.suno import SunoProvider
from providers.tencent_mmlab import TencentProvider
from providers.vidu import ViduProvider
from tests.adapter_fixtures import CANARIES, make_settings, reset, start_emulator

TASK_SECONDS = 0.3
POLL_S = 0.1
HANG_READ_TIMEOUT_S = 1.0
RETRY_AFTER_S = 1.0
JOB_TIMEOUT_S = 30.0

PROVIDERS: tuple[ProviderName, ...] = ("imgopen", "tencent", "suno", "vidu")
ADAPTERS: dict[str, type[Any]] = {
    "imgopen": ImgOpenProvider,
    "tencent": TencentProvider,
    "suno": SunoProvider,
    "vidu": ViduProvider,
}
# Where each provider is asked for a task's state, and where its results are fetched
# (paths relative to the provider's base URL, as the emulator's fault book matches them).
STATUS: dict[str, dict[str, Any]] = {
    "imgopen": {"path": "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo", "method": "POST"},
    "tencent": {"path": "/job", "method": "POST", "action": "GetJob"},
    "suno": {"path": "/api/v1/generate/record-info", "method": "GET"},
    "vidu": {"path": "/vidu/v1/tasks/[0-9]*", "method": "GET"},
}
CREATE: dict[str, dict[str, Any]] = {
    "imgopen": {"path": "/AIGCImgOpenServ/saas/vocal/text2music", "method": "POST"},
    "tencent": {"path": "/job", "method": "POST", "action": "CreateJob"},
    "suno": {"path": "/api/v1/generate/upload-extend", "method": "POST"},
    "vidu": {"path": "/vidu/v1/tasks", "method": "POST"},
}
RESULTS: dict[str, str] = {
    "imgopen": "/files/*",
    "tencent": "/aigc-studio/*",
    # Not /files/stream/*: that is the preview, which a job may do without.
    "suno": "/files/[!s]*",
    "vidu": "/files/*",
}
EXPECTED_KIND = {"imgopen": "audio", "tencent": "audio", "suno": "audio", "vidu": "video"}

Where = Literal["status", "create", "results", "upload", "task"]


@dataclass
class Case:
    id: str
    provider: ProviderName
    where: Where
    fault: dict[str, Any] = field(default_factory=dict)
    outcome: Literal["succeeded", "failed"] = "succeeded"
    # The failure sentence must match this (so it is the right failure, not any failure).
    says: str = ""
    min_seconds: float = 0.0  # a Retry-After honoured shows in the job's duration
    short_timeout: bool = False


TRANSIENT: list[tuple[str, dict[str, Any], float, bool]] = [
    ("500x2", {"status": 500, "times": 2}, 0.0, False),
    ("502", {"status": 502}, 0.0, False),
    ("503-retry-after", {"status": 503, "retry_after": RETRY_AFTER_S}, RETRY_AFTER_S, False),
    ("429-retry-after", {"status": 429, "retry_after": RETRY_AFTER_S}, RETRY_AFTER_S, False),
    ("hang", {"kind": "hang", "hang_seconds": 5.0}, 0.0, True),
    ("drop", {"kind": "drop"}, 0.0, False),
    ("malformed", {"kind": "malformed"}, 0.0, False),
]


def build_cases() -> list[Case]:
    cases: list[Case] = []
    for provider in PROVIDERS:
        for name, fault, min_seconds, short in TRANSIENT:
            if provider == "suno" and fault.get("status") == 429:
                continue  # Suno's 429 is "out of credits": final (a case of its own below)
            cases.append(
                Case(
                    f"{provider}-status-{name}",
                    provider,
                    "status",
                    fault,
                    "succeeded",
                    "",
                    min_seconds,
                    short,
                )
            )
        for name, fault in (("500x2", {"status": 500, "times": 2}), ("drop", {"kind": "drop"})):
            cases.append(Case(f"{provider}-results-{name}", provider, "results", fault))
        cases.append(
            Case(
                f"{provider}-task-failed",
                provider,
                "task",
                {"fail": True},
                "failed",
                r"could not|failed|refused",
            )
        )
        cases.append(
            Case(
                f"{provider}-results-expired",
                provider,
                "results",
                {"expire": True},
                "failed",
                r"no longer available.*expired",
            )
        )
        cases.append(
            Case(
                f"{provider}-create-500",
                provider,
                "create",
                {"status": 500},
                "failed",
                r"500|server error",
            )
        )
        cases.append(
            Case(
                f"{provider}-create-drop",
                provider,
                "create",
                {"kind": "drop"},
                "failed",
                r"may or may not have been created",
            )
        )
    for code in (405, 430):
        cases.append(
            Case(
                f"suno-status-envelope-{code}",
                "suno",
                "status",
                {"kind": "envelope", "status": code, "retry_after": RETRY_AFTER_S},
                "succeeded",
                "",
                RETRY_AFTER_S,
            )
        )
    cases.append(
        Case(
            "suno-upload-envelope-430",
            "suno",
            "upload",
            {"kind": "envelope", "status": 430, "retry_after": 0.2},
        )
    )
    cases.append(
        Case(
            "suno-status-429-out-of-credits",
            "suno",
            "status",
            {"status": 429, "retry_after": RETRY_AFTER_S},
            "failed",
            r"out of credits",
        )
    )
    cases.append(
        Case(
            "suno-create-envelope-430",
            "suno",
            "create",
            {"kind": "envelope", "status": 430},
            "failed",
            r"calling too often",
        )
    )
    return cases


CASES = build_cases()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=TASK_SECONDS) as emu:
        # Short media: the emulators test contracts, and this file runs ~60 jobs.
        emu.state.music_seconds = 1.0
        emu.state.video_seconds = 0.5
        yield emu


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("song") / "song.wav"
    t = np.arange(44100) / 44100
    sf.write(path, (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), 44100)
    return path


@pytest.fixture(autouse=True)
def fast_status_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    # The JobManager waits 2 s, 4 s, ... after a failed status call; the matrix needs the
    # behaviour, not the wait.
    monkeypatch.setattr(core.jobs, "STATUS_ERROR_BACKOFF_S", (0.1,) * 8)


def make_provider(name: str, settings: Settings, *, short_timeout: bool) -> Provider:
    base = ADAPTERS[name]

    class Quick(base):  # type: ignore[misc, valid-type]
        def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
            return POLL_S

    timeout = (
        httpx.Timeout(connect=5.0, read=HANG_READ_TIMEOUT_S, write=5.0, pool=5.0)
        if short_timeout
        else httpx.Timeout(10.0)
    )
    provider: Provider = Quick(settings, timeout=timeout)
    return provider


def make_request(name: str, emu: EmulatorServer, song: Path) -> StudioRequest:
    if name == "imgopen":
        return TextToMusicRequest(prompt="fault matrix", seconds=1, steps=10, cfg=7.0, seed=9)
    if name == "tencent":
        # Not on this machine: the emulator does not fetch it (no network), which is enough.
        return ImageToMusicRequest(image_url="https://images.example.com/cat.png")
    if name == "suno":
        return ExtendMusicRequest(audio=song, prompt="keep going")
    return VideoUpscaleRequest(creation_id=emu.state.vidu_add_creation())


def script(case: Case, emu: EmulatorServer) -> list[Fault]:
    state = emu.state
    spec = dict(case.fault)
    if spec.pop("fail", False):
        state.faults.fail_tasks(case.provider)
        return []
    if spec.pop("expire", False):
        state.faults.expire_results(case.provider)
        return []
    if case.where == "status":
        target = STATUS[case.provider]
    elif case.where == "create":
        target = CREATE[case.provider]
    elif case.where == "upload":
        target = {"path": "/api/file-stream-upload", "method": "POST"}
    else:
        target = {"path": RESULTS[case.provider], "method": "GET"}
    fault = Fault(provider=case.provider, **target, **spec)
    return [state.faults.add(fault)]


def create_attempts(case: Case, emu: EmulatorServer, job_id: str, faults: list[Fault]) -> int:
    """How many create calls reached the emulator for this job."""
    target = CREATE[case.provider]
    if case.provider != "tencent":
        return emu.state.calls.count(case.provider, "POST", target["path"])
    # Tencent's single endpoint: the call log cannot tell CreateJob from GetJob, so count the
    # jobs the emulator registered under our customId, plus the create calls a fault swallowed.
    registered = sum(
        1 for job in emu.state.tasks["tencent"].values() if job.request.get("customId") == job_id
    )
    swallowed = sum(
        1 - f.times for f in faults if f.action == "CreateJob" and case.where == "create"
    )
    return registered + swallowed


def assert_readable(message: str) -> None:
    assert len(message) >= 15, message
    assert message[0].isupper(), message
    assert "Traceback" not in message
    assert 'File "' not in message
    assert "\n" not in message, message
    assert "<class" not in message, message
    assert "object at 0x" not in message, message
    # A module-qualified exception (httpx.ReadTimeout, builtins.KeyError...) is a dump.
    assert not re.search(r"\b[a-z_]+\.[A-Za-z_.]*(Error|Exception|Timeout)\b", message), message
    assert "failed unexpectedly" not in message, message  # the JobManager's catch-all
    for canary in CANARIES:
        assert canary not in message


async def run_job(
    jobs: JobManager, provider: Provider, request: StudioRequest
) -> tuple[str, list[Event], float]:
    started = time.monotonic()
    job_id = jobs.submit(provider, request)
    events: list[Event] = []

    async def collect() -> None:
        async for event in jobs.events(job_id):
            events.append(event)

    await asyncio.wait_for(collect(), JOB_TIMEOUT_S)
    return job_id, events, time.monotonic() - started


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_fault(case: Case, emulator: EmulatorServer, song: Path, tmp_path: Path) -> None:
    reset(emulator)
    # The callback address is never reachable here (Suno insists on one all the same).
    settings = make_settings(emulator, tmp_path)
    provider = make_provider(case.provider, settings, short_timeout=case.short_timeout)
    store = JobStore(settings.db_path)
    jobs = JobManager(
        store,
        settings,
        lambda name: provider if name == provider.name else None,
        callbacks=CallbackSigner(b"fault-matrix", "http://127.0.0.1:9", reachable=False),
    )
    try:
        request = make_request(case.provider, emulator, song)
        faults = script(case, emulator)
        job_id, events, elapsed = await run_job(jobs, provider, request)
    finally:
        jobs.close()

    terminal = [event for event in events if is_terminal(event)]
    assert len(terminal) == 1, events
    assert terminal[0] is events[-1], events
    record = store.get(job_id)
    assert record is not None
    ends = [e for e in store.events(job_id) if e.state in ("succeeded", "failed", "cancelled")]
    assert len(ends) == 1, store.events(job_id)
    store.close()

    final = terminal[0]
    if case.outcome == "succeeded":
        assert isinstance(final, Succeeded), f"{case.id}: {final}"
        assert record.state == "succeeded"
        for output in final.outputs:
            assert output.path.stat().st_size > 0
            assert output.path.parent == record.output_dir
            assert output.kind == EXPECTED_KIND[case.provider]
            assert sniff_file(output.path) in ("mp3", "wav", "mp4"), output.path
        assert elapsed >= case.min_seconds, f"Retry-After ignored: {elapsed:.2f} s"
    else:
        assert isinstance(final, Failed), f"{case.id}: {final}"
        assert record.state == "failed"
        said = str(final.message)
        assert record.message == said
        assert_readable(said)
        assert re.search(case.says, said), said
        assert not any(record.output_dir.glob("*.mp[34]"))

    # Every fault scripted was actually played (else the case proved nothing).
    assert all(f.times == 0 for f in faults), faults
    assert create_attempts(case, emulator, job_id, faults) == 1


def test_matrix_covers_every_provider_on_every_path() -> None:
    seen = {(case.provider, case.where) for case in CASES}
    for provider in PROVIDERS:
        for where in ("status", "create", "results", "task"):
            assert (provider, where) in seen
    assert sum(case.outcome == "failed" for case in CASES) >= 16
