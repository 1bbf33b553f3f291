"""End to end: the launched app called through gradio_client on /text_to_music."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile as sf
from gradio_client.exceptions import AppError

from tests.api_contract import PUBLIC_PARAMETERS
from tests.studio_server import RunningStudio


def test_text_to_music_streams_then_returns_a_file_of_the_asked_length(
    studio: RunningStudio, downloads: Path
) -> None:
    client = studio.client(downloads)
    job = client.submit(
        prompt="happy pop in C major, 120 bpm",
        seconds=6,
        steps=30,
        cfg=7.0,
        seed=1234,
        provider="offline",
        api_name="/text_to_music",
    )
    status, _preview, result, seed_used, files = job.result(timeout=120)
    updates = job.outputs()
    assert len(updates) >= 4, f"expected several streamed updates, got {len(updates)}"
    statuses = [update[0] for update in updates]
    assert any("%" in text for text in statuses), statuses
    assert "Done" in status
    assert seed_used == 1234
    info = sf.info(result)
    assert info.samplerate == 44100
    assert info.channels == 2
    assert abs(info.frames / info.samplerate - 6.0) < 0.01
    assert len(files) == 1
    # Previews of the piece so far were streamed before the end.
    assert any(update[1] for update in updates[:-1])


def test_random_seed_is_resolved_and_reported(studio: RunningStudio, downloads: Path) -> None:
    client = studio.client(downloads)
    *_, seed_used, _files = client.predict(
        prompt="calm piano", seconds=2, steps=10, cfg=3.0, seed=-1, api_name="/text_to_music"
    )
    assert 0 <= seed_used < 2**32


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"prompt": "x", "seconds": 60}, "seconds"),
        ({"prompt": "", "seconds": 5}, "prompt"),
        ({"prompt": "x", "cfg": 7.25}, "cfg"),
        ({"prompt": "x", "provider": "nobody"}, "provider"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    studio: RunningStudio, downloads: Path, values: dict, field: str
) -> None:
    client = studio.client(downloads)
    with pytest.raises(AppError) as caught:
        client.predict(**values, api_name="/text_to_music")
    assert str(caught.value).startswith(f"{field}:") or f"{field}:" in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_api_parameter_names_are_the_public_contract(
    studio: RunningStudio, downloads: Path
) -> None:
    info = studio.client(downloads).view_api(print_info=False, return_format="dict")
    names = [p["parameter_name"] for p in info["named_endpoints"]["/text_to_music"]["parameters"]]
    assert names == list(PUBLIC_PARAMETERS["text_to_music"])
