"""core.media: content sniffing, audio round trips, and safe downloads from a real local server."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

import core.media as media
from core.errors import InvalidRequest, ProviderError
from core.fetch import FetchPolicy
from tests.local_http import Answer, Script, serve


def local_policy(max_bytes: int) -> FetchPolicy:
    """Local mode's policy: the test server on 127.0.0.1 may be fetched."""
    return FetchPolicy(allow_private=True, max_bytes=max_bytes)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_sniffing_goes_by_content_not_name(tmp_path: Path) -> None:
    liar = tmp_path / "picture.png"
    liar.write_text("this is not a picture")
    with pytest.raises(InvalidRequest) as caught:
        media.require_format(liar, "image", ("png", "jpeg", "webp"))
    assert caught.value.field == "image"
    assert "png, jpeg, webp" in str(caught.value)
    real = tmp_path / "named.txt"
    real.write_bytes(png_bytes())
    assert media.require_format(real, "image", ("png",)) == "png"


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".mp3"])
def test_audio_round_trip_keeps_length(tmp_path: Path, suffix: str) -> None:
    rate = 44100
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(rate * 2) / rate).astype(np.float32)
    path = media.write_audio(
        tmp_path / f"tone{suffix}", np.stack([tone, tone], 1), rate, metadata={"prompt": "a"}
    )
    samples, read_rate = media.read_audio(path)
    assert read_rate == rate
    assert samples.shape[1] == 2
    assert abs(len(samples) / rate - 2.0) < 0.1
    assert abs(media.audio_seconds(path) - 2.0) < 0.1
    assert media.sniff_file(path) == suffix.lstrip(".")


def test_wav_keeps_parameters_in_its_comment(tmp_path: Path) -> None:
    path = media.write_audio(
        tmp_path / "a.wav", np.zeros((100, 2), np.float32), 44100, metadata={"seed": 42}
    )
    assert '"seed": 42' in sf.info(str(path)).extra_info or '"seed": 42' in (
        sf.SoundFile(str(path)).comment
    )


async def test_download_checks_size_type_scheme_and_expiry(tmp_path: Path) -> None:
    script = Script(
        answers={
            "/ok.png": [Answer(body=png_bytes(), headers={"Content-Type": "image/png"})],
            "/big.png": [Answer(body=b"\x89PNG\r\n\x1a\n" + b"0" * 5000)],
            "/fake.png": [Answer(body=b"<html>login</html>")],
            "/gone.png": [Answer(status=403)],
            "/flaky.png": [Answer(status=503, times=2), Answer(body=png_bytes())],
        }
    )
    with serve(script) as base:
        async with httpx.AsyncClient() as client:
            got = await media.download(
                client, f"{base}/ok.png", tmp_path, "ok.png", "image", policy=local_policy(10_000)
            )
            assert got.read_bytes() == png_bytes()
            with pytest.raises(ProviderError, match="limit"):
                await media.download(
                    client,
                    f"{base}/big.png",
                    tmp_path,
                    "big.png",
                    "image",
                    policy=local_policy(1000),
                )
            with pytest.raises(ProviderError, match="not a valid image"):
                await media.download(
                    client,
                    f"{base}/fake.png",
                    tmp_path,
                    "f.png",
                    "image",
                    policy=local_policy(10_000),
                )
            with pytest.raises(ProviderError, match="expired"):
                await media.download(
                    client,
                    f"{base}/gone.png",
                    tmp_path,
                    "g.png",
                    "image",
                    policy=local_policy(10_000),
                )
            with pytest.raises(ProviderError, match="not http"):
                await media.download(
                    client,
                    "file:///etc/passwd",
                    tmp_path,
                    "p.png",
                    "image",
                    policy=local_policy(10_000),
                )
            flaky = await media.download(
                client,
                f"{base}/flaky.png",
                tmp_path,
                "flaky.png",
                "image",
                policy=local_policy(10_000),
            )
            assert flaky.is_file()
    assert script.calls["/flaky.png"] == 3
    assert not list(tmp_path.glob("*.part")), "partial files must not be left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flaky.png", "ok.png"]


def test_safe_name_strips_paths() -> None:
    assert media.safe_name("../../etc/passwd") == "passwd"
    assert media.safe_name("https://x/y/song.mp3?sig=abc") == "song.mp3"
    assert media.safe_name("") == "file"
