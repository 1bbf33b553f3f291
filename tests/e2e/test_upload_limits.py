"""Uploads that lie about their type, that are too big, or that are too long, against the app.

The studio here is launched with a 1 MB upload limit (STUDIO_MAX_UPLOAD_MB=1); every refusal
must name the field and happen before a job exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import gradio.utils
import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from tests.studio_server import RunningStudio, launch_studio

UPLOAD_LIMIT_MB = 1
NO_PROVIDER = "no-such-provider"


@pytest.fixture(scope="module")
def small_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    running = launch_studio(
        tmp_path_factory.mktemp("upload-studio"), studio_max_upload_mb=UPLOAD_LIMIT_MB
    )
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def client(small_studio: RunningStudio, tmp_path_factory: pytest.TempPathFactory) -> Client:
    return small_studio.client(tmp_path_factory.mktemp("upload-downloads"))


def job_count(studio: RunningStudio) -> int:
    return len(studio.studio.services.store.list(limit=1000))


def refused(client: Client, endpoint: str, **values: Any) -> str:
    with pytest.raises(AppError) as caught:
        client.predict(api_name=f"/{endpoint}", **values)
    return str(caught.value)


# --------------------------------------------------------------------------- lying types


def _text(path: Path) -> None:
    path.write_text("hello, I am only text pretending to be media\n" * 20, "utf-8")


def _wav(path: Path) -> None:
    sf.write(path, np.zeros(8000, np.float32), 8000, format="WAV")


def _png(path: Path) -> None:
    Image.fromarray(np.full((32, 32, 3), 200, np.uint8)).save(path, format="PNG")


def video(path: Path, seconds: int, fps: int = 1) -> Path:
    """A tiny silent H.264 clip of `seconds` (one 64×48 frame a second by default)."""
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(seconds * fps):
            pixels = np.full((48, 64, 3), (index * 4) % 256, np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


LIES: list[tuple[str, str, str, Callable[[Path], None], dict[str, Any], str]] = [
    # (endpoint, parameter, file name, what the file really is, other values, what is said)
    ("image_to_music", "image", "photo.png", _text, {}, "not a media file"),
    ("image_to_music", "image", "photo.png", _wav, {}, "a wav file"),
    ("extend_music", "audio", "song.wav", _text, {"prompt": "go on"}, "not a media file"),
    ("extend_music", "audio", "song.wav", _png, {"prompt": "go on"}, "a png file"),
    ("video_upscale", "video", "clip.mp4", _text, {}, "not a media file"),
    ("video_upscale", "video", "clip.mp4", _wav, {}, "a wav file"),
]


@pytest.mark.parametrize(
    ("endpoint", "param", "name", "make", "values", "says"),
    LIES,
    ids=[f"{lie[0]}-{lie[3].__name__.strip('_')}-as-{lie[2]}" for lie in LIES],
)
def test_a_file_that_lies_about_its_type_is_refused_naming_the_field(
    endpoint: str,
    param: str,
    name: str,
    make: Callable[[Path], None],
    values: dict[str, Any],
    says: str,
    small_studio: RunningStudio,
    client: Client,
    tmp_path: Path,
) -> None:
    path = tmp_path / name
    make(path)
    jobs_before = job_count(small_studio)
    message = refused(
        client, endpoint, **{param: handle_file(str(path))}, **values, provider="offline"
    )
    assert message.startswith(f"{param}: "), message
    assert says in message, message
    assert "judged by its content" in message, message
    assert job_count(small_studio) == jobs_before, "a refused upload must not become a job"


# --------------------------------------------------------------------------- too big


def test_an_upload_over_the_limit_is_refused_by_the_client_with_the_limit(
    small_studio: RunningStudio, client: Client, tmp_path: Path
) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + np.random.default_rng(1).bytes(2_000_000))
    jobs_before = job_count(small_studio)
    with pytest.raises(ValueError, match="maximum file size") as caught:
        client.predict(image=handle_file(str(big)), provider="offline", api_name="/image_to_music")
    message = str(caught.value)
    assert str(UPLOAD_LIMIT_MB * 1024 * 1024) in message, message
    assert "big.png" in message, message
    assert job_count(small_studio) == jobs_before


def test_an_upload_over_the_limit_is_refused_by_the_server(small_studio: RunningStudio) -> None:
    # A client that skips the check (curl, a script) meets the server's own limit.
    name = f"oversized-{uuid.uuid4().hex}.png"
    payload = b"\x89PNG\r\n\x1a\n" + bytes(2_000_000)
    answer = httpx.post(
        f"{small_studio.url}/gradio_api/upload",
        files={"files": (name, payload, "image/png")},
        timeout=30,
    )
    assert answer.status_code == 413, answer.text[:200]
    assert "maximum allowed size" in answer.text
    assert not list(Path(gradio.utils.get_upload_folder()).rglob(name)), "a part was kept"
    # Under the limit the same route takes the file: the limit is what refused it.
    ok = httpx.post(
        f"{small_studio.url}/gradio_api/upload",
        files={"files": (name, payload[:100_000], "image/png")},
        timeout=30,
    )
    assert ok.status_code == 200, ok.text[:200]


# --------------------------------------------------------------------------- too long


def silent_flac(path: Path, seconds: float) -> Path:
    # 8 kHz mono silence: minutes of audio in a few kilobytes, far under the upload limit.
    sf.write(path, np.zeros(int(8000 * seconds), np.float32), 8000, format="FLAC")
    return path


def test_a_song_over_eight_minutes_is_refused_naming_audio(
    small_studio: RunningStudio, client: Client, tmp_path: Path
) -> None:
    song = silent_flac(tmp_path / "nine-minutes.flac", 9 * 60)
    assert song.stat().st_size < UPLOAD_LIMIT_MB * 1_000_000
    jobs_before = job_count(small_studio)
    message = refused(
        client, "extend_music", audio=handle_file(str(song)), prompt="go on", provider="offline"
    )
    assert message.startswith("audio: "), message
    assert "540 s" in message, message
    assert "8 minutes" in message, message
    assert job_count(small_studio) == jobs_before


def test_a_song_under_eight_minutes_passes_the_length_check(client: Client, tmp_path: Path) -> None:
    song = silent_flac(tmp_path / "seven-and-a-half-minutes.flac", 7.5 * 60)
    # An unknown provider is only looked at once the request is valid: its error proves that.
    message = refused(
        client, "extend_music", audio=handle_file(str(song)), prompt="go on", provider=NO_PROVIDER
    )
    assert message.startswith("provider: "), message


def test_a_video_over_sixty_seconds_is_refused_offline_naming_video(
    small_studio: RunningStudio, client: Client, tmp_path: Path
) -> None:
    clip = video(tmp_path / "long.mp4", 61)
    jobs_before = job_count(small_studio)
    message = refused(client, "video_upscale", video=handle_file(str(clip)), provider="offline")
    assert message.startswith("video: "), message
    assert "61.0 s" in message, message
    assert "60 s" in message, message
    assert job_count(small_studio) == jobs_before


def test_a_video_of_sixty_seconds_is_upscaled(client: Client, tmp_path: Path) -> None:
    clip = video(tmp_path / "minute.mp4", 60)
    status, _preview, result, files, *_ = client.predict(
        video=handle_file(str(clip)), scale=2, provider="offline", api_name="/video_upscale"
    )
    assert "Done" in status, status
    upscaled = Path(result["video"] if isinstance(result, dict) else result)
    with av.open(str(upscaled)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (128, 96)
        assert float(stream.duration * stream.time_base) == pytest.approx(60.0, abs=1.0)
    assert files
