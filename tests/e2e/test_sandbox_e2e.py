"""End to end in sandbox mode: the real app, the in-process emulators, gradio_client.

Each remote provider is called through its public endpoint and must end with real media files
(decoded here) in `outputs/<date>/<job id>/` beside a JSON sidecar, after several streamed
updates; the pickers label the remote providers "(sandbox)"; each provider's documented rules
are refused with the field named, before the provider is called.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from core.store import JobRecord
from emulators import media as emulator_media
from emulators.testing import EmulatorServer
from tests.local_http import Answer, Script, serve
from tests.studio_server import RunningStudio, launch_studio, sandbox_studio

TASK_SECONDS = 0.5
REMOTE_BY_CAPABILITY: dict[str, str] = {
    "text_to_music": "imgopen",
    "text_to_image": "imgopen",
    "image_to_music": "tencent",
    "extend_music": "suno",
    "video_upscale": "vidu",
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    # The sandbox's own 3 s tasks are for people watching; tests only need the states to pass.
    with sandbox_studio(tmp_path_factory.mktemp("sandbox"), TASK_SECONDS) as running:
        yield running


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    picture = folder / "picture.png"
    gradient = np.linspace(0, 255, 96 * 64 * 3, dtype=np.float64).reshape(64, 96, 3)
    Image.fromarray(gradient.astype(np.uint8)).save(picture)
    song = folder / "song.wav"
    t = np.arange(int(44100 * 3.0)) / 44100
    sf.write(song, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 44100)
    video = emulator_media.make_video(1.0, 96, 64, folder / "clip.mp4", seed=7)
    return {"picture": picture, "song": song, "video": video}


def state_of(sandbox: RunningStudio) -> Any:
    assert sandbox.studio.sandbox is not None
    return sandbox.studio.sandbox.state


def latest_job(sandbox: RunningStudio, capability: str, provider: str) -> JobRecord:
    records = sandbox.studio.services.store.list(capability=capability, provider=provider, limit=1)
    assert records, f"no {capability} job on {provider} in the store"
    return records[0]


def sha256(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_outputs(sandbox: RunningStudio, record: JobRecord, downloaded: list[str]) -> list[Path]:
    """The job's files sit in outputs/<date>/<job id>-<random>/ with sidecars, and were served
    as such."""
    assert record.state == "succeeded", record.message
    day = datetime.fromtimestamp(record.created_at).strftime("%Y-%m-%d")
    folder = record.output_dir
    assert folder.parent == sandbox.settings.outputs_dir / day
    assert folder.name.startswith(f"{record.id}-")
    assert folder.is_dir()
    paths = [Path(output.path) for output in record.outputs]
    assert paths
    for path in paths:
        assert path.parent.resolve() == folder.resolve()
        sidecar = path.with_name(path.name + ".json")
        meta = json.loads(sidecar.read_text("utf-8"))
        assert meta["job_id"] == record.id
        assert meta["provider"] == record.provider
        assert meta["capability"] == record.capability
        assert meta["params"] == record.params
    # What gradio_client received is byte for byte what the outputs folder holds.
    assert sorted(sha256(p) for p in downloaded) == sorted(sha256(p) for p in paths)
    return paths


def check_streamed(updates: list[tuple[Any, ...]]) -> None:
    """Several updates were streamed, and only the last one carries the files."""
    assert len(updates) >= 3, [update[0] for update in updates]
    assert isinstance(updates[-1][-1], list), updates[-1]
    assert updates[-1][-1], updates[-1]
    for update in updates[:-1]:
        assert not isinstance(update[-1], list), update
    assert "Done" in str(updates[-1][0])


def decode_audio(path: Path) -> tuple[float, float]:
    """(seconds, RMS) of a decoded audio file."""
    data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    return data.shape[0] / rate, float(np.sqrt(np.mean(np.square(data))))


def decode_video(path: Path) -> tuple[int, int, int]:
    """(frames decoded, width, height)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [frame for frame in container.decode(stream)]
    assert frames
    return len(frames), frames[0].width, frames[0].height


# --------------------------------------------------------------------------- the picker


def english(text: str, translations: dict[str, dict[str, str]]) -> str:
    """A config string as an English reader sees it (Gradio sends i18n keys as tokens)."""

    def lookup(match: re.Match[str]) -> str:
        key = json.loads(match.group(1))["key"]
        return translations.get("en", {}).get(key, key)

    return re.sub(r"__i18n__(\{[^{}]*\})", lookup, text)


def test_every_remote_provider_is_in_its_picker_labelled_sandbox(sandbox: RunningStudio) -> None:
    config = httpx.get(f"{sandbox.url}/config", timeout=10).json()
    translations = config.get("i18n_translations") or {}
    known = {"offline", *REMOTE_BY_CAPABILITY.values()}
    # A tab's picker offers providers only (a History filter adds "all").
    pickers = [
        component["props"]["choices"]
        for component in config["components"]
        if component.get("type") == "dropdown"
        and component.get("props", {}).get("choices")
        and {value for _label, value in component["props"]["choices"]} <= known
    ]
    assert len(pickers) >= len(REMOTE_BY_CAPABILITY)
    labels = {value: english(label, translations) for p in pickers for label, value in p}
    for provider in set(REMOTE_BY_CAPABILITY.values()):
        assert provider in labels, labels
        assert labels[provider].endswith("(sandbox)"), labels[provider]
    assert "sandbox" not in labels["offline"]
    registry = sandbox.studio.services.registry
    for capability, provider in REMOTE_BY_CAPABILITY.items():
        badges = {choice.name: choice.badge for choice in registry.choices(capability)}  # type: ignore[arg-type]
        assert badges[provider] == "sandbox"


# --------------------------------------------------------------------------- each endpoint


def test_imgopen_text_to_music(sandbox: RunningStudio, downloads: Path) -> None:
    job = sandbox.client(downloads).submit(
        prompt="warm lo-fi piano, 80 bpm",
        seconds=3,
        steps=20,
        cfg=6.5,
        seed=4242,
        provider="imgopen",
        api_name="/text_to_music",
    )
    status, _preview, result, seed_used, files = job.result(timeout=60)
    check_streamed(job.outputs())
    assert "Done" in status
    assert seed_used == 4242
    record = latest_job(sandbox, "text_to_music", "imgopen")
    (path,) = check_outputs(sandbox, record, files)
    assert sha256(result) == sha256(path)
    seconds, rms = decode_audio(path)
    assert abs(seconds - 3.0) < 0.25, seconds
    assert rms > 1e-3
    assert record.params["prompt"] == "warm lo-fi piano, 80 bpm"
    assert state_of(sandbox).calls.count("imgopen", "POST", "*/vocal/text2music") >= 1


def test_imgopen_text_to_image(sandbox: RunningStudio, downloads: Path) -> None:
    job = sandbox.client(downloads).submit(
        prompt="a red fox in fresh snow",
        negative_prompt="blurry",
        width=256,
        height=192,
        steps=8,
        seed=77,
        n_iter=2,
        checkpoint="",
        vae="",
        provider="imgopen",
        api_name="/text_to_image",
    )
    status, _preview, gallery, seed_used, files = job.result(timeout=60)
    check_streamed(job.outputs())
    assert "Done" in status
    assert seed_used == 77
    assert len(gallery) == 2
    record = latest_job(sandbox, "text_to_image", "imgopen")
    paths = check_outputs(sandbox, record, files)
    assert len(paths) == 2
    for path in paths:
        with Image.open(path) as image:
            image.load()
            assert image.size == (256, 192)
            # A picture, not a flat fill.
            assert len(np.unique(np.asarray(image.convert("L")))) > 8
    assert sha256(paths[0]) != sha256(paths[1])


def test_tencent_image_to_music_from_an_uploaded_image(
    sandbox: RunningStudio, downloads: Path, inputs: dict[str, Path]
) -> None:
    job = sandbox.client(downloads).submit(
        image=handle_file(str(inputs["picture"])),
        image_url="",
        song_quantity=1,
        output_type="mp3",
        provider="tencent",
        api_name="/image_to_music",
    )
    status, _preview, song, _video, files = job.result(timeout=60)
    check_streamed(job.outputs())
    assert "Done" in status
    record = latest_job(sandbox, "image_to_music", "tencent")
    (path,) = check_outputs(sandbox, record, files)
    assert sha256(song) == sha256(path)
    seconds, rms = decode_audio(path)
    assert seconds > 1.0
    assert rms > 1e-3
    # The emulator was given a URL of the app's own copy of the upload, and could fetch it
    # (an unfetchable input ends the emulated job in ERROR).
    emulated = [
        job
        for job in state_of(sandbox).tasks["tencent"].values()
        if job.request.get("customId") == record.id
    ]
    assert len(emulated) == 1
    url = emulated[0].request["inputs"][0]["url"]
    assert url.startswith(f"{sandbox.url}/gradio_api/file=")
    fetched = httpx.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == inputs["picture"].read_bytes()


def test_tencent_image_to_music_from_an_image_url(
    sandbox: RunningStudio, downloads: Path, inputs: dict[str, Path]
) -> None:
    picture = inputs["picture"].read_bytes()
    script = Script(
        answers={"/cat.png": [Answer(body=picture, headers={"Content-Type": "image/png"})]}
    )
    with serve(script) as base:
        job = sandbox.client(downloads).submit(
            image=None,
            image_url=f"{base}/cat.png",
            song_quantity=2,
            output_type="mp3",
            provider="tencent",
            api_name="/image_to_music",
        )
        status, _preview, _song, _video, files = job.result(timeout=60)
    assert "Done" in status
    # The provider, not the app, fetched the picture from the URL it was given.
    assert script.calls.get("/cat.png") == 1
    record = latest_job(sandbox, "image_to_music", "tencent")
    assert record.params["image_url"] == f"{base}/cat.png"
    paths = check_outputs(sandbox, record, files)
    assert len(paths) == 2
    for path in paths:
        assert decode_audio(path)[1] > 1e-3


def test_suno_extend_music_uploads_the_local_song(
    sandbox: RunningStudio, downloads: Path, inputs: dict[str, Path]
) -> None:
    state = state_of(sandbox)
    uploads_before = state.calls.count("suno", "POST", "/api/file-stream-upload")
    job = sandbox.client(downloads).submit(
        audio=handle_file(str(inputs["song"])),
        upload_url="",
        prompt="carry on with a brighter chorus",
        style="",
        title="",
        negative_tags="",
        provider="suno",
        api_name="/extend_music",
    )
    status, _preview, song, files = job.result(timeout=60)
    check_streamed(job.outputs())
    assert "Done" in status
    assert state.calls.count("suno", "POST", "/api/file-stream-upload") == uploads_before + 1
    record = latest_job(sandbox, "extend_music", "suno")
    paths = check_outputs(sandbox, record, files)
    assert len(paths) == 2  # Suno makes two tracks per task
    assert sha256(song) in {sha256(p) for p in paths}
    for path in paths:
        seconds, rms = decode_audio(path)
        # The extension continues the 3 s upload: longer than the source.
        assert seconds > 3.0
        assert rms > 1e-3
    # The uploaded file the emulator stored is our song, byte for byte.
    stored = [p for p in state.suno_uploads.values() if record.id in str(p)]
    assert len(stored) == 1
    assert stored[0].read_bytes() == inputs["song"].read_bytes()


def test_vidu_video_upscale_of_a_creation(sandbox: RunningStudio, downloads: Path) -> None:
    state = state_of(sandbox)
    source = state.data_dir / "vidu-source.mp4"
    emulator_media.make_video(1.0, 160, 96, source, seed=3)
    creation_id = state.vidu_add_creation(source)
    job = sandbox.client(downloads).submit(
        video=None,
        creation_id=creation_id,
        model="stable",
        duration=4,
        provider="vidu",
        api_name="/video_upscale",
    )
    status, _preview, video, files = job.result(timeout=60)
    check_streamed(job.outputs())
    assert "Done" in status
    record = latest_job(sandbox, "video_upscale", "vidu")
    (path,) = check_outputs(sandbox, record, files)
    assert sha256(video) == sha256(path)
    frames, width, height = decode_video(path)
    assert frames >= 5
    assert (width, height) == (320, 192)  # the creation, twice as large
    assert record.params["creation_id"] == creation_id


# --------------------------------------------------------------------------- refused rules


def test_vidu_refuses_a_video_file_naming_creation_id(
    sandbox: RunningStudio, downloads: Path, inputs: dict[str, Path]
) -> None:
    state = state_of(sandbox)
    before = state.calls.count("vidu")
    with pytest.raises(AppError) as caught:
        sandbox.client(downloads).predict(
            video=handle_file(str(inputs["video"])),
            creation_id="",
            provider="vidu",
            api_name="/video_upscale",
        )
    message = str(caught.value)
    assert message.startswith("creation_id:"), message
    assert "Traceback" not in message
    assert state.calls.count("vidu") == before  # refused before any network call


def test_suno_refuses_a_blank_prompt_in_default_mode(
    sandbox: RunningStudio, downloads: Path, inputs: dict[str, Path]
) -> None:
    state = state_of(sandbox)
    before = state.calls.count("suno")
    with pytest.raises(AppError) as caught:
        sandbox.client(downloads).predict(
            audio=handle_file(str(inputs["song"])),
            upload_url="",
            prompt="  ",
            style="",
            title="",
            negative_tags="",
            provider="suno",
            api_name="/extend_music",
        )
    assert str(caught.value).startswith("prompt:"), str(caught.value)
    assert state.calls.count("suno") == before


def test_tencent_needs_a_public_url_for_a_local_image_outside_the_sandbox(
    tmp_path: Path, downloads: Path, inputs: dict[str, Path]
) -> None:
    """Real-looking keys, an emulator as the provider, no public URL: the upload is refused."""
    with EmulatorServer(task_seconds=TASK_SECONDS) as emulator:
        overrides = {name.lower(): value for name, value in emulator.env().items()}
        running = launch_studio(tmp_path / "data", **overrides)
        try:
            assert running.studio.sandbox is None
            choices = running.studio.services.registry.choices("image_to_music")
            assert ("tencent", "live") in [(c.name, c.badge) for c in choices]
            with pytest.raises(AppError) as caught:
                running.client(downloads).predict(
                    image=handle_file(str(inputs["picture"])),
                    image_url="",
                    provider="tencent",
                    api_name="/image_to_music",
                )
            message = str(caught.value)
            assert message.startswith("image:"), message
            assert re.search(r"image_url|STUDIO_PUBLIC_URL", message), message
            assert emulator.state.calls.count("tencent") == 0  # nothing was sent
            # The same picture by URL goes through: the rule is about the upload only.
            script = Script(answers={"/p.png": [Answer(body=inputs["picture"].read_bytes())]})
            with serve(script) as base:
                status, *_ = running.client(downloads).predict(
                    image=None,
                    image_url=f"{base}/p.png",
                    provider="tencent",
                    api_name="/image_to_music",
                )
            assert "Done" in status
            assert emulator.state.calls.count("tencent", "POST", "/job") >= 2
        finally:
            running.close()
