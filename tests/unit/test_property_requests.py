"""Property tests of the request models: whatever a caller sends, the answer is a request within
every documented limit, or an InvalidRequest naming the field — never another exception.

Two shapes of input per capability: every field drawn at random (plausible values mixed with
junk: nan, inf, huge numbers, unicode, empty and huge strings, None, bools, lists, dicts, files
that lie about their type), and one field changed from a request known to be valid, where the
error must name that very field (or the one a documented cross-field rule points at).
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlsplit

import av
import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.errors import InvalidRequest
from core.media import sniff_file
from core.request_fields import SEED_MAX
from core.requests import (
    AUDIO_FORMATS,
    CAPABILITIES,
    IMAGE_FORMATS,
    MULTITRACK_ONLY_EMOTIONS,
    REQUEST_MODELS,
    SAMPLERS,
    SOURCE_AUDIO_MAX_S,
    SUNO_TEXT_LIMITS,
    VIDEO_FORMATS,
    Capability,
    ExtendMusicRequest,
    ImageToMusicRequest,
    SongEmotion,
    SongGenre,
    StudioRequest,
    TextToImageRequest,
    TextToMusicRequest,
    VideoUpscaleRequest,
    build_request,
)

SOURCE_FIELD: dict[str, str] = {
    "image_to_music": "image",
    "extend_music": "audio",
    "video_upscale": "video",
}
# A user-facing sentence, not a dump of what was sent.
MAX_MESSAGE_CHARS = 500
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ONE_OFF = settings(PROPERTY, max_examples=100)


# --------------------------------------------------------------------------- sample files


@dataclass(frozen=True)
class FileRef:
    """A placeholder drawn by a strategy, replaced by a real path of the `files` fixture."""

    name: str


def _png(path: Path) -> None:
    Image.fromarray(np.full((8, 8, 3), 120, np.uint8)).save(path, format="PNG")


def _clip(path: Path, frames: int, fps: int = 4) -> None:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for index in range(frames):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _make_files(root: Path) -> dict[str, Path]:
    tone = (0.2 * np.sin(np.arange(8000) / 8000 * 2 * np.pi * 440)).astype(np.float32)
    files: dict[str, Path] = {}

    def put(name: str) -> Path:
        files[name] = root / name
        return files[name]

    _png(put("picture.png"))
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(put("picture.jpg"), quality=80)
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(put("picture.webp"))
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(put("picture.gif"))
    sf.write(put("song.wav"), tone, 8000)
    sf.write(put("song.flac"), tone, 8000)
    sf.write(put("song.mp3"), tone, 8000)
    sf.write(put("song.ogg"), tone, 8000)
    # Nine minutes of silence at 8 kHz: small as a file, over the 8-minute limit.
    sf.write(put("nine-minutes.flac"), np.zeros(8000 * 540, np.float32), 8000)
    sf.write(put("no-samples.wav"), np.zeros((0, 1), np.float32), 8000)
    put("broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVE" + b"junk" * 16)
    put("broken.flac").write_bytes(b"fLaC" + bytes(64))
    put("broken.ogg").write_bytes(b"OggS" + b"\x01" * 64)
    put("broken.mp3").write_bytes(b"ID3" + bytes(128))
    _clip(put("clip.mp4"), 4)
    put("text.png").write_text("not a picture", "utf-8")
    put("text.wav").write_text("not a song", "utf-8")
    put("text.mp4").write_text("not a video", "utf-8")
    put("empty.png").write_bytes(b"")
    # A picture named as a song and a song named as a video: the name must not decide.
    _png(put("picture-named.wav"))
    sf.write(put("song-named.mp4"), tone, 8000, format="WAV")
    put("folder").mkdir()
    files["missing.png"] = root / "missing.png"
    files["too-long-name"] = root / ("n" * 300 + ".png")
    files["deep-missing"] = root / "no" / "such" / "dir" / "x.wav"
    return files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _make_files(tmp_path_factory.mktemp("property-files"))


FILE_NAMES = (
    "picture.png",
    "picture.jpg",
    "picture.webp",
    "picture.gif",
    "song.wav",
    "song.flac",
    "song.mp3",
    "song.ogg",
    "nine-minutes.flac",
    "no-samples.wav",
    "broken.wav",
    "broken.flac",
    "broken.ogg",
    "broken.mp3",
    "clip.mp4",
    "text.png",
    "text.wav",
    "text.mp4",
    "empty.png",
    "picture-named.wav",
    "song-named.mp4",
    "folder",
    "missing.png",
    "too-long-name",
    "deep-missing",
)


def resolve(value: Any, files: dict[str, Path], as_text: bool) -> Any:
    if isinstance(value, FileRef):
        path = files[value.name]
        return str(path) if as_text else path
    return value


# --------------------------------------------------------------------------- strategies

HUGE_INTS = st.sampled_from([2**31, 2**32, 2**63, 2**64 + 1, 10**30, 10**400, -(10**400)])
SPECIAL_FLOATS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 1e-9, 2.0**53 + 1]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\t\n", "\x00", "é", "悲伤的钢琴曲", "🎵" * 3, "\u200b", "a\r\nb"]),
    # Long strings, cheaply: one character repeated.
    st.builds(lambda ch, n: ch * n, st.characters(), st.integers(0, 6000)),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    SPECIAL_FLOATS,
    TEXT,
    st.binary(max_size=8),
)
JUNK = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=4,
)
URLS = st.one_of(
    st.sampled_from(
        [
            "https://images.example.com/cat.png",
            "http://127.0.0.1:9/song.mp3",
            "  https://example.com/a.png  ",
            "HTTPS://EXAMPLE.COM/A.PNG",
            "http://",
            "https://",
            "http:///nohost.png",
            "http://exa mple.com/a.png",
            "http://example.com/a\nb.png",
            "ftp://example.com/a.png",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "example.com/a.png",
            "https://example.com/" + "a" * 2100,
        ]
    ),
    st.builds(lambda tail: f"https://example.com/{tail}", st.text(max_size=30)),
)


def _bounds(model: type[StudioRequest], field: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for meta in model.model_fields[field].metadata:
        for name in ("ge", "gt", "le", "lt", "multiple_of", "max_length", "min_length"):
            value = getattr(meta, name, None)
            if value is not None:
                found[name] = value
    return found


def _numbers(low: float, high: float) -> st.SearchStrategy[Any]:
    span = max(1.0, high - low)
    return st.one_of(
        st.integers(math.floor(low) - 3, math.ceil(high) + 3),
        st.floats(low - span, high + span, allow_nan=False),
        st.integers(int(low * 10) - 10, int(high * 10) + 10).map(lambda n: n / 10),
        st.integers(int(low * 100) - 20, int(high * 100) + 20).map(lambda n: n / 100),
        st.sampled_from([low, high, low - 1e-9, high + 1e-9, (low + high) / 2]),
    )


def plausible(capability: Capability, field: str) -> st.SearchStrategy[Any]:
    """Values near the field's own domain, so that valid requests are drawn often too."""
    model = REQUEST_MODELS[capability]
    if field in ("image", "audio", "video"):
        return st.one_of(st.just(None), st.sampled_from(FILE_NAMES).map(FileRef))
    if field in ("image_url", "upload_url"):
        return st.one_of(st.just(None), st.just(""), URLS)
    if field == "sampler":
        return st.one_of(st.sampled_from(SAMPLERS), st.sampled_from(["euler a", "Euler  a", ""]))
    if field == "creation_id":
        return st.one_of(
            st.just(None),
            st.from_regex(r"[0-9A-Za-z_-]{1,70}", fullmatch=True),
            st.sampled_from(["", " 123 ", "12 34", "abc/../x", "x\n", "２３"]),
        )
    if field == "seed":
        return st.one_of(
            st.integers(-3, 5),
            st.integers(SEED_MAX - 2, SEED_MAX + 2),
            st.integers(0, SEED_MAX),
            st.sampled_from([-1.0, 7.0, 7.5]),
        )
    if field in ("style_weight", "weirdness_constraint", "audio_weight"):
        return st.one_of(st.just(None), st.just(""), _numbers(0.0, 1.0))
    if field in ("continue_at", "source_seconds"):
        return st.one_of(st.just(None), _numbers(0.0, 600.0), st.sampled_from([0.2, 0.5, 479.0]))
    annotation = model.model_fields[field].annotation
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    literal = next((arg for arg in args if typing.get_origin(arg) is typing.Literal), None)
    if typing.get_origin(annotation) is typing.Literal or literal is not None:
        choices = list(get_args(literal if literal is not None else annotation))
        variants = [c.lower() for c in choices if isinstance(c, str)]
        return st.one_of(st.sampled_from(choices), st.sampled_from(variants or choices))
    if annotation is bool:
        return st.one_of(st.booleans(), st.sampled_from([0, 1, "true", "no", 2]))
    bounds = _bounds(model, field)
    if annotation is str:
        limit = int(bounds.get("max_length", 5000))
        return st.one_of(
            TEXT,
            st.builds(lambda n: "x" * n, st.integers(max(0, limit - 2), limit + 2)),
            st.builds(lambda n: " " * n + "y", st.integers(0, 3)),
        )
    low = float(bounds.get("ge", bounds.get("gt", 0)))
    high = float(bounds.get("le", bounds.get("lt", 100)))
    return _numbers(low, high)


def any_value(capability: Capability, field: str) -> st.SearchStrategy[Any]:
    return st.one_of(plausible(capability, field), JUNK)


def arbitrary_request(capability: Capability) -> st.SearchStrategy[dict[str, Any]]:
    fields = REQUEST_MODELS[capability].model_fields
    return st.fixed_dictionaries({}, optional={f: any_value(capability, f) for f in fields})


# --------------------------------------------------------------------------- invariants


def _finite(value: Any) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    return type(value) is int


def _in_range(value: Any, low: float, high: float) -> bool:
    return _finite(float(value)) and low <= value <= high


def _steps_of(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-6


def _good_url(value: str) -> bool:
    return (
        value.lower().startswith(("http://", "https://"))
        and len(value) <= 2048
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value)
        and bool(urlsplit(value).hostname)
    )


def _good_file(path: Any, allowed: tuple[str, ...]) -> bool:
    return isinstance(path, Path) and path.is_file() and sniff_file(path) in allowed


def _seed_ok(seed: Any) -> bool:
    return _is_int(seed) and -1 <= seed <= SEED_MAX


def _one_source(file: Any, url: Any) -> bool:
    return (file is None) != (url is None)


def check_text_to_music(r: TextToMusicRequest) -> None:
    assert isinstance(r.prompt, str)
    assert r.prompt == r.prompt.strip()
    assert 1 <= len(r.prompt) <= 2000
    assert _finite(r.seconds)
    assert 1.0 <= r.seconds <= 50.0
    assert _is_int(r.steps)
    assert 10 <= r.steps <= 100
    assert _finite(r.cfg)
    assert 1.0 <= r.cfg <= 15.0
    assert _steps_of(r.cfg, 0.1)
    assert _seed_ok(r.seed)


def check_image_to_music(r: ImageToMusicRequest) -> None:
    assert _one_source(r.image, r.image_url)
    if r.image is not None:
        assert _good_file(r.image, IMAGE_FORMATS), r.image
    if r.image_url is not None:
        assert _good_url(r.image_url), r.image_url
    assert _is_int(r.song_quantity)
    assert 1 <= r.song_quantity <= 100
    assert r.output_type in ("mp3", "mp4")
    assert r.emotion is None or r.emotion in get_args(SongEmotion)
    assert r.genre is None or r.genre in get_args(SongGenre)
    assert r.song_type in ("LARGE_MODEL", "MULTITRACK")
    if r.song_type == "MULTITRACK":
        assert r.genre is None
    if r.emotion in MULTITRACK_ONLY_EMOTIONS:
        assert r.song_type == "MULTITRACK"


def check_extend_music(r: ExtendMusicRequest) -> None:
    assert _one_source(r.audio, r.upload_url)
    if r.audio is not None:
        assert _good_file(r.audio, AUDIO_FORMATS), r.audio
        assert r.source_seconds is not None
    if r.upload_url is not None:
        assert _good_url(r.upload_url), r.upload_url
    assert r.model in SUNO_TEXT_LIMITS
    prompt_max, style_max, title_max = SUNO_TEXT_LIMITS[r.model]
    assert len(r.prompt) <= prompt_max
    assert len(r.style) <= style_max
    assert len(r.title) <= title_max
    assert len(r.negative_tags) <= 1000
    if r.source_seconds is not None:
        assert _finite(r.source_seconds)
        assert 0 < r.source_seconds <= SOURCE_AUDIO_MAX_S
    if r.continue_at is not None:
        assert _finite(r.continue_at)
        assert r.continue_at > 0
        if r.source_seconds is not None:
            assert r.continue_at < r.source_seconds
    if r.custom_mode:
        assert r.style.strip()
        assert r.title.strip()
        assert r.instrumental or r.prompt.strip()
        assert r.continue_at is not None
    else:
        assert r.prompt.strip()
    assert r.vocal_gender in (None, "m", "f")
    for weight in (r.style_weight, r.weirdness_constraint, r.audio_weight):
        if weight is not None:
            assert _in_range(weight, 0.0, 1.0)
            assert _steps_of(weight, 0.01)
    assert isinstance(r.custom_mode, bool)
    assert isinstance(r.instrumental, bool)


def check_text_to_image(r: TextToImageRequest) -> None:
    assert r.prompt == r.prompt.strip()
    assert 1 <= len(r.prompt) <= 5000
    assert len(r.negative_prompt) <= 5000
    for side in (r.width, r.height):
        assert _is_int(side)
        assert 64 <= side <= 2048
        assert side % 8 == 0
    assert _is_int(r.steps)
    assert 1 <= r.steps <= 150
    assert _in_range(r.cfg_scale, 1.0, 30.0)
    assert r.sampler in SAMPLERS
    assert _seed_ok(r.seed)
    assert _is_int(r.n_iter)
    assert 1 <= r.n_iter <= 8
    assert _in_range(r.hr_scale, 1.0, 4.0)
    assert _is_int(r.hr_second_pass_steps)
    assert 0 <= r.hr_second_pass_steps <= 150
    assert _in_range(r.denoising_strength, 0.0, 1.0)
    assert len(r.checkpoint) <= 256
    assert len(r.vae) <= 256
    assert _is_int(r.clip_skip)
    assert 1 <= r.clip_skip <= 12
    if r.enable_hr:
        assert max(r.width, r.height) * r.hr_scale <= 4096
    assert max(r.output_size) <= 4096


def check_video_upscale(r: VideoUpscaleRequest) -> None:
    assert _one_source(r.video, r.creation_id)
    if r.video is not None:
        assert _good_file(r.video, VIDEO_FORMATS), r.video
    if r.creation_id is not None:
        assert 1 <= len(r.creation_id) <= 64
        assert all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in r.creation_id)
    assert r.model == "stable"
    assert _is_int(r.duration)
    assert r.duration in (4, 8)
    assert _is_int(r.scale)
    assert 2 <= r.scale <= 4


INVARIANTS: dict[str, Any] = {
    "text_to_music": check_text_to_music,
    "image_to_music": check_image_to_music,
    "extend_music": check_extend_music,
    "text_to_image": check_text_to_image,
    "video_upscale": check_video_upscale,
}


def outcome(capability: Capability, values: dict[str, Any]) -> StudioRequest | InvalidRequest:
    """The request, or the InvalidRequest; any other exception fails the test as it is."""
    try:
        request = build_request(capability, **values)
    except InvalidRequest as error:
        check_error(capability, error)
        return error
    assert isinstance(request, REQUEST_MODELS[capability])
    INVARIANTS[capability](request)
    # A request that passed once passes again from its stored parameters (History, resume).
    again = build_request(capability, **request.public_params())
    assert again == request
    return request


def check_error(capability: Capability, error: InvalidRequest) -> None:
    allowed = set(REQUEST_MODELS[capability].model_fields) | {"request"}
    if capability in SOURCE_FIELD:
        allowed.add(SOURCE_FIELD[capability])
    assert error.field in allowed, f"{error.field!r} is not a field of {capability}: {error}"
    text = str(error)
    assert text.startswith(f"{error.field}: "), text
    assert str(error.message).strip(), text
    assert len(text) <= MAX_MESSAGE_CHARS, f"{len(text)} characters: {text[:200]}…"
    assert "\n" not in text, text
    assert "Traceback" not in text


# --------------------------------------------------------------------------- every field at random


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_arbitrary_values_give_a_valid_request_or_a_field_named_error(
    capability: Capability, files: dict[str, Path]
) -> None:
    @PROPERTY
    @given(values=arbitrary_request(capability), paths_as_text=st.booleans())
    def run(values: dict[str, Any], paths_as_text: bool) -> None:
        resolved = {k: resolve(v, files, paths_as_text) for k, v in values.items()}
        outcome(capability, resolved)

    run()


# --------------------------------------------------------------------------- one field off a valid request


def baselines(files: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {
        "text_to_music": {"prompt": "calm piano", "seconds": 10, "steps": 20, "cfg": 7.0},
        "image_to_music": {"image": files["picture.png"]},
        "extend_music": {"audio": files["song.wav"], "prompt": "keep going"},
        "text_to_image": {"prompt": "red sky", "width": 256, "height": 256},
        "video_upscale": {"video": files["clip.mp4"], "scale": 2},
    }


# A documented rule that ties two fields together may name the other one.
RELATED: dict[tuple[str, str], set[str]] = {
    ("image_to_music", "image_url"): {"image"},
    ("image_to_music", "song_type"): {"genre", "emotion"},
    ("extend_music", "upload_url"): {"audio"},
    ("extend_music", "source_seconds"): {"audio", "continue_at"},
    ("extend_music", "custom_mode"): {"style", "title", "prompt", "continue_at"},
    ("extend_music", "model"): {"prompt", "style", "title"},
    ("text_to_image", "enable_hr"): {"hr_scale"},
    ("video_upscale", "creation_id"): {"video"},
}


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_one_bad_field_is_the_field_named(capability: Capability, files: dict[str, Path]) -> None:
    base = baselines(files)[capability]
    assert isinstance(outcome(capability, base), StudioRequest), "the baseline must be valid"
    fields = sorted(REQUEST_MODELS[capability].model_fields)

    @ONE_OFF
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        field = data.draw(st.sampled_from(fields), label="field")
        value = resolve(data.draw(any_value(capability, field), label="value"), files, False)
        result = outcome(capability, {**base, field: value})
        if isinstance(result, InvalidRequest):
            named = {field} | RELATED.get((capability, field), set())
            if field == SOURCE_FIELD.get(capability):
                named.add(field)
            assert result.field in named, f"changed {field}={value!r:.80}, got {result}"

    run()


# --------------------------------------------------------------------------- pinned examples


@pytest.mark.parametrize(
    ("capability", "values", "field"),
    [
        ("text_to_music", {"prompt": "x", "cfg": math.inf}, "cfg"),
        ("text_to_music", {"prompt": "x", "cfg": 10**400}, "cfg"),
        ("text_to_music", {"prompt": "x", "seconds": math.nan}, "seconds"),
        (
            "extend_music",
            {"upload_url": "https://e.com/a.mp3", "prompt": "p", "continue_at": math.inf},
            "continue_at",
        ),
        (
            "extend_music",
            {"upload_url": "https://e.com/a.mp3", "prompt": "p", "style_weight": -math.inf},
            "style_weight",
        ),
        (
            "extend_music",
            {"upload_url": "https://e.com/a.mp3", "prompt": "p", "source_seconds": math.nan},
            "source_seconds",
        ),
        ("image_to_music", {"image_url": "http://"}, "image_url"),
        ("image_to_music", {"image_url": "http://exa mple.com/a.png"}, "image_url"),
        ("text_to_image", {"prompt": ["x"] * 5000}, "prompt"),
    ],
)
def test_values_that_once_slipped_through(
    capability: Capability, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request(capability, **values)
    assert caught.value.field == field
    check_error(capability, caught.value)


@pytest.mark.parametrize("name", ["broken.wav", "broken.flac", "broken.ogg", "no-samples.wav"])
def test_damaged_songs_are_refused_naming_audio(name: str, files: dict[str, Path]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("extend_music", audio=files[name], prompt="go on")
    assert caught.value.field == "audio"
    assert name in str(caught.value)
    check_error("extend_music", caught.value)


def test_a_path_too_long_for_the_file_system_is_not_found(files: dict[str, Path]) -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("extend_music", audio="a" * 5000, prompt="go on")
    assert caught.value.field == "audio"
    check_error("extend_music", caught.value)
