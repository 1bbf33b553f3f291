"""Request validation, table-driven from docs/providers.md's limits: each boundary in and out."""

from __future__ import annotations

import math
import sys
import typing
from pathlib import Path
from typing import Any, Literal, Optional

import gradio as gr
import numpy as np
import pytest
import soundfile as sf
from pydantic.fields import FieldInfo

from core.config import Settings
from core.errors import InvalidRequest
from core.messages import render
from core.request_fields import SEED_MAX, text_like
from core.requests import (
    REQUEST_MODELS,
    Capability,
    ExtendMusicRequest,
    StudioRequest,
    build_request,
)
from tabs.job_stream import stream_job
from tabs.services import StudioServices

TTM: dict[str, Any] = {"prompt": "calm piano"}

# (field, value, accepted) — Img Open's text2music limits (docs/providers.md#imgopen-music):
# seconds [1.0, 50.0], steps [10, 100], cfg [1, 15] in steps of 0.1, seed -1 or 0…2^32-1,
# prompt 1…2000 characters.
ALLOWED = {"seconds": "use 1 to 50 (", "steps": "use 10 to 100 (", "cfg": "use 1 to 15 in steps"}
TEXT_TO_MUSIC_CASES = [
    ("seconds", 1.0, True),
    ("seconds", 0.99, False),
    ("seconds", 50.0, True),
    ("seconds", 50.01, False),
    ("steps", 10, True),
    ("steps", 9, False),
    ("steps", 100, True),
    ("steps", 101, False),
    ("steps", 20.5, False),
    ("cfg", 1.0, True),
    ("cfg", 0.9, False),
    ("cfg", 15.0, True),
    ("cfg", 15.1, False),
    ("cfg", 7.3, True),
    ("cfg", 7.35, False),
    ("seed", -1, True),
    ("seed", -2, False),
    ("seed", 0, True),
    ("seed", SEED_MAX, True),
    ("seed", SEED_MAX + 1, False),
    ("prompt", "x", True),
    ("prompt", "", False),
    ("prompt", "   ", False),
    ("prompt", "x" * 2000, True),
    ("prompt", "x" * 2001, False),
    ("prompt", "悲伤的钢琴曲 c小调", True),
]


@pytest.mark.parametrize(("field", "value", "accepted"), TEXT_TO_MUSIC_CASES)
def test_text_to_music_limits(field: str, value: Any, accepted: bool) -> None:
    values = {**TTM, field: value}
    if accepted:
        request = build_request("text_to_music", **values)
        assert getattr(request, field) == (value.strip() if isinstance(value, str) else value)
    else:
        with pytest.raises(InvalidRequest) as caught:
            build_request("text_to_music", **values)
        assert caught.value.field == field
        message = str(caught.value)
        assert message.startswith(f"{field}:")
        if field in ALLOWED:
            assert ALLOWED[field] in message  # the allowed range is named


def test_error_names_value_and_range() -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("text_to_music", prompt="x", seconds=60)
    assert str(caught.value) == "seconds: use 1 to 50 (60 is too high)."
    assert render(caught.value.as_message(), "zh") == "seconds：请填 1 到 50 之间的数（60 太大）。"


# (capability, values, English sentence, Chinese sentence): every kind of refusal in plain
# words, what to write first, then what was wrong; never pydantic's English.
PLAIN_REFUSALS = [
    (
        "text_to_music",
        {"prompt": ""},
        "write at least 1 character (up to 2000).",
        "请至少输入 1 个字符（最多 2000 个）。",
    ),
    (
        "text_to_music",
        {"prompt": "   "},
        "write at least 1 character (up to 2000).",
        "请至少输入 1 个字符（最多 2000 个）。",
    ),
    (
        "text_to_music",
        {"prompt": "x" * 2001},
        "write at most 2000 characters (2001 is too many).",
        "最多输入 2000 个字符（2001 个太多了）。",
    ),
    (
        "text_to_music",
        {"prompt": "x", "cfg": 7.35},
        "use 1 to 15 in steps of 0.1 (7.35 is between two steps).",
        "请填 1 到 15 之间的数，步长 0.1（7.35 不在步长上）。",
    ),
    (
        "text_to_music",
        {"prompt": "x", "steps": 20.5},
        "use 10 to 100 (20.5 is not a whole number).",
        "请填 10 到 100 之间的数（20.5 不是整数）。",
    ),
    (
        "text_to_music",
        {"prompt": "x", "seed": -2},
        "use -1 (random) or 0 to 4294967295 (-2 is too low).",
        "请填 -1（随机）或 0 到 4294967295 之间的数（-2 太小）。",
    ),
    (
        "text_to_music",
        {"prompt": "x", "seconds": "abc"},
        "use 1 to 50 ('abc' is not a number).",
        "请填 1 到 50 之间的数（'abc' 不是数字）。",
    ),
    (
        "image_to_music",
        {"image_url": "https://e.com/a.png", "output_type": "wav"},
        "choose one of mp3, mp4 ('wav' is not one of them).",
        "请从 mp3、mp4 中选一个（'wav' 不在其中）。",
    ),
    (
        "image_to_music",
        {},
        "upload a picture or give its web address.",
        "请上传图片，或填写图片的网址。",
    ),
    (
        "extend_music",
        {"upload_url": "https://e.com/a.mp3", "prompt": "x", "continue_at": -1},
        "use 0 or more (-1 is too low).",
        "请填不小于 0 的数（-1 太小）。",
    ),
    (
        "extend_music",
        {"upload_url": "https://e.com/a.mp3", "prompt": "x", "style_weight": 0.655},
        "use 0 to 1 in steps of 0.01 (0.655 is between two steps).",
        "请填 0 到 1 之间的数，步长 0.01（0.655 不在步长上）。",
    ),
    (
        "text_to_image",
        {"prompt": "x", "sampler": "Magic"},
        "choose one of DPM++ 2M Karras, DPM++ SDE Karras, DPM++ 2M SDE Karras, Euler a, Euler, "
        "DDIM, UniPC, LMS, Heun, DPM2 ('Magic' is not one of them).",
        "请从 DPM++ 2M Karras、DPM++ SDE Karras、DPM++ 2M SDE Karras、Euler a、Euler、DDIM、"
        "UniPC、LMS、Heun、DPM2 中选一个（'Magic' 不在其中）。",
    ),
    (
        "video_upscale",
        {"creation_id": "23 4"},
        "use only letters, digits, - and _ ('23 4' has other characters).",
        "只能使用字母、数字、- 和 _（'23 4' 含有其他字符）。",
    ),
    (
        "video_upscale",
        {"creation_id": "1", "duration": 5},
        "choose one of 4, 8 (5 is not one of them).",
        "请从 4、8 中选一个（5 不在其中）。",
    ),
    (
        "text_to_music",
        {"prompt": "x", "length": 3},
        "there is no such parameter here.",
        "这里没有这个参数。",
    ),
]


@pytest.mark.parametrize(("capability", "values", "english", "chinese"), PLAIN_REFUSALS)
def test_refusals_are_plain_words_in_both_languages(
    capability: Capability, values: dict[str, Any], english: str, chinese: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request(capability, **values)
    assert render(caught.value.message, "en") == english
    assert render(caught.value.message, "zh") == chinese


def test_no_field_has_an_exclusive_upper_bound() -> None:
    """Refusals word an upper bound as "or less": a field with `lt` would need its own words."""
    found = [
        (capability, name)
        for capability, model in REQUEST_MODELS.items()
        for name, info in model.model_fields.items()
        if any(getattr(meta, "lt", None) is not None for meta in info.metadata)
    ]
    assert found == []


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("text_to_music", prompt="x", duration=3)
    assert caught.value.field == "duration"


IMAGE_TO_MUSIC_CASES = [
    ({"song_quantity": 1}, None),
    ({"song_quantity": 100}, None),
    ({"song_quantity": 0}, "song_quantity"),
    ({"song_quantity": 101}, "song_quantity"),
    ({"output_type": "MP4"}, None),
    ({"output_type": "wav"}, "output_type"),
    ({"emotion": "HAPPY"}, None),
    ({"emotion": "WARM"}, "emotion"),
    ({"emotion": "WARM", "song_type": "MULTITRACK"}, None),
    ({"emotion": "ANGRY", "song_type": "MULTITRACK"}, None),
    ({"emotion": "ANGRY"}, "emotion"),
    ({"emotion": "SLEEPY"}, "emotion"),
    ({"genre": "JAZZ"}, None),
    ({"genre": "JAZZ", "song_type": "MULTITRACK"}, "genre"),
    ({"genre": "METAL"}, "genre"),
    ({"song_type": "ORCHESTRA"}, "song_type"),
    ({"image_url": "ftp://example.com/a.png"}, "image_url"),
    ({"image_url": None}, "image"),
]


@pytest.mark.parametrize(("change", "bad_field"), IMAGE_TO_MUSIC_CASES)
def test_image_to_music_rules(change: dict[str, Any], bad_field: str | None) -> None:
    values = {"image_url": "https://example.com/a.png", **change}
    if bad_field is None:
        build_request("image_to_music", **values)
    else:
        with pytest.raises(InvalidRequest) as caught:
            build_request("image_to_music", **values)
        assert caught.value.field == bad_field


@pytest.fixture
def song(tmp_path: Path) -> Path:
    path = tmp_path / "song.wav"
    sf.write(path, np.zeros((44100 * 10, 2), dtype=np.float32), 44100)
    return path


EXTEND_CASES = [
    # default mode needs a source and a prompt
    ({"prompt": "more"}, None),
    ({}, "prompt"),
    # custom mode needs style, title, continue_at, and a prompt unless instrumental
    ({"custom_mode": True, "style": "jazz", "title": "t", "prompt": "la", "continue_at": 5}, None),
    (
        {
            "custom_mode": True,
            "style": "jazz",
            "title": "t",
            "instrumental": True,
            "continue_at": 5,
        },
        None,
    ),
    ({"custom_mode": True, "title": "t", "prompt": "la", "continue_at": 5}, "style"),
    ({"custom_mode": True, "style": "jazz", "prompt": "la", "continue_at": 5}, "title"),
    ({"custom_mode": True, "style": "jazz", "title": "t", "continue_at": 5}, "prompt"),
    ({"custom_mode": True, "style": "jazz", "title": "t", "prompt": "la"}, "continue_at"),
    # continue_at < the song's length (10 s); 0 or empty: from the end, which custom mode refuses
    ({"prompt": "x", "continue_at": 0}, None),
    ({"prompt": "x", "continue_at": None}, None),
    ({"prompt": "x", "continue_at": -0.5}, "continue_at"),
    (
        {"custom_mode": True, "style": "j", "title": "t", "prompt": "la", "continue_at": 0},
        "continue_at",
    ),
    ({"prompt": "x", "continue_at": 9.99}, None),
    ({"prompt": "x", "continue_at": 10}, "continue_at"),
    # per-model limits
    ({"prompt": "x" * 5000, "model": "V4_5"}, None),
    ({"prompt": "x" * 5001, "model": "V5"}, "prompt"),
    ({"prompt": "x" * 3001, "model": "V4"}, "prompt"),
    ({"prompt": "x", "style": "s" * 200, "model": "V3_5"}, None),
    ({"prompt": "x", "style": "s" * 201, "model": "V3_5"}, "style"),
    ({"prompt": "x", "title": "t" * 100, "model": "V4_5PLUS"}, None),
    ({"prompt": "x", "title": "t" * 81, "model": "V4"}, "title"),
    ({"prompt": "x", "model": "V6"}, "model"),
    # optional controls
    ({"prompt": "x", "vocal_gender": "f"}, None),
    ({"prompt": "x", "vocal_gender": "x"}, "vocal_gender"),
    ({"prompt": "x", "style_weight": 0.65}, None),
    ({"prompt": "x", "style_weight": 1.01}, "style_weight"),
    ({"prompt": "x", "weirdness_constraint": 0.655}, "weirdness_constraint"),
    ({"prompt": "x", "audio_weight": 0}, None),
    ({"prompt": "x", "audio_weight": -0.01}, "audio_weight"),
]


@pytest.mark.parametrize(("change", "bad_field"), EXTEND_CASES)
def test_extend_rules(song: Path, change: dict[str, Any], bad_field: str | None) -> None:
    values = {"audio": song, "source_seconds": 10.0, **change}
    if bad_field is None:
        build_request("extend_music", **values)
    else:
        with pytest.raises(InvalidRequest) as caught:
            build_request("extend_music", **values)
        assert caught.value.field == bad_field


def test_extend_with_the_pages_zero_goes_on_from_the_end(song: Path) -> None:
    """A page's number box shows and sends 0 when nothing was typed: that is "not set"."""
    request = build_request("extend_music", audio=song, prompt="more", continue_at=0)
    assert isinstance(request, ExtendMusicRequest)
    assert request.continue_at is None
    with pytest.raises(InvalidRequest) as caught:
        build_request(
            "extend_music", audio=song, custom_mode=True, style="s", title="t", prompt="la"
        )
    assert caught.value.field == "continue_at"
    assert "custom mode needs the second where the continuation starts" in str(caught.value)


def test_suno_weights_at_the_pages_zero_are_left_to_the_provider() -> None:
    """Sending the page's 0 would ask Suno for a weight of 0, which nobody chose."""
    request = build_request(
        "extend_music",
        upload_url="https://e.com/a.mp3",
        prompt="more",
        style_weight=0,
        weirdness_constraint=0.0,
        audio_weight=0.5,
    )
    assert isinstance(request, ExtendMusicRequest)
    assert (request.style_weight, request.weirdness_constraint) == (None, None)
    assert request.audio_weight == 0.5


# (capability, values, the inputs still missing): what keeps a page's Generate disabled.
MISSING_CASES: list[tuple[Capability, dict[str, Any], list[str]]] = [
    ("text_to_music", {}, ["prompt"]),
    ("text_to_music", {"prompt": "  "}, ["prompt"]),
    ("text_to_music", {"prompt": "calm"}, []),
    ("text_to_music", {"prompt": "calm", "seconds": 500}, []),  # ranges wait for Generate
    ("image_to_music", {}, ["image"]),
    ("image_to_music", {"image": None, "image_url": ""}, ["image"]),
    ("image_to_music", {"image_url": "https://e.com/a.png"}, []),
    ("image_to_music", {"image": "/tmp/a.png"}, []),
    ("extend_music", {}, ["audio", "prompt"]),
    ("extend_music", {"audio": "/tmp/a.wav"}, ["prompt"]),
    ("extend_music", {"upload_url": "https://e.com/a.mp3", "prompt": "go on"}, []),
    ("extend_music", {"audio": "/tmp/a.wav", "custom_mode": True}, ["prompt"]),
    ("extend_music", {"audio": "/tmp/a.wav", "custom_mode": True, "instrumental": True}, []),
    ("extend_music", {"audio": "/tmp/a.wav", "instrumental": True}, ["prompt"]),
    ("text_to_image", {"prompt": ""}, ["prompt"]),
    ("text_to_image", {"prompt": "a red sky"}, []),
    ("video_upscale", {}, ["video"]),
    ("video_upscale", {"creation_id": "2370483030340581"}, []),
    ("video_upscale", {"video": "/tmp/a.mp4"}, []),
]


@pytest.mark.parametrize(("capability", "values", "missing"), MISSING_CASES)
def test_missing_inputs(capability: Capability, values: dict[str, Any], missing: list[str]) -> None:
    model = REQUEST_MODELS[capability]
    assert model.missing_inputs(values) == missing
    assert set(missing) <= set(model.presence_fields())


def test_presence_fields_are_what_missing_inputs_reads() -> None:
    """Changing any other field never changes the answer (the page re-checks only these)."""
    for capability, values, missing in MISSING_CASES:
        model = REQUEST_MODELS[capability]
        others = set(model.model_fields) - set(model.presence_fields())
        changed = {**values, **{name: "x" for name in others}}
        assert model.missing_inputs(changed) == missing, capability


def test_extend_refuses_over_eight_minutes_and_warns_over_two(song: Path) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("extend_music", audio=song, prompt="x", source_seconds=481)
    assert caught.value.field == "audio"
    request = build_request("extend_music", audio=song, prompt="x", source_seconds=150)
    assert request.warnings()
    assert "2 minutes" in str(request.warnings()[0])
    assert build_request("extend_music", audio=song, prompt="x", source_seconds=60).warnings() == []


TEXT_TO_IMAGE_CASES = [
    ({"width": 512, "height": 768}, None),
    ({"width": 513}, "width"),
    ({"width": 56}, "width"),
    ({"height": 2056}, "height"),
    ({"steps": 0}, "steps"),
    ({"cfg_scale": 30}, None),
    ({"cfg_scale": 31}, "cfg_scale"),
    ({"n_iter": 8}, None),
    ({"n_iter": 9}, "n_iter"),
    ({"sampler": "Euler a"}, None),
    ({"sampler": "Magic"}, "sampler"),
    ({"enable_hr": True, "hr_scale": 2, "width": 2048}, None),
    ({"enable_hr": True, "hr_scale": 2.5, "width": 2048}, "hr_scale"),
    ({"denoising_strength": 1.5}, "denoising_strength"),
    ({"clip_skip": 13}, "clip_skip"),
    ({"prompt": ""}, "prompt"),
]


@pytest.mark.parametrize(("change", "bad_field"), TEXT_TO_IMAGE_CASES)
def test_text_to_image_rules(change: dict[str, Any], bad_field: str | None) -> None:
    values = {"prompt": "a red sky over the sea", **change}
    if bad_field is None:
        build_request("text_to_image", **values)
    else:
        with pytest.raises(InvalidRequest) as caught:
            build_request("text_to_image", **values)
        assert caught.value.field == bad_field


VIDEO_CASES = [
    ({"creation_id": "2370483030340581"}, None),
    ({"creation_id": "2370483030340581", "duration": 8}, None),
    ({"creation_id": "2370483030340581", "duration": 5}, "duration"),
    ({"creation_id": "2370483030340581", "model": "turbo"}, "model"),
    ({"creation_id": "237 048"}, "creation_id"),
    ({"creation_id": "1", "scale": 5}, "scale"),
    ({}, "video"),
]


@pytest.mark.parametrize(("change", "bad_field"), VIDEO_CASES)
def test_video_upscale_rules(change: dict[str, Any], bad_field: str | None) -> None:
    if bad_field is None:
        build_request("video_upscale", **change)
    else:
        with pytest.raises(InvalidRequest) as caught:
            build_request("video_upscale", **change)
        assert caught.value.field == bad_field


# --------------------------------------------------------------------------- extreme numbers
# Every numeric field of every request model, with the floats at the edges of what a float is
# (and ints no float can hold): a request within the field's range, or an InvalidRequest naming
# the field — never an OverflowError or another stack trace.

# A request of each capability that needs no file.
NO_FILE_BASE: dict[str, dict[str, Any]] = {
    "text_to_music": {"prompt": "calm piano"},
    "image_to_music": {"image_url": "https://example.com/a.png"},
    "extend_music": {"upload_url": "https://example.com/a.mp3", "prompt": "go on"},
    "text_to_image": {"prompt": "a red sky"},
    "video_upscale": {"creation_id": "2370483030340581"},
}
EXTREMES: list[Any] = [
    sys.float_info.max,
    -sys.float_info.max,
    1.79e308,
    -1.79e308,
    1.797e307,
    5e-324,
    -5e-324,
    sys.float_info.min,
    math.nan,
    -math.nan,
    math.inf,
    -math.inf,
    10**400,
    -(10**400),
    2**1024,
]


def _is_number_type(annotation: Any) -> bool:
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) is Literal:
        return any(type(arg) is int for arg in typing.get_args(annotation))
    return any(_is_number_type(arg) for arg in typing.get_args(annotation))


NUMERIC_FIELDS = [
    (capability, name)
    for capability, model in REQUEST_MODELS.items()
    for name, info in model.model_fields.items()
    if _is_number_type(info.annotation)
]


def test_every_numeric_field_is_covered() -> None:
    assert {"seconds", "steps", "cfg", "seed"} <= {
        n for c, n in NUMERIC_FIELDS if c == "text_to_music"
    }
    assert ("extend_music", "style_weight") in NUMERIC_FIELDS
    assert ("video_upscale", "duration") in NUMERIC_FIELDS
    assert len(NUMERIC_FIELDS) >= 22


def _within_bounds(capability: str, field: str, value: Any) -> None:
    assert isinstance(value, int | float), value
    assert math.isfinite(value), value
    for meta in REQUEST_MODELS[capability].model_fields[field].metadata:  # type: ignore[index]
        for bound, holds in (
            ("ge", lambda v, b: v >= b),
            ("gt", lambda v, b: v > b),
            ("le", lambda v, b: v <= b),
            ("lt", lambda v, b: v < b),
        ):
            limit = getattr(meta, bound, None)
            if limit is not None:
                assert holds(value, limit), f"{field}={value!r} is outside {bound} {limit}"


@pytest.mark.parametrize("value", EXTREMES, ids=repr)
@pytest.mark.parametrize(("capability", "field"), NUMERIC_FIELDS)
def test_extreme_numbers_are_refused_naming_the_field(
    capability: Capability, field: str, value: Any
) -> None:
    outcome = _outcome(capability, {**NO_FILE_BASE[capability], field: value})
    if isinstance(outcome, InvalidRequest):
        assert outcome.field == field, str(outcome)
        assert str(outcome).startswith(f"{field}: ")
        assert len(str(outcome)) < 300, str(outcome)
    elif getattr(outcome, field) is None:
        # Fields where 0 means "not set" (a page's empty number box): a value that rounds to 0
        # on the field's grid is "not set" too.
        assert abs(value) < 0.01, (field, value)
    else:
        _within_bounds(capability, field, getattr(outcome, field))


def _outcome(capability: Capability, values: dict[str, Any]) -> StudioRequest | InvalidRequest:
    try:
        return build_request(capability, **values)
    except InvalidRequest as error:
        return error


@pytest.mark.parametrize(
    ("capability", "field", "value"),
    [
        ("text_to_music", "cfg", 1.797e307),
        ("text_to_music", "cfg", sys.float_info.max),
        ("text_to_music", "cfg", -sys.float_info.max),
        ("extend_music", "style_weight", sys.float_info.max),
        ("extend_music", "weirdness_constraint", -1.79e308),
        ("extend_music", "audio_weight", 1e307),
        ("extend_music", "source_seconds", sys.float_info.max),
    ],
)
def test_numbers_that_overflowed_once(capability: Capability, field: str, value: float) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request(capability, **{**NO_FILE_BASE[capability], field: value})
    assert caught.value.field == field
    if field != "source_seconds":
        allowed = "use 1 to 15" if field == "cfg" else "use 0 to 1 ("
        assert str(caught.value.message).startswith(allowed), str(caught.value)
        assert "is too high" in str(caught.value) or "is too low" in str(caught.value)


@pytest.mark.parametrize("value", [sys.float_info.max, math.nan, -math.inf, 10**400], ids=repr)
@pytest.mark.parametrize(("capability", "field"), NUMERIC_FIELDS)
async def test_extreme_numbers_through_the_tabs_path(
    capability: Capability, field: str, value: Any, tmp_path: Path
) -> None:
    """tabs.job_stream.stream_job turns the refusal into a gr.Error that names the field."""
    values = {**NO_FILE_BASE[capability], field: value}
    if not isinstance(_outcome(capability, values), InvalidRequest):
        pytest.skip("an accepted value would start a job; the model test covers it")
    settings = Settings(studio_data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    # Validation refuses before any of the runtime is used.
    services = StudioServices(settings, None, None, None, None)  # type: ignore[arg-type]
    with pytest.raises(gr.Error) as caught:
        async for _ in stream_job(services, capability, "offline", values):
            pass
    assert str(caught.value.message).startswith(f"{field}: "), str(caught.value.message)


@pytest.mark.parametrize(
    ("annotation", "text"),
    [
        (str, True),
        (str | None, True),
        (Literal["mp3", "mp4"], True),
        (Optional[Literal["m", "f"]], True),  # noqa: UP045 - the form the models use
        (Literal[4, 8], False),
        (int, False),
        (float | None, False),
        (Path | None, False),
    ],
)
def test_text_like_fields_take_an_empty_string_for_not_set(annotation: Any, text: bool) -> None:
    assert text_like(FieldInfo.from_annotation(annotation)) is text


def test_every_optional_text_field_of_the_models_is_text_like() -> None:
    for model in REQUEST_MODELS.values():
        for name, info in model.model_fields.items():
            if info.annotation in (str, str | None):
                assert text_like(info), name
