"""Img Open adapter against the emulator: the whole task life, faults, previews, keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from core.errors import ProviderError
from core.media import sniff_file
from core.provider import TaskHandle, TaskState
from core.requests import TextToImageRequest, TextToMusicRequest
from emulators.state import Fault
from emulators.testing import EmulatorServer
from providers import imgopen
from providers.imgopen import ImgOpenProvider
from tests.adapter_fixtures import (
    CANARY_KEYS,
    assert_no_canary,
    download_outputs,
    dumps,
    make_ctx,
    make_settings,
    reset,
    run_to_end,
    start_emulator,
)

MUSIC_PATH = "/AIGCImgOpenServ/saas/vocal/text2music"
IMAGE_PATH = "/AIGCImgOpenServ/saas/sd/v2/text2image"
STATUS_PATH = "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    emu.state.imgopen_preview_style = "url"
    emu.state.imgopen_progress_field = False
    return emu


def _image_request(**values: object) -> TextToImageRequest:
    base: dict[str, object] = {"prompt": "a red fox", "width": 64, "height": 64, "steps": 2}
    base.update(values)
    return TextToImageRequest(**base)  # type: ignore[arg-type]


async def test_text_to_music_end_to_end(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "music-1")
    try:
        request = TextToMusicRequest(prompt="calm piano", seconds=1.0, steps=10, seed=42)
        provider.check(request)
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert [a.kind for a in run.final.outputs] == ["audio"]
    assert run.final.outputs[0].metadata["seed"] == 42
    (path,) = await download_outputs(run.final, tmp_path / "out")
    assert sniff_file(path) == "mp3"
    assert fresh.state.calls.count("imgopen", "POST", MUSIC_PATH) == 1
    assert_no_canary(*dumps(handle, run))


async def test_text_to_image_with_previews_and_percent(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    fresh.state.imgopen_progress_field = True
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "image-1")
    try:
        handle = await provider.submit(ctx, _image_request(n_iter=2, seed=7))
        assert handle.task_id == "image-1"
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.02)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert [a.metadata["seed"] for a in run.final.outputs] == [7, 8]
    paths = await download_outputs(run.final, tmp_path / "out")
    assert [sniff_file(p) for p in paths] == ["png", "png"]
    previews = [s.preview for s in run.statuses if s.preview is not None]
    assert previews, "the halfway image was never shown"
    assert previews[0].url is not None
    percents = [s.percent for s in run.statuses if s.state is TaskState.RUNNING]
    assert any(p is not None for p in percents)
    assert all(p is None or 0 <= p <= 100 for p in percents)


async def test_base64_preview_is_written_to_the_work_dir(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    fresh.state.imgopen_preview_style = "base64"
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "image-b64")
    try:
        handle = await provider.submit(ctx, _image_request())
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.02)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    previews = [s.preview for s in run.statuses if s.preview is not None]
    assert previews, "the base64 halfway image was never shown"
    assert previews[0].path is not None
    assert previews[0].path.parent == ctx.work_dir
    assert sniff_file(previews[0].path) == "png"


async def test_failed_task_reports_the_reason(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.fail_tasks("imgopen", reason="显存不足")
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "fail-1")
    try:
        handle = await provider.submit(ctx, _image_request())
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "显存不足" in str(run.final.error or "")


async def test_status_faults_do_not_fail_the_job(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "flaky-1")
    try:
        handle = await provider.submit(ctx, _image_request())
        fresh.state.faults.add(Fault("imgopen", STATUS_PATH, kind="status", status=503, times=2))
        fresh.state.faults.add(Fault("imgopen", STATUS_PATH, kind="malformed", times=1))
        fresh.state.faults.add(Fault("imgopen", STATUS_PATH, kind="drop", times=1))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    # The malformed answer surfaced once as a retryable error; the 503s and the drop were retried.
    assert len(run.errors) == 1
    assert run.errors[0].retryable
    assert fresh.state.calls.count("imgopen", "POST", IMAGE_PATH) == 1


async def test_create_is_sent_once_when_the_answer_is_lost(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "lost-1")
    fresh.state.faults.add(Fault("imgopen", MUSIC_PATH, kind="drop", times=1))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(ctx, TextToMusicRequest(prompt="x", seconds=1.0, steps=10))
    finally:
        await provider.aclose()
    assert "may or may not have been created" in str(raised.value)
    assert fresh.state.calls.count("imgopen", "POST", MUSIC_PATH) == 1
    assert_no_canary(str(raised.value))


async def test_lost_answer_is_recovered_by_our_own_task_id(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "recover-1")
    request = TextToMusicRequest(prompt="x", seconds=1.0, steps=10)
    try:
        first = await provider.submit(ctx, request)
        # The same business id again, and this time the answer is lost on the way back:
        # the task exists under our id, so the adapter carries on with it.
        fresh.state.faults.add(Fault("imgopen", MUSIC_PATH, kind="drop", times=1))
        again = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, again)
    finally:
        await provider.aclose()
    assert again.task_id == first.task_id == "recover-1"
    assert run.final.state is TaskState.SUCCEEDED


async def test_create_timeout_is_not_retried(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = ImgOpenProvider(make_settings(fresh, tmp_path), timeout=httpx.Timeout(5.0, read=0.3))
    ctx = make_ctx(tmp_path, "hang-1")
    fresh.state.faults.add(Fault("imgopen", IMAGE_PATH, kind="hang", hang_seconds=3.0))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(ctx, _image_request())
    finally:
        await provider.aclose()
    assert "may or may not" in str(raised.value)
    assert fresh.state.calls.count("imgopen", "POST", IMAGE_PATH) == 1


async def test_bad_keys_give_a_sentence_without_the_key(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    settings = make_settings(
        fresh,
        tmp_path,
        imgopen_access_key_id="canary-SECRET-wrong-id",
        imgopen_access_key_secret="canary-SECRET-wrong-secret",
    )
    provider = imgopen.create(settings)
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "bad-key"), _image_request())
    finally:
        await provider.aclose()
    assert not raised.value.retryable
    assert "401" in str(raised.value)
    assert_no_canary(str(raised.value))


async def test_session_keys_are_used_and_missing_keys_stop_early(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    settings = make_settings(
        fresh, tmp_path, imgopen_access_key_id=None, imgopen_access_key_secret=None
    )
    assert not imgopen.is_configured(settings, {})
    provider = imgopen.create(settings)
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "nokey"), _image_request())
        assert "IMGOPEN_ACCESS_KEY_ID" in str(raised.value)
        assert fresh.state.calls.count("imgopen") == 0
        session = {
            "IMGOPEN_ACCESS_KEY_ID": SecretStr(CANARY_KEYS.imgopen_access_key_id),
            "IMGOPEN_ACCESS_KEY_SECRET": SecretStr(CANARY_KEYS.imgopen_access_key_secret),
        }
        ctx = make_ctx(tmp_path, "session-1", credentials=session)
        handle = await provider.submit(ctx, _image_request())
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    assert_no_canary(*dumps(handle, run))


async def test_unknown_task_is_a_retryable_error(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = imgopen.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "ghost")
    handle = TaskHandle(task_id="ghost", data={"kind": "image", "business_task_id": "ghost"})
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.status(ctx, handle)
    finally:
        await provider.aclose()
    assert raised.value.retryable
    assert "not found" in str(raised.value)
    # The live query, then the archive (a resumed task of an earlier month lives there).
    assert fresh.state.calls.count("imgopen", "POST", STATUS_PATH) == 1
    assert fresh.state.calls.count("imgopen", "POST", "/AIGCImgOpenServ/saas/sd/queryTaskInfo") == 1
