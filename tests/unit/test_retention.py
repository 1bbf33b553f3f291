"""In public mode the finished jobs of anonymous visitors expire with their files; signed-in
visitors' jobs, unfinished jobs and everything on one's own machine stay."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.media import job_output_dir
from core.retention import delete_job_files, start_expiry_sweeps, sweep_expired
from core.store import JobStore

DAY = 86_400.0
# Generous: the sweeper's first sweep runs at once; only a broken one takes this long.
DEADLINE_S = 30.0


def make_settings(tmp_path: Path, *, public: bool = True, **overrides: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        studio_data_dir=tmp_path / "data", studio_public=public, _env_file=None, **overrides
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def store(settings: Settings) -> Iterator[JobStore]:
    made = JobStore(settings.db_path)
    yield made
    made.close()


def add_job(
    store: JobStore, settings: Settings, name: str, owner: str, age_days: float, state: str
) -> str:
    """A job started `age_days` ago, with an output, a kept input and a scratch folder."""
    job_id = name.ljust(32, "0")
    created = time.time() - age_days * DAY
    output_dir = job_output_dir(settings.outputs_dir, job_id, created)
    store.create(job_id, "text_to_music", "offline", {}, output_dir, created, owner=owner)
    if state != "queued":
        store.update_state(job_id, state)  # type: ignore[arg-type]
    (output_dir / "inputs").mkdir(parents=True)
    (output_dir / "inputs" / "photo.png").write_bytes(b"x")
    (output_dir / "song.wav").write_bytes(b"x")
    (settings.work_dir / output_dir.name).mkdir(parents=True)
    (settings.work_dir / output_dir.name / "preview.png").write_bytes(b"x")
    return job_id


def files_of(settings: Settings, store: JobStore, job_id: str) -> bool:
    folders = list((settings.work_dir).glob(f"{job_id}*"))
    folders += list(settings.outputs_dir.glob(f"*/{job_id}*"))
    return any(folder.exists() for folder in folders)


@pytest.fixture
def jobs(settings: Settings, store: JobStore) -> dict[str, str]:
    return {
        "old_anon": add_job(store, settings, "a1", "anon:" + "1" * 32, 8, "succeeded"),
        "old_session": add_job(store, settings, "a2", "session:abc", 30, "failed"),
        "old_call": add_job(store, settings, "a3", "call:def", 7.5, "cancelled"),
        "young_anon": add_job(store, settings, "b1", "anon:" + "2" * 32, 6, "succeeded"),
        "old_signed_in": add_job(store, settings, "c1", "hf:someone", 90, "succeeded"),
        "old_unfinished": add_job(store, settings, "d1", "anon:" + "3" * 32, 20, "running"),
        "old_queued": add_job(store, settings, "d2", "anon:" + "4" * 32, 20, "queued"),
    }


def test_old_finished_jobs_of_anonymous_visitors_go_with_their_files(
    settings: Settings, store: JobStore, jobs: dict[str, str]
) -> None:
    old_dir = store.get(jobs["old_anon"]).output_dir  # type: ignore[union-attr]
    deleted = sweep_expired(settings, store)
    gone = {"old_anon", "old_session", "old_call"}
    assert sorted(deleted) == sorted(jobs[name] for name in gone)
    for name, job_id in jobs.items():
        assert (store.get(job_id) is None) == (name in gone), name
    assert not old_dir.exists()
    assert not old_dir.parent.exists(), "the day's folder, once empty, goes too"
    assert not (settings.work_dir / jobs["old_anon"]).exists()
    for name in ("young_anon", "old_signed_in", "old_unfinished", "old_queued"):
        assert files_of(settings, store, jobs[name]), name
    assert sweep_expired(settings, store) == []  # nothing left to do


def test_the_expiry_follows_the_setting(
    tmp_path: Path, store: JobStore, jobs: dict[str, str]
) -> None:
    settings = make_settings(tmp_path, studio_anonymous_expiry_days=5)
    assert jobs["young_anon"] in sweep_expired(settings, store)


def test_nothing_expires_on_ones_own_machine(
    tmp_path: Path, store: JobStore, jobs: dict[str, str]
) -> None:
    settings = make_settings(tmp_path, public=False)
    assert sweep_expired(settings, store) == []
    assert all(store.get(job_id) is not None for job_id in jobs.values())
    assert start_expiry_sweeps(settings, store) is None


def test_the_sweeper_sweeps_at_start(
    settings: Settings, store: JobStore, jobs: dict[str, str]
) -> None:
    sweeper = start_expiry_sweeps(settings, store)
    assert sweeper is not None
    try:
        deadline = time.monotonic() + DEADLINE_S
        while store.get(jobs["old_anon"]) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.get(jobs["old_anon"]) is None
        assert store.get(jobs["young_anon"]) is not None
    finally:
        sweeper.stop()


def test_only_the_jobs_own_folders_are_ever_deleted(
    settings: Settings, store: JobStore, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / ("e" * 32)
    outside.mkdir(parents=True)
    (outside / "keep.txt").write_text("mine")
    store.create("e" * 32, "text_to_music", "offline", {}, outside, owner="anon:x")
    record = store.get("e" * 32)
    assert record is not None
    assert delete_job_files(settings, record) == 0
    assert (outside / "keep.txt").exists()
