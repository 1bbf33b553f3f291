"""Cancel really stops the provider traffic.

For each remote provider the real app is launched against the emulators; a job is submitted
through gradio_client, cancelled once it is polling, and then: within 2 s the store records it
cancelled, and from 2 s after the cancel on, for 3 s, the emulator receives nothing more for
it — no status call, no download, and no request left open (Vidu's state stream included).

The adapters' poll schedules are shortened to ~0.3 s, so a job that kept polling would show up
a dozen times in the silent window: the window proves something.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file
from starlette.types import ASGIApp, Receive, Scope, Send

import emulators.testing
import providers.imgopen
import providers.suno
import providers.tencent_mmlab
import providers.vidu
from emulators.common import split_path
from emulators.state import EmulatorState
from emulators.testing import EmulatorServer
from providers.declarations import Polling
from tests.studio_server import RunningStudio, launch_studio

TASK_SECONDS = 10.0
QUICK_POLL_S = 0.3
RECORDED_WITHIN_S = 2.0
QUIET_FROM_S = 2.0
QUIET_FOR_S = 3.0
START_TIMEOUT_S = 30.0


@dataclass
class Exchange:
    provider: str
    method: str
    path: str
    started: float
    ended: float | None = None


class InFlight:
    """An ASGI layer around the emulators: when each request started and when it ended."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._exchanges: list[Exchange] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        provider, path = split_path(scope["path"])
        exchange = Exchange(provider or "", scope["method"], path, time.monotonic())
        with self._lock:
            self._exchanges.append(exchange)
        try:
            await self.app(scope, receive, send)
        finally:
            exchange.ended = time.monotonic()

    def of(self, provider: str) -> list[Exchange]:
        with self._lock:
            return [e for e in self._exchanges if e.provider == provider]


@dataclass
class Rig:
    emulator: EmulatorServer
    inflight: InFlight
    studio: RunningStudio
    client: Client


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    layers: list[InFlight] = []
    real_build_app = emulators.testing.build_app

    def build_app(state: EmulatorState) -> ASGIApp:
        layers.append(InFlight(real_build_app(state)))
        return layers[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(emulators.testing, "build_app", build_app)
        # Shorter poll schedules (read by the adapters at each poll): see the module docstring.
        for adapter in (
            providers.imgopen.ImgOpenProvider,
            providers.tencent_mmlab.TencentProvider,
            providers.suno.SunoProvider,
            providers.vidu.ViduProvider,
        ):
            patch.setattr(adapter, "polling", Polling(QUICK_POLL_S))
        patch.setattr(providers.vidu, "POLL_ANYWAY_S", 1.0)
        with EmulatorServer(task_seconds=TASK_SECONDS) as emu:
            env = {name.lower(): value for name, value in emu.env().items()}
            studio = launch_studio(tmp_path_factory.mktemp("cancel-studio"), **env)
            try:
                client = studio.client(tmp_path_factory.mktemp("cancel-downloads"))
                yield Rig(emu, layers[-1], studio, client)
            finally:
                studio.close()


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cancel-song") / "song.wav"
    t = np.arange(22050) / 22050
    sf.write(path, (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), 22050)
    return path


@dataclass(frozen=True)
class Case:
    provider: str
    endpoint: str
    # Calls on this path (method, glob relative to the provider's base) are status calls.
    status_path: str
    # How many such calls show that the job is polling (Tencent's create shares its path).
    status_calls: int
    values: Callable[[Rig, Path], dict[str, Any]]


CASES = [
    Case(
        "imgopen",
        "text_to_music",
        "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo",
        2,
        lambda rig, song: {"prompt": "cancel me", "seconds": 5, "steps": 10, "seed": 1},
    ),
    Case(
        "tencent",
        "image_to_music",
        "/job",
        3,
        lambda rig, song: {"image_url": "https://images.example.com/cat.png"},
    ),
    Case(
        "suno",
        "extend_music",
        "/api/v1/generate/record-info",
        2,
        lambda rig, song: {"audio": handle_file(str(song)), "prompt": "keep going"},
    ),
    Case(
        "vidu",
        "video_upscale",
        "/vidu/v1/tasks/[0-9]*",
        2,
        lambda rig, song: {"creation_id": rig.emulator.state.vidu_add_creation()},
    ),
]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


@pytest.mark.parametrize("case", CASES, ids=[case.provider for case in CASES])
def test_cancel_stops_every_request_to_the_provider(case: Case, rig: Rig, song: Path) -> None:
    state = rig.emulator.state
    store = rig.studio.studio.services.store
    known = {record.id for record in store.list(provider=case.provider)}

    def status_calls() -> int:
        return state.calls.count(case.provider, "*", case.status_path)

    polls_before = status_calls()
    job = rig.client.submit(
        **case.values(rig, song), provider=case.provider, api_name=f"/{case.endpoint}"
    )
    wait_for(
        lambda: status_calls() >= polls_before + case.status_calls,
        START_TIMEOUT_S,
        f"{case.provider} to be polled",
    )
    if case.provider == "vidu":
        wait_for(
            lambda: any(
                e.path == "/vidu/v1/tasks/state" and e.ended is None
                for e in rig.inflight.of("vidu")
            ),
            START_TIMEOUT_S,
            "Vidu's state stream to open",
        )
    [record] = [r for r in store.list(provider=case.provider) if r.id not in known]
    assert record.state in ("queued", "running"), record.state

    job.cancel()
    cancelled_at = time.monotonic()

    def recorded() -> bool:
        found = store.get(record.id)
        return found is not None and found.state == "cancelled"

    wait_for(recorded, RECORDED_WITHIN_S, "the store to record the job cancelled")

    sleep_until(cancelled_at + QUIET_FROM_S)
    calls_then = [c for c in state.calls.all() if c[0] == case.provider]
    still_open = [e for e in rig.inflight.of(case.provider) if e.ended is None]
    assert not still_open, f"requests still open 2 s after the cancel: {still_open}"

    sleep_until(cancelled_at + QUIET_FROM_S + QUIET_FOR_S)
    calls_now = [c for c in state.calls.all() if c[0] == case.provider]
    late = calls_now[len(calls_then) :]
    assert not late, f"{case.provider} got {len(late)} requests after the cancel: {late[:5]}"
    started_late = [
        e for e in rig.inflight.of(case.provider) if e.started > cancelled_at + QUIET_FROM_S
    ]
    assert not started_late, started_late
    assert not [e for e in rig.inflight.of(case.provider) if e.ended is None]

    final = store.get(record.id)
    assert final is not None
    assert final.state == "cancelled"
    assert final.outputs == []
    assert not any(final.output_dir.glob("*.mp[34]"))
