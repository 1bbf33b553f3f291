"""A still picture with a sound track, as MP4."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from providers.offline.video.still_video import still_image_video

RATE = 44100


def _tone(seconds: float, channels: int = 2) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    left = 0.3 * np.sin(2 * np.pi * 330 * t)
    if channels == 1:
        return left.astype(np.float32)
    return np.stack([left, 0.3 * np.sin(2 * np.pi * 440 * t)], axis=1).astype(np.float32)


def _picture(width: int, height: int) -> Image.Image:
    yy, xx = np.mgrid[0:height, 0:width]
    rgb = np.stack([xx * 255 // width, yy * 255 // height, np.full_like(xx, 90)], axis=2)
    return Image.fromarray(rgb.astype(np.uint8))


@pytest.mark.parametrize(("seconds", "fps"), [(3.3, 2), (1.0, 4)])
def test_video_lasts_as_long_as_the_audio(tmp_path: Path, seconds: float, fps: int) -> None:
    picture = _picture(161, 97)  # odd sizes must become even
    out = still_image_video(picture, _tone(seconds), RATE, tmp_path / "song.mp4", fps=fps)
    assert out == tmp_path / "song.mp4"
    with av.open(str(out)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert audio.codec_context.name == "aac"
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == (160, 96)
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video)]
        assert float(video.average_rate) == pytest.approx(fps)
        assert len(frames) * (1.0 / fps) == pytest.approx(seconds, abs=1.0 / fps)
        container.seek(0)
        samples = sum(f.samples for f in container.decode(audio))
        assert samples / RATE == pytest.approx(seconds, abs=0.05)
        assert container.duration / 1e6 == pytest.approx(seconds, abs=1.0 / fps + 0.05)
    # The picture shown is the picture given.
    expected = np.asarray(picture.resize((160, 96)), dtype=np.float32)
    assert np.abs(frames[-1].astype(np.float32) - expected).mean() < 6.0


def test_mono_audio_and_large_pictures(tmp_path: Path) -> None:
    out = still_image_video(_picture(2000, 1000), _tone(0.6, 1), RATE, tmp_path / "a.mp4")
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (1280, 640)
        assert container.streams.audio[0].codec_context.channels == 2


def test_bad_audio_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shape"):
        still_image_video(_picture(64, 64), np.zeros((10, 3), np.float32), RATE, tmp_path / "x.mp4")
    with pytest.raises(ValueError, match="empty"):
        still_image_video(_picture(64, 64), np.zeros((0, 2), np.float32), RATE, tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()
