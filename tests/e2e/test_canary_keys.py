"""Canary keys: found nowhere but on the wire.

The app is given distinctive keys for every provider (an emulator accepts exactly those), runs
one job per provider through its public API, and a few jobs whose keys the provider refuses.
Then no canary may appear in: the SQLite files, any file under the data folder (outputs,
sidecars, embedded metadata, inputs), the logs at DEBUG, the app's stdout/stderr, the error
messages and results gradio_client received, or the app's /config and API info.

That the keys did travel on the wire is shown by the emulator itself: it accepts only the
canaries, so each success proves the key was sent, and each refusal after the emulator's key
changes proves the key is what it checked.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from emulators.testing import EmulatorServer
from tests.adapter_fixtures import CANARIES, CANARY_KEYS, start_emulator
from tests.studio_server import RunningStudio, launch_studio

IMAGE_URL = "https://images.example.com/cat.png"  # not on this machine: never fetched


class RawRecords(logging.Handler):
    """Every record as logged, before any redacting filter of the app's handlers runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a broken format string is still worth scanning
            text = f"{record.msg!r} {record.args!r}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.messages.append(text)


def encodings(canary: str) -> list[bytes]:
    """How a key could sit in a file: UTF-8, or UTF-16 (ID3 comments, Windows metadata)."""
    return [canary.encode(), canary.encode("utf-16-le"), canary.encode("utf-16-be")]


def leaks_in_bytes(data: bytes) -> list[str]:
    return [c for c in CANARIES if any(form in data for form in encodings(c))]


def leaks_in_text(texts: Iterable[str]) -> list[tuple[str, str]]:
    return [(c, text[:200]) for text in texts for c in CANARIES if c in text]


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=0.4) as emu:
        emu.state.music_seconds = 1.0
        yield emu


@pytest.fixture
def song(tmp_path: Path) -> Path:
    path = tmp_path / "song.wav"
    t = np.arange(44100 * 2) / 44100
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 44100)
    return path


def run_one_job_per_provider(
    client: Client, emulator: EmulatorServer, song: Path
) -> list[tuple[object, ...]]:
    results: list[tuple[object, ...]] = [
        client.predict(
            prompt="canary song", seconds=1, steps=10, seed=1, provider="imgopen",
            api_name="/text_to_music",
        ),
        client.predict(
            prompt="canary bird", negative_prompt="", width=128, height=128, steps=4, seed=2,
            checkpoint="", vae="", provider="imgopen", api_name="/text_to_image",
        ),
        client.predict(
            image=None, image_url=IMAGE_URL, provider="tencent", api_name="/image_to_music"
        ),
        client.predict(
            audio=handle_file(str(song)), upload_url="", prompt="canary chorus", style="",
            title="", negative_tags="", provider="suno", api_name="/extend_music",
        ),
        client.predict(
            video=None, creation_id=emulator.state.vidu_add_creation(), provider="vidu",
            api_name="/video_upscale",
        ),
    ]  # fmt: skip
    return results


def refused_jobs(client: Client, emulator: EmulatorServer, song: Path) -> dict[str, str]:
    """Each provider refuses the app's (canary) key once the emulator expects another one."""
    emulator.state.keys = dataclasses.replace(
        CANARY_KEYS,
        imgopen_access_key_secret="rotated-imgopen-secret",
        tencent_secret_key="rotated-tencent-key",
        suno_api_key="rotated-suno-key",
        vidu_api_key="rotated-vidu-key",
    )
    calls = {
        "imgopen": {"prompt": "x", "seconds": 1, "provider": "imgopen", "api_name": "/text_to_music"},
        "tencent": {"image": None, "image_url": IMAGE_URL, "provider": "tencent", "api_name": "/image_to_music"},
        "suno": {
            "audio": handle_file(str(song)), "upload_url": "", "prompt": "x", "style": "",
            "title": "", "negative_tags": "", "provider": "suno", "api_name": "/extend_music",
        },
        "vidu": {"video": None, "creation_id": "2370483030340581", "provider": "vidu", "api_name": "/video_upscale"},
    }  # fmt: skip
    errors: dict[str, str] = {}
    try:
        for provider, kwargs in calls.items():
            with pytest.raises(AppError) as caught:
                client.predict(**kwargs)
            errors[provider] = str(caught.value)
    finally:
        emulator.state.keys = CANARY_KEYS
    return errors


def test_canary_keys_are_found_nowhere_but_on_the_wire(
    emulator: EmulatorServer,
    song: Path,
    tmp_path: Path,
    downloads: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    raw = RawRecords()
    data = tmp_path / "data"
    overrides = {name.lower(): value for name, value in emulator.env().items()}
    assert set(CANARIES) <= set(overrides.values())
    running: RunningStudio | None = None
    try:
        running = launch_studio(data, **overrides)
        # Added after the app put its redacting filter on the root handlers, and first in
        # line (the filter rewrites the shared record): this one sees what the code logged.
        logging.getLogger().handlers.insert(0, raw)
        client = running.client(downloads)
        results = run_one_job_per_provider(client, emulator, song)
        errors = refused_jobs(client, emulator, song)
        config = httpx.get(f"{running.url}/config", timeout=10).text
        api_info = httpx.get(f"{running.url}/gradio_api/info", timeout=10).text
        view_api = repr(client.view_api(print_info=False, return_format="dict"))
        store = running.studio.services.store
        records = store.list(limit=100)
        history = [e.message for r in records for e in store.events(r.id)]
    finally:
        logging.getLogger().removeHandler(raw)
        if running is not None:
            running.close()
    captured = capfd.readouterr()

    # The keys were on the wire: each provider's create (or upload) call was accepted...
    assert [r.state for r in records].count("succeeded") == 5, [
        (r.provider, r.message) for r in records
    ]
    assert emulator.state.calls.count("imgopen", "POST", "*/vocal/text2music") == 2
    assert emulator.state.calls.count("suno", "POST", "/api/file-stream-upload") == 2
    for status, *_ in results:
        assert "Done" in str(status)
    # ...and refused once the emulator expected another key, with a sentence about the key.
    assert set(errors) == {"imgopen", "tencent", "suno", "vidu"}
    for provider, message in errors.items():
        assert any(word in message.lower() for word in ("key", "secret")), (provider, message)
        assert "Traceback" not in message

    # Found nowhere else.
    files = [p for p in data.rglob("*") if p.is_file()]
    assert (data / "studio.sqlite3") in files
    assert any(p.name.endswith(".json") for p in files)  # sidecars were scanned
    assert len([p for p in files if p.suffix in (".mp3", ".png", ".mp4", ".wav")]) >= 6
    for path in files:
        assert not leaks_in_bytes(path.read_bytes()), path
    for path in (p for p in downloads.rglob("*") if p.is_file()):
        assert not leaks_in_bytes(path.read_bytes()), path
    assert not leaks_in_text(str(r) for r in results)
    assert not leaks_in_text(errors.values())
    assert not leaks_in_text([config, api_info, view_api])
    assert not leaks_in_text(r.model_dump_json() for r in records)
    assert not leaks_in_text(history)
    assert caplog.records, "nothing was logged: the log check would prove nothing"
    assert not leaks_in_text([caplog.text])
    assert not leaks_in_text(raw.messages)
    assert not leaks_in_text([captured.out, captured.err])
