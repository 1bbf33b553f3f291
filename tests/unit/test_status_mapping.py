"""Pure mappings of the four remote adapters: requests → wire bodies, answers → TaskStatus."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest, ProviderError
from core.messages import render
from core.provider import TaskState, TaskStatus
from core.requests import (
    ExtendMusicRequest,
    ImageToMusicRequest,
    TextToImageRequest,
    TextToMusicRequest,
    VideoUpscaleRequest,
)
from providers import imgopen, imgopen_answers, suno, tencent_mmlab, vidu
from providers.remote_base import file_name, redact, url_suffix
from providers.wire.vidu import StateEvent


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, studio_data_dir=tmp_path, **values)  # type: ignore[call-arg]


# --- configuration -----------------------------------------------------------------------


def test_is_configured_by_server_or_session_keys(tmp_path: Path) -> None:
    bare = _settings(tmp_path)
    assert not imgopen.is_configured(bare, {})
    assert not tencent_mmlab.is_configured(bare, {})
    assert not suno.is_configured(bare, {})
    assert not vidu.is_configured(bare, {})
    session = {name: SecretStr("k") for name in imgopen.CREDENTIAL_FIELDS}
    assert imgopen.is_configured(bare, session)
    # One of two keys is not enough.
    assert not imgopen.is_configured(bare, {"IMGOPEN_ACCESS_KEY_ID": SecretStr("k")})
    assert tencent_mmlab.is_configured(
        _settings(tmp_path, tencent_mmlab_secret_id="a", tencent_mmlab_secret_key="b"), {}
    )
    assert suno.is_configured(bare, {"SUNO_API_KEY": SecretStr("k")})
    assert not suno.is_configured(bare, {"SUNO_API_KEY": SecretStr("  ")})
    # Vidu has no default address: a key alone does not make it usable.
    assert not vidu.is_configured(bare, {"VIDU_API_KEY": SecretStr("k")})
    with_url = _settings(tmp_path, vidu_base_url="https://reseller.example")
    assert vidu.is_configured(with_url, {"VIDU_API_KEY": SecretStr("k")})


def test_create_returns_named_providers(tmp_path: Path) -> None:
    settings = _settings(tmp_path, vidu_base_url="https://reseller.example")
    names = {m.create(settings).name for m in (imgopen, tencent_mmlab, suno, vidu)}
    assert names == {"imgopen", "tencent", "suno", "vidu"}
    for module in (imgopen, tencent_mmlab, suno, vidu):
        provider = module.create(settings)
        assert provider.resubmit_safe is False
        assert provider.poll_delay(0.0) > 0


# --- Img Open requests -------------------------------------------------------------------


def test_imgopen_music_body() -> None:
    request = TextToMusicRequest(prompt=" calm piano ", seconds=12.5, steps=30, cfg=4.2, seed=-1)
    body = imgopen.wire_request(request, task_id="job-1").model_dump(exclude_none=True)
    assert body == {
        "businessTaskId": "job-1",
        "comfyTaskType": "StableAudioOpen",
        "prompt": "calm piano",
        "seed": -1,
        "steps": 30,
        "cfg": 4.2,
        "seconds": 12.5,
    }
    with_callback = imgopen.wire_request(request, task_id="j", callback_url="https://cb/x")
    assert with_callback.model_dump(exclude_none=True)["callbackUrl"] == "https://cb/x"


def test_imgopen_image_body_follows_the_seed() -> None:
    request = TextToImageRequest(
        prompt="a cat",
        negative_prompt="blurry",
        width=512,
        height=768,
        seed=1221212,
        enable_hr=True,
        hr_scale=2.0,
        checkpoint="revAnimated_v122.safetensors",
        clip_skip=3,
        sampler="Euler a",
    )
    body = imgopen.wire_request(request, task_id="job-7").model_dump(exclude_none=True)
    assert body["seed"] == "1221212"
    assert body["sampler_index"] == "Euler a"
    assert (body["hr_resize_x"], body["hr_resize_y"]) == (1024, 1536)
    assert body["enable_hr"] is True
    assert body["alwayson_scripts"] == {
        "sd_model_checkpoint": "revAnimated_v122.safetensors",
        "id_task": "job-7",
        "override_settings": {"CLIP_stop_at_last_layers": 3},
    }
    assert "callbackUrl" not in body
    plain = imgopen.wire_request(TextToImageRequest(prompt="x"), task_id="j")
    dumped = plain.model_dump(exclude_none=True)
    assert "hr_resize_x" not in dumped
    assert "hr_resize_y" not in dumped
    assert dumped["seed"] == "-1"


def test_imgopen_refuses_other_capabilities(tmp_path: Path) -> None:
    provider = imgopen.create(_settings(tmp_path))
    with pytest.raises(InvalidRequest) as raised:
        provider.check(VideoUpscaleRequest(creation_id="123"))
    assert raised.value.field == "capability"


# --- Img Open answers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"image_url": "https://x/a.mp3"}, "https://x/a.mp3"),
        ({"image_url": "https://x/cover.png", "audio_url": "https://x/a.wav"}, "https://x/a.wav"),
        ({"image_url": None, "fileUrl": "https://x/t.FLAC?sig=1"}, "https://x/t.FLAC?sig=1"),
        ({"image_url": "https://x/noext"}, "https://x/noext"),
        ({"seed": 3}, None),
        ({"image_url": "ftp://x/a.mp3"}, None),
    ],
)
def test_find_audio_url(item: dict[str, object], expected: str | None) -> None:
    assert imgopen_answers.find_audio_url(item) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"progress": 0.42}, 42.0),
        ({"progress": 42}, 42.0),
        ({"progress": 1}, 1.0),
        ({"percent": "55%"}, 55.0),
        ({"taskProgress": "0.5"}, 50.0),
        ({"progress": 250}, 100.0),
        ({"progress": "half"}, None),
        ({"progress_url": 0.5}, None),
        ({}, None),
    ],
)
def test_find_percent(data: dict[str, object], expected: float | None) -> None:
    assert imgopen_answers.find_percent(data) == expected


def test_find_preview_url_and_base64() -> None:
    png = _png_bytes()
    encoded = base64.b64encode(png).decode()
    assert imgopen_answers.find_preview({"image_url": "https://x/p.png"}) == "https://x/p.png"
    assert imgopen_answers.find_preview({"a": [{"b": encoded}]}) == png
    assert imgopen_answers.find_preview(f"data:image/png;base64,{encoded}") == png
    assert imgopen_answers.find_preview({"note": "not an image", "n": 3}) is None
    assert imgopen_answers.find_preview(None) is None


def _envelope(data: object, code: object = "200", msg: str = "success") -> dict[str, object]:
    return {"code": code, "msg": msg, "data": data}


def test_imgopen_running_with_percent_and_url_preview() -> None:
    answer = _envelope(
        {
            "id_task": "t",
            "status": 1,
            "desc": "生成中",
            "progress": 30,
            "temporaryImageDto": {"image_url": "https://x/half.png"},
        }
    )
    status = imgopen_answers.map_status(answer, "image")
    assert status.state is TaskState.RUNNING
    assert status.percent == 30.0
    assert status.preview is not None
    assert status.preview.url == "https://x/half.png"
    # Undocumented percent: none when the answer carries none.
    plain = imgopen_answers.map_status(_envelope({"status": 3}), "image")
    assert plain.state is TaskState.RUNNING
    assert plain.percent is None


def test_imgopen_base64_preview_is_saved(tmp_path: Path) -> None:
    png = _png_bytes()
    saved: list[Path] = []

    def save(data: bytes, suffix: str) -> Path:
        path = tmp_path / f"p{suffix}"
        path.write_bytes(data)
        saved.append(path)
        return path

    answer = _envelope(
        {"status": "1", "temporaryImageDto": {"image_base64": base64.b64encode(png).decode()}}
    )
    status = imgopen_answers.map_status(answer, "image", save_preview=save)
    assert status.preview is not None
    assert status.preview.path == saved[0]
    assert saved[0].suffix == ".png"
    assert saved[0].read_bytes() == png


def test_imgopen_done_with_moderation() -> None:
    items = [
        {"img_audit_status": True, "image_status": 1, "image_url": "https://x/1.png", "seed": 5},
        {"img_audit_status": False, "image_status": 1, "image_url": "https://x/2.png", "seed": 6},
    ]
    status = imgopen_answers.map_status(
        _envelope({"status": 2, "differentialImageRspList": items}), "image"
    )
    assert status.state is TaskState.SUCCEEDED
    assert [a.url for a in status.outputs] == ["https://x/1.png"]
    assert status.outputs[0].kind == "image"
    assert status.outputs[0].metadata["seed"] == 5
    assert "moderation" in str(status.message)
    assert "1 of the 2" in str(status.message)
    blocked = [dict(items[1])]
    failed = imgopen_answers.map_status(
        _envelope({"status": 2, "differentialImageRspList": blocked}), "image"
    )
    assert failed.state is TaskState.FAILED
    assert "moderation" in str(failed.error or "")


def test_imgopen_music_outputs_and_failures() -> None:
    items = [{"img_audit_status": True, "image_url": "https://x/song.mp3", "seed": 9}]
    done = imgopen_answers.map_status(
        _envelope({"status": 2, "differentialImageRspList": items}), "music"
    )
    assert done.state is TaskState.SUCCEEDED
    assert done.outputs[0].kind == "audio"
    assert done.outputs[0].name == "song.mp3"
    empty = imgopen_answers.map_status(
        _envelope({"status": 2, "differentialImageRspList": []}), "music"
    )
    assert empty.state is TaskState.FAILED
    assert "no audio" in str(empty.error or "")
    failed = imgopen_answers.map_status(
        _envelope({"status": 4, "desc": "任务失败: 显存不足"}), "music"
    )
    assert failed.state is TaskState.FAILED
    assert "显存不足" in str(failed.error or "")


def test_imgopen_error_envelopes_raise_retryable() -> None:
    with pytest.raises(ProviderError) as raised:
        imgopen_answers.map_status(_envelope(None, code="500", msg="busy"), "image")
    assert raised.value.retryable
    assert "busy" in str(raised.value)
    with pytest.raises(ProviderError):
        imgopen_answers.map_status({"no": "envelope"}, "image")
    # An int code is read like the documented string.
    queued = imgopen_answers.map_status(_envelope(None, code=200), "image")
    assert queued.state is TaskState.QUEUED


@given(status=st.one_of(st.integers(-5, 10), st.text(max_size=3)), progress=st.floats(-10, 500))
def test_imgopen_mapping_is_total(status: object, progress: float) -> None:
    result = imgopen_answers.map_status(
        _envelope({"status": status, "progress": progress}), "image"
    )
    assert result.state in set(TaskState)
    assert result.percent is None or 0.0 <= result.percent <= 100.0


# --- Tencent -----------------------------------------------------------------------------


def test_tencent_body_matches_the_seed() -> None:
    request = ImageToMusicRequest(
        image_url="https://img.example/a.png", song_quantity=2, output_type="mp4", emotion="SAD"
    )
    body = tencent_mmlab.wire_request(
        request, image_url="https://img.example/a.png", custom_id="job-1"
    ).model_dump(exclude_none=True)
    assert body == {
        "inputs": [{"url": "https://img.example/a.png"}],
        "outputs": [
            {
                "destination": "/aigc-studio/job-1",
                "inputSelectors": [0],
                "smartContentDescriptor": {
                    # The page's numbers; type LARGE_MODEL is the page's default: left out.
                    "imageBgmGeneration": {"songQuantity": 2, "outputType": 2, "emotion": 2}
                },
            }
        ],
        "customId": "job-1",
    }


def test_tencent_custom_id_is_short_and_plain() -> None:
    custom = tencent_mmlab.custom_id_for("x" * 100 + "/é")
    assert len(custom) < 64
    assert tencent_mmlab.custom_id_for("a b/c") == "a-b-c"


def test_tencent_result_url() -> None:
    base = "https://bucket.cos.example.com/"
    assert tencent_mmlab.result_url(base, "/out/j", "song 1.mp3") == (
        "https://bucket.cos.example.com/out/j/song%201.mp3"
    )
    assert tencent_mmlab.result_url(None, "/o", "https://cdn/x.mp3") == "https://cdn/x.mp3"
    assert tencent_mmlab.result_url(None, "/o", "x.mp3") is None
    assert tencent_mmlab.result_url(base, "/", "x.mp3") == "https://bucket.cos.example.com/x.mp3"


def _job(state: int, **extra: object) -> dict[str, object]:
    return {"requestId": "r", "getJobResponse": {"job": {"id": "j1", "state": state, **extra}}}


def test_tencent_states() -> None:
    base = "https://b.example"
    assert tencent_mmlab.map_status(_job(1), output_base_url=base).state is TaskState.QUEUED
    assert tencent_mmlab.map_status(_job(2), output_base_url=base).state is TaskState.RUNNING
    canceled = tencent_mmlab.map_status(_job(5), output_base_url=base)
    assert canceled.state is TaskState.FAILED
    assert "canceled" in str(canceled.error or "")
    error = tencent_mmlab.map_status(_job(4, message="image unreadable"), output_base_url=base)
    assert error.state is TaskState.FAILED
    assert "image unreadable" in str(error.error or "")
    error2 = tencent_mmlab.map_status(_job(4, error={"message": "bad"}), output_base_url=base)
    assert "bad" in str(error2.error or "")


def test_tencent_completed_outputs() -> None:
    outputs = [
        {
            "destination": "/aigc-studio/j",
            "smartContentResult": {
                "imageBgmGeneration": [
                    {"songName": "a_0.mp3", "videoName": "a_0.mp4"},
                    {"songName": "https://cdn.example/abs.mp3"},
                ]
            },
        }
    ]
    status = tencent_mmlab.map_status(_job(3, outputs=outputs), output_base_url="https://b.example")
    assert status.state is TaskState.SUCCEEDED
    assert [(a.kind, a.url) for a in status.outputs] == [
        ("audio", "https://b.example/aigc-studio/j/a_0.mp3"),
        ("video", "https://b.example/aigc-studio/j/a_0.mp4"),
        ("audio", "https://cdn.example/abs.mp3"),
    ]
    missing = tencent_mmlab.map_status(
        _job(
            3,
            outputs=[
                {
                    "destination": "/d",
                    "smartContentResult": {"imageBgmGeneration": [{"songName": "s.mp3"}]},
                }
            ],
        ),
        output_base_url=None,
    )
    assert missing.state is TaskState.FAILED
    assert "TENCENT_MMLAB_OUTPUT_BASE_URL" in str(missing.error or "")
    assert "/d/s.mp3" in str(missing.error or "")


def test_tencent_auth_failure_on_status_is_final() -> None:
    answer = {"requestId": "r", "errorResponse": {"code": "AuthFailure", "message": "bad keys"}}
    with pytest.raises(ProviderError) as raised:
        tencent_mmlab.map_status(answer, output_base_url=None)
    assert not raised.value.retryable
    assert "TENCENT_MMLAB_SECRET_KEY" in str(raised.value)
    busy = {"requestId": "r", "errorResponse": {"code": "InternalError", "message": "busy"}}
    with pytest.raises(ProviderError) as raised:
        tencent_mmlab.map_status(busy, output_base_url=None)
    assert raised.value.retryable


def test_tencent_error_answers_never_show_keys() -> None:
    answer = {
        "requestId": "r",
        "errorResponse": {"code": "AuthFailure", "message": "bad id SID-123"},
    }
    with pytest.raises(ProviderError) as raised:
        tencent_mmlab.map_status(answer, output_base_url=None, secrets=("SID-123",))
    assert "SID-123" not in str(raised.value)
    assert "bad id" in str(raised.value)
    raw = {"requestId": "r", "secretKey": "KEY-999", "odd": "KEY-999 leaked"}
    with pytest.raises(ProviderError) as raised:
        tencent_mmlab.map_status(raw, output_base_url=None, secrets=("KEY-999",))
    assert "KEY-999" not in str(raised.value)
    job_error = tencent_mmlab.map_status(
        _job(4, detail="SID-123"), output_base_url=None, secrets=("SID-123",)
    )
    assert "SID-123" not in str(job_error.error or "")


# --- Suno --------------------------------------------------------------------------------


def test_suno_default_mode_body() -> None:
    request = ExtendMusicRequest(upload_url="https://u/a.mp3", prompt="more drums", model="V4")
    body = suno.wire_request(request, upload_url="https://u/a.mp3", callback_url="https://cb")
    assert body.model_dump(exclude_none=True) == {
        "uploadUrl": "https://u/a.mp3",
        "defaultParamFlag": False,
        "instrumental": False,
        "model": "V4",
        "callBackUrl": "https://cb",
        "prompt": "more drums",
    }


def test_suno_custom_mode_body_with_optional_controls() -> None:
    request = ExtendMusicRequest(
        upload_url="https://u/a.mp3",
        custom_mode=True,
        instrumental=True,
        style="ambient",
        title="Longer",
        continue_at=12.5,
        negative_tags="metal",
        vocal_gender="f",
        style_weight=0.65,
        audio_weight=0.1,
    )
    body = suno.wire_request(request, upload_url="https://u/a.mp3", callback_url="https://cb")
    assert body.model_dump(exclude_none=True) == {
        "uploadUrl": "https://u/a.mp3",
        "defaultParamFlag": True,
        "instrumental": True,
        "model": "V4_5",
        "callBackUrl": "https://cb",
        "style": "ambient",
        "title": "Longer",
        "continueAt": 12.5,
        "negativeTags": "metal",
        "vocalGender": "f",
        "styleWeight": 0.65,
        "audioWeight": 0.1,
    }


@pytest.mark.parametrize("code", [400, 401, 404, 405, 413, 429, 430, 455, 500])
def test_suno_every_code_has_a_sentence(code: int) -> None:
    message, retryable = suno.code_message(code, "success")
    # A plain sentence in both languages, not a bare number ("success" adds nothing).
    for lang in ("en", "zh"):
        sentence = render(message, lang)
        assert sentence.endswith(("。", "."))
        assert str(code) not in sentence
        assert "success" not in sentence
    assert retryable == (code in (405, 430, 455, 500))
    detailed, _ = suno.code_message(code, "Please enter callBackUrl")
    assert "Please enter callBackUrl" in render(detailed, "zh")


def _record(
    status: str, tracks: list[dict[str, object]] | None = None, **extra: object
) -> dict[str, object]:
    data = {"taskId": "t", "status": status, "response": {"sunoData": tracks or []}, **extra}
    return {"code": 200, "msg": "success", "data": data}


TRACKS = [
    {
        "id": "a1",
        "audioUrl": "https://s/a1.mp3",
        "streamAudioUrl": "https://s/stream/a1",
        "title": "My song",
        "tags": "pop",
        "duration": 61.2,
    },
    {"id": "a2", "audioUrl": "", "streamAudioUrl": "https://s/stream/a2", "title": "My song"},
]


def test_suno_progress_statuses() -> None:
    assert suno.map_status(_record("PENDING")).state is TaskState.RUNNING
    assert suno.map_status(_record("TEXT_SUCCESS")).state is TaskState.RUNNING
    first = suno.map_status(_record("FIRST_SUCCESS", TRACKS))
    assert first.state is TaskState.RUNNING
    assert first.preview is not None
    assert first.preview.url == "https://s/stream/a1"
    assert first.preview.kind == "audio"


def test_suno_success_outputs() -> None:
    tracks = [dict(TRACKS[0]), {**TRACKS[1], "audioUrl": "https://s/a2.mp3", "duration": 30}]
    status = suno.map_status(_record("SUCCESS", tracks))
    assert status.state is TaskState.SUCCEEDED
    assert [a.url for a in status.outputs] == ["https://s/a1.mp3", "https://s/a2.mp3"]
    assert status.outputs[0].metadata == {
        "title": "My song",
        "tags": "pop",
        "duration": 61.2,
        "id": "a1",
    }
    assert status.outputs[0].name == "My-song-1.mp3"


@pytest.mark.parametrize(
    "failure",
    ["CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "SENSITIVE_WORD_ERROR", "CALLBACK_EXCEPTION"],
)
def test_suno_failures(failure: str) -> None:
    status = suno.map_status(_record(failure, errorMessage="The prompt contains sensitive words."))
    assert status.state is TaskState.FAILED
    assert "sensitive words" in str(status.error or "")


def test_suno_callback_exception_with_music_is_a_success() -> None:
    status = suno.map_status(_record("CALLBACK_EXCEPTION", [dict(TRACKS[0])]))
    assert status.state is TaskState.SUCCEEDED
    assert len(status.outputs) == 1


def test_suno_rate_limits_slow_down_instead_of_failing() -> None:
    for code in (405, 430):
        status = suno.map_status({"code": code, "msg": "too often", "data": None})
        assert status.state is TaskState.RUNNING
        assert status.retry_after_s == suno.SLOW_DOWN_S
    asked = suno.map_status({"code": 430, "msg": "x", "data": None}, retry_after_s=4.0)
    assert asked.retry_after_s == 4.0


def test_suno_error_codes_on_status() -> None:
    with pytest.raises(ProviderError) as raised:
        suno.map_status({"code": 401, "msg": "no access", "data": None})
    assert not raised.value.retryable
    assert "SUNO_API_KEY" in str(raised.value)
    with pytest.raises(ProviderError) as raised:
        suno.map_status({"code": 500, "msg": "oops", "data": None})
    assert raised.value.retryable


# --- Vidu --------------------------------------------------------------------------------


def test_vidu_body_matches_the_seed() -> None:
    request = VideoUpscaleRequest(creation_id="2370483030340581")
    assert vidu.wire_request(request).model_dump() == {
        "input": {"creation_id": "2370483030340581"},
        "type": "upscale",
        "settings": {"model": "stable", "duration": 4},
    }


def test_vidu_check_refuses_a_local_video(tmp_path: Path) -> None:
    provider = vidu.create(_settings(tmp_path, vidu_base_url="https://r.example"))
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    with pytest.raises(InvalidRequest) as raised:
        provider.check(VideoUpscaleRequest(video=video))
    assert raised.value.field == "creation_id"
    assert "not a task id" in str(raised.value.message)
    provider.check(VideoUpscaleRequest(creation_id="123"))


def _task(state: str, **extra: object) -> dict[str, object]:
    return {"id": "99", "type": "upscale", "state": state, "creations": [], "err_code": "", **extra}


def test_vidu_task_states() -> None:
    assert vidu.map_status(_task("queueing")).state is TaskState.QUEUED
    assert vidu.map_status(_task("processing")).state is TaskState.RUNNING
    failed = vidu.map_status(_task("failed"))
    assert failed.state is TaskState.FAILED
    coded = vidu.map_status(_task("processing", err_code="CreditInsufficient"))
    assert coded.state is TaskState.FAILED
    assert "credits" in str(coded.error or "")
    empty = vidu.map_status(_task("success"))
    assert empty.state is TaskState.FAILED


def test_vidu_success_outputs() -> None:
    creation = {
        "id": 123,
        "task_id": "99",
        "type": "upscale",
        "uri": "https://v/out.mp4?sig=1",
        "cover_uri": "https://v/cover.jpg",
        "resolution": {"width": 1920, "height": 1080},
        "video": {"duration": 4.0, "fps": 24},
    }
    status = vidu.map_status(_task("success", creations=[creation]))
    assert status.state is TaskState.SUCCEEDED
    (artifact,) = status.outputs
    assert artifact.kind == "video"
    assert artifact.url == "https://v/out.mp4?sig=1"
    assert artifact.name == "upscaled-123.mp4"
    assert artifact.metadata["cover_uri"] == "https://v/cover.jpg"
    assert artifact.metadata["width"] == 1920
    assert artifact.metadata["fps"] == 24


def test_vidu_stream_events() -> None:
    parser = vidu.SseLines()
    fed = [
        parser.feed(line)
        for line in [
            ": keep-alive",
            'data: {"state": "processing",',
            'data: "estimated_time_left": 12}',
            "",
        ]
    ]
    assert fed[:3] == [None, None, None]
    event = vidu.parse_state_event(fed[3] or "")
    assert event is not None
    assert event.state == "processing"
    status = vidu.map_stream_state(event)
    assert status.state is TaskState.RUNNING
    assert status.eta_s == 12
    assert vidu.parse_state_event("not json") is None
    assert vidu.is_final_event(StateEvent(state="success"))
    assert vidu.is_final_event(StateEvent(state="processing", err_code="X"))
    assert not vidu.is_final_event(StateEvent(state="queueing", err_code=""))
    queued = vidu.map_stream_state(StateEvent(state="queueing", estimated_time_left=-1))
    assert queued.state is TaskState.QUEUED
    assert queued.eta_s is None


# --- shared helpers ----------------------------------------------------------------------


def test_shared_helpers() -> None:
    assert url_suffix("https://x/a/b.MP3?x=1") == ".mp3"
    assert url_suffix("https://x/a/b") == ""
    assert file_name("https://x/p/song.wav", "d", ".mp3", (".wav",)) == "song.wav"
    assert file_name("https://x/p/", "d", ".mp3", (".wav",)) == "d.mp3"
    assert redact("key=abc123 and abc123", ["abc123", None, ""]) == "key=*** and ***"


# --- totality: any answer maps to a status or a ProviderError, never to a crash ------------

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 1000),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)


def _outcome(map_answer: Callable[[], TaskStatus]) -> TaskStatus | ProviderError:
    try:
        return map_answer()
    except ProviderError as error:
        return error


def _acceptable(outcome: TaskStatus | ProviderError) -> bool:
    if isinstance(outcome, ProviderError):
        return bool(str(outcome))
    return outcome.state in set(TaskState)


@given(code=st.one_of(st.integers(0, 999), st.text(max_size=4)), status=_json_scalars)
def test_suno_mapping_is_total(code: object, status: object) -> None:
    answer = {"code": code, "msg": "m", "data": {"status": status, "response": {"sunoData": []}}}
    assert _acceptable(_outcome(lambda: suno.map_status(answer)))


@given(state=_json_scalars, message=_json_scalars)
def test_tencent_mapping_is_total(state: object, message: object) -> None:
    answer = {"getJobResponse": {"job": {"id": "j", "state": state, "message": message}}}
    assert _acceptable(
        _outcome(lambda: tencent_mmlab.map_status(answer, output_base_url="https://b"))
    )


@given(state=_json_scalars, err_code=_json_scalars, eta=_json_scalars)
def test_vidu_mapping_is_total(state: object, err_code: object, eta: object) -> None:
    task = {"id": "1", "state": state, "err_code": err_code}
    assert _acceptable(_outcome(lambda: vidu.map_status(task)))
    event = vidu.parse_state_event(
        json.dumps({"state": state, "err_code": err_code, "estimated_time_left": eta})
    )
    if event is not None:
        assert vidu.map_stream_state(event).state in set(TaskState)
