"""Tencent Multimedia Lab as the page describes it (issue 12): numbered enums in, numbers or
names out, every error code the emulator knows; the mapping functions, and the adapter against
the emulator in each shape (docs/providers.md#tencent-fields)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import httpx
import pytest

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.provider import TaskHandle, TaskState
from core.requests import ImageToMusicRequest, SongEmotion, SongGenre, SongType
from emulators import tencent as tencent_emulator
from emulators.state import Fault
from emulators.tencent import TencentShape
from emulators.testing import EmulatorServer
from providers import tencent_mmlab
from providers.wire import tencent as wire
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

JOB_PATH = "/job"
IMAGE = "https://images.example.com/cat.png"
# The page's tables, copied here as the oracle (not imported from the code under test).
PAGE_EMOTIONS = [
    "HAPPY",
    "SAD",
    "ROMANTIC",
    "QUIET",
    "LAZY",
    "EXCITING",
    "MAGNIFICENT",
    "FUNNY",
    "FEAR",
    "WARM",
    "ANGRY",
]
PAGE_GENRES = ["POP", "CLASSICAL", "CHINA", "SOFT", "JAZZ"]
PAGE_STATES = ["SUBMITTED", "PROCESSING", "COMPLETED", "ERROR", "CANCELED"]
SHAPES = {
    "page": TencentShape(),
    "answers-by-name": TencentShape(answer_names=True),
    "names-accepted": TencentShape(accept_names=True, answer_names=True),
}


def _gen(request: ImageToMusicRequest) -> dict[str, Any]:
    return tencent_mmlab.bgm_generation(request).model_dump(exclude_none=True)


# --- the mapping, pure ---------------------------------------------------------------------


def test_defaults_are_left_out() -> None:
    assert _gen(ImageToMusicRequest(image_url=IMAGE)) == {"songQuantity": 1}
    explicit = ImageToMusicRequest(image_url=IMAGE, output_type="mp3", song_type="LARGE_MODEL")
    assert _gen(explicit) == {"songQuantity": 1}


def test_other_values_are_the_pages_numbers() -> None:
    mp4 = ImageToMusicRequest(image_url=IMAGE, output_type="MP4", song_quantity=3)
    assert _gen(mp4) == {"songQuantity": 3, "outputType": 2}
    multi = ImageToMusicRequest(image_url=IMAGE, song_type="MULTITRACK", emotion="ANGRY")
    assert _gen(multi) == {"songQuantity": 1, "type": 2, "emotion": 11}


@pytest.mark.parametrize(("number", "emotion"), list(enumerate(PAGE_EMOTIONS, start=1)))
def test_each_emotion_is_its_number(number: int, emotion: str) -> None:
    song_type = "MULTITRACK" if emotion in ("WARM", "ANGRY") else "LARGE_MODEL"
    request = ImageToMusicRequest(image_url=IMAGE, emotion=emotion, song_type=song_type)
    assert _gen(request)["emotion"] == number


@pytest.mark.parametrize(("number", "genre"), list(enumerate(PAGE_GENRES, start=1)))
def test_each_genre_is_its_number(number: int, genre: str) -> None:
    assert _gen(ImageToMusicRequest(image_url=IMAGE, genre=genre))["genre"] == number


def test_wire_tables_name_every_studio_choice() -> None:
    # The request model's choices and the wire tables cannot drift apart.
    assert list(wire.EMOTIONS) == list(get_args(SongEmotion)) == PAGE_EMOTIONS
    assert list(wire.GENRES) == list(get_args(SongGenre)) == PAGE_GENRES
    assert list(wire.SONG_TYPES) == list(get_args(SongType))
    assert list(wire.STATES) == PAGE_STATES


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (1, "SUBMITTED"),
        (3, "COMPLETED"),
        ("5", "CANCELED"),
        ("PROCESSING", "PROCESSING"),
        (" error ", "ERROR"),
        (9, None),
        ("DONE", None),
        ("²", None),
        (True, None),
        (None, None),
        (3.0, None),
    ],
)
def test_enum_name_reads_numbers_and_names(value: Any, name: str | None) -> None:
    assert tencent_mmlab.enum_name(value, wire.STATES) == name


def _job(state: Any, **extra: Any) -> dict[str, Any]:
    return {"requestId": "r", "getJobResponse": {"job": {"id": "j", "state": state, **extra}}}


@pytest.mark.parametrize("state", [3, "3", "COMPLETED", "completed"])
def test_a_completed_job_by_number_or_name(state: Any) -> None:
    outputs = [
        {"destination": "/d", "smartContentResult": {"imageBgmGeneration": [{"songName": "s.mp3"}]}}
    ]
    status = tencent_mmlab.map_status(
        _job(state, outputs=outputs), output_base_url="https://bucket.example"
    )
    assert status.state is TaskState.SUCCEEDED
    assert [a.url for a in status.outputs] == ["https://bucket.example/d/s.mp3"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("SUBMITTED", TaskState.QUEUED),
        ("PROCESSING", TaskState.RUNNING),
        ("ERROR", TaskState.FAILED),
        ("CANCELED", TaskState.FAILED),
        ("SOMETHING_NEW", TaskState.RUNNING),
    ],
)
def test_states_by_name(state: str, expected: TaskState) -> None:
    status = tencent_mmlab.map_status(_job(state), output_base_url=None)
    assert status.state is expected


def test_an_image_url_error_names_the_providers_field(tmp_path: Any) -> None:
    provider = tencent_mmlab.TencentProvider(Settings(_env_file=None, studio_data_dir=tmp_path))
    with pytest.raises(InvalidRequest) as raised:
        provider.check(ImageToMusicRequest(image_url="https://x.example/a.bmp"))
    assert str(raised.value).startswith("image_url (inputs[0].url): ")


def test_transient_codes() -> None:
    def answer(code: str) -> dict[str, Any]:
        return {"errorResponse": {"code": code, "message": "m"}}

    assert tencent_mmlab.is_transient(answer("RequestLimitExceeded.UinLimitExceeded"))
    assert not tencent_mmlab.is_transient(answer("InternalError"))
    assert not tencent_mmlab.is_transient(answer("InvalidParameter"))
    assert not tencent_mmlab.is_transient(answer("AuthFailure"))


# --- the emulator's shapes ----------------------------------------------------------------


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        server.state.music_seconds = 1.0
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


def _raw_create(emu: EmulatorServer, **gen: Any) -> dict[str, Any]:
    env = emu.env()
    body = {
        "action": "CreateJob",
        "secretId": env["TENCENT_MMLAB_SECRET_ID"],
        "secretKey": env["TENCENT_MMLAB_SECRET_KEY"],
        "createJobRequest": {
            "customId": "raw",
            "inputs": [{"url": IMAGE}],
            "outputs": [
                {
                    "destination": "/o",
                    "inputSelectors": [0],
                    "smartContentDescriptor": {
                        "imageBgmGeneration": {"songQuantity": 1, **gen},
                    },
                }
            ],
        },
    }
    return httpx.post(env["TENCENT_MMLAB_URL"], json=body, timeout=10.0).json()


def test_page_mode_refuses_names(fresh: EmulatorServer) -> None:
    for field, name in (("outputType", "MP3"), ("type", "LARGE_MODEL"), ("emotion", "HAPPY")):
        answer = _raw_create(fresh, **{field: name})
        assert answer["errorResponse"]["code"] == "InvalidParameter"
        assert field in answer["errorResponse"]["message"]
    job = _raw_create(fresh, outputType=2, emotion=3)["createJobResponse"]["job"]
    assert job["state"] == 1
    echoed = job["outputs"][0]["smartContentDescriptor"]["imageBgmGeneration"]
    assert echoed == {"songQuantity": 1, "outputType": 2, "emotion": 3}


def test_names_mode_takes_names_and_answers_with_names(fresh: EmulatorServer) -> None:
    tencent_emulator.use_shape(fresh.state, TencentShape(accept_names=True, answer_names=True))
    job = _raw_create(fresh, outputType="MP4", emotion=3)["createJobResponse"]["job"]
    assert job["state"] == "SUBMITTED"
    echoed = job["outputs"][0]["smartContentDescriptor"]["imageBgmGeneration"]
    assert echoed == {"songQuantity": 1, "outputType": "MP4", "emotion": "ROMANTIC"}


# --- the adapter against each shape --------------------------------------------------------


@pytest.mark.parametrize("shape_name", list(SHAPES))
async def test_a_job_in_each_shape(fresh: EmulatorServer, tmp_path: Any, shape_name: str) -> None:
    tencent_emulator.use_shape(fresh.state, SHAPES[shape_name])
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"tencent-{shape_name}")
    request = ImageToMusicRequest(image_url=IMAGE, output_type="mp4", emotion="SAD", genre="JAZZ")
    try:
        handle = await provider.submit(ctx, request)
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert sorted(a.kind for a in run.final.outputs) == ["audio", "video"]
    await download_outputs(run.final, tmp_path / "out")
    sent = fresh.state.tasks["tencent"][handle.task_id].request
    gen = sent["outputs"][0]["smartContentDescriptor"]["imageBgmGeneration"]
    assert gen == {"songQuantity": 1, "outputType": 2, "emotion": 2, "genre": 5}
    assert_no_canary(*dumps(handle, run))


async def test_defaults_reach_the_provider_unsent(fresh: EmulatorServer, tmp_path: Any) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "tencent-defaults")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=IMAGE))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert [a.kind for a in run.final.outputs] == ["audio"]
    sent = fresh.state.tasks["tencent"][handle.task_id].request
    assert sent["outputs"][0]["smartContentDescriptor"]["imageBgmGeneration"] == {"songQuantity": 1}


@pytest.mark.parametrize("shape_name", list(SHAPES))
async def test_a_failed_job_in_each_shape(
    fresh: EmulatorServer, tmp_path: Any, shape_name: str
) -> None:
    tencent_emulator.use_shape(fresh.state, SHAPES[shape_name])
    fresh.state.faults.fail_tasks("tencent", reason="the picture has no mood")
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"tencent-fail-{shape_name}")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=IMAGE))
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.FAILED
    assert "the picture has no mood" in str(run.final.error)


# Each errorResponse code the emulator answers with (docs/providers.md#emulators), keyed by the
# HTTP status a scripted fault turns into it (emulators/common.py TENCENT_CODES).
CREATE_ERRORS = [
    # (status, code, retryable, words in the message)
    (400, "InvalidParameter", False, "refused the task"),
    (401, "AuthFailure", False, "TENCENT_MMLAB_SECRET_ID"),
    (404, "ResourceNotFound", False, "refused the task"),
    (429, "RequestLimitExceeded", True, "refused the task"),
    (500, "InternalError", False, "refused the task"),
]


@pytest.mark.parametrize(("status", "code", "retryable", "words"), CREATE_ERRORS)
async def test_each_error_code_on_create(
    fresh: EmulatorServer, tmp_path: Any, status: int, code: str, retryable: bool, words: str
) -> None:
    fresh.state.faults.add(Fault("tencent", JOB_PATH, kind="envelope", status=status))
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, f"t-{code}"), ImageToMusicRequest(image_url=IMAGE)
            )
    finally:
        await provider.aclose()
    assert raised.value.retryable is retryable
    assert words in str(raised.value)
    assert f"emulated fault {status}" in str(raised.value)
    assert fresh.state.calls.count("tencent", "POST", JOB_PATH) == 1
    assert_no_canary(str(raised.value))


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_failure_with_an_http_status_names_the_keys(
    fresh: EmulatorServer, tmp_path: Any, status: int
) -> None:
    fresh.state.faults.add(Fault("tencent", JOB_PATH, kind="status", status=status))
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, "t-auth"), ImageToMusicRequest(image_url=IMAGE)
            )
    finally:
        await provider.aclose()
    assert not raised.value.retryable
    assert "TENCENT_MMLAB_SECRET_KEY" in str(raised.value)


@pytest.mark.parametrize("status", [400, 404, 429, 500])
async def test_status_errors_that_may_pass_are_waited_out(
    fresh: EmulatorServer, tmp_path: Any, status: int
) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, f"t-get-{status}")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=IMAGE))
        fresh.state.faults.add(
            Fault("tencent", JOB_PATH, kind="envelope", status=status, action="GetJob", times=2)
        )
        run = await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    # RequestLimitExceeded is retried inside the call; the others come back as retryable errors.
    assert all(error.retryable for error in run.errors)


async def test_auth_failure_on_status_ends_the_job(fresh: EmulatorServer, tmp_path: Any) -> None:
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "t-get-auth")
    try:
        handle = await provider.submit(ctx, ImageToMusicRequest(image_url=IMAGE))
        fresh.state.faults.add(
            Fault("tencent", JOB_PATH, kind="envelope", status=401, action="GetJob")
        )
        with pytest.raises(ProviderError) as raised:
            await run_to_end(provider, ctx, handle)
    finally:
        await provider.aclose()
    assert not raised.value.retryable
    assert "TENCENT_MMLAB_SECRET_ID" in str(raised.value)


async def test_an_unknown_job_is_not_final_at_once(fresh: EmulatorServer, tmp_path: Any) -> None:
    # ResourceNotFound from GetJob: a job may take a moment to be listed, so it is retryable.
    provider = tencent_mmlab.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "t-unknown")
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.status(ctx, TaskHandle(task_id="no-such-job"))
    finally:
        await provider.aclose()
    assert raised.value.retryable
    assert "no-such-job" in str(raised.value)
