"""Transcripts and record/replay, through the launched app (issue 12).

One studio runs a job per remote provider against the emulators, with canary keys and
STUDIO_RECORD on. Each job's transcript is in its folder, in Download all and in the run card
(the page's own private event), and no canary is in any of them, nor in the fixtures. Then each
fixture is replayed (emulators/replay.py) and a second studio, pointed at the replays, runs the
same jobs: its result files are byte for byte the first studio's, and its adapters saw the same
answers. A job stopped mid-task keeps the calls it made.
"""

from __future__ import annotations

import json
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file

from core.config import Settings
from core.jobs import JobManager
from core.requests import TextToMusicRequest
from core.store import JobRecord, JobStore
from core.transcript import TRANSCRIPT_NAME, Transcript, read_transcript
from emulators.replay import Replay, ReplayServer
from emulators.testing import EmulatorServer
from providers.declarations import declaration
from providers.registry import create_remote
from tabs.run_card import ZIP_NAME
from tests.adapter_fixtures import CANARIES, start_emulator
from tests.e2e.test_canary_keys import leaks_in_bytes, leaks_in_text, refused_jobs
from tests.private_events import call_fn, outputs
from tests.studio_server import RunningStudio, launch_studio

IMAGE_URL = "https://images.example.com/cat.png"  # the emulator accepts it unseen
CREATION_ID = "2370483030340581"  # the Vidu page's example creation: known to the emulator


def jobs(song: Path) -> list[dict[str, Any]]:
    """One job per remote provider and capability, the same in both studios (the replayed
    studio runs one per provider: a provider has one address, so one replay at a time)."""
    return [
        {"prompt": "transcript song", "seconds": 1, "steps": 10, "seed": 1,
         "provider": "imgopen", "api_name": "/text_to_music"},
        {"prompt": "transcript bird", "width": 128, "height": 128, "steps": 4, "seed": 2,
         "provider": "imgopen", "api_name": "/text_to_image"},
        {"image": None, "image_url": IMAGE_URL, "provider": "tencent",
         "api_name": "/image_to_music"},
        {"audio": handle_file(str(song)), "upload_url": "", "prompt": "transcript chorus",
         "provider": "suno", "api_name": "/extend_music"},
        {"video": None, "creation_id": CREATION_ID, "provider": "vidu",
         "api_name": "/video_upscale"},
    ]  # fmt: skip


@dataclass
class Run:
    studio: RunningStudio
    client: Client
    records: list[JobRecord]
    record_dir: Path


def run_jobs(
    studio: RunningStudio, downloads: Path, song: Path, record_dir: Path, skip: str = ""
) -> Run:
    client = studio.client(downloads)
    for kwargs in jobs(song):
        if kwargs["api_name"] != skip:
            client.predict(**kwargs)
    store = studio.studio.services.store
    records = sorted(store.list(limit=100), key=lambda r: r.created_at)
    return Run(studio, client, records, record_dir)


@pytest.fixture(scope="module")
def song(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("song") / "song.wav"
    t = np.arange(44100 * 2) / 44100
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 44100)
    return path


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=0.4) as emu:
        emu.state.music_seconds = 1.0
        yield emu


@pytest.fixture(scope="module")
def recorded(
    emulator: EmulatorServer, song: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    """The first studio, on the emulators with canary keys, recording every job."""
    root = tmp_path_factory.mktemp("recorded")
    overrides = {name.lower(): value for name, value in emulator.env().items()}
    assert set(CANARIES) <= set(overrides.values())
    studio = launch_studio(root / "data", studio_record=root / "fixtures", **overrides)
    try:
        yield run_jobs(studio, root / "downloads", song, root / "fixtures")
    finally:
        studio.close()


def run_card_of(run: Run, session_hash: str) -> list[str]:
    """What the run card event of each tab shows this session: its cards, as the page does."""
    demo = run.studio.studio.demo
    fills: dict[int, list[int]] = defaultdict(list)  # the card's id → the events filling it
    for index, block_fn in demo.fns.items():
        if getattr(block_fn.fn, "__name__", None) == "fill_run_card":
            fills[block_fn.outputs[1]._id].append(int(index))
    # Filled after a run that succeeded and after one that failed (its transcript matters most).
    assert len(fills) == 5
    for events in fills.values():
        on_failure = sorted(demo.fns[index].trigger_only_on_failure for index in events)
        assert on_failure == [False, True], events
    cards = []
    for first, _after_failure in fills.values():
        card = outputs(call_fn(run.studio.url, first, [], session_hash))[1]
        if card:
            cards.append(card)
    return cards


def history_calls(run: Run, job_id: str) -> str:
    """The "Provider calls" section History shows for an opened job, as the page asks."""
    demo = run.studio.studio.demo
    for index, block_fn in demo.fns.items():
        ids = [getattr(block, "elem_id", None) for block in block_fn.outputs]
        if block_fn.name == "show" and "history-provider-calls-text" in ids:
            done = outputs(call_fn(run.studio.url, int(index), [job_id], run.client.session_hash))
            return str(done[ids.index("history-provider-calls-text")])
    raise AssertionError("History has no event that opens a job with its provider calls")


def test_each_job_keeps_its_calls_in_its_folder_zip_and_card_with_keys_masked(
    recorded: Run, emulator: EmulatorServer, song: Path, tmp_path: Path
) -> None:
    assert [r.state for r in recorded.records] == ["succeeded"] * 5, [
        (r.provider, r.message) for r in recorded.records
    ]
    cards = run_card_of(recorded, recorded.client.session_hash)
    assert len(cards) == 5
    # A refused key: the job fails, and its transcript holds the refusal.
    refusing = Client(recorded.studio.url, verbose=False, download_files=str(tmp_path))
    refused_jobs(refusing, emulator, song)
    cards += run_card_of(recorded, refusing.session_hash)
    records = recorded.studio.studio.services.store.list(limit=100)
    assert len(records) == 9
    assert len(cards) == 9
    for record in records:
        transcript = read_transcript(record.output_dir / TRANSCRIPT_NAME)
        assert transcript is not None, record
        first = transcript.exchanges[0]
        assert first.status is not None
        sent = first.request_body.data if first.request_body else None
        masked = json.dumps(first.request_headers) + json.dumps(sent)
        assert "***" in masked, masked  # the keys were on the wire, and masked here
        if record.state == "succeeded":
            assert [e.role for e in transcript.exchanges].count("create") == 1
            assert any(e.role == "download" for e in transcript.exchanges)
        with zipfile.ZipFile(record.output_dir / ZIP_NAME) as archive:
            assert TRANSCRIPT_NAME in archive.namelist()
            for name in archive.namelist():
                assert not leaks_in_bytes(archive.read(name)), name
        assert not leaks_in_bytes((record.output_dir / TRANSCRIPT_NAME).read_bytes())
    for card in cards:
        assert "**Provider calls**" in card
        assert "<details>" in card
    assert not leaks_in_text(cards)
    history = [history_calls(recorded, record.id) for record in recorded.records]
    for record, calls in zip(recorded.records, history, strict=True):
        assert "**Provider calls**" in calls, record.id
        assert "<details>" in calls
    assert not leaks_in_text(history)
    fixtures = [p for p in recorded.record_dir.rglob("*") if p.is_file()]
    assert len([p for p in fixtures if p.name == TRANSCRIPT_NAME]) == 9
    for path in fixtures:
        assert not leaks_in_bytes(path.read_bytes()), path


def _answers_by_call(transcript: Transcript, replay: Replay | None) -> dict[str, list[Any]]:
    """Each call (method and URL path, as recorded) → the answers it got, in order."""
    seen: dict[str, list[Any]] = defaultdict(list)
    for exchange in transcript.exchanges:
        url = replay.recorded_url(exchange.url) if replay else exchange.url
        call = f"{exchange.method} {url.split('?')[0]}"
        body = exchange.response_body
        # A rewritten URL changes a text's length; a file's must not change.
        content = (
            body.model_dump(exclude={"file"} if body.binary else {"file", "size"}) if body else None
        )
        text = json.dumps(content, sort_keys=True)
        seen[call].append((exchange.status, replay.recorded_url(text) if replay else text))
    return seen


def test_a_replayed_job_makes_the_same_files_and_sees_the_same_answers(
    recorded: Run, song: Path, tmp_path: Path
) -> None:
    replayed = [r for r in recorded.records[:5] if r.capability != "text_to_music"]
    first = {r.provider: r for r in replayed}
    fixtures = {
        key: recorded.record_dir / f"{r.provider}-{r.capability}-{r.id}" for key, r in first.items()
    }
    with ExitStack() as stack:
        replays = {key: stack.enter_context(ReplayServer(path)) for key, path in fixtures.items()}
        env: dict[str, str] = {}
        for replay in replays.values():
            env.update(replay.env())
        overrides = {name.lower(): value for name, value in env.items()}
        studio = launch_studio(tmp_path / "data", studio_record=tmp_path / "fixtures", **overrides)
        try:
            again = run_jobs(
                studio, tmp_path / "downloads", song, tmp_path / "fixtures", "/text_to_music"
            )
        finally:
            studio.close()
        for replay in replays.values():
            assert replay.unserved() == [], replay.fixture.provider
    second = {r.provider: r for r in again.records}
    assert set(second) == set(first)
    for key, record in second.items():
        assert record.state == "succeeded", (key, record.message)
        before = [o.path for o in first[key].outputs]
        after = [o.path for o in record.outputs]
        assert [p.name for p in after] == [p.name for p in before]
        for old, new in zip(before, after, strict=True):
            assert new.read_bytes() == old.read_bytes(), new.name
        original = read_transcript(fixtures[key] / TRANSCRIPT_NAME)
        replayed = read_transcript(
            again.record_dir
            / f"{record.provider}-{record.capability}-{record.id}"
            / TRANSCRIPT_NAME
        )
        assert original is not None
        assert replayed is not None
        assert _answers_by_call(replayed, replays[key]) == _answers_by_call(original, None), key


def test_a_stopped_job_keeps_the_calls_it_made(emulator: EmulatorServer, tmp_path: Path) -> None:
    overrides = {name.lower(): value for name, value in emulator.env().items()}
    settings = Settings(_env_file=None, studio_data_dir=tmp_path, **overrides)  # type: ignore[call-arg]
    store = JobStore(settings.db_path)
    provider = create_remote(declaration("imgopen"), settings)
    manager = JobManager(store, settings, lambda name: provider)
    emulator.state.task_seconds = 60.0
    try:
        job_id = manager.submit(provider, TextToMusicRequest(prompt="long", seconds=1))
        record = store.get(job_id)
        assert record is not None
        path = record.output_dir / TRANSCRIPT_NAME
        deadline = time.monotonic() + 30
        while (
            read_transcript(path) or Transcript(job_id="", provider="", capability="")
        ).total < 2:
            assert time.monotonic() < deadline, "no status call was recorded"
            time.sleep(0.05)
        assert manager.cancel(job_id)
        while manager.is_live(job_id):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        emulator.state.task_seconds = 0.4
        manager.close()
        store.close()
    transcript = read_transcript(path)
    assert transcript is not None
    assert transcript.exchanges[0].role == "create"
    assert all(e.status == 200 for e in transcript.exchanges if e.error is None)
