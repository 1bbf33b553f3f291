"""What a capability tab shows of its job on the page: one status, and only results that exist.

API and MCP callers get the endpoint's outputs as data (tabs/capability_tab.py `_update`). The
page (Gradio's frontend marks its calls `x-gradio-user: app`) gets a view of the same job:
- while it runs: the status bar (tabs/progress_bar.py) and the preview once there is one,
  never an empty box; no results;
- at the end, finished or stopped: the results that exist and the preview gone (it was the
  piece so far; the result is the piece); a gallery with as many columns as fit its pictures;
  no file list (each file has its download where it shows; the run card zips them all);
- several tracks (Suno's two, many songs from a picture): a card each with title, length,
  player and download, instead of the single player;
- an upscale: before and after side by side, each at its own size, with both resolutions.
The cards and the comparison are not outputs of the public endpoint (its returned components
are the API's contract): a private event fills them after the run, from the session's latest
job. Generate and Stop swap while the status says busy, by a browser-only event: no round trip.

A visibility change is sent only when it changes: Gradio rebuilds a component for every
property update, a fifth of a job's CPU when it was sent with every step
(bench/bench_session_cost.py).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import gradio as gr

from core.events import Output, is_terminal
from core.media import audio_seconds
from core.store import JobRecord
from core.visitors import MCP_CLIENT_HEADER
from tabs.capability_spec import CapabilitySpec
from tabs.i18n import Lang, request_lang, tr
from tabs.job_stream import JobView
from tabs.markup import clock, escape
from tabs.progress_bar import BUSY_CLASS, render
from tabs.services import StudioServices, session_of, visitor_of

# Gradio's own frontend sends this with every call it makes (the MCP server sends "mcp").
PAGE_CLIENT = (MCP_CLIENT_HEADER[0], "app")
# The outputs that hold a finished job's results (empty while a job runs).
RESULT_KINDS = ("audio", "video", "images", "files")
PREVIEW_KINDS = ("audio_preview", "image_preview")
# Files a player shows; two or more make track cards.
TRACK_KINDS = ("audio", "video")
# The kind of file each output that can be "sent to" another tab holds.
SENT_KIND = {"audio": "audio", "images": "image", "video": "video"}
MAX_GALLERY_COLUMNS = 3


def from_page(request: gr.Request | None) -> bool:
    headers = getattr(request, "headers", None) or {}
    name, value = PAGE_CLIENT
    return headers.get(name) == value


def gallery_columns(count: int) -> int:
    """Columns that show every picture whole: 1, 2, 2 × 2, then 3 wide."""
    return max(1, min(MAX_GALLERY_COLUMNS, count if count < 4 else 2 if count == 4 else 3))


def tracks_of(outputs: Sequence[Output]) -> list[Output]:
    return [o for o in outputs if o.kind in TRACK_KINDS and o.path.is_file()]


def shows_cards(spec: CapabilitySpec, outputs: Sequence[Output]) -> bool:
    return spec.compare_with is None and len(tracks_of(outputs)) >= 2


def compared(spec: CapabilitySpec, outputs: Sequence[Output]) -> Output | None:
    """The result an upscale shows beside its source."""
    if spec.compare_with is None:
        return None
    return next((o for o in outputs if o.kind == "video" and o.path.is_file()), None)


# ---------------------------------------------------------------------------- the streamed view
class PageView:
    """The page's updates for one run, step by step (keyed by the endpoint's outputs)."""

    def __init__(self, spec: CapabilitySpec, outputs: dict[str, gr.components.Component]) -> None:
        self.spec = spec
        self.outputs = outputs
        self._first = True
        self._preview_shown = False

    def update(self, step: JobView) -> dict[Any, Any]:
        out = self.outputs
        assert step.progress is not None
        update: dict[Any, Any] = {out["status"]: render(step.progress)}
        if "seed_used" in out and step.request is not None:
            seed = step.request.seed  # type: ignore[attr-defined]
            update[out["seed_used"]] = gr.update(value=seed, visible=True) if self._first else seed
        if step.outputs is None:
            self._running(step, update)
        else:
            self._ended(step, update)
        self._first = False
        return update

    def _running(self, step: JobView, update: dict[Any, Any]) -> None:
        out = self.outputs
        for kind in RESULT_KINDS:
            if kind in out:
                update[out[kind]] = gr.update(value=None, visible=False) if self._first else None
        for kind in PREVIEW_KINDS:
            if kind not in out:
                continue
            if is_terminal(step.event):  # failed: what formed is not a result
                update[out[kind]] = gr.update(value=None, visible=False)
            elif step.preview is not None:
                shown = self._preview_shown
                update[out[kind]] = (
                    step.preview if shown else gr.update(value=step.preview, visible=True)
                )
                self._preview_shown = True
            elif self._first:
                update[out[kind]] = gr.update(value=None, visible=False)
            # else: left as it is (a preview is sent once, not with every heartbeat)

    def _ended(self, step: JobView, update: dict[Any, Any]) -> None:
        out, outputs = self.outputs, step.outputs or ()
        songs, videos, images = step.files("audio"), step.files("video"), step.files("image")
        in_cards = shows_cards(self.spec, outputs)
        side_by_side = compared(self.spec, outputs) is not None
        if "audio" in out:
            song = songs[0] if songs else None
            update[out["audio"]] = gr.update(value=song, visible=bool(song) and not in_cards)
        if "video" in out:
            video = videos[0] if videos else None
            alone = bool(video) and not in_cards and not side_by_side
            update[out["video"]] = gr.update(value=video, visible=alone)
        if "images" in out:
            update[out["images"]] = gr.update(
                value=images, visible=bool(images), columns=gallery_columns(len(images))
            )
        # Every file already shows with its own download (a player, a card, the gallery, the
        # comparison) and the run card zips them all: the list would say it twice (and
        # Gradio puts a "×" on each row of a list of several, even when it is an output).
        if "files" in out:
            update[out["files"]] = None
        for kind in PREVIEW_KINDS:
            if kind in out:
                update[out[kind]] = gr.update(value=None, visible=False)


# ---------------------------------------------------------------------------- cards, before/after
def file_url(path: Path) -> str:
    """The file as the page fetches it: the job folders are Gradio's allowed paths, served in
    place (relative, so it works under any root path)."""
    return "gradio_api/file=" + quote(str(path.resolve()))


def _length(output: Output) -> float | None:
    for key in ("duration", "duration_s"):
        value = output.metadata.get(key)
        if isinstance(value, int | float) and value > 0:
            return float(value)
    if output.kind == "audio":
        with contextlib.suppress(Exception):  # an unreadable file shows no length
            return audio_seconds(output.path)
    return None


def _player(output: Output, extra: str = "") -> str:
    tag = "video" if output.kind == "video" else "audio"
    inline = " playsinline" if tag == "video" else ""
    return (
        f'<{tag} controls preload="metadata"{inline}{extra} '
        f'src="{escape(file_url(output.path))}"></{tag}>'
    )


def _download(output: Output, lang: Lang) -> str:
    return (
        f'<a class="studio-download" href="{escape(file_url(output.path))}" '
        f'download="{escape(output.path.name)}">{escape(tr(lang, "track_download"))}'
        f" · {escape(output.path.name)}</a>"
    )


def track_cards(tracks: Sequence[Output], lang: Lang) -> str:
    cards = []
    for number, track in enumerate(tracks, start=1):
        title = track.metadata.get("title") or tr(lang, "track_title", number=number)
        length = _length(track)
        meta = f'<span class="studio-track-length">{clock(length)}</span>' if length else ""
        cards.append(
            '<figure class="studio-track">'
            f'<figcaption><span class="studio-track-title">{escape(title)}</span>{meta}'
            f"</figcaption>{_player(track)}{_download(track, lang)}</figure>"
        )
    return f'<div class="studio-tracks">{"".join(cards)}</div>'


def video_size(path: Path) -> tuple[int, int] | None:
    import av  # only an upscale's comparison needs it

    with contextlib.suppress(Exception), av.open(str(path)) as container:
        stream = container.streams.video[0]
        return int(stream.codec_context.width), int(stream.codec_context.height)
    return None


def _size_of(output: Output) -> tuple[int, int] | None:
    width, height = output.metadata.get("width"), output.metadata.get("height")
    if isinstance(width, int) and isinstance(height, int):
        return width, height
    return video_size(output.path)


def _figure(caption: str, size: tuple[int, int] | None, body: str) -> str:
    shown = f"{caption} · {size[0]}×{size[1]}" if size else caption
    # Each at its own size (up to the column's width): the difference is the point.
    width = f' style="width:min(100%, {size[0]}px)"' if size else ""
    return f'<figure class="studio-side"{width}><figcaption>{escape(shown)}</figcaption>{body}</figure>'


def before_after(
    record: JobRecord, after: Output, source_fields: tuple[str, str], lang: Lang
) -> str:
    file_field, named_field = source_fields
    source = record.params.get(file_field)
    source_path = Path(source) if isinstance(source, str) and Path(source).is_absolute() else None
    if source_path is not None and source_path.is_file():
        before = Output(path=source_path, kind="video")
        left = _figure(tr(lang, "before"), video_size(source_path), _player(before, " muted"))
    else:
        note = tr(lang, "before_unknown", source=record.params.get(named_field) or "?")
        left = _figure(tr(lang, "before"), None, f"<p>{escape(note)}</p>")
    right = _figure(tr(lang, "after"), _size_of(after), _player(after) + _download(after, lang))
    return f'<div class="studio-compare">{left}{right}</div>'


def extras_html(spec: CapabilitySpec, record: JobRecord, lang: Lang) -> str:
    """Track cards or the before/after of a job that ended with files; '' otherwise."""
    if record.state not in ("succeeded", "cancelled"):
        return ""
    outputs = record.outputs
    if shows_cards(spec, outputs):
        return track_cards(tracks_of(outputs), lang)
    after = compared(spec, outputs)
    if after is not None and spec.compare_with is not None:
        return before_after(record, after, spec.compare_with, lang)
    return ""


def add_extras(spec: CapabilitySpec) -> gr.HTML:
    return gr.HTML("", visible=False, elem_id=f"{spec.prefix}-extras", js_on_load=None)


# ---------------------------------------------------------------------------- the wiring
def _follow_js(status_id: str, extra_outputs: int) -> str:
    """The page follows the status. When it turns busy (a job started: not on a refusal at a
    field, which must stay in sight) the status comes into view if it is off the upper half of
    the screen (on a phone it is a screen below Generate). While it is busy Stop shows and
    Generate, the last run's cards and the "send to" button hide."""
    hidden = "".join([", busy ? hide : keep"] * extra_outputs)
    return f"""(status) => {{
  const busy = String(status || "").includes({json.dumps(BUSY_CLASS)});
  const box = document.getElementById({json.dumps(status_id)});
  if (box && busy && !box.dataset.studioBusy) {{
    const top = box.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) {{
      box.scrollIntoView({{behavior: "smooth", block: "start"}});
    }}
  }}
  if (box) box.dataset.studioBusy = busy ? "1" : "";
  const hide = {{"__type__": "update", "visible": false}};
  const keep = {{"__type__": "update"}};
  return [{{"__type__": "update", "visible": !busy}}, {{"__type__": "update", "visible": busy}}{hidden}];
}}"""


QUIET: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}


def connect_results(
    services: StudioServices,
    spec: CapabilitySpec,
    event: Any,
    status: gr.Markdown,
    generate: gr.Button,
    stop: gr.Button,
    extras: gr.HTML,
    send: gr.Button | None,
) -> None:
    """The page's side of a run: the status comes into view and the buttons follow it, and
    after the run come the cards or the comparison and the "send to" button."""
    followers = [extras, *([send] if send is not None else [])]
    assert status.elem_id is not None
    follow = _follow_js(status.elem_id, len(followers))
    status.change(None, status, [generate, stop, *followers], js=follow, **QUIET)

    def show_extras(request: gr.Request) -> Any:
        job_id = services.recent.latest(session_of(request), spec.capability)
        owner = services.owner_scope(visitor_of(services, request))
        record = services.store.get(job_id, owner=owner) if job_id else None
        body = extras_html(spec, record, request_lang(request)) if record else ""
        updates = [gr.update(value=body, visible=bool(body))]
        if send is not None and spec.send is not None:
            kind = SENT_KIND[spec.send.output]
            has = record is not None and any(o.kind == kind for o in record.outputs)
            updates.append(gr.update(visible=has))
        return updates if len(updates) > 1 else updates[0]

    show_extras.__name__ = f"show_{spec.capability}_results"
    event.then(show_extras, None, followers, **QUIET)
    event.failure(show_extras, None, followers, **QUIET)
