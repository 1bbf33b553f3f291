"""What the page shows of a job (tabs/results_view.py): only the results that exist, one player
at a time, a card per track, before and after for an upscale; visibility sent only on change."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
import numpy as np
import soundfile as sf

from core.events import Cancelled, Event, Failed, Output, Running, Succeeded
from core.store import JobRecord
from tabs.capabilities import (
    EXTEND_MUSIC,
    IMAGE_TO_MUSIC,
    TEXT_TO_IMAGE,
    TEXT_TO_MUSIC,
    VIDEO_UPSCALE,
)
from tabs.capability_spec import CapabilitySpec
from tabs.example_assets import CLIP_SIZE, TINY_CLIP
from tabs.job_stream import JobView
from tabs.progress_bar import progress_of
from tabs.results_view import (
    PageView,
    extras_html,
    gallery_columns,
    shows_cards,
    track_cards,
    video_size,
)

Outputs = dict[str, gr.components.Component]


def outputs_of(spec: CapabilitySpec) -> Outputs:
    made: Outputs = {}
    for output in spec.outputs:
        kind = output.kind
        if kind == "status":
            made[kind] = gr.Markdown(render=False)
        elif kind in ("audio", "audio_preview"):
            made[kind] = gr.Audio(render=False)
        elif kind == "image_preview":
            made[kind] = gr.Image(render=False)
        elif kind == "video":
            made[kind] = gr.Video(render=False)
        elif kind == "images":
            made[kind] = gr.Gallery(render=False)
        elif kind == "seed_used":
            made[kind] = gr.Number(render=False)
        else:
            made[kind] = gr.File(render=False)
    return made


def step(event: Event, preview: str | None = None) -> JobView:
    ended = isinstance(event, Succeeded | Cancelled)
    return JobView(
        "job",
        event,
        "",
        request=SimpleNamespace(seed=7),  # type: ignore[arg-type]
        preview=preview,
        outputs=list(event.outputs) if ended else None,  # type: ignore[union-attr]
        progress=progress_of(event, 1.0),
    )


def is_update(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def song(tmp_path: Path, name: str, seconds: float = 2.0) -> Output:
    path = tmp_path / name
    sf.write(path, np.zeros((int(44_100 * seconds), 2), np.float32), 44_100)
    return Output(path=path, kind="audio")


def test_a_run_shows_the_preview_once_there_is_one_and_no_result_meanwhile(
    tmp_path: Path,
) -> None:
    out = outputs_of(TEXT_TO_MUSIC)
    view = PageView(TEXT_TO_MUSIC, out)
    first = view.update(step(Running(percent=1)))
    # The last run's results and preview go; the seed shows (it is known from the start).
    for kind in ("audio", "files", "audio_preview"):
        assert first[out[kind]] == gr.update(value=None, visible=False), kind
    assert first[out["seed_used"]] == gr.update(value=7, visible=True)
    assert "studio-busy" in first[out["status"]]
    preview = str(tmp_path / "so-far.wav")
    shown = view.update(step(Running(percent=20), preview))
    assert shown[out["audio_preview"]] == gr.update(value=preview, visible=True)
    # From then on plain values: Gradio rebuilds a component for every property update.
    later = view.update(step(Running(percent=40), preview + "2"))
    assert later[out["audio_preview"]] == preview + "2"
    heartbeat = view.update(step(Running(percent=40)))
    assert out["audio_preview"] not in heartbeat  # a preview is sent once
    assert heartbeat[out["audio"]] is None
    assert heartbeat[out["seed_used"]] == 7
    assert not any(is_update(value) for value in heartbeat.values())


def test_the_result_replaces_the_preview(tmp_path: Path) -> None:
    out = outputs_of(TEXT_TO_MUSIC)
    view = PageView(TEXT_TO_MUSIC, out)
    view.update(step(Running(percent=1)))
    made = song(tmp_path, "piece.wav")
    end = view.update(step(Succeeded(outputs=[made])))
    assert end[out["audio"]] == gr.update(value=str(made.path), visible=True)
    assert end[out["audio_preview"]] == gr.update(value=None, visible=False)
    assert end[out["files"]] is None  # never a list of what already shows with its download
    assert "studio-succeeded" in end[out["status"]]


def test_several_tracks_become_cards_and_a_stop_keeps_them(tmp_path: Path) -> None:
    out = outputs_of(IMAGE_TO_MUSIC)
    view = PageView(IMAGE_TO_MUSIC, out)
    view.update(step(Running(percent=1)))
    kept = [song(tmp_path, f"song{n}.mp3") for n in (1, 2, 3)]
    assert shows_cards(IMAGE_TO_MUSIC, kept)
    end = view.update(step(Cancelled(outputs=kept)))
    # The single player hides (the cards play each one); its value stays for "send to".
    assert end[out["audio"]] == gr.update(value=str(kept[0].path), visible=False)
    assert end[out["video"]] == gr.update(value=None, visible=False)
    assert "Stopped" in end[out["status"]]
    assert "studio-failed" not in end[out["status"]]
    assert not shows_cards(IMAGE_TO_MUSIC, kept[:1])
    # Suno's two tracks of an extension: both show.
    assert shows_cards(EXTEND_MUSIC, kept[:2])


def test_a_failure_leaves_no_half_made_preview() -> None:
    out = outputs_of(TEXT_TO_IMAGE)
    view = PageView(TEXT_TO_IMAGE, out)
    view.update(step(Running(percent=1)))
    failed = view.update(step(Failed(message="Quota exceeded.")))
    assert failed[out["image_preview"]] == gr.update(value=None, visible=False)
    assert "studio-failed" in failed[out["status"]]


def test_a_gallery_has_as_many_columns_as_fit_its_pictures(tmp_path: Path) -> None:
    assert [gallery_columns(n) for n in (1, 2, 3, 4, 5, 8)] == [1, 2, 3, 2, 3, 3]
    out = outputs_of(TEXT_TO_IMAGE)
    view = PageView(TEXT_TO_IMAGE, out)
    pictures = []
    for n in range(4):
        (tmp_path / f"p{n}.png").write_bytes(b"png")
        pictures.append(Output(path=tmp_path / f"p{n}.png", kind="image"))
    end = view.update(step(Succeeded(outputs=pictures)))
    gallery = end[out["images"]]
    assert gallery["visible"] is True
    assert gallery["columns"] == 2  # 2 × 2: the second row whole


def test_an_upscale_shows_before_and_after_instead_of_the_single_player(tmp_path: Path) -> None:
    out = outputs_of(VIDEO_UPSCALE)
    view = PageView(VIDEO_UPSCALE, out)
    after = Output(path=TINY_CLIP, kind="video", metadata={"width": 320, "height": 180, "scale": 2})
    end = view.update(step(Succeeded(outputs=[after])))
    assert end[out["video"]]["visible"] is False
    record = JobRecord(
        id="job",
        capability="video_upscale",
        provider="offline",
        params={"video": str(TINY_CLIP), "scale": 2},
        state="succeeded",
        outputs=[after],
        output_dir=tmp_path,
        created_at=time.time(),
        updated_at=time.time(),
    )
    assert video_size(TINY_CLIP) == CLIP_SIZE
    html = extras_html(VIDEO_UPSCALE, record, "en")
    assert "Before · 160×90" in html
    assert "After · 320×180" in html
    assert html.count("<video") == 2
    assert 'style="width:min(100%, 160px)"' in html  # each at its own size
    # A provider's own source (no file here) is named, not drawn.
    remote = record.model_copy(update={"params": {"creation_id": "c-42"}})
    assert "c-42" in extras_html(VIDEO_UPSCALE, remote, "zh")
    # Only a job that ended with files has anything to show.
    assert extras_html(VIDEO_UPSCALE, record.model_copy(update={"state": "failed"}), "en") == ""


def test_a_card_per_track_with_title_length_and_download(tmp_path: Path) -> None:
    plain = song(tmp_path, "sunny-song1.mp3", seconds=3.0)
    titled = Output(
        path=song(tmp_path, "悲伤的钢琴曲-2.mp3").path,
        kind="audio",
        metadata={"title": "Night {Drive} $1", "duration": 125.4},
    )
    html = track_cards([plain, titled], "zh")
    assert html.count('class="studio-track"') == 2
    assert "第 1 首" in html
    assert "0:03" in html  # read from the file
    assert "2:05" in html  # as the provider said
    # A title is the provider's (or a person's) text: escaped, nothing a template would read.
    assert "Night &#123;Drive&#125; &#36;1" in html
    assert html.count("<audio") == 2
    assert 'download="悲伤的钢琴曲-2.mp3"' in html
    assert "%E6%82%B2" in html  # the file's address, encoded
