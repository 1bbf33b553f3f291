"""Img Open as its pages allow it to answer (issue 12): states it does not document, statuses as
numbers or text, the tools query for text to music, every error code the emulator knows, and
the SD checkpoint left out; the mapping functions, and the adapter against the emulator in
each shape (docs/providers.md#imgopen-status)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.errors import ProviderError
from core.messages import render
from core.provider import TaskHandle, TaskState, TaskStatus
from core.requests import StudioRequest, TextToImageRequest, TextToMusicRequest
from emulators import imgopen as imgopen_emulator
from emulators.imgopen import ImgOpenShape
from emulators.state import Fault
from emulators.testing import EmulatorServer
from providers import imgopen, imgopen_answers
from providers.imgopen import ImgOpenProvider
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

SAAS = "/AIGCImgOpenServ/saas"
MUSIC_PATH = f"{SAAS}/vocal/text2music"
IMAGE_PATH = f"{SAAS}/sd/v2/text2image"
STATUS_PATH = f"{SAAS}/sd/v2/queryTaskInfo"
ARCHIVE_PATH = f"{SAAS}/sd/queryTaskInfo"
TOOLS_PATHS = f"{SAAS}/tool/*/queryTask"
# The SD page's example checkpoint, copied here as the oracle.
PAGE_CHECKPOINT = "revAnimated_v122_7371.safetensors"


def _envelope(data: object, code: object = "200", msg: str = "success") -> dict[str, object]:
    return {"code": code, "msg": msg, "data": data}


def _en(status: TaskStatus) -> str:
    return render(status.error if status.error is not None else status.message, "en")


# --- the mapping, pure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "desc", "expected"),
    [
        (2, "任务成功 !", "done"),
        ("2", "", "done"),
        (1, "生成中", "running"),
        ("3", "排队中", "running"),
        # Known running states are running whatever their desc says.
        (1, "error correction pass", "running"),
        (0, "排队中", "unknown"),
        (7, "审核中", "unknown"),
        (-1, "", "unknown"),
        ("RENDERING", "", "unknown"),
        (None, "", "unknown"),
        (4, "任务失败: 显存不足", "failed"),
        (9, "Task failed: out of memory", "failed"),
        (-1, "生成超时", "failed"),
        ("FAILED", "", "failed"),
        ("cancelled", "", "failed"),
    ],
)
def test_task_phase(status: Any, desc: str, expected: str) -> None:
    phase = imgopen_answers.task_phase(status, desc, has_results=False, results_mean_done=False)
    assert phase == expected


@pytest.mark.parametrize(
    ("status", "desc", "has_results", "expected"),
    [
        # The tools' pages show a finished task with status 1 beside its result.
        (1, "success", True, "done"),
        (0, "", True, "done"),
        (1, "", False, "running"),
        (0, "处理中", False, "unknown"),
        (5, "生成失败", True, "failed"),
    ],
)
def test_task_phase_of_a_tools_answer(
    status: Any, desc: str, has_results: bool, expected: str
) -> None:
    phase = imgopen_answers.task_phase(
        status, desc, has_results=has_results, results_mean_done=True
    )
    assert phase == expected


def test_an_unknown_state_runs_on_showing_the_raw_state_and_desc() -> None:
    status = imgopen_answers.map_status(
        _envelope({"status": 7, "desc": "审核中", "progress": 40}), "image"
    )
    assert status.state is TaskState.RUNNING
    assert status.percent == 40.0
    assert _en(status) == "Img Open reports state 7 (审核中); waiting for the task to finish"
    assert "状态 7（审核中）" in render(status.message, "zh")
    text = imgopen_answers.map_status(_envelope({"status": "7"}), "music")
    assert (
        _en(text) == 'Img Open reports state "7" (no description); waiting for the task to finish'
    )


def test_an_unknown_state_past_the_deadline_fails_naming_it() -> None:
    answer = _envelope({"status": -1, "desc": "显存不足"})
    status = imgopen_answers.map_status(answer, "image", overdue_after_s=1800.0)
    assert status.state is TaskState.FAILED
    assert "state -1 (显存不足) 30 minutes after" in _en(status)
    # Past the deadline, a known state still runs and a clear failure is still a failure.
    running = imgopen_answers.map_status(_envelope({"status": 1}), "image", overdue_after_s=1800.0)
    assert running.state is TaskState.RUNNING


def test_a_clear_failure_quotes_the_desc_or_the_raw_state() -> None:
    said = imgopen_answers.map_status(
        _envelope({"status": 4, "desc": "任务失败: 显存不足"}), "image"
    )
    assert said.state is TaskState.FAILED
    assert "显存不足" in _en(said)
    named = imgopen_answers.map_status(_envelope({"status": "FAILED"}), "image")
    assert named.state is TaskState.FAILED
    assert '"FAILED"' in _en(named)


@pytest.mark.parametrize(
    ("data", "urls"),
    [
        ({"status": 1, "audioUrl": "https://x/a.mp3", "seed": 3}, ["https://x/a.mp3"]),
        ({"status": 1, "result": [{"url": "https://x/b.wav"}]}, ["https://x/b.wav"]),
        ({"status": 1, "urls": ["https://x/c.flac"]}, ["https://x/c.flac"]),
        # An echoed callback address is not a result.
        ({"status": 1, "callbackUrl": "https://cb.example/x"}, []),
        (
            {"status": 2, "differentialImageRspList": [{"image_url": "https://x/d.mp3"}]},
            ["https://x/d.mp3"],
        ),
    ],
)
def test_music_results_are_read_where_a_tools_answer_may_put_them(
    data: dict[str, Any], urls: list[str]
) -> None:
    info = imgopen_answers.TaskInfo.model_validate(data)
    items = imgopen_answers.result_items(info, "music")
    assert [imgopen_answers.find_audio_url(i.model_dump(exclude_none=True)) for i in items] == urls
    assert imgopen_answers.result_items(imgopen_answers.TaskInfo.model_validate(data), "image") == (
        info.differentialImageRspList or []
    )


def test_a_tools_answer_with_status_1_and_a_song_is_done() -> None:
    answer = _envelope({"status": 1, "audioUrl": "https://x/a.mp3", "seed": 3})
    done = imgopen_answers.map_status(answer, "music", results_mean_done=True)
    assert done.state is TaskState.SUCCEEDED
    assert [a.url for a in done.outputs] == ["https://x/a.mp3"]
    assert done.outputs[0].metadata["seed"] == 3
    # The SD query's status 1 stays "running" (its pages document 2 as done).
    assert imgopen_answers.map_status(answer, "music").state is TaskState.RUNNING


def test_status_queries_ask_the_one_that_answered_first() -> None:
    tools = ("tool:text2music", "tool:vocal/text2music")
    assert imgopen_answers.status_queries("image") == ("sd", "archive")
    assert imgopen_answers.status_queries("music") == ("sd", *tools, "archive")
    assert imgopen_answers.status_queries("music", "tool:vocal/text2music") == (
        "tool:vocal/text2music",
        "sd",
        "tool:text2music",
        "archive",
    )
    # A music query never applies to an image task, nor does anything unknown.
    assert imgopen_answers.status_queries("image", "tool:text2music") == ("sd", "archive")
    assert imgopen_answers.status_queries("music", "tool:../x") == ("sd", *tools, "archive")
    assert imgopen_answers.query_path("tool:vocal/text2music") == (
        f"{SAAS}/tool/vocal/text2music/queryTask"
    )
    assert imgopen_answers.query_path("sd") == STATUS_PATH
    assert imgopen_answers.query_path("archive") == ARCHIVE_PATH


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_checkpoint_is_left_out(blank: str) -> None:
    request = TextToImageRequest(prompt="x", checkpoint=blank)
    body = imgopen.wire_request(request, task_id="j").model_dump(exclude_none=True)
    assert "sd_model_checkpoint" not in body["alwayson_scripts"]
    named = TextToImageRequest(prompt="x", checkpoint=f" {PAGE_CHECKPOINT} ")
    body = imgopen.wire_request(named, task_id="j").model_dump(exclude_none=True)
    assert body["alwayson_scripts"]["sd_model_checkpoint"] == PAGE_CHECKPOINT


# --- against the emulator ------------------------------------------------------------------


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


def _image(**values: Any) -> TextToImageRequest:
    base: dict[str, Any] = {"prompt": "a red fox", "width": 64, "height": 64, "steps": 2}
    base.update(values)
    return TextToImageRequest(**base)


def _music() -> TextToMusicRequest:
    return TextToMusicRequest(prompt="calm piano", seconds=1.0, steps=10, seed=42)


async def _run(
    emu: EmulatorServer,
    tmp_path: Path,
    job_id: str,
    request: StudioRequest,
    *,
    deadline_s: float | None = None,
) -> tuple[TaskHandle, Any]:
    provider = ImgOpenProvider(make_settings(emu, tmp_path))
    if deadline_s is not None:
        provider.unknown_state_deadline_s = deadline_s
    ctx = make_ctx(tmp_path, job_id)
    try:
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.03)
    finally:
        await provider.aclose()
    assert_no_canary(*dumps(handle, run))
    return handle, run


SHAPES = {
    "page": ImgOpenShape(),
    "status-as-text": ImgOpenShape(status_as_text=True),
    "code-as-number": ImgOpenShape(code_as_number=True),
    "unknown-states": ImgOpenShape(
        waiting=((0, "排队中"),), working=((7, "审核中"), (1, "生成中"))
    ),
    "unknown-named-states": ImgOpenShape(
        waiting=(("QUEUED", ""),), working=(("RENDERING", "渲染中"),), done=("2", "任务成功 !")
    ),
}


@pytest.mark.parametrize("name", list(SHAPES))
@pytest.mark.parametrize("kind", ["image", "music"])
async def test_a_task_ends_with_its_results_in_every_shape(
    fresh: EmulatorServer, tmp_path: Path, name: str, kind: str
) -> None:
    imgopen_emulator.use_shape(fresh.state, SHAPES[name])
    request = _image(seed=7) if kind == "image" else _music()
    handle, run = await _run(fresh, tmp_path, f"{name}-{kind}", request)
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    (path,) = await download_outputs(run.final, tmp_path / "out")
    assert path.stat().st_size > 0
    assert handle.data["status_query"] == "sd"


async def test_an_unknown_state_shows_in_the_status_line(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    imgopen_emulator.use_shape(fresh.state, SHAPES["unknown-states"])
    _handle, run = await _run(fresh, tmp_path, "shown", _image())
    assert run.final.state is TaskState.SUCCEEDED
    lines = {_en(s) for s in run.statuses if s.state is TaskState.RUNNING}
    assert "Img Open reports state 7 (审核中); waiting for the task to finish" in lines


async def test_a_failure_the_adapter_cannot_read_runs_to_the_deadline(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    imgopen_emulator.use_shape(fresh.state, ImgOpenShape(failed=(-1, "{reason}")))
    fresh.state.faults.fail_tasks("imgopen", reason="显存不足")
    started = time.monotonic()
    _handle, run = await _run(fresh, tmp_path, "quiet-fail", _image(), deadline_s=1.5)
    assert run.final.state is TaskState.FAILED
    assert time.monotonic() - started >= 1.5
    assert "still reports state -1 (显存不足)" in _en(run.final)
    # Until then the job ran on, showing the state it did not know.
    before = run.statuses[:-1]
    assert any(_en(s).startswith("Img Open reports state -1 (显存不足)") for s in before)
    assert all(s.state is TaskState.RUNNING for s in before)


@pytest.mark.parametrize(
    ("failed", "expected"),
    [
        ((4, "任务失败: {reason}"), "任务失败: 显存不足"),
        (("FAILED", ""), 'could not finish the task (status "FAILED")'),
        (("5", "Task failed: {reason}"), "Task failed: 显存不足"),
    ],
)
async def test_a_clear_failure_ends_the_job_at_once(
    fresh: EmulatorServer, tmp_path: Path, failed: tuple[Any, str], expected: str
) -> None:
    imgopen_emulator.use_shape(fresh.state, ImgOpenShape(failed=failed))
    fresh.state.faults.fail_tasks("imgopen", reason="显存不足")
    job_id = f"loud-fail-{failed[0]}"
    _handle, run = await _run(fresh, tmp_path, job_id, _music(), deadline_s=60.0)
    assert run.final.state is TaskState.FAILED
    assert expected in _en(run.final)


TOOLS_SHAPES = {
    "sd-shaped": ImgOpenShape(music_on_sd=False),
    "other-tool-code": ImgOpenShape(music_on_sd=False, music_tool_code="vocal/text2music"),
    "null-data": ImgOpenShape(music_on_sd=False, unknown_task="null_data"),
    "empty-data": ImgOpenShape(music_on_sd=False, unknown_task="empty_data"),
    "flat-status-1": ImgOpenShape(
        music_on_sd=False, tool_answer="flat", waiting=((0, "处理中"),), done=(1, "success")
    ),
}


@pytest.mark.parametrize("name", list(TOOLS_SHAPES))
async def test_text_to_music_is_followed_on_the_tools_query(
    fresh: EmulatorServer, tmp_path: Path, name: str
) -> None:
    chosen = TOOLS_SHAPES[name]
    imgopen_emulator.use_shape(fresh.state, chosen)
    handle, run = await _run(fresh, tmp_path, f"tools-{name}", _music())
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert run.final.outputs[0].metadata["seed"] == 42
    (path,) = await download_outputs(run.final, tmp_path / "out")
    assert path.suffix == ".mp3"
    # Recorded with the task; only the first poll asked the SD query.
    assert handle.data["status_query"] == f"tool:{chosen.music_tool_code}"
    assert fresh.state.calls.count("imgopen", "POST", STATUS_PATH) == 1
    path_answered = f"{SAAS}/tool/{chosen.music_tool_code}/queryTask"
    assert fresh.state.calls.count("imgopen", "POST", path_answered) == len(run.statuses)


@pytest.mark.parametrize("unknown_task", ["code_404", "null_data"])
async def test_no_query_knowing_a_music_task_gives_up_after_the_grace(
    fresh: EmulatorServer, tmp_path: Path, unknown_task: Any
) -> None:
    imgopen_emulator.use_shape(
        fresh.state,
        ImgOpenShape(music_on_sd=False, music_tool_code=None, unknown_task=unknown_task),
    )
    provider = ImgOpenProvider(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"nowhere-{unknown_task}")
    try:
        handle = await provider.submit(ctx, _music())
        waiting = await provider.status(ctx, handle)
        handle.data["submitted_at"] = time.time() - imgopen_answers.UNKNOWN_TASK_GRACE_S - 1
        with pytest.raises(ProviderError) as raised:
            await provider.status(ctx, handle)
    finally:
        await provider.aclose()
    assert waiting.state is TaskState.QUEUED
    assert "status_query" not in handle.data
    if unknown_task == "code_404":  # the provider's own words, retried a few times
        assert raised.value.retryable
        assert "not found" in str(raised.value)
    else:
        assert "does not know this task" in str(raised.value)
    # Each poll asked the SD query, both tools readings and the archive.
    assert fresh.state.calls.count("imgopen", "POST", STATUS_PATH) == 2
    assert fresh.state.calls.count("imgopen", "POST", TOOLS_PATHS) == 4
    assert fresh.state.calls.count("imgopen", "POST", ARCHIVE_PATH) == 2


async def test_an_image_task_never_asks_the_tools_query(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    fresh.state.faults.add(Fault("imgopen", STATUS_PATH, kind="envelope", status=404, times=1))
    handle, run = await _run(fresh, tmp_path, "image-archive", _image())
    assert run.final.state is TaskState.SUCCEEDED
    # The live query said "unknown" once: the archive answered and is asked first from then on.
    assert handle.data["status_query"] == "archive"
    assert fresh.state.calls.count("imgopen", "POST", TOOLS_PATHS) == 0
    assert fresh.state.calls.count("imgopen", "POST", STATUS_PATH) == 1


# Every envelope code the emulator answers with (docs/providers.md#emulators), on the create.
CREATE_CODES = {
    400: ("refused the task (code 400)", False),
    401: ("Check IMGOPEN_ACCESS_KEY_ID and IMGOPEN_ACCESS_KEY_SECRET", False),
    403: ("Check IMGOPEN_ACCESS_KEY_ID and IMGOPEN_ACCESS_KEY_SECRET", False),
    404: ("refused the task (code 404)", False),
    500: ("refused the task (code 500)", False),
}


@pytest.mark.parametrize("code", list(CREATE_CODES))
async def test_every_error_code_on_create(fresh: EmulatorServer, tmp_path: Path, code: int) -> None:
    fresh.state.faults.add(Fault("imgopen", MUSIC_PATH, kind="envelope", status=code))
    provider = ImgOpenProvider(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, f"create-{code}"), _music())
    finally:
        await provider.aclose()
    says, retryable = CREATE_CODES[code]
    assert says in str(raised.value)
    assert raised.value.retryable is retryable
    assert fresh.state.calls.count("imgopen", "POST", MUSIC_PATH) == 1
    assert_no_canary(str(raised.value))


@pytest.mark.parametrize(("code", "fatal"), [(400, False), (500, False), (401, True), (403, True)])
async def test_every_error_code_on_status(
    fresh: EmulatorServer, tmp_path: Path, code: int, fatal: bool
) -> None:
    provider = ImgOpenProvider(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"status-{code}")
    try:
        handle = await provider.submit(ctx, _image())
        fresh.state.faults.add(Fault("imgopen", STATUS_PATH, kind="envelope", status=code))
        if fatal:
            with pytest.raises(ProviderError) as raised:
                await provider.status(ctx, handle)
            assert not raised.value.retryable
            assert "Check IMGOPEN_ACCESS_KEY_ID" in str(raised.value)
            return
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.03)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED
    assert [e.retryable for e in run.errors] == [True]
    assert f"(code {code})" in str(run.errors[0])
    # An error that is not "unknown task" sends the adapter to no other query.
    assert fresh.state.calls.count("imgopen", "POST", ARCHIVE_PATH) == 0


async def test_bad_keys_are_read_from_a_numeric_code(fresh: EmulatorServer, tmp_path: Path) -> None:
    imgopen_emulator.use_shape(fresh.state, ImgOpenShape(code_as_number=True))
    settings = make_settings(fresh, tmp_path, imgopen_access_key_id="canary-SECRET-wrong")
    provider = ImgOpenProvider(settings)
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "bad-key-number"), _image())
    finally:
        await provider.aclose()
    assert not raised.value.retryable
    assert "Check IMGOPEN_ACCESS_KEY_ID" in str(raised.value)
    assert_no_canary(str(raised.value))


async def test_a_blank_checkpoint_is_not_sent_and_the_default_model_draws(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    handle, run = await _run(fresh, tmp_path, "no-checkpoint", _image())
    assert run.final.state is TaskState.SUCCEEDED
    assert "sd_model_checkpoint" not in handle.data["request"]["body"]["alwayson_scripts"]


async def test_a_provider_that_wants_a_checkpoint_says_which_field(
    fresh: EmulatorServer, tmp_path: Path
) -> None:
    imgopen_emulator.use_shape(fresh.state, ImgOpenShape(require_checkpoint=True))
    provider = ImgOpenProvider(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(make_ctx(tmp_path, "wants-checkpoint"), _image())
    finally:
        await provider.aclose()
    said = str(raised.value)
    assert "refused the task (code 400)" in said
    assert f"Fill in checkpoint (sd_model_checkpoint), for example {PAGE_CHECKPOINT}" in said
    assert not raised.value.retryable
    handle, run = await _run(fresh, tmp_path, "named", _image(checkpoint=PAGE_CHECKPOINT))
    assert run.final.state is TaskState.SUCCEEDED
    sent = handle.data["request"]["body"]["alwayson_scripts"]
    assert sent["sd_model_checkpoint"] == PAGE_CHECKPOINT
