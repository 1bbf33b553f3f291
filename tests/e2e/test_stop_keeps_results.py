"""A stopped job keeps what it made (issue 11), through the launched app.

A 40-song offline job (image to music, the offline engine that writes many songs) is stopped
once a few songs are written: through `JobManager.cancel` (what every Stop comes down to) or
from History (its private cancel event, as another tab would). The job ends `cancelled`, its record lists
exactly the songs written before the stop, History's API lists them, Download all holds them,
and each one decodes as a whole 30 s song; a watcher's last event is `Cancelled`, never an error.
"""

from __future__ import annotations

import asyncio
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file
from gradio_client.client import Job
from PIL import Image

from core.events import Cancelled, Event, Failed
from core.store import JobRecord
from tabs.run_card import zip_outputs
from tests.private_events import call_event, outputs
from tests.studio_server import RunningStudio

SONGS = 40
STOP_AFTER = 3  # songs written when Stop is pressed
SONG_SECONDS = 30.0
SONG_AT = re.compile(rf"Song (\d+)/{SONGS}")
TIMEOUT_S = 120.0


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "evening.png"
    pixels = np.zeros((48, 64, 3), np.uint8)
    pixels[..., 2] = 170
    pixels[:24, :, 0] = 220
    Image.fromarray(pixels).save(path)
    return path


def start_songs(client: Client, picture: Path) -> Job:
    return client.submit(
        image=handle_file(str(picture)),
        song_quantity=SONGS,
        output_type="mp3",
        provider="offline",
        api_name="/image_to_music",
    )


def wait_for_song(job: Job, number: int) -> None:
    """Until the status says the engine is on song `number` (the ones before are written)."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        for update in job.outputs():
            found = SONG_AT.search(str(update[0]))
            if found and int(found.group(1)) >= number:
                return
        time.sleep(0.05)
    raise AssertionError(f"song {number} never began: {job.outputs()[-1:]}")


def history_row(client: Client, job_id: str) -> dict[str, Any]:
    rows = client.predict("all", "all", "all", 100, 0, api_name="/history_list")
    return next(row for row in rows if row["id"] == job_id)


def newest_job(studio: RunningStudio) -> str:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        jobs = studio.studio.services.store.list(capability="image_to_music", limit=1)
        if jobs and jobs[0].state == "running":
            return jobs[0].id
        time.sleep(0.05)
    raise AssertionError("the job never started")


def ended(studio: RunningStudio, job_id: str) -> JobRecord:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        record = studio.studio.services.store.get(job_id)
        if record is not None and record.finished:
            return record
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never ended: {record}")


def check_kept_songs(studio: RunningStudio, client: Client, record: JobRecord) -> None:
    assert record.state == "cancelled", record
    kept = [output.path for output in record.outputs]
    assert STOP_AFTER <= len(kept) < SONGS // 2, kept
    # The songs written before the stop, in order, and nothing else in the outputs folder.
    assert [path.stem.rsplit("-song", 1)[1] for path in kept] == [
        str(n) for n in range(1, len(kept) + 1)
    ]
    beside = {p.name for p in record.output_dir.iterdir() if p.is_file() and p.suffix == ".mp3"}
    assert beside == {path.name for path in kept}
    for path in kept:
        head = path.read_bytes()[:3]
        assert head == b"ID3" or (head[0] == 0xFF and head[1] & 0xE0 == 0xE0), (path, head)
        samples, rate = sf.read(path)
        assert len(samples) / rate == pytest.approx(SONG_SECONDS, abs=0.5), path
        assert float(np.abs(samples).max()) > 0.01, f"{path} is silent"
    row = history_row(client, record.id)
    assert row["state"] == "cancelled"
    assert row["files"] == [path.name for path in kept]
    bundle = zip_outputs(record)
    assert bundle is not None
    with zipfile.ZipFile(bundle) as archive:
        assert {path.name for path in kept} <= set(archive.namelist())


def test_stop_keeps_and_lists_the_songs_already_written(
    studio: RunningStudio, downloads: Path, picture: Path
) -> None:
    client = studio.client(downloads)
    job = start_songs(client, picture)
    wait_for_song(job, STOP_AFTER + 1)
    job_id = newest_job(studio)
    # What every Stop comes down to (the page's Stop, History's Cancel, an API caller's cancel).
    assert studio.studio.services.jobs.cancel(job_id)
    record = ended(studio, job_id)
    check_kept_songs(studio, client, record)
    # The tab that started the job ends calmly, its files output holding the songs kept.
    *_, files = job.result(timeout=TIMEOUT_S)
    shown = [Path(f if isinstance(f, str) else f["path"]).name for f in files]
    assert shown == [output.path.name for output in record.outputs]


async def last_event(studio: RunningStudio, job_id: str) -> list[Event]:
    return [event async for event in studio.studio.services.jobs.events(job_id)]


def test_a_job_cancelled_from_history_ends_calmly_with_its_songs(
    studio: RunningStudio, downloads: Path, picture: Path
) -> None:
    client = studio.client(downloads)
    job = start_songs(client, picture)
    try:
        wait_for_song(job, STOP_AFTER + 1)
        job_id = newest_job(studio)
        loop = asyncio.new_event_loop()
        watcher = loop.create_task(last_event(studio, job_id))
        loop.run_until_complete(asyncio.sleep(0.1))  # subscribed while the job runs
        outputs(call_event(studio.url, studio.studio.demo, "cancel_chosen", [job_id], "h"))
        seen = loop.run_until_complete(asyncio.wait_for(watcher, TIMEOUT_S))
        loop.close()
        assert isinstance(seen[-1], Cancelled), seen[-1]
        assert not any(isinstance(event, Failed) for event in seen)
        record = ended(studio, job_id)
        assert seen[-1].outputs == record.outputs
        check_kept_songs(studio, client, record)
        # The tab that started the job shows no error, and the songs kept.
        *_, files = job.result(timeout=TIMEOUT_S)
        shown = [Path(f if isinstance(f, str) else f["path"]).name for f in files]
        assert shown == [output.path.name for output in record.outputs]
    finally:
        job.cancel()
