"""Each adapter against the answers printed on its provider's API pages, replayed.

The fixtures in tests/fixtures/replay/ are transcripts written by hand from the example answers
of the API pages (each fixture's `note` says which page and what was filled in). A replay server
(emulators/replay.py) answers as those pages do; the adapter runs a whole task against it. The
adapter must read the task to its end, name the result files the page's answer holds, and ask
for every answer the fixture has (no more, no fewer calls than the page's flow).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from core.config import Settings
from core.provider import TaskState
from core.requests import (
    ExtendMusicRequest,
    ImageToMusicRequest,
    StudioRequest,
    TextToImageRequest,
    TextToMusicRequest,
    VideoUpscaleRequest,
)
from emulators.replay import Replay, ReplayServer
from providers.declarations import declaration
from providers.registry import create_remote
from tests.adapter_fixtures import make_ctx, run_to_end
from tests.local_http import Answer, Script, serve

FIXTURES = Path(__file__).parent.parent / "fixtures" / "replay"


@pytest.fixture(scope="module")
def song_url() -> Iterator[str]:
    """A short song on this machine, for Suno's `upload_url` (the adapter measures it)."""
    script = Script(answers={"/song.wav": [Answer(body=_wav_bytes(), ranges=True)]})
    with serve(script) as base:
        yield f"{base}/song.wav"


def _wav_bytes() -> bytes:
    buffer = io.BytesIO()
    t = np.arange(44100 * 20) / 44100
    sf.write(buffer, (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), 44100, format="WAV")
    return buffer.getvalue()


def request_for(fixture: str, song_url: str) -> StudioRequest:
    requests: dict[str, StudioRequest] = {
        "imgopen-text_to_image": TextToImageRequest(prompt="ghost", seed=1221212),
        "imgopen-text_to_music": TextToMusicRequest(prompt="calm piano", seconds=10, seed=42),
        "tencent-image_to_music": ImageToMusicRequest(
            image_url="https://images.example.com/cat.png"
        ),
        "suno-extend_music": ExtendMusicRequest(
            upload_url=song_url, prompt="用更多舒缓的音符延长音乐", model="V3_5"
        ),
        "vidu-video_upscale": VideoUpscaleRequest(creation_id="2370483030340581"),
    }
    # Both Vidu fixtures (creation objects, and strings as the page types them) take one request.
    return requests[fixture.removesuffix("-strings")]


# The result files each page's answer holds, as recorded (before the replay's rewriting).
VIDU_VIDEO = (
    "video",
    "https://vidu.cf.vidu.studio/infer/tasks24/0731/162369218477629212/creation-01.mp4"
    "?Expires=1722528820&Signature=Cf7HE4SuETNaDEAoBkWyX7Rg&Key-Pair-Id=KNW0SL0E7LV4E",
)
EXPECTED_FILES: dict[str, list[tuple[str, str]]] = {
    "imgopen-text_to_image": [("image", "https://img.example.com/pro1686666.png")],
    "imgopen-text_to_music": [("audio", "https://audio.example.com/music-example.mp3")],
    "tencent-image_to_music": [
        ("audio", "https://bucket-1257411467.cos.ap-beijing.myqcloud.com/output/song.mp3")
    ],
    "suno-extend_music": [
        ("audio", "https://musicfile.example.com/e231c3a1.mp3"),
        ("audio", "https://musicfile.example.com/bd15e3b9.mp3"),
    ],
    "vidu-video_upscale": [VIDU_VIDEO],
    "vidu-video_upscale-strings": [VIDU_VIDEO],
}


def test_every_fixture_is_tested() -> None:
    assert sorted(path.stem for path in FIXTURES.glob("*.json")) == sorted(EXPECTED_FILES)


def settings_for(replay: Replay, tmp_path: Path) -> Settings:
    values = {name.lower(): value for name, value in replay.env().items()}
    return Settings(_env_file=None, studio_data_dir=tmp_path, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("fixture", sorted(EXPECTED_FILES))
async def test_the_adapter_reads_the_pages_answers_to_the_end(
    fixture: str, song_url: str, tmp_path: Path
) -> None:
    with ReplayServer(FIXTURES / f"{fixture}.json") as replay:
        provider = create_remote(
            declaration(replay.fixture.provider), settings_for(replay, tmp_path)
        )
        ctx = make_ctx(tmp_path, f"{fixture}-job")
        try:
            handle = await provider.submit(ctx, request_for(fixture, song_url))
            run = await run_to_end(provider, ctx, handle, timeout_s=30.0)
        finally:
            await provider.aclose()
        assert run.final.state is TaskState.SUCCEEDED, run.final
        files = [
            (artifact.kind, replay.recorded_url(artifact.url or ""))
            for artifact in run.final.outputs
        ]
        assert files == EXPECTED_FILES[fixture]
        assert replay.unserved() == []
