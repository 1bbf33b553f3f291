"""Helpers for the adapters' contract tests: emulator, settings, a JobManager-like poll loop.

Each test file makes its own module-scoped emulator with `start_emulator()`; the emulator's
keys are distinctive canaries, so a test can check that no key leaks into handles, statuses
or error messages.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from core.config import Settings
from core.errors import ProviderError
from core.fetch import FetchPolicy
from core.media import download
from core.provider import JobContext, Provider, TaskHandle, TaskState, TaskStatus
from emulators.common import Switches
from emulators.state import EmulatorKeys
from emulators.testing import EmulatorServer

CANARY_KEYS = EmulatorKeys(
    imgopen_access_key_id="canary-SECRET-imgopen-id-123",
    imgopen_access_key_secret="canary-SECRET-imgopen-key-123",
    tencent_secret_id="canary-SECRET-tencent-id-123",
    tencent_secret_key="canary-SECRET-tencent-key-123",
    suno_api_key="canary-SECRET-suno-123",
    vidu_api_key="canary-SECRET-vidu-123",
)
CANARIES: tuple[str, ...] = tuple(vars(CANARY_KEYS).values())
TASK_SECONDS = 0.4
# The JobManager tolerates a few consecutive retryable status errors; so does the loop below.
RETRYABLE_TOLERANCE = 5


@contextmanager
def start_emulator(task_seconds: float = TASK_SECONDS) -> Iterator[EmulatorServer]:
    with EmulatorServer(task_seconds=task_seconds) as emu:
        emu.state.keys = CANARY_KEYS
        yield emu


def reset(emu: EmulatorServer) -> None:
    """A clean slate between tests sharing one emulator."""
    emu.state.faults.clear()
    emu.state.calls.clear()
    emu.state.suno_rate_limit = False
    Switches.reset_all(emu.state)  # every emulator answers in its default shape again


def make_settings(emu: EmulatorServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {k.lower(): v for k, v in emu.env().items()}
    values.update(overrides)
    return Settings(_env_file=None, studio_data_dir=tmp_path, **values)  # type: ignore[call-arg]


@dataclass
class Wakes:
    count: int = 0

    def __call__(self) -> None:
        self.count += 1


def make_ctx(
    tmp_path: Path,
    job_id: str = "job-0001",
    *,
    callback_url: str | None = "http://127.0.0.1:9/callback/job-0001",
    callback_reachable: bool = False,
    credentials: dict[str, SecretStr] | None = None,
    public_url_for: Callable[[Path], str | None] | None = None,
    wake: Callable[[], None] | None = None,
) -> JobContext:
    work = tmp_path / "work" / job_id
    work.mkdir(parents=True, exist_ok=True)
    return JobContext(
        job_id=job_id,
        work_dir=work,
        callback_url=callback_url,
        callback_reachable=callback_reachable,
        credentials=credentials or {},
        public_url_for=public_url_for or (lambda _path: None),
        wake=wake or (lambda: None),
    )


@dataclass
class Run:
    final: TaskStatus
    statuses: list[TaskStatus] = field(default_factory=list)
    errors: list[ProviderError] = field(default_factory=list)


async def run_to_end(
    provider: Provider,
    ctx: JobContext,
    handle: TaskHandle,
    *,
    timeout_s: float = 20.0,
    max_sleep_s: float = 0.05,
    max_retry_after_s: float = 1.0,
) -> Run:
    """status() until the task ends, as the JobManager would (but sleeping less).

    Retryable ProviderErrors are tolerated up to RETRYABLE_TOLERANCE in a row; a provider's
    `retry_after_s` is honoured (capped, to keep tests fast).
    """
    statuses: list[TaskStatus] = []
    errors: list[ProviderError] = []
    in_a_row = 0
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        delay = provider.poll_delay(time.monotonic() - start)
        assert delay > 0
        try:
            status = await provider.status(ctx, handle)
        except ProviderError as error:
            errors.append(error)
            in_a_row += 1
            if not error.retryable or in_a_row > RETRYABLE_TOLERANCE:
                raise
            await asyncio.sleep(max_sleep_s)
            continue
        in_a_row = 0
        statuses.append(status)
        if status.state in (TaskState.SUCCEEDED, TaskState.FAILED):
            return Run(status, statuses, errors)
        wait = min(delay, max_sleep_s)
        if status.retry_after_s is not None:
            wait = min(status.retry_after_s, max_retry_after_s)
        await asyncio.sleep(wait)
    raise AssertionError(f"the task did not end in {timeout_s} s; last: {statuses[-1:]}")


async def download_outputs(status: TaskStatus, directory: Path) -> list[Path]:
    """Download every output as the JobManager does (checks kind by content)."""
    paths = []
    async with httpx.AsyncClient(timeout=10.0) as client:
        for artifact in status.outputs:
            assert artifact.url is not None
            paths.append(
                await download(
                    client,
                    artifact.url,
                    directory,
                    artifact.name,
                    artifact.kind,
                    policy=FetchPolicy(allow_private=True, max_bytes=50 * 1024 * 1024),
                )
            )
    return paths


def assert_no_canary(*texts: str) -> None:
    for text in texts:
        for canary in CANARIES:
            assert canary not in text, f"a key leaked into: {text[:200]}"
        assert "canary-SECRET" not in text


def dumps(handle: TaskHandle | None, run: Run | None = None) -> list[str]:
    """Everything an adapter handed back, as text: handle, statuses, error messages."""
    texts = [handle.model_dump_json()] if handle is not None else []
    if run is not None:
        texts += [status.model_dump_json() for status in run.statuses]
        texts += [str(error) for error in run.errors]
    return texts
