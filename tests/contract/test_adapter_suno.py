"""Suno adapter against the emulator: upload, extend, record-info, rate limits, faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from pydantic import SecretStr

from core.errors import InvalidRequest, ProviderError
from core.media import sniff_file
from core.provider import TaskState
from core.requests import ExtendMusicRequest
from emulators.state import Fault
from emulators.testing import EmulatorServer
from providers import suno
from providers.rate_limit import SlidingWindowLimiter
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

EXTEND_PATH = "/api/v1/generate/upload-extend"
RECORD_PATH = "/api/v1/generate/record-info"
UPLOAD_PATH = "/api/file-stream-upload"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        server.state.music_seconds = 1.0
        server.state.suno_duplicate_callbacks = False
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


def _song(path: Path, seconds: float = 3.0) -> Path:
    rate = 22050
    t = np.arange(int(rate * seconds)) / rate
    sf.write(path, 0.2 * np.sin(2 * np.pi * 220 * t), rate)
    return path


def _sink_url(emu: EmulatorServer, key: str) -> str:
    return f"{emu.base_url}/_emulator/sink/{key}"


async def test_upload_and_extend_end_to_end(fresh: EmulatorServer, tmp_path: Path) -> None:
    song = _song(tmp_path / "my song.wav")
    provider = suno.create(make_settings(fresh, tmp_path))
    # This test polls a hundred times faster than a real job, to catch the short FIRST_SUCCESS
    # state; the account-wide pace is tested in test_rate_limit.py.
    provider._pace = SlidingWindowLimiter(10_000, suno.WINDOW_S)  # type: ignore[attr-defined]
    ctx = make_ctx(tmp_path, "suno-1", callback_url=_sink_url(fresh, "suno-1"))
    request = ExtendMusicRequest(
        audio=song,
        custom_mode=True,
        style="ambient",
        title="Longer",
        continue_at=1.5,
        instrumental=True,
        source_seconds=3.0,
    )
    try:
        provider.check(request)
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.03)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert len(run.final.outputs) == 2
    assert {a.metadata["title"] for a in run.final.outputs} == {"Longer"}
    assert all(a.metadata.get("id") for a in run.final.outputs)
    paths = await download_outputs(run.final, tmp_path / "out")
    assert [sniff_file(p) for p in paths] == ["mp3", "mp3"]
    previews = [s.preview for s in run.statuses if s.preview is not None]
    assert previews, "the first finished track was never offered as a preview"
    assert previews[0].kind == "audio"
    assert fresh.state.calls.count("suno", "POST", UPLOAD_PATH) == 1
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 1
    # callBackUrl went out (Suno insists on one): the emulator called it.
    assert fresh.state.sink.received("suno-1")
    assert_no_canary(*dumps(handle, run))


async def test_default_mode_with_an_upload_url(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-url")
    request = ExtendMusicRequest(upload_url="https://files.example.com/a.mp3", prompt="more drums")
    try:
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert fresh.state.calls.count("suno", "POST", UPLOAD_PATH) == 0


async def test_refused_parameters_are_explained(fresh: EmulatorServer, tmp_path: Path) -> None:
    song = _song(tmp_path / "short.wav", seconds=2.0)
    env = fresh.env()
    async with httpx.AsyncClient() as client:
        uploaded = await client.post(
            env["SUNO_UPLOAD_BASE_URL"] + UPLOAD_PATH,
            headers={"Authorization": f"Bearer {env['SUNO_API_KEY']}"},
            data={"uploadPath": "t", "fileName": "short.wav"},
            files={"file": ("short.wav", song.read_bytes(), "audio/wav")},
        )
    upload_url = uploaded.json()["data"]["downloadUrl"]
    provider = suno.create(make_settings(fresh, tmp_path))
    # continueAt past the end: from a URL the studio cannot know the length, Suno can.
    request = ExtendMusicRequest(
        upload_url=upload_url,
        custom_mode=True,
        style="x",
        title="y",
        continue_at=5.0,
        instrumental=True,
    )
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "suno-bad"), request)
    finally:
        await provider.aclose()
    assert not raised.value.retryable
    assert "continueAt" in str(raised.value)
    assert "refused the parameters" in str(raised.value)


async def test_rate_limit_slows_down_without_failing(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-busy")
    try:
        handle = await provider.submit(
            ctx, ExtendMusicRequest(upload_url="https://f.example/a.mp3", prompt="p")
        )
        fresh.state.suno_rate_limit_calls = 3
        fresh.state.suno_rate_limit_window_s = 0.3
        fresh.state.suno_rate_limit = True
        fresh.state.faults.add(
            Fault("suno", RECORD_PATH, kind="envelope", status=405, times=1, retry_after=0.2)
        )
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.01, max_retry_after_s=0.35)
    finally:
        fresh.state.suno_rate_limit = False
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    slowed = [s for s in run.statuses if s.retry_after_s is not None]
    assert len(slowed) >= 2
    assert 0.2 in [s.retry_after_s for s in slowed]
    assert suno.SLOW_DOWN_S in [s.retry_after_s for s in slowed]
    assert run.errors == []


async def test_failed_generation(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.fail_tasks("suno", reason="GENERATE_AUDIO_FAILED")
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-fail")
    try:
        handle = await provider.submit(
            ctx, ExtendMusicRequest(upload_url="https://f.example/a.mp3", prompt="p")
        )
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "could not generate" in str(run.final.error or "")
    assert "Audio generation failed" in str(run.final.error or "")


async def test_status_and_upload_faults_are_retried(fresh: EmulatorServer, tmp_path: Path) -> None:
    song = _song(tmp_path / "s.wav")
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-flaky")
    fresh.state.faults.add(Fault("suno", UPLOAD_PATH, kind="status", status=503, times=1))
    fresh.state.faults.add(Fault("suno", UPLOAD_PATH, kind="envelope", status=430, times=1))
    fresh.state.faults.add(Fault("suno", RECORD_PATH, kind="drop", times=1))
    fresh.state.faults.add(Fault("suno", RECORD_PATH, kind="status", status=500, times=1))
    try:
        handle = await provider.submit(ctx, ExtendMusicRequest(audio=song, prompt="more"))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    assert fresh.state.calls.count("suno", "POST", UPLOAD_PATH) == 3
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 1


@pytest.mark.parametrize("kind", ["drop", "status"])
async def test_create_is_never_retried(fresh: EmulatorServer, tmp_path: Path, kind: str) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    fresh.state.faults.add(Fault("suno", EXTEND_PATH, kind=kind, status=503, times=3))  # type: ignore[arg-type]
    request = ExtendMusicRequest(upload_url="https://f.example/a.mp3", prompt="p")
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, f"suno-once-{kind}"), request)
    finally:
        await provider.aclose()
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 1
    if kind == "drop":
        assert "may or may not have been created" in str(raised.value)
    else:
        assert "server error" in str(raised.value)


async def test_keys_from_session_and_bad_keys(fresh: EmulatorServer, tmp_path: Path) -> None:
    settings = make_settings(fresh, tmp_path, suno_api_key=None)
    provider = suno.create(settings)
    request = ExtendMusicRequest(upload_url="https://f.example/a.mp3", prompt="p")
    try:
        with pytest.raises(ProviderError) as missing:
            await provider.submit(make_ctx(tmp_path, "suno-nokey"), request)
        assert fresh.state.calls.count("suno") == 0
        bad = {"SUNO_API_KEY": SecretStr("canary-SECRET-wrong")}
        with pytest.raises(ProviderError) as refused:
            await provider.submit(make_ctx(tmp_path, "suno-bad", credentials=bad), request)
        good = {"SUNO_API_KEY": SecretStr(CANARY_KEYS.suno_api_key)}
        ctx = make_ctx(tmp_path, "suno-session", credentials=good)
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert "SUNO_API_KEY" in str(missing.value)
    assert "SUNO_API_KEY" in str(refused.value)
    assert not refused.value.retryable
    assert run.final.state is TaskState.SUCCEEDED
    assert_no_canary(str(missing.value), str(refused.value), *dumps(handle, run))


def test_check_refuses_non_audio(fresh: EmulatorServer, tmp_path: Path) -> None:
    provider = suno.create(make_settings(fresh, tmp_path, studio_max_upload_mb=1))
    text = tmp_path / "lyrics.mp3"
    text.write_text("not audio")
    # Built without the neutral model's own checks, to see the adapter's.
    unchecked = ExtendMusicRequest.model_construct(audio=text, prompt="p")
    with pytest.raises(InvalidRequest) as raised:
        provider.check(unchecked)
    assert raised.value.field == "audio"
    big = _song(tmp_path / "big.wav", seconds=30.0)
    with pytest.raises(InvalidRequest) as raised:
        provider.check(ExtendMusicRequest(audio=big, prompt="p"))
    assert "STUDIO_MAX_UPLOAD_MB" in str(raised.value.message)
