"""Suno adapter against the emulator: upload, extend, record-info, rate limits, faults, a
song given by URL measured before the task (emulator and tests/local_http.py as file servers,
with and without Range), and every answer code in each shape the page allows."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from pydantic import SecretStr

from core.errors import InvalidRequest, ProviderError
from core.media import sniff_file
from core.messages import msg
from core.provider import TaskHandle, TaskState
from core.requests import ExtendMusicRequest
from emulators.state import Fault
from emulators.suno import account
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
from tests.local_http import Answer, Script, serve

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


def _silence(seconds: float) -> bytes:
    """A WAV of `seconds` at 8 kHz, 8 bits: 8000 bytes a second."""
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(int(8000 * seconds)), 8000, format="WAV", subtype="PCM_U8")
    return buffer.getvalue()


async def _upload(emu: EmulatorServer, song: Path, folder: str = "t") -> str:
    """The song put on Suno's file service (the emulator's), as a URL the studio can give."""
    env = emu.env()
    async with httpx.AsyncClient() as client:
        uploaded = await client.post(
            env["SUNO_UPLOAD_BASE_URL"] + UPLOAD_PATH,
            headers={"Authorization": f"Bearer {env['SUNO_API_KEY']}"},
            data={"uploadPath": folder, "fileName": song.name},
            files={"file": (song.name, song.read_bytes(), "audio/wav")},
        )
    return str(uploaded.json()["data"]["downloadUrl"])


@pytest.fixture(scope="module")
def song_url(emu: EmulatorServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 3 s song on the emulator's file service, for tests that give `upload_url`."""
    song = _song(tmp_path_factory.mktemp("suno-url") / "three.wav")
    return asyncio.run(_upload(emu, song, "module"))


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


@pytest.mark.parametrize("ranges", [True, False])
async def test_a_url_song_is_measured_then_extended(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, ranges: bool
) -> None:
    account(fresh.state).upload_ranges = ranges
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"suno-url-{ranges}")
    request = ExtendMusicRequest(
        upload_url=song_url,
        custom_mode=True,
        style="ambient",
        title="Longer",
        continue_at=2.9,
        instrumental=True,
    )
    try:
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert fresh.state.calls.count("suno", "POST", UPLOAD_PATH) == 0
    assert fresh.state.calls.count("suno", "GET", "/files/module/*") == 1
    assert list((ctx.work_dir / "measure").iterdir()) == []  # nothing of the song is kept


@pytest.mark.parametrize("ranges", [True, False])
async def test_continue_at_past_the_end_of_a_url_song_is_refused_before_any_task(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, ranges: bool
) -> None:
    account(fresh.state).upload_ranges = ranges
    provider = suno.create(make_settings(fresh, tmp_path))
    request = ExtendMusicRequest(
        upload_url=song_url,
        custom_mode=True,
        style="x",
        title="y",
        continue_at=9999,
        instrumental=True,
    )
    try:
        with pytest.raises(InvalidRequest) as raised:
            await provider.submit(make_ctx(tmp_path, "suno-past-end"), request)
    finally:
        await provider.aclose()
    assert (raised.value.field, raised.value.provider_field) == ("continue_at", "continueAt")
    text = str(raised.value)
    assert text.startswith("continue_at (continueAt): ")
    assert "9999" in text
    assert "3.00 s" in text  # the song's length, as measured
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0


@pytest.mark.parametrize("ranges", [True, False])
async def test_a_url_song_over_8_minutes_is_refused_before_any_task(
    fresh: EmulatorServer, tmp_path: Path, ranges: bool
) -> None:
    song = _silence(9 * 60)
    script = Script({"/long.wav": [Answer(body=song, ranges=ranges)]})
    provider = suno.create(make_settings(fresh, tmp_path))
    try:
        with serve(script) as base:
            request = ExtendMusicRequest(upload_url=f"{base}/long.wav", prompt="more")
            with pytest.raises(InvalidRequest) as raised:
                await provider.submit(make_ctx(tmp_path, "suno-long"), request)
    finally:
        await provider.aclose()
    assert (raised.value.field, raised.value.provider_field) == ("upload_url", "uploadUrl")
    assert str(raised.value).startswith("upload_url (uploadUrl): ")
    assert "540" in str(raised.value)
    assert "480" in str(raised.value)
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0
    (_, headers), *_ = script.requests
    assert headers.get("Range") == "bytes=0-262143"
    if ranges:  # only the head was read, not the 4.3 MB
        assert script.sent_bytes == 256 * 1024
    else:
        assert script.sent_bytes == len(song)


async def test_only_a_range_server_spares_the_size_cap(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    """Over STUDIO_MAX_UPLOAD_MB: measured from its head when the server serves ranges, refused
    (the whole file would be over the cap) when it does not."""
    song = _silence(150)  # 1.2 MB
    script = Script(
        {
            "/ranges.wav": [Answer(body=song, ranges=True)],
            "/whole.wav": [Answer(body=song, ranges=False)],
        }
    )
    provider = suno.create(make_settings(fresh, tmp_path, studio_max_upload_mb=1))
    try:
        with serve(script) as base:
            ctx = make_ctx(tmp_path, "suno-cap")
            ranged = ExtendMusicRequest(upload_url=f"{base}/ranges.wav", prompt="more")
            handle = await provider.submit(ctx, ranged)
            whole = ExtendMusicRequest(upload_url=f"{base}/whole.wav", prompt="more")
            with pytest.raises(InvalidRequest) as raised:
                await provider.submit(make_ctx(tmp_path, "suno-cap-2"), whole)
    finally:
        await provider.aclose()
    assert handle.task_id
    assert raised.value.field == "upload_url"
    assert "could not read the length of the song" in str(raised.value)
    assert "over the 1 MB a fetched file may have" in str(raised.value)
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 1


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (Answer(status=404), "answered HTTP 404"),
        (Answer(body=b"<html>not a song</html>" * 50, ranges=True), "not a song"),
        (Answer(body=b"fLaC" + b"\x80\x00\x00\x22" + bytes(34), ranges=True), "do not give"),
    ],
)
async def test_a_url_song_whose_length_cannot_be_read_is_refused(
    fresh: EmulatorServer, tmp_path: Path, answer: Answer, why: str
) -> None:
    script = Script({"/song.flac": [answer]})
    provider = suno.create(make_settings(fresh, tmp_path))
    try:
        with serve(script) as base:
            request = ExtendMusicRequest(upload_url=f"{base}/song.flac", prompt="more")
            with pytest.raises(InvalidRequest) as raised:
                await provider.submit(make_ctx(tmp_path, "suno-unread"), request)
    finally:
        await provider.aclose()
    text = str(raised.value)
    assert text.startswith("upload_url (uploadUrl): could not read the length of the song")
    assert why in text
    assert "at most 480 s" in text
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0


async def test_measuring_a_url_song_keeps_the_fetch_deadline(
    fresh: EmulatorServer, tmp_path: Path, song_url: str
) -> None:
    fresh.state.faults.add(Fault("suno", "/files/module/*", kind="hang", hang_seconds=10))
    provider = suno.create(make_settings(fresh, tmp_path, studio_fetch_timeout_s=0.5))
    request = ExtendMusicRequest(upload_url=song_url, prompt="more")
    started = time.monotonic()
    try:
        with pytest.raises(InvalidRequest) as raised:
            await provider.submit(make_ctx(tmp_path, "suno-slow"), request)
    finally:
        await provider.aclose()
    assert time.monotonic() - started < 3.0
    assert raised.value.field == "upload_url"
    assert "took longer than the 0.5 s" in str(raised.value)
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0


async def test_stop_ends_the_measuring_at_once(
    fresh: EmulatorServer, tmp_path: Path, song_url: str
) -> None:
    fresh.state.faults.add(Fault("suno", "/files/module/*", kind="hang", hang_seconds=10))
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-stop")
    job = asyncio.ensure_future(
        provider.submit(ctx, ExtendMusicRequest(upload_url=song_url, prompt="more"))
    )
    try:
        deadline = time.monotonic() + 5.0
        while fresh.state.calls.count("suno", "GET", "/files/module/*") == 0:
            assert time.monotonic() < deadline, "the song was never asked for"
            await asyncio.sleep(0.01)
        stopped = time.monotonic()
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job
        assert time.monotonic() - stopped < 1.0
    finally:
        await provider.aclose()
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0
    assert list((ctx.work_dir / "measure").iterdir()) == []


# --- answer codes -------------------------------------------------------------------------

CODES = sorted(suno.CODE_RETRYABLE)


@pytest.mark.parametrize("kind", ["envelope", "status"])
@pytest.mark.parametrize("code", CODES)
async def test_every_code_on_create_has_its_own_sentence(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, code: int, kind: str
) -> None:
    """Each documented code, in the envelope of an HTTP 200 or as the HTTP status too."""
    fresh.state.faults.add(Fault("suno", EXTEND_PATH, kind=kind, status=code))  # type: ignore[arg-type]
    provider = suno.create(make_settings(fresh, tmp_path))
    request = ExtendMusicRequest(upload_url=song_url, prompt="p")
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, f"suno-code-{code}"), request)
    finally:
        await provider.aclose()
    assert str(msg(f"suno_code_{code}")) in str(raised.value)
    assert raised.value.retryable is suno.CODE_RETRYABLE[code]
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 1


@pytest.mark.parametrize("http_status", [False, True])
async def test_out_of_credits_on_create(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, http_status: bool
) -> None:
    account(fresh.state).credits = 1
    account(fresh.state).http_status_errors = http_status
    provider = suno.create(make_settings(fresh, tmp_path))
    request = ExtendMusicRequest(upload_url=song_url, prompt="p")
    try:
        first = await provider.submit(make_ctx(tmp_path, "suno-paid"), request)
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "suno-broke"), request)
    finally:
        await provider.aclose()
    assert first.task_id
    text = str(raised.value)
    assert "out of credits" in text
    assert "Insufficient credits" in text
    assert "limiting" not in text
    assert "slow" not in text
    assert not raised.value.retryable
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 2


@pytest.mark.parametrize("kind", ["envelope", "status"])
async def test_out_of_credits_on_status_fails_without_retrying(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, kind: str
) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"suno-status-429-{kind}")
    try:
        handle = await provider.submit(ctx, ExtendMusicRequest(upload_url=song_url, prompt="p"))
        fresh.state.faults.add(Fault("suno", RECORD_PATH, kind=kind, status=429, times=10))  # type: ignore[arg-type]
        with pytest.raises(ProviderError) as raised:
            await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert "out of credits" in str(raised.value)
    assert not raised.value.retryable
    assert fresh.state.calls.count("suno", "GET", RECORD_PATH) == 1


@pytest.mark.parametrize("kind", ["envelope", "status"])
async def test_out_of_credits_on_upload_is_not_retried(
    fresh: EmulatorServer, tmp_path: Path, kind: str
) -> None:
    song = _song(tmp_path / "s.wav")
    fresh.state.faults.add(Fault("suno", UPLOAD_PATH, kind=kind, status=429, times=5))  # type: ignore[arg-type]
    provider = suno.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "suno-upload-429"), ExtendMusicRequest(audio=song, prompt="p")
            )
    finally:
        await provider.aclose()
    assert "Uploading the song to Suno failed" in str(raised.value)
    assert "out of credits" in str(raised.value)
    assert fresh.state.calls.count("suno", "POST", UPLOAD_PATH) == 1
    assert fresh.state.calls.count("suno", "POST", EXTEND_PATH) == 0


async def test_a_gateways_http_429_is_out_of_credits_too(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    """An HTTP 429 whose body is no envelope at all (a gateway's page), on record-info."""
    path = RECORD_PATH + "?taskId=t-1"
    script = Script({path: [Answer(status=429, body=b"<html>Too Many Requests</html>")]})
    with serve(script) as base:
        settings = make_settings(fresh, tmp_path, suno_base_url=base)
        provider = suno.create(settings)
        try:
            with pytest.raises(ProviderError) as raised:
                await provider.status(make_ctx(tmp_path, "suno-gw"), TaskHandle(task_id="t-1"))
        finally:
            await provider.aclose()
    assert "out of credits" in str(raised.value)
    assert not raised.value.retryable
    assert script.calls[path] == 1


async def test_the_rate_limit_code_405_slows_down_too(
    fresh: EmulatorServer, tmp_path: Path, song_url: str
) -> None:
    account(fresh.state).rate_limit_code = 405
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-405")
    try:
        handle = await provider.submit(ctx, ExtendMusicRequest(upload_url=song_url, prompt="p"))
        fresh.state.suno_rate_limit_calls = 2
        fresh.state.suno_rate_limit_window_s = 0.3
        fresh.state.suno_rate_limit = True
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.01, max_retry_after_s=0.35)
    finally:
        fresh.state.suno_rate_limit = False
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    assert [s for s in run.statuses if s.retry_after_s == suno.SLOW_DOWN_S]
    assert run.errors == []


async def test_maintenance(fresh: EmulatorServer, tmp_path: Path, song_url: str) -> None:
    account(fresh.state).maintenance = True
    provider = suno.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "suno-455"), ExtendMusicRequest(upload_url=song_url, prompt="p")
            )
    finally:
        await provider.aclose()
    assert "maintenance" in str(raised.value)
    assert raised.value.retryable


async def test_rate_limit_slows_down_without_failing(
    fresh: EmulatorServer, tmp_path: Path, song_url: str
) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-busy")
    try:
        handle = await provider.submit(ctx, ExtendMusicRequest(upload_url=song_url, prompt="p"))
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


async def test_failed_generation(fresh: EmulatorServer, tmp_path: Path, song_url: str) -> None:
    fresh.state.faults.fail_tasks("suno", reason="GENERATE_AUDIO_FAILED")
    provider = suno.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "suno-fail")
    try:
        handle = await provider.submit(ctx, ExtendMusicRequest(upload_url=song_url, prompt="p"))
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
async def test_create_is_never_retried(
    fresh: EmulatorServer, tmp_path: Path, song_url: str, kind: str
) -> None:
    provider = suno.create(make_settings(fresh, tmp_path))
    fresh.state.faults.add(Fault("suno", EXTEND_PATH, kind=kind, status=503, times=3))  # type: ignore[arg-type]
    request = ExtendMusicRequest(upload_url=song_url, prompt="p")
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


async def test_keys_from_session_and_bad_keys(
    fresh: EmulatorServer, tmp_path: Path, song_url: str
) -> None:
    settings = make_settings(fresh, tmp_path, suno_api_key=None)
    provider = suno.create(settings)
    request = ExtendMusicRequest(upload_url=song_url, prompt="p")
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
