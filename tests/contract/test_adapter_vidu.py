"""Vidu adapter against the emulator: upscale task, live state stream, fallback to polling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import InvalidRequest, ProviderError
from core.media import sniff_file
from core.provider import TaskState
from core.requests import VideoUpscaleRequest
from emulators.state import Fault
from emulators.testing import EmulatorServer
from providers import vidu
from tests.adapter_fixtures import (
    Wakes,
    assert_no_canary,
    download_outputs,
    dumps,
    make_ctx,
    make_settings,
    reset,
    run_to_end,
    start_emulator,
)

CREATE_PATH = "/vidu/v1/tasks"
STREAM_PATH = "/vidu/v1/tasks/state"
TASK_GLOB = "/vidu/v1/tasks/[0-9]*"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=0.6) as server:
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


async def test_upscale_with_the_live_stream(fresh: EmulatorServer, tmp_path: Path) -> None:
    creation = fresh.state.vidu_add_creation()
    provider = vidu.create(make_settings(fresh, tmp_path))
    wakes = Wakes()
    ctx = make_ctx(tmp_path, "vidu-1", wake=wakes)
    request = VideoUpscaleRequest(creation_id=creation, duration=4)
    try:
        provider.check(request)
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.05)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    (video,) = run.final.outputs
    assert video.kind == "video"
    assert video.metadata["cover_uri"].startswith("http")
    assert video.metadata["width"] > 0
    (path,) = await download_outputs(run.final, tmp_path / "out")
    assert sniff_file(path) == "mp4"
    assert fresh.state.calls.count("vidu", "POST", CREATE_PATH) == 1
    # The stream was read, woke the job on state changes and gave an ETA.
    assert fresh.state.calls.count("vidu", "GET", STREAM_PATH) >= 1
    assert wakes.count >= 1
    assert any(s.eta_s is not None and s.eta_s > 0 for s in run.statuses)
    # While the stream ran, most status answers came from it, not from polling.
    polls = fresh.state.calls.count("vidu", "GET", TASK_GLOB)
    assert polls < len(run.statuses)
    assert_no_canary(*dumps(handle, run))


@pytest.mark.parametrize("kind", ["status", "drop", "malformed"])
async def test_falls_back_to_polling_when_the_stream_fails(
    fresh: EmulatorServer, tmp_path: Path, kind: str
) -> None:
    fresh.state.faults.add(Fault("vidu", STREAM_PATH, kind=kind, status=404, times=50))  # type: ignore[arg-type]
    creation = fresh.state.vidu_add_creation()
    provider = vidu.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"vidu-poll-{kind}")
    try:
        handle = await provider.submit(ctx, VideoUpscaleRequest(creation_id=creation))
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.05)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    polls = fresh.state.calls.count("vidu", "GET", TASK_GLOB)
    assert polls == len(run.statuses)
    assert polls >= 2


async def test_failed_task(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.fail_tasks("vidu", reason="CreditInsufficient")
    provider = vidu.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "vidu-fail")
    try:
        handle = await provider.submit(ctx, VideoUpscaleRequest(creation_id="123456"))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "out of credits" in str(run.final.error or "")
    assert "CreditInsufficient" in str(run.final.error or "")


async def test_unknown_creation_is_explained(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.vidu_unknown_creation("999")
    provider = vidu.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "vidu-x"), VideoUpscaleRequest(creation_id="999")
            )
    finally:
        await provider.aclose()
    assert "creation_id 999" in str(raised.value)
    assert "not a task id" in str(raised.value)


async def test_local_video_is_refused_before_any_call(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    provider = vidu.create(make_settings(fresh, tmp_path))
    request = VideoUpscaleRequest.model_construct(video=video, creation_id=None)
    try:
        with pytest.raises(InvalidRequest) as raised:
            await provider.submit(make_ctx(tmp_path, "vidu-local"), request)
    finally:
        await provider.aclose()
    assert raised.value.field == "creation_id"
    assert fresh.state.calls.count("vidu") == 0


@pytest.mark.parametrize("kind", ["drop", "status"])
async def test_create_is_sent_once(fresh: EmulatorServer, tmp_path: Path, kind: str) -> None:
    fresh.state.faults.add(
        Fault("vidu", CREATE_PATH, kind=kind, status=502, times=3, method="POST")
    )  # type: ignore[arg-type]
    provider = vidu.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "vidu-once"), VideoUpscaleRequest(creation_id="42")
            )
    finally:
        await provider.aclose()
    assert fresh.state.calls.count("vidu", "POST", CREATE_PATH) == 1
    expected = "may or may not have been created" if kind == "drop" else "server error"
    assert expected in str(raised.value)


async def test_not_configured_without_base_url(fresh: EmulatorServer, tmp_path: Path) -> None:
    settings = make_settings(fresh, tmp_path, vidu_base_url=None)
    assert not vidu.is_configured(settings, {})
    provider = vidu.create(settings)
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "vidu-off"), VideoUpscaleRequest(creation_id="1")
            )
    finally:
        await provider.aclose()
    assert "VIDU_BASE_URL" in str(raised.value)


async def test_bad_key_is_not_shown(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = vidu.create(make_settings(fresh, tmp_path, vidu_api_key="canary-SECRET-bad"))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "vidu-bad"), VideoUpscaleRequest(creation_id="1")
            )
    finally:
        await provider.aclose()
    assert "401" in str(raised.value)
    assert not raised.value.retryable
    assert_no_canary(str(raised.value))


async def test_cancel_and_aclose_stop_the_stream_readers(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    creation = fresh.state.vidu_add_creation()
    provider = vidu.ViduProvider(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "vidu-cancel")
    handle = await provider.submit(ctx, VideoUpscaleRequest(creation_id=creation))
    status = await provider.status(ctx, handle)
    assert status.state in (TaskState.QUEUED, TaskState.RUNNING)
    assert handle.task_id in provider._watchers
    await provider.cancel(ctx, handle)
    assert handle.task_id not in provider._watchers
    second = await provider.submit(ctx, VideoUpscaleRequest(creation_id=creation))
    await provider.status(ctx, second)
    watcher = provider._watchers[second.task_id]
    await provider.aclose()
    assert not watcher.alive
    assert provider._watchers == {}
