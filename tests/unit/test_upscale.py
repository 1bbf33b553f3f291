"""The offline video upscaler on small clips made here with PyAV."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from core.errors import InvalidRequest
from providers.offline.cancel import EngineCancelled
from providers.offline.video.upscale import (
    MAX_INPUT_SECONDS,
    VideoInfo,
    check_video_limits,
    probe_video,
    upscale_video,
)

WIDTH, HEIGHT, FPS, SECONDS = 64, 48, 12, 1.5
FRAMES = int(FPS * SECONDS)
AUDIO_RATE = 44100


def _picture(i: int, width: int, height: int) -> np.ndarray:
    """Smooth gradients and a moving soft ball: detail a codec keeps at a good quality."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.empty((height, width, 3), dtype=np.float32)
    img[..., 0] = 0.5 + 0.4 * np.sin(xx / 9.0 + i * 0.3)
    img[..., 1] = 0.5 + 0.4 * np.cos(yy / 7.0 - i * 0.2)
    img[..., 2] = (xx + yy) / (width + height)
    cx, cy = width * (0.2 + 0.6 * i / FRAMES), height * 0.5
    ball = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (width / 10) ** 2))
    img = img * (1 - ball[..., None]) + ball[..., None] * np.array([1.0, 0.9, 0.2])
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def make_clip(
    path: Path, *, audio_codec: str = "aac", video_codec: str = "libx264", fmt: str = "mp4"
) -> Path:
    with av.open(str(path), mode="w", format=fmt) as out:
        video = out.add_stream(video_codec, rate=FPS)
        video.width, video.height = WIDTH, HEIGHT
        video.pix_fmt = "yuv420p" if video_codec == "libx264" else "yuvj420p"
        if video_codec == "libx264":
            video.options = {"preset": "veryfast", "crf": "12"}
        sound = out.add_stream(audio_codec, rate=AUDIO_RATE)
        sound.layout = "stereo"
        for i in range(FRAMES):
            frame = av.VideoFrame.from_ndarray(_picture(i, WIDTH, HEIGHT), format="rgb24")
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        t = np.arange(int(AUDIO_RATE * SECONDS)) / AUDIO_RATE
        tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        planar = np.stack([tone, tone])
        fmt_name = "fltp" if audio_codec == "aac" else "s16p"
        for start in range(0, planar.shape[1], 1024):
            block = planar[:, start : start + 1024]
            if fmt_name == "s16p":
                block = (block * 32767).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(block), format=fmt_name, layout="stereo"
            )
            frame.sample_rate = AUDIO_RATE
            frame.pts = start
            out.mux(sound.encode(frame))
        out.mux(sound.encode(None))
    return path


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _audio_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = sum(f.samples for f in container.decode(stream))
        return samples / stream.codec_context.sample_rate


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean())
    return 10.0 * np.log10(255.0**2 / max(mse, 1e-12))


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "source.mp4")


@pytest.fixture(scope="module")
def upscaled(
    clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, VideoInfo, list[tuple[float, str, Image.Image | None]]]:
    calls: list[tuple[float, str, Image.Image | None]] = []
    dst = tmp_path_factory.mktemp("out") / "up.mp4"
    info = upscale_video(clip, dst, 2, on_progress=lambda f, m, i: calls.append((f, m, i)))
    return dst, info, calls


def test_probe_reads_the_clip(clip: Path) -> None:
    info = probe_video(clip)
    assert (info.width, info.height, info.frames) == (WIDTH, HEIGHT, FRAMES)
    assert info.fps == pytest.approx(FPS)
    assert info.duration_s == pytest.approx(SECONDS, abs=1.0 / FPS)
    assert info.has_audio


def test_upscale_doubles_size_and_keeps_timing_and_audio(clip: Path, upscaled: tuple) -> None:
    dst, info, _ = upscaled
    probed = probe_video(dst)
    assert probed == info
    assert (info.width, info.height) == (2 * WIDTH, 2 * HEIGHT)
    assert info.frames == FRAMES
    assert len(_frames(dst)) == FRAMES
    assert info.fps == pytest.approx(FPS)
    assert info.duration_s == pytest.approx(probe_video(clip).duration_s, abs=1.0 / FPS)
    assert info.has_audio
    assert info.audio_codec == "aac"
    assert _audio_seconds(dst) == pytest.approx(_audio_seconds(clip), abs=0.05)


def test_upscaled_video_scaled_back_is_close_to_the_source(clip: Path, upscaled: tuple) -> None:
    dst = upscaled[0]
    source, big = _frames(clip), _frames(dst)
    assert big[0].shape == (2 * HEIGHT, 2 * WIDTH, 3)
    scores = []
    for a, b in zip(source, big, strict=True):
        down = Image.fromarray(b).resize((WIDTH, HEIGHT), Image.Resampling.BOX)
        scores.append(_psnr(a, np.asarray(down)))
    assert min(scores) >= 30.0
    # And it is not just any picture: against another frame of the source it scores lower.
    assert _psnr(source[0], np.asarray(Image.fromarray(big[-1]).resize((WIDTH, HEIGHT)))) < min(
        scores
    )


def test_progress_is_reported_often_and_increases(upscaled: tuple) -> None:
    calls = upscaled[2]
    fractions = [f for f, _, _ in calls]
    assert len(calls) >= 10
    assert all(b > a for a, b in itertools.pairwise(fractions))
    assert fractions[-1] == 1.0
    previews = [i for _, _, i in calls if i is not None]
    assert previews
    assert previews[0].size == (2 * WIDTH, 2 * HEIGHT)


def test_non_aac_audio_is_reencoded_and_odd_sizes_made_even(tmp_path: Path) -> None:
    src = make_clip(tmp_path / "pcm.mov", audio_codec="pcm_s16le", video_codec="mjpeg", fmt="mov")
    info = upscale_video(src, tmp_path / "out.mp4", 3)
    assert (info.width, info.height) == (192, 144)
    assert info.audio_codec == "aac"
    assert info.frames == FRAMES
    assert _audio_seconds(tmp_path / "out.mp4") == pytest.approx(SECONDS, abs=0.05)


def test_stop_raises_and_leaves_no_file(clip: Path, tmp_path: Path) -> None:
    asked = {"n": 0}

    def stop() -> bool:
        asked["n"] += 1
        return asked["n"] > 3

    dst = tmp_path / "cancelled.mp4"
    with pytest.raises(EngineCancelled):
        upscale_video(clip, dst, 2, should_stop=stop)
    assert list(tmp_path.iterdir()) == []


def _info(**changes: object) -> VideoInfo:
    values: dict[str, object] = {
        "width": 854,
        "height": 480,
        "fps": 24.0,
        "frames": 120,
        "duration_s": 5.0,
        "has_audio": True,
    }
    values.update(changes)
    return VideoInfo(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "scale", "words"),
    [
        ({"duration_s": 61.0, "frames": 1464}, 2, ("61.0 s", f"{MAX_INPUT_SECONDS:.0f} s")),
        ({"width": 1920, "height": 1080}, 2, ("1920×1080", "1280×720")),
        ({"width": 1280, "height": 720}, 4, ("5120×2880", "3840 px")),
        ({"width": 8, "height": 8}, 2, ("8×8", "16 px")),
    ],
)
def test_limits_are_refused_with_the_value_and_the_limit(
    changes: dict[str, object], scale: int, words: tuple[str, ...]
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        check_video_limits(_info(**changes), scale)
    assert caught.value.field == "video"
    for word in words:
        assert word in str(caught.value.message)


def test_limits_accept_the_largest_allowed_jobs() -> None:
    check_video_limits(_info(width=1280, height=720), 3)  # 3840×2160
    check_video_limits(_info(duration_s=60.0, frames=1440), 2)
    with pytest.raises(InvalidRequest) as caught:
        check_video_limits(_info(), 5)
    assert caught.value.field == "scale"


def test_a_text_file_named_mp4_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "movie.mp4"
    fake.write_text("this is not a video, only words\n" * 20)
    with pytest.raises(InvalidRequest) as caught:
        upscale_video(fake, tmp_path / "out.mp4", 2)
    assert caught.value.field == "video"
    assert "not a video" in str(caught.value.message)
    assert not (tmp_path / "out.mp4").exists()


def test_a_picture_named_mp4_is_refused(tmp_path: Path) -> None:
    Image.new("RGB", (64, 48), (200, 30, 30)).save(tmp_path / "still.png")
    shutil.copy(tmp_path / "still.png", tmp_path / "still.mp4")
    with pytest.raises(InvalidRequest) as caught:
        probe_video(tmp_path / "still.mp4")
    assert caught.value.field == "video"
    with pytest.raises(InvalidRequest):
        probe_video(tmp_path / "missing.mp4")
