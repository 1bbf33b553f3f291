"""Fair share on a public studio, through the real app: one visitor's flood does not hold
another's job, and past the per-visitor limit a job is refused with a sentence."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client.exceptions import AppError

from tests.studio_server import RunningStudio, launch_studio

FLOOD_PROMPT = "a lighthouse at dusk, oil painting"
# Seconds of engine work each on this machine: the flood outlasts A's short job many times.
HEAVY = {"width": 2048, "height": 2048, "steps": 150, "seed": 3, "api_name": "/text_to_image"}


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    running = launch_studio(
        tmp_path_factory.mktemp("fair"),
        studio_public=True,
        studio_offline_workers=1,
        studio_visitor_max_running=5,
        studio_visitor_max_queued=0,
    )
    try:
        yield running
    finally:
        running.close()


def _wait(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_a_flood_from_one_visitor_does_not_hold_anothers_first_job(
    one_worker: RunningStudio, tmp_path: Path
) -> None:
    store = one_worker.studio.services.store
    flooder = one_worker.client(tmp_path / "b")
    flood = [flooder.submit(prompt=f"{FLOOD_PROMPT} {n}", **HEAVY) for n in range(5)]
    _wait(lambda: len(store.list(limit=50)) == 5)
    # One limit past the flood: the sixth unfinished job of the same visitor is refused.
    with pytest.raises(AppError) as refused:
        flooder.predict(prompt="one too many", **HEAVY)
    assert "jobs" in str(refused.value)
    assert "at most 5" in str(refused.value)

    mine = one_worker.client(tmp_path / "a")
    mine.predict(
        prompt="calm piano", seconds=1, steps=10, cfg=3.0, seed=1, api_name="/text_to_music"
    )
    (a_job,) = [r for r in store.list(limit=50) if r.params["prompt"] == "calm piano"]
    b_jobs = [r for r in store.list(limit=50) if r.params["prompt"].startswith(FLOOD_PROMPT)]
    finished_before = [
        r for r in b_jobs if r.finished_at is not None and r.finished_at <= a_job.finished_at
    ]
    # At most the flood job that was already running when A asked (plus one starting at that
    # moment) finished first: A did not wait for the whole flood.
    assert len(finished_before) <= 2, [r.params["prompt"] for r in finished_before]
    for job in flood:
        job.result(timeout=300)
