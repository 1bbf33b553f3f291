"""Tencent Multimedia Lab adapter against the emulator."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from core.errors import InvalidRequest, ProviderError
from core.media import sniff_file
from core.provider import TaskState
from core.requests import ImageToMusicRequest
from emulators.state import Fault
from emulators.testing import EmulatorServer
from providers import tencent_mmlab
from tests.adapter_fixtures import (
    assert_no_canary,
    download_outputs,
    dumps,
    make_ctx,
    make_settings,
    reset,
    run_to_end,
    start_emulator,
)
from tests.local_http import Answer, Script, serve

JOB_PATH = "/job"
REMOTE_IMAGE = "https://images.example.com/cat.png"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        server.state.music_seconds = 1.0
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


def _png(path: Path) -> Path:
    Image.new("RGB", (16, 16), (30, 120, 200)).save(path, format="PNG")
    return path


async def test_image_url_to_songs(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "tencent-1")
    request = ImageToMusicRequest(image_url=REMOTE_IMAGE, song_quantity=2, emotion="HAPPY")
    try:
        provider.check(request)
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert [a.kind for a in run.final.outputs] == ["audio", "audio"]
    assert all("/aigc-studio/tencent-1/" in (a.url or "") for a in run.final.outputs)
    paths = await download_outputs(run.final, tmp_path / "out")
    assert [sniff_file(p) for p in paths] == ["mp3", "mp3"]
    assert any(s.state is TaskState.QUEUED for s in run.statuses) or any(
        s.state is TaskState.RUNNING for s in run.statuses
    )
    assert handle.data["custom_id"] == "tencent-1"
    assert_no_canary(*dumps(handle, run))


async def test_mp4_output_gives_video_and_song(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "tencent-mp4")
    request = ImageToMusicRequest(image_url=REMOTE_IMAGE, output_type="mp4")
    try:
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert sorted(a.kind for a in run.final.outputs) == ["audio", "video"]
    paths = await download_outputs(run.final, tmp_path / "out")
    assert sorted(sniff_file(p) for p in paths) == ["mp3", "mp4"]


async def test_local_image_through_the_public_url(fresh: EmulatorServer, tmp_path: Path) -> None:
    image = _png(tmp_path / "local.png")
    script = Script(
        {"/files/local.png": [Answer(200, image.read_bytes(), {"Content-Type": "image/png"})]}
    )
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    with serve(script) as base:
        ctx = make_ctx(
            tmp_path, "tencent-local", public_url_for=lambda path: f"{base}/files/{path.name}"
        )
        try:
            handle = await provider.submit(ctx, ImageToMusicRequest(image=image))
            run = await run_to_end(provider, ctx, handle)
        finally:
            await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    # The emulator fetched the image from the app's public URL, as Tencent would.
    assert script.calls.get("/files/local.png") == 1


async def test_local_image_without_public_url_fails_before_any_call(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    image = _png(tmp_path / "private.png")
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(InvalidRequest) as raised:
            await provider.submit(make_ctx(tmp_path, "t-private"), ImageToMusicRequest(image=image))
    finally:
        await provider.aclose()
    assert raised.value.field == "image"
    assert "STUDIO_PUBLIC_URL" in str(raised.value.message)
    assert "image_url" in str(raised.value.message)
    assert fresh.state.calls.count("tencent") == 0


def test_check_refuses_non_images(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    not_image = tmp_path / "notes.png"
    not_image.write_text("hello")
    # Built without the neutral model's own checks, to see the adapter's.
    with pytest.raises(InvalidRequest) as raised:
        provider.check(ImageToMusicRequest.model_construct(image=not_image))
    assert raised.value.field == "image"
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    gif_path = tmp_path / "anim.gif"
    gif_path.write_bytes(gif.getvalue())
    with pytest.raises(InvalidRequest):
        provider.check(ImageToMusicRequest.model_construct(image=gif_path))
    with pytest.raises(InvalidRequest) as raised:
        provider.check(ImageToMusicRequest(image_url="https://x.example/a.bmp"))
    assert raised.value.field == "image_url"


async def test_without_output_base_url_the_error_says_what_to_set(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    settings = make_settings(fresh, tmp_path, tencent_mmlab_output_base_url=None)
    provider = tencent_mmlab.create(settings)
    ctx = make_ctx(tmp_path, "tencent-nobase")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=REMOTE_IMAGE))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "TENCENT_MMLAB_OUTPUT_BASE_URL" in str(run.final.error or "")
    assert "/aigc-studio/tencent-nobase/" in str(run.final.error or "")


async def test_failed_job_reports_the_message(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.fail_tasks("tencent", reason="image could not be understood")
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "tencent-fail")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=REMOTE_IMAGE))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "image could not be understood" in str(run.final.error or "")


async def test_status_faults_are_retried(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "tencent-flaky")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=REMOTE_IMAGE))
        for kind, status in (("status", 502), ("drop", 500), ("envelope", 430)):
            fresh.state.faults.add(
                Fault("tencent", JOB_PATH, kind=kind, status=status, action="GetJob")  # type: ignore[arg-type]
            )
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    assert run.errors == []


async def test_lost_create_answer(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    request = ImageToMusicRequest(image_url=REMOTE_IMAGE)
    fresh.state.faults.add(Fault("tencent", JOB_PATH, kind="drop", action="CreateJob"))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "tencent-lost"), request)
        # Once the job exists under our customId, a lost answer is recovered by ListJobs.
        ctx = make_ctx(tmp_path, "tencent-found")
        first = await provider.submit(ctx, request)
        fresh.state.faults.add(Fault("tencent", JOB_PATH, kind="drop", action="CreateJob"))
        again = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, again)
    finally:
        await provider.aclose()
    assert "may or may not have been created" in str(raised.value)
    assert again.task_id == first.task_id
    assert run.final.state is TaskState.SUCCEEDED
    # Creates: lost one + first + lost again (never retried); plus two ListJobs look-ups.
    creates_and_lookups = fresh.state.calls.count("tencent", "POST", JOB_PATH)
    statuses = len(run.statuses)
    assert creates_and_lookups == 3 + 2 + statuses


async def test_bad_keys_never_show_up(fresh: EmulatorServer, tmp_path: Path) -> None:
    settings = make_settings(
        fresh,
        tmp_path,
        tencent_mmlab_secret_id="canary-SECRET-bad-id",
        tencent_mmlab_secret_key="canary-SECRET-bad-key",
    )
    provider = tencent_mmlab.create(settings)
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "tencent-bad"), ImageToMusicRequest(image_url=REMOTE_IMAGE)
            )
    finally:
        await provider.aclose()
    assert "secretId or secretKey is invalid" in str(raised.value)
    assert "TENCENT_MMLAB_SECRET_ID" in str(raised.value)
    assert_no_canary(str(raised.value))
