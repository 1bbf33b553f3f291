"""The small pieces of HTML the studio draws itself: escaped text, state and media icons (inline
SVG, so they draw without an emoji font), a state's pill and a track's m:ss length. History's
cards, the tabs' status bar, their track cards and Settings' provider cards all use them.
"""

from __future__ import annotations

import html

from tabs.i18n import DEFAULT_LANG, Lang
from tabs.plain_names import state_name

# 14 × 14 icons; drawn in currentColor, so a state's colour is its text colour.
_STATE_PATHS = {
    "queued": '<circle cx="7" cy="7" r="5.5"/><path d="M7 4v3.3l2.2 1.4"/>',
    "running": '<path class="hc-spin" d="M7 1.5a5.5 5.5 0 1 1-5.5 5.5"/>',
    "succeeded": '<path d="M2.8 7.4l2.7 2.7L11.3 4.3"/>',
    "failed": '<circle cx="7" cy="7" r="5.5"/><path d="M7 4v3.6M7 9.6v.4"/>',
    "cancelled": '<rect x="3.5" y="3.5" width="7" height="7" rx="1"/>',
}
STATE_COLORS = {
    "queued": "#6b7280",
    "running": "#2563eb",
    "succeeded": "#15803d",
    "failed": "#b91c1c",
    "cancelled": "#6b7280",
}
# 24 × 24 media icons for cards without a picture.
_MEDIUM_PATHS = {
    "audio": '<path d="M9 18V5l12-2v13"/><circle cx="6" cy="18" r="3"/>'
    '<circle cx="18" cy="16" r="3"/>',
    "image": '<rect x="3" y="3" width="18" height="18" rx="2"/><circle cx="9" cy="9" r="2"/>'
    '<path d="M21 15l-5-5L5 21"/>',
    "video": '<rect x="2" y="6" width="14" height="12" rx="2"/><path d="M22 8l-6 4 6 4V8z"/>',
}


def escape(text: object) -> str:
    """Text for the studio's own HTML: escaped, and with nothing gr.HTML's template would fill
    in."""
    return (
        html.escape(str(text), quote=True)
        .replace("$", "&#36;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def state_icon(state: str) -> str:
    paths = _STATE_PATHS.get(state, _STATE_PATHS["queued"])
    return (
        '<svg width="14" height="14" viewBox="0 0 14 14" fill="none" stroke="currentColor" '
        f'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{paths}</svg>'
    )


def state_pill(state: str, lang: Lang = DEFAULT_LANG) -> str:
    """A state with its icon, styled inline (also used in Markdown, where no class is styled)."""
    color = STATE_COLORS.get(state, STATE_COLORS["queued"])
    return (
        f'<span class="hc-state" style="display:inline-flex;align-items:center;gap:4px;'
        f"color:{color};border:1px solid {color};border-radius:999px;padding:0 8px 0 6px;"
        f'font-weight:600;white-space:nowrap">{state_icon(state)}'
        f"{escape(state_name(state, lang))}</span>"
    )


def medium_icon(medium: str, size: int = 40) -> str:
    """A medium's icon `size` px wide: large on a card without a picture, small in a badge."""
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round">{_MEDIUM_PATHS.get(medium, _MEDIUM_PATHS["image"])}</svg>'
    )


def clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"
