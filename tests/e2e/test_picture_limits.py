"""Input files are judged before anything is copied or decoded: a picture by its header (a
12000×12000 PNG of one colour is 420 KB and would decode into gigabytes), every file by its
size, and a file that only starts like a PNG is no picture at all."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from core.errors import InvalidRequest
from core.media import SAFE_IMAGE_PIXELS, UploadLimits
from core.requests import build_request
from tests.studio_server import RunningStudio, launch_studio

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = UploadLimits(max_bytes=50_000_000, max_pixels=16_000_000)
SIDE = 12_000
# What decoding the big picture would cost at the least: 12000 × 12000 RGB pixels.
DECODED_BYTES = SIDE * SIDE * 3
FAKE_PNG_BYTES = 199_000_000


def write_flat_png(path: Path, width: int, height: int) -> Path:
    """A real, decodable PNG of one colour, written row by row (no picture in memory)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    squeeze = zlib.compressobj(6)
    row = bytes(1 + width * 3)  # filter byte 0, then black pixels
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


@pytest.fixture(scope="module")
def big_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_flat_png(tmp_path_factory.mktemp("big") / "huge.png", SIDE, SIDE)


@pytest.fixture(scope="module")
def fake_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """199 MB that start like a PNG and are nothing else (sparse: no disk is used)."""
    path = tmp_path_factory.mktemp("fake") / "photo.png"
    with path.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(FAKE_PNG_BYTES)
    return path


def refusal(**values: object) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        build_request("image_to_music", **values)  # type: ignore[arg-type]
    return caught.value


# --------------------------------------------------------------------------- pixels


def test_the_big_png_is_small_and_real(big_png: Path) -> None:
    assert big_png.stat().st_size < 1_000_000
    with Image.open(big_png) as picture:
        assert picture.size == (SIDE, SIDE)


def test_a_12000_square_png_is_refused_from_its_header_with_the_limit(big_png: Path) -> None:
    error = refusal(image=big_png, limits=PUBLIC)
    assert error.field == "image"
    assert "12000×12000" in str(error.message)
    assert "144.0 MP" in str(error.message)
    assert "at most 16 MP" in str(error.message)


def test_without_a_public_cap_the_safety_cap_still_refuses_it(big_png: Path) -> None:
    assert SAFE_IMAGE_PIXELS < SIDE * SIDE
    error = refusal(image=big_png)
    assert error.field == "image"
    assert "at most 89.5 MP" in str(error.message)


def test_a_picture_under_the_cap_passes(tmp_path: Path) -> None:
    small = write_flat_png(tmp_path / "small.png", 4000, 4000)  # exactly 16 MP
    assert build_request("image_to_music", image=small, limits=PUBLIC).image == small
    wide = write_flat_png(tmp_path / "wide.png", 4001, 4000)
    assert refusal(image=wide, limits=PUBLIC).field == "image"


def test_refusing_the_big_png_does_not_decode_it(big_png: Path) -> None:
    """The memory of a fresh process around the check: decoding would add at least 432 MB."""
    script = f"""
import json, resource, sys
from core.errors import InvalidRequest
from core.media import UploadLimits
from core.requests import build_request
import PIL.Image, PIL.PngImagePlugin  # loaded before the measure: only the check counts

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    build_request("image_to_music", image=sys.argv[1], limits=UploadLimits(max_pixels={PUBLIC.max_pixels}))
    field = None
except InvalidRequest as error:
    field = error.field
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"field": field, "grew_kb": after - before}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(big_png)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["field"] == "image"
    grew = measured["grew_kb"] * 1024
    assert grew < 100_000_000, f"the check grew the process by {grew / 1e6:.0f} MB"
    assert grew < DECODED_BYTES / 4


# --------------------------------------------------------------------------- structure and size


def test_a_file_that_only_starts_like_a_png_is_refused(fake_png: Path) -> None:
    # Under the local upload cap (200 MB): only its content can refuse it.
    local = UploadLimits(max_bytes=200_000_000)
    error = refusal(image=fake_png, limits=local)
    assert error.field == "image"
    assert "not a picture that can be read" in str(error.message)
    # In public mode its size alone does, with the cap shown.
    error = refusal(image=fake_png, limits=PUBLIC)
    assert error.field == "image"
    assert "199 MB" in str(error.message)
    assert "at most 50 MB" in str(error.message)


def test_the_size_cap_holds_for_songs_and_videos(tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    sf.write(song, np.zeros(8000, np.float32), 8000)
    clip = tmp_path / "clip.mp4"
    with av.open(str(clip), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
        frame.pts, frame.time_base = 0, Fraction(1, 1)
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    tiny = UploadLimits(max_bytes=1_000)
    for capability, field, path, extra in (
        ("extend_music", "audio", song, {"prompt": "go on"}),
        ("video_upscale", "video", clip, {}),
    ):
        assert path.stat().st_size > 1_000
        with pytest.raises(InvalidRequest) as caught:
            build_request(capability, limits=tiny, **{field: path}, **extra)  # type: ignore[arg-type]
        assert caught.value.field == field
        assert "a file may be at most 1,000 bytes here" in str(caught.value.message)
        # Under the cap the same file passes.
        build_request(capability, limits=UploadLimits(), **{field: path}, **extra)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- through the app


@pytest.fixture(scope="module")
def public_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    running = launch_studio(tmp_path_factory.mktemp("public-studio"), studio_public=True)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def client(public_studio: RunningStudio, tmp_path_factory: pytest.TempPathFactory) -> Client:
    return public_studio.client(tmp_path_factory.mktemp("public-downloads"))


def kept_files(studio: RunningStudio) -> list[Path]:
    outputs = studio.settings.outputs_dir
    return [path for path in outputs.rglob("*") if path.is_file()] if outputs.is_dir() else []


@pytest.mark.parametrize("which", ["huge", "fake"])
def test_a_public_studio_refuses_them_before_any_job_or_copy(
    which: str, big_png: Path, public_studio: RunningStudio, client: Client, tmp_path: Path
) -> None:
    if which == "huge":
        path, says = big_png, "at most 16 MP"
    else:
        # A smaller fake than 199 MB: the upload cap (50 MB here) would refuse that one first.
        path, says = tmp_path / "fake.png", "not a picture that can be read"
        with path.open("wb") as handle:
            handle.write(b"\x89PNG\r\n\x1a\n")
            handle.truncate(5_000_000)
    assert public_studio.settings.public_mode
    with pytest.raises(AppError) as caught:
        client.predict(image=handle_file(str(path)), provider="offline", api_name="/image_to_music")
    message = str(caught.value)
    assert message.startswith("image: "), message
    assert says in message, message
    assert public_studio.studio.services.store.list(owner=None, limit=10) == []
    assert kept_files(public_studio) == []
