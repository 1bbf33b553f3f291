"""Fair share in public mode: jobs at once per visitor, the storage quota and the caps on heavy
offline requests, each refused before the job is stored, naming the field and the limit; on
one's own machine none of them holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from core.config import Settings
from core.errors import InvalidRequest
from core.fetch import FetchPolicy
from core.jobs import JobManager
from core.limits import (
    check_admission,
    check_job_count,
    check_storage,
    owner_storage_bytes,
    upload_limits,
)
from core.media import SAFE_IMAGE_PIXELS
from core.requests import Capability, StudioRequest, build_request
from core.store import JobStore
from core.workers import WorkerPool
from providers.offline.limits import check_heavy
from providers.offline.provider import OfflineProvider
from providers.offline.task_image_to_music import SONG_SECONDS
from tabs.i18n import invalid_message
from tests.unit.test_jobs import DONE, REQUEST, ScriptedProvider

B = "anon:" + "b" * 32
A = "anon:" + "a" * 32


def make_settings(tmp_path: Path, *, public: bool = True, **overrides: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        studio_data_dir=tmp_path / "data", studio_public=public, _env_file=None, **overrides
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    made = JobStore(tmp_path / "data" / "studio.sqlite3")
    yield made
    made.close()


def add_jobs(store: JobStore, settings: Settings, owner: str, states: list[str]) -> list[str]:
    ids = []
    for index, state in enumerate(states):
        job_id = f"{owner[-4:]}{index:04d}{'0' * 24}"
        store.create(
            job_id, "text_to_music", "offline", {}, settings.outputs_dir / job_id, owner=owner
        )
        if state != "queued":
            store.update_state(job_id, state)  # type: ignore[arg-type]
        ids.append(job_id)
    return ids


def refused(check: Any, *args: Any) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        check(*args)
    return caught.value


# --------------------------------------------------------------------------- jobs at once


def test_running_and_waiting_together_are_capped(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    check_job_count(settings, {"running": 2, "queued": 4})
    check_job_count(settings, {"queued": 6})
    error = refused(check_job_count, settings, {"running": 2, "queued": 5})
    assert error.field == "jobs"
    assert "you already have 7 unfinished jobs (2 running, 5 waiting)" in str(error.message)
    assert "at most 7 at once here (2 running and 5 waiting)" in str(error.message)
    assert "stop one in History" in str(error.message)


def test_the_limits_follow_the_settings(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, studio_visitor_max_running=1, studio_visitor_max_queued=0)
    check_job_count(settings, {})
    error = refused(check_job_count, settings, {"running": 1})
    assert "at most 1 at once here (1 running and 0 waiting)" in str(error.message)


async def test_a_visitor_at_the_limit_is_refused_before_anything_is_stored(
    tmp_path: Path, store: JobStore
) -> None:
    settings = make_settings(tmp_path)
    add_jobs(store, settings, B, ["running", "running", *["queued"] * 5, "succeeded"])
    provider = ScriptedProvider([DONE])
    jobs = JobManager(store, settings, lambda name: provider)
    try:
        before = store.list(limit=100)
        with pytest.raises(InvalidRequest) as caught:
            jobs.submit(provider, REQUEST, owner=B)
        assert caught.value.field == "jobs"
        assert store.list(limit=100) == before
        assert provider.submits == 0
        assert not settings.outputs_dir.exists()
        # Someone else is not held by B's jobs.
        job_id = jobs.submit(provider, REQUEST, owner=A)
        assert store.get(job_id, owner=A) is not None
    finally:
        jobs.close()


def test_on_ones_own_machine_nothing_is_capped(tmp_path: Path, store: JobStore) -> None:
    settings = make_settings(tmp_path, public=False, studio_visitor_quota_mb=1)
    add_jobs(store, settings, "", ["running"] * 12)
    heavy = build_request("text_to_image", prompt="x", width=2048, height=2048, n_iter=8)
    check_admission(settings, store, "")
    check_heavy(settings, heavy, "offline")
    assert upload_limits(settings).max_pixels == SAFE_IMAGE_PIXELS


# --------------------------------------------------------------------------- storage


def test_the_quota_counts_only_the_visitors_own_files(tmp_path: Path, store: JobStore) -> None:
    settings = make_settings(tmp_path, studio_visitor_quota_mb=1)
    mine, theirs = (
        add_jobs(store, settings, B, ["succeeded"])[0],
        add_jobs(store, settings, A, ["succeeded"])[0],
    )
    for job_id, size in ((mine, 600_000), (theirs, 5_000_000)):
        inputs = settings.outputs_dir / job_id / "inputs"
        inputs.mkdir(parents=True)
        (inputs / "photo.png").write_bytes(bytes(size // 2))
        (settings.outputs_dir / job_id / "song.wav").write_bytes(bytes(size // 2))
    assert owner_storage_bytes(store, B) == 600_000
    check_storage(settings, owner_storage_bytes(store, B))
    error = refused(check_storage, settings, owner_storage_bytes(store, A))
    assert error.field == "storage"
    assert "your jobs' files take 5 MB here" in str(error.message)
    assert "at most 1 MB" in str(error.message)
    assert "Delete jobs you no longer need in History" in str(error.message)
    # Through the admission check: A is refused, B is not.
    refused(check_admission, settings, store, A)
    check_admission(settings, store, B)


# --------------------------------------------------------------------------- heavy requests


def image_request(**values: Any) -> StudioRequest:
    return build_request("text_to_image", prompt="a red sky", **values)


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        (
            {"width": 2048, "height": 2048, "n_iter": 8},
            "n_iter",
            "8 images of 2048×2048 is 33.6 MP; the offline painter makes at most 16 MP "
            "(pixels × images) per job here: at most 3 images of this size",
        ),
        (
            {"width": 2048, "height": 2048, "enable_hr": True, "hr_scale": 2},
            "hr_scale",
            "1 image of 4096×4096 is 16.8 MP",
        ),
    ],
)
def test_too_many_pixels_are_refused_naming_what_to_change(
    tmp_path: Path, values: dict[str, Any], field: str, says: str
) -> None:
    error = refused(check_heavy, make_settings(tmp_path), image_request(**values), "offline")
    assert error.field == field
    assert says in str(error.message)


def test_one_image_over_the_cap_names_its_size(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, studio_max_offline_megapixels=1)
    error = refused(check_heavy, settings, image_request(width=2048, height=1024), "offline")
    assert error.field == "width"
    assert "at most 1 MP" in str(error.message)


def test_requests_within_the_caps_and_remote_ones_pass(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    check_heavy(settings, image_request(width=2048, height=2048, n_iter=3), "offline")
    check_heavy(settings, image_request(width=2048, height=2048, n_iter=8), "imgopen")
    songs = build_request("image_to_music", image_url="https://e.com/a.png", song_quantity=100)
    check_heavy(settings, songs, "tencent")


def test_too_much_music_is_refused_with_the_song_length_of_the_engine(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    most = int(settings.studio_max_offline_audio_s // SONG_SECONDS)

    def songs(count: int) -> StudioRequest:
        return build_request("image_to_music", image_url="https://e.com/a.png", song_quantity=count)

    check_heavy(settings, songs(most), "offline")
    error = refused(check_heavy, settings, songs(most + 1), "offline")
    assert error.field == "song_quantity"
    assert f"{most + 1} songs of {SONG_SECONDS:g} s" in str(error.message)
    assert f"at most 600 s per job here ({most} songs)" in str(error.message)


def clip(path: Path, seconds: int) -> Path:
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(seconds):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, 1)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def test_a_video_too_long_to_upscale_here_is_refused(tmp_path: Path, store: JobStore) -> None:
    settings = make_settings(tmp_path, studio_max_offline_video_s=2)
    short = build_request("video_upscale", video=clip(tmp_path / "short.mp4", 2))
    check_heavy(settings, short, "offline")
    long = build_request("video_upscale", video=clip(tmp_path / "long.mp4", 4))
    error = refused(check_heavy, settings, long, "offline")
    assert error.field == "video"
    assert "at most 2 s can be upscaled offline here" in str(error.message)
    check_heavy(settings, long, "vidu")


async def test_a_heavy_request_is_refused_before_the_job_exists(
    tmp_path: Path, store: JobStore
) -> None:
    settings = make_settings(tmp_path)
    # The caps are the offline engines': the offline provider's check applies them.
    provider = OfflineProvider(
        WorkerPool(1), FetchPolicy.for_visitor_urls(settings), settings=settings
    )
    jobs = JobManager(store, settings, lambda name: provider)
    try:
        with pytest.raises(InvalidRequest) as caught:
            jobs.submit(provider, image_request(width=2048, height=2048, n_iter=8), owner=B)
        assert caught.value.field == "n_iter"
        assert store.list(limit=10) == []
        assert not settings.outputs_dir.exists()
    finally:
        jobs.close()


# --------------------------------------------------------------------------- in Chinese

ENGLISH_WORD = re.compile(r"\b(?!MP\b|MB\b)[A-Za-z]{2,}\b")


def refusals(tmp_path: Path, store: JobStore) -> list[InvalidRequest]:
    settings = make_settings(tmp_path)
    found = [
        refused(check_job_count, settings, {"running": 2, "queued": 5}),
        refused(check_storage, settings, 2_000_000_000),
        refused(check_heavy, settings, image_request(width=2048, height=2048, n_iter=8), "offline"),
        refused(
            check_heavy,
            make_settings(tmp_path, studio_max_offline_megapixels=1),
            image_request(width=2048, height=2048),
            "offline",
        ),
    ]
    songs = build_request("image_to_music", image_url="https://e.com/a.png", song_quantity=50)
    found.append(refused(check_heavy, settings, songs, "offline"))
    short = make_settings(tmp_path, studio_max_offline_video_s=1)
    video = build_request("video_upscale", video=clip(tmp_path / "v.mp4", 3))
    found.append(refused(check_heavy, short, video, "offline"))
    return found


def test_every_refusal_reads_in_chinese(tmp_path: Path, store: JobStore) -> None:
    for error in refusals(tmp_path, store):
        shown = invalid_message(error.field, error.message, "zh")
        assert shown.startswith(f"{error.field}：")
        text = shown.removeprefix(f"{error.field}：")
        assert not ENGLISH_WORD.search(text), shown
        assert re.search(r"[一-鿿]", text), shown


def test_the_file_refusals_read_in_chinese(tmp_path: Path) -> None:
    from core.media import UploadLimits
    from tests.e2e.test_picture_limits import write_flat_png

    picture = write_flat_png(tmp_path / "wide.png", 5000, 4000)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    cases: list[tuple[Capability, dict[str, Any], UploadLimits]] = [
        ("image_to_music", {"image": picture}, UploadLimits(max_pixels=16_000_000)),
        ("image_to_music", {"image": picture}, UploadLimits(max_bytes=10_000)),
        ("image_to_music", {"image": fake}, UploadLimits()),
    ]
    for capability, values, limits in cases:
        with pytest.raises(InvalidRequest) as caught:
            build_request(capability, limits=limits, **values)
        text = invalid_message("image", caught.value.message, "zh").removeprefix("image：")
        name = Path(str(values["image"])).name
        assert not ENGLISH_WORD.search(text.replace(name, "")), text
