"""Vidu's `creations` in every shape (issue 12): bare URL strings as the page types them,
objects with `uri` as Vidu's own API sends them, objects with `url`; the other waiting states
and every error the emulator knows (docs/providers.md#vidu-status)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.errors import ProviderError
from core.media import sniff_file
from core.provider import TaskHandle, TaskState
from core.requests import VideoUpscaleRequest
from emulators import vidu as vidu_emulator
from emulators.state import Fault
from emulators.testing import EmulatorServer
from emulators.vidu import ViduShape
from providers import vidu
from providers.wire.vidu import Task, creation_fields
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

CREATE_PATH = "/vidu/v1/tasks"
STREAM_PATH = "/vidu/v1/tasks/state"
TASK_GLOB = "/vidu/v1/tasks/[0-9]*"
VIDEO = "https://cdn.example/out.mp4?Expires=1&Signature=x"
COVER = "https://cdn.example/cover.jpg"


def _task(creations: Any, state: str = "success", **extra: Any) -> dict[str, Any]:
    return {"id": "77", "state": state, "creations": creations, "err_code": "", **extra}


# --- the reading, pure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (VIDEO, {"uri": VIDEO}),
        (f"  {VIDEO} ", {"uri": VIDEO}),
        ("2370483030340581", {"id": "2370483030340581"}),
        ("", None),
        (None, None),
        (42, None),
        ({"id": "1", "uri": VIDEO}, {"id": "1", "uri": VIDEO, "cover_uri": None}),
        (
            {"id": "1", "url": VIDEO, "cover_url": COVER},
            {"id": "1", "url": VIDEO, "uri": VIDEO, "cover_url": COVER, "cover_uri": COVER},
        ),
        ({"video_url": VIDEO}, {"video_url": VIDEO, "uri": VIDEO, "cover_uri": None}),
        # A cover alone is not the video.
        ({"cover_url": COVER}, {"cover_url": COVER, "uri": None, "cover_uri": COVER}),
        (
            {"uri": "relative/path.mp4", "url": VIDEO},
            {"url": VIDEO, "uri": VIDEO, "cover_uri": None},
        ),
    ],
)
def test_creation_fields(item: Any, expected: dict[str, Any] | None) -> None:
    assert creation_fields(item) == expected


@pytest.mark.parametrize(
    "creations",
    [
        [VIDEO],
        [{"id": "5", "uri": VIDEO, "cover_uri": COVER}],
        [{"id": "5", "url": VIDEO, "cover_url": COVER}],
        VIDEO,  # one string where a list was expected
        [None, 3, VIDEO],
        [{"id": 5, "uri": VIDEO, "resolution": "1920x1080", "video": [4, 24]}],
    ],
)
def test_a_success_gives_the_video_in_every_shape(creations: Any) -> None:
    status = vidu.map_status(_task(creations))
    assert status.state is TaskState.SUCCEEDED, status.error
    (artifact,) = status.outputs
    assert artifact.url == VIDEO
    assert artifact.kind == "video"
    assert artifact.name.endswith(".mp4")


def test_a_bare_url_is_named_after_the_task() -> None:
    (artifact,) = vidu.map_status(_task([VIDEO, VIDEO])).outputs[:1]
    assert artifact.name == "upscaled-77-1.mp4"
    assert artifact.metadata == {"task_id": "77"}


def test_ids_without_addresses_are_named_in_the_error() -> None:
    status = vidu.map_status(_task(["111", "222"]))
    assert status.state is TaskState.FAILED
    assert "111, 222" in str(status.error)
    assert vidu.map_status(_task([])).error is not None


def test_numbers_where_text_was_expected() -> None:
    task = Task.model_validate(_task([], state="processing", id=77, err_code=1001))
    assert (task.id, task.err_code) == ("77", "1001")
    assert vidu.map_task(task).state is TaskState.FAILED


# --- the adapter against each shape ------------------------------------------------------


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=0.8) as server:
        yield server


@pytest.fixture
def fresh(emu: EmulatorServer) -> EmulatorServer:
    reset(emu)
    return emu


async def _upscale(emu: EmulatorServer, tmp_path: Path, job: str, **request: Any) -> Any:
    provider = vidu.create(make_settings(emu, tmp_path))
    ctx = make_ctx(tmp_path, job)
    try:
        handle = await provider.submit(ctx, VideoUpscaleRequest(**request))
        run = await run_to_end(provider, ctx, handle, max_sleep_s=0.05)
    finally:
        await provider.aclose()
    return handle, run


@pytest.mark.parametrize("creations", ["objects", "strings", "url_objects"])
async def test_a_paid_task_succeeds_in_every_shape(
    fresh: EmulatorServer, tmp_path: Path, creations: Any
) -> None:
    vidu_emulator.use_shape(fresh.state, ViduShape(creations=creations))
    creation = fresh.state.vidu_add_creation()
    handle, run = await _upscale(fresh, tmp_path, f"vidu-{creations}", creation_id=creation)
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    (video,) = run.final.outputs
    (path,) = await download_outputs(run.final, tmp_path / "out")
    assert sniff_file(path) == "mp4"
    if creations == "strings":
        assert video.name == f"upscaled-{handle.task_id}-1.mp4"
    else:
        assert video.metadata["cover_uri"].startswith("http")
        assert video.metadata["width"] > 0
    assert_no_canary(*dumps(handle, run))


@pytest.mark.parametrize("queued_state", ["created", "queueing", "queued", "scheduling"])
async def test_every_waiting_state_is_queued(
    fresh: EmulatorServer, tmp_path: Path, queued_state: str
) -> None:
    vidu_emulator.use_shape(fresh.state, ViduShape(queued_state=queued_state))
    creation = fresh.state.vidu_add_creation()
    _, run = await _upscale(fresh, tmp_path, f"vidu-{queued_state}", creation_id=creation)
    assert run.final.state is TaskState.SUCCEEDED, run.final.error
    assert run.statuses[0].state is TaskState.QUEUED
    assert not any("reports" in str(s.message) for s in run.statuses)


@pytest.mark.parametrize(
    ("err_code", "words"),
    [
        ("CreditInsufficient", "out of credits"),
        ("AuditFailed", "moderation"),
        ("CreationNotFound", "creation_id was not found"),
        ("TaskTimeout", "took too long"),
        ("E1234", "error code E1234"),
    ],
)
async def test_every_failure_code(
    fresh: EmulatorServer, tmp_path: Path, err_code: str, words: str
) -> None:
    fresh.state.faults.fail_tasks("vidu", reason=err_code)
    _, run = await _upscale(fresh, tmp_path, f"vidu-{err_code}", creation_id="12345")
    assert run.final.state is TaskState.FAILED
    assert words in str(run.final.error)
    assert err_code in str(run.final.error)


@pytest.mark.parametrize(
    ("status", "retryable", "words"),
    [
        (400, False, "refused the request"),
        (401, False, "refused the key"),
        (403, False, "refused the key"),
        (404, False, "does not know this address"),
        (429, True, "limiting our requests"),
        # A server error may come after the task was made: not suggested again (no double bill).
        (500, False, "server error"),
        (503, False, "server error"),
    ],
)
async def test_every_error_on_create(
    fresh: EmulatorServer, tmp_path: Path, status: int, retryable: bool, words: str
) -> None:
    fresh.state.faults.add(Fault("vidu", CREATE_PATH, status=status, method="POST"))
    provider = vidu.create(make_settings(fresh, tmp_path))
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.submit(
                make_ctx(tmp_path, f"vidu-e{status}"), VideoUpscaleRequest(creation_id="42")
            )
    finally:
        await provider.aclose()
    assert raised.value.retryable is retryable
    assert words in str(raised.value)
    assert fresh.state.calls.count("vidu", "POST", CREATE_PATH) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503])
async def test_status_errors_that_may_pass_are_retried(
    fresh: EmulatorServer, tmp_path: Path, status: int
) -> None:
    fresh.state.faults.add(Fault("vidu", STREAM_PATH, status=404, times=50))
    fresh.state.faults.add(Fault("vidu", TASK_GLOB, status=status, method="GET", times=2))
    creation = fresh.state.vidu_add_creation()
    _, run = await _upscale(fresh, tmp_path, f"vidu-get-{status}", creation_id=creation)
    assert run.final.state is TaskState.SUCCEEDED, run.final.error


async def test_an_unknown_task_is_reported(fresh: EmulatorServer, tmp_path: Path) -> None:
    fresh.state.faults.add(Fault("vidu", STREAM_PATH, status=404, times=5))
    provider = vidu.create(make_settings(fresh, tmp_path))
    ctx = make_ctx(tmp_path, "vidu-unknown")
    try:
        with pytest.raises(ProviderError) as raised:
            await provider.status(ctx, TaskHandle(task_id="999"))
    finally:
        await provider.aclose()
    # Retryable: a reseller may list a new task late; the poller gives up after its 8 errors.
    assert raised.value.retryable
    assert "task 999 not found" in str(raised.value)
