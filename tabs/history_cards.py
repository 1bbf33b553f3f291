"""History's gallery: one card per job (a thumbnail or a media icon, the prompt, the provider, the
state and the time), drawn as HTML by the server.

Thumbnails travel inside the page as small WebP data URIs, made once per file and kept in a
bounded cache: they need no file route, carry no server path, and reach only the session whose
jobs they show. Icons are inline SVG, so they draw without an emoji font. Every text from a job
(a prompt is the user's own) is escaped, including the braces and `$` that gr.HTML's template
would read.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import soundfile as sf
from PIL import Image

from core.history import PAGE_SIZE
from core.store import JobRecord
from tabs.i18n import DEFAULT_LANG, Lang, tr
from tabs.markup import clock, escape, medium_icon, state_pill
from tabs.picker import provider_name
from tabs.plain_names import capability_name, file_name

THUMB_SIDE = 320
THUMB_QUALITY = 70
THUMB_CACHE = 512
# Only the first page of a gallery gets thumbnails (each a few KB inline, decoded once):
# "Load more" up to 500 cards must not make a page of megabytes, re-sent at every change, nor
# push every other visitor's thumbnails out of the shared cache.
PICTURED_CARDS = PAGE_SIZE
PROMPT_CHARS = 140
BADGE_ICON = 12
# What a card leads with, per capability: the first of these that is set.
SUBJECT_FIELDS = ("prompt", "title", "image", "image_url", "audio", "upload_url", "video")
# Of those, the ones that hold a file the job was given (shown by its name).
FILE_FIELDS = frozenset({"image", "audio", "video"})
# A job's medium before it has results (or when it failed): by what its capability makes.
MEDIUM_OF = {
    "text_to_music": "audio",
    "image_to_music": "audio",
    "extend_music": "audio",
    "text_to_image": "image",
    "video_upscale": "video",
}

CARDS_CSS = """
.hc-grid { display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 180px), 1fr)); }
@media (max-width: 640px) {
  .hc-grid { gap: 8px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 140px), 1fr)); }
}
.hc-card { box-sizing: border-box; display: flex; flex-direction: column; min-width: 0;
  margin: 0; padding: 0; text-align: left; font: inherit; color: var(--body-text-color);
  cursor: pointer; overflow: hidden; border: 1px solid var(--border-color-primary);
  border-radius: 10px; background: var(--block-background-fill); }
.hc-card:hover, .hc-card:focus-visible { border-color: var(--color-accent); outline: none;
  box-shadow: 0 0 0 2px var(--color-accent-soft); }
.hc-card[aria-current="true"] { border-color: var(--color-accent); }
.hc-thumb { position: relative; aspect-ratio: 4 / 3; overflow: hidden; display: flex;
  align-items: center; justify-content: center; background: var(--background-fill-secondary);
  color: var(--body-text-color-subdued); }
.hc-thumb img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
.hc-badge { position: absolute; right: 6px; bottom: 6px; display: inline-flex; gap: 4px;
  align-items: center; padding: 1px 7px; border-radius: 10px; font-size: 12px;
  line-height: 18px; color: #fff; background: rgba(0, 0, 0, 0.62); }
.hc-body { display: flex; flex-direction: column; gap: 4px; padding: 8px 10px 10px; min-width: 0; }
.hc-prompt { font-weight: 600; font-size: 14px; line-height: 1.3; overflow: hidden;
  overflow-wrap: anywhere; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; }
.hc-meta, .hc-time { font-size: 12px; color: var(--body-text-color-subdued); }
.hc-foot { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: 4px 6px; }
.hc-state { display: inline-flex; align-items: center; gap: 4px; padding: 0 8px 0 6px;
  border: 1px solid currentColor; border-radius: 999px; font-size: 12px; font-weight: 600;
  line-height: 20px; white-space: nowrap; }
.hc-id { font-family: var(--font-mono); font-size: 11px; color: var(--body-text-color-subdued);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hc-empty { padding: 24px 12px; text-align: center; color: var(--body-text-color-subdued);
  border: 1px solid var(--border-color-primary); border-radius: 10px; }
.hc-spin { transform-origin: 7px 7px; animation: hc-spin 1s linear infinite; }
@keyframes hc-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .hc-spin { animation: none; } }
"""

# The tab's own layout, page-wide (gr.HTML puts `head` in the document's head): buttons beside
# a field sit on its baseline instead of standing as tall grey blocks; a result's file list
# offers no "remove" (it is a result, not an upload); the pictures take the height they need.
HISTORY_CSS = """
#history-refresh, #history-open, #history-delete { align-self: flex-end; }
#history-files .label-clear-button { display: none; }
#history-gallery .grid-wrap { min-height: 0; height: auto; max-height: 640px; }
"""

# A click on a card opens it: the job id goes to the server as the event's data, and the
# page scrolls to the detail (on a phone it is below the whole gallery).
CARDS_JS = """
element.addEventListener('click', (event) => {
  const card = event.target.closest('[data-job]');
  if (!card || !element.contains(card)) return;
  element.querySelectorAll('[aria-current="true"]').forEach((c) => c.removeAttribute('aria-current'));
  card.setAttribute('aria-current', 'true');
  trigger('select', { job: card.dataset.job });
  const detail = document.getElementById('history-heading');
  if (detail) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
});
"""


# ---------------------------------------------------------------------------- thumbnails
def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=THUMB_CACHE)
def _thumbnail(path: str, mtime_ns: int, size: int, kind: str) -> str | None:
    del mtime_ns, size  # part of the cache key only: a changed file gets a new thumbnail
    try:
        picture = _first_frame(Path(path)) if kind == "video" else _picture(Path(path))
        if picture is None:
            return None
        picture.thumbnail((THUMB_SIDE, THUMB_SIDE))
        buffer = io.BytesIO()
        picture.convert("RGB").save(buffer, "WEBP", quality=THUMB_QUALITY)
    except Exception:  # an unreadable file gets the medium's icon instead
        return None
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _picture(path: Path) -> Image.Image:
    picture = Image.open(path)
    picture.draft("RGB", (THUMB_SIDE, THUMB_SIDE))  # JPEG: decode at a fraction of the size
    picture.load()
    return picture


def _first_frame(path: Path) -> Image.Image | None:
    import av

    with av.open(str(path)) as container:
        if not container.streams.video:
            return None
        for frame in container.decode(video=0):
            return frame.to_image()
    return None


def thumbnail(path: Path, kind: str) -> str | None:
    """A data URI of a small WebP of the picture (or the video's first frame), or None."""
    key = _file_key(path)
    return _thumbnail(*key, kind) if key is not None else None


@lru_cache(maxsize=THUMB_CACHE)
def _seconds(path: str, mtime_ns: int, size: int) -> float | None:
    del mtime_ns, size
    try:
        info = sf.info(path)  # the header only: never decodes the song
    except Exception:  # no duration is shown then
        return None
    return info.frames / info.samplerate if info.frames > 0 and info.samplerate > 0 else None


# ---------------------------------------------------------------------------- one card
def subject(record: JobRecord, limit: int = PROMPT_CHARS) -> str:
    """What was asked, in a few words: the prompt, else the source's file name or URL."""
    name = next((n for n in SUBJECT_FIELDS if record.params.get(n)), None)
    value = record.params[name] if name is not None else ""
    text = " ".join(str(file_name(value) if name in FILE_FIELDS else value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(timestamp: float, now: float | None = None) -> str:
    """A card's time: the clock time today, the date and time this year, else the date."""
    moment = datetime.fromtimestamp(timestamp)
    today = datetime.fromtimestamp(now) if now is not None else datetime.now()
    if moment.date() == today.date():
        return moment.strftime("%H:%M")
    if moment.year == today.year:
        return moment.strftime("%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d")


def _input_picture(record: JobRecord) -> Path | None:
    """The picture a job started from (image to music), if it is the job's own copy."""
    value = record.params.get("image")
    if not isinstance(value, str) or not value:
        return None
    path = Path(value)
    try:
        inside = path.resolve().is_relative_to(record.output_dir.resolve())
    except OSError:
        return None
    return path if inside and path.is_file() else None


def _thumb_html(record: JobRecord, pictures: bool = True) -> str:
    present = [o for o in record.outputs if o.path.is_file()]
    by_kind = {kind: [o for o in present if o.kind == kind] for kind in ("image", "video", "audio")}
    picture: str | None = None
    badge = ""
    if pictures and by_kind["image"]:
        picture = thumbnail(by_kind["image"][0].path, "image")
    elif pictures and by_kind["video"]:
        picture = thumbnail(by_kind["video"][0].path, "video")
        badge = medium_icon("video", BADGE_ICON)
    elif pictures and by_kind["audio"]:
        source = _input_picture(record)
        picture = thumbnail(source, "image") if source is not None else None
        key = _file_key(by_kind["audio"][0].path)
        seconds = _seconds(*key) if key is not None else None
        badge = medium_icon("audio", BADGE_ICON) + (clock(seconds) if seconds else "")
    if len(present) > 1:
        badge += f"<span>×{len(present)}</span>"
    if picture is not None:
        inner = f'<img src="{picture}" alt="" loading="lazy" decoding="async">'
    else:
        medium = next((k for k in ("image", "video", "audio") if by_kind[k]), None)
        inner = medium_icon(medium or MEDIUM_OF.get(record.capability, "image"))
    badge_html = f'<span class="hc-badge">{badge}</span>' if badge else ""
    return f'<span class="hc-thumb">{inner}{badge_html}</span>'


def card_html(
    record: JobRecord, lang: Lang = DEFAULT_LANG, now: float | None = None, pictures: bool = True
) -> str:
    """One job's card; `pictures` False: the medium's icon instead of a thumbnail."""
    capability = capability_name(record.capability, lang)
    provider = provider_name(record.provider, lang)
    title = subject(record) or capability
    return (
        f'<button type="button" class="hc-card" data-job="{escape(record.id)}" '
        f'data-state="{escape(record.state)}" title="{escape(title)}">'
        f"{_thumb_html(record, pictures)}"
        '<span class="hc-body">'
        f'<span class="hc-prompt">{escape(title)}</span>'
        f'<span class="hc-meta">{escape(capability)} · {escape(provider)}</span>'
        '<span class="hc-foot">'
        f"{state_pill(record.state, lang)}"
        f'<span class="hc-time">{escape(when(record.created_at, now))}</span>'
        "</span>"
        f'<span class="hc-id">{escape(record.id)}</span>'
        "</span></button>"
    )


def cards_html(
    records: Sequence[JobRecord], lang: Lang = DEFAULT_LANG, now: float | None = None
) -> str:
    """The gallery; a sentence when there is no job to show."""
    if not records:
        return f'<div class="hc-empty">{escape(tr(lang, "hist_empty"))}</div>'
    cards = "".join(
        card_html(record, lang, now, pictures=number < PICTURED_CARDS)
        for number, record in enumerate(records)
    )
    return f'<div class="hc-grid">{cards}</div>'


def signature(records: Sequence[JobRecord], lang: Lang) -> tuple[Any, ...]:
    """What a gallery shows of these jobs: the same signature draws the same cards, so a
    refresh that finds no change sends nothing."""
    return (lang, *((r.id, r.state, len(r.outputs)) for r in records))
