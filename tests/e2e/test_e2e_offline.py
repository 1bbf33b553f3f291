"""End to end on the offline provider: every capability tab called through gradio_client."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from providers.offline.image.infotext import read_png_infotext
from tests.studio_server import RunningStudio


def _paths(files: list) -> list[Path]:
    return [Path(f if isinstance(f, str) else f["path"]) for f in files]


@pytest.fixture
def bright_png(tmp_path: Path) -> Path:
    path = tmp_path / "sunny.png"
    pixels = np.zeros((96, 128, 3), np.uint8)
    pixels[..., 0], pixels[..., 1], pixels[..., 2] = 250, 200, 60
    Image.fromarray(pixels).save(path)
    return path


@pytest.fixture
def song_wav(tmp_path: Path) -> Path:
    rate = 44100
    t = np.arange(rate * 6) / rate
    notes = 220 * 2 ** (np.floor(t * 2) % 4 / 12)
    tone = 0.3 * np.sin(2 * np.pi * notes * t) * (0.6 + 0.4 * (t * 2 % 1 < 0.5))
    path = tmp_path / "song.wav"
    sf.write(path, np.stack([tone, tone], 1).astype(np.float32), rate)
    return path


@pytest.fixture
def small_clip(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(12):
            frame = np.zeros((48, 64, 3), np.uint8)
            frame[:, (i * 4) % 64 :, 1] = 200
            video = av.VideoFrame.from_ndarray(frame, format="rgb24")
            video.pts, video.time_base = i, Fraction(1, 12)
            for packet in stream.encode(video):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def test_text_to_image_streams_previews_and_writes_infotext(
    studio: RunningStudio, downloads: Path
) -> None:
    job = studio.client(downloads).submit(
        prompt="red sky over the sea",
        width=256,
        height=192,
        steps=12,
        seed=77,
        n_iter=2,
        api_name="/text_to_image",
    )
    status, _preview, gallery, seed_used, files = job.result(timeout=120)
    assert "Done" in status
    assert seed_used == 77
    streamed = [update for update in job.outputs() if isinstance(update, list | tuple)]
    previews = [update[1] for update in streamed[:-1] if len(update) > 1 and update[1]]
    assert len(previews) >= 5, "a job streams at least 5 intermediate images"
    assert len(gallery) == 2
    pngs = sorted(_paths(files))
    assert len(pngs) == 2
    seeds = set()
    for png in pngs:
        with Image.open(png) as image:
            assert image.size == (256, 192)
        text = read_png_infotext(png)
        assert text is not None
        assert text.startswith("red sky over the sea")
        seeds.add(int(text.split("Seed: ")[1].split(",")[0]))
    assert seeds == {77, 78}


def test_image_to_music_makes_distinct_songs(
    studio: RunningStudio, downloads: Path, bright_png: Path
) -> None:
    status, _preview, first, video, files = studio.client(downloads).predict(
        image=handle_file(str(bright_png)),
        song_quantity=2,
        output_type="mp3",
        api_name="/image_to_music",
    )
    assert "Done" in status
    assert video is None
    songs = _paths(files)
    assert len(songs) == 2
    a, _ = sf.read(songs[0])
    b, _ = sf.read(songs[1])
    assert a.shape[0] > 44100 * 20
    assert not np.allclose(a[: len(b)], b[: len(a)]), "the two songs must differ"
    assert first is not None
    kept = next(studio.settings.outputs_dir.rglob(songs[0].name))
    sidecar = json.loads(kept.with_name(kept.name + ".json").read_text())
    assert sidecar["emotion"] in ("HAPPY", "EXCITING", "FUNNY", "ROMANTIC", "MAGNIFICENT")


def test_image_to_music_mp4_is_a_video_with_sound(
    studio: RunningStudio, downloads: Path, bright_png: Path
) -> None:
    *_, video, files = studio.client(downloads).predict(
        image=handle_file(str(bright_png)),
        output_type="mp4",
        api_name="/image_to_music",
    )
    path = Path(video["video"] if isinstance(video, dict) else video)
    with av.open(str(path)) as container:
        kinds = {stream.type for stream in container.streams}
    assert kinds >= {"video", "audio"}
    assert len(_paths(files)) == 1


def test_a_text_file_named_png_is_refused(
    studio: RunningStudio, downloads: Path, tmp_path: Path
) -> None:
    liar = tmp_path / "liar.png"
    liar.write_text("not an image at all")
    with pytest.raises(AppError) as caught:
        studio.client(downloads).predict(image=handle_file(str(liar)), api_name="/image_to_music")
    assert "image:" in str(caught.value)


def test_extend_keeps_the_start_and_extends_the_song(
    studio: RunningStudio, downloads: Path, song_wav: Path
) -> None:
    status, _preview, result, files = studio.client(downloads).predict(
        audio=handle_file(str(song_wav)),
        custom_mode=True,
        style="calm piano",
        title="longer",
        prompt="more of the same",
        continue_at=3.0,
        api_name="/extend_music",
    )
    assert "Done" in status
    source, rate = sf.read(song_wav, dtype="float32")
    extended, extended_rate = sf.read(result, dtype="float32")
    assert extended_rate == rate
    kept = int(3.0 * rate)
    # 16-bit WAV on both sides: the kept part is the same to the last bit.
    assert np.array_equal(extended[:kept], source[:kept])
    assert len(extended) > len(source)
    assert len(_paths(files)) == 1


def test_extend_refuses_continue_at_past_the_end(
    studio: RunningStudio, downloads: Path, song_wav: Path
) -> None:
    with pytest.raises(AppError) as caught:
        studio.client(downloads).predict(
            audio=handle_file(str(song_wav)),
            prompt="more",
            continue_at=7.0,
            api_name="/extend_music",
        )
    assert "continue_at:" in str(caught.value)


def test_video_upscale_doubles_the_size(
    studio: RunningStudio, downloads: Path, small_clip: Path
) -> None:
    status, _preview, result, files = studio.client(downloads).predict(
        video=handle_file(str(small_clip)),
        scale=2,
        api_name="/video_upscale",
    )
    assert "Done" in status
    path = Path(result["video"] if isinstance(result, dict) else result)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (128, 96)
    assert len(_paths(files)) == 1


def test_video_upscale_offline_needs_a_file(studio: RunningStudio, downloads: Path) -> None:
    with pytest.raises(AppError) as caught:
        studio.client(downloads).predict(creation_id="123", api_name="/video_upscale")
    assert "video:" in str(caught.value)
