"""A Suno job on its declared polling schedule (providers/declarations.py), through the real
JobManager and the Suno emulator: a task that spends under a second in FIRST_SUCCESS still
shows its first track before the end (a fixed 3 s poll missed it)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from core.callbacks import CallbackSigner
from core.events import Event, Running, Succeeded
from core.jobs import JobManager
from core.requests import ExtendMusicRequest
from core.store import JobStore
from emulators.testing import EmulatorServer
from providers import suno
from tests.adapter_fixtures import make_settings, reset, start_emulator

RECORD_PATH = "/api/v1/generate/record-info"
# The emulator's Suno task is in FIRST_SUCCESS from 55 % to 100 % of its time: 0.9 s here,
# from 1.1 s to 2 s after its creation, between two looks of a fixed 3 s schedule.
TASK_S = 2.0


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator(TASK_S) as server:
        server.state.music_seconds = 1.0
        yield server


async def test_a_short_first_success_shows_the_first_track_early(
    emu: EmulatorServer, tmp_path: Path
) -> None:
    reset(emu)
    song = tmp_path / "song.wav"
    t = np.arange(22050 * 3) / 22050
    sf.write(song, 0.2 * np.sin(2 * np.pi * 220 * t), 22050)
    settings = make_settings(emu, tmp_path / "data")
    provider = suno.create(settings)
    store = JobStore(settings.db_path)
    # Suno insists on a callback address; nothing answers at this one, so polling alone
    # follows the task (as on a machine without a public URL).
    unreachable = CallbackSigner(b"first-track", "http://127.0.0.1:9", reachable=False)
    jobs = JobManager(store, settings, lambda name: provider, callbacks=unreachable)
    try:
        job_id = jobs.submit(provider, ExtendMusicRequest(audio=song, prompt="and then drums"))
        events: list[Event] = await asyncio.wait_for(_all(jobs, job_id), 30)
    finally:
        jobs.close()
        store.close()
        await provider.aclose()
    assert isinstance(events[-1], Succeeded), events[-1]
    previews = [e for e in events if isinstance(e, Running) and e.preview is not None]
    assert previews, "the first track was never shown before the end"
    assert previews[0].preview_kind == "audio"
    # Keeping up cost a handful of looks, well within the account's budget.
    assert emu.state.calls.count("suno", "GET", RECORD_PATH) <= suno.CALLS_PER_WINDOW


async def _all(jobs: JobManager, job_id: str) -> list[Event]:
    return [event async for event in jobs.events(job_id)]
