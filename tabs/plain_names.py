"""A job told in plain words: its capability, state and parameters as the page names them.

History, the run card and share pages show what the tabs show: "Text to music" rather than
`text_to_music`, "**Songs**: 25" rather than `song_quantity 25`, an uploaded file by its name,
never by its place on the server. The labels come from each tab's `CapabilitySpec`
(tabs/capabilities.py), so a field is called the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tabs.capabilities import SPEC_OF
from tabs.capability_spec import Widget
from tabs.i18n import DEFAULT_LANG, LABELS_EN, Lang, label, tr

# Widgets that take a file: their labels end with the accepted formats, which a finished job
# no longer needs ("Image (png, jpg, webp)" → "Image").
_FILE_WIDGETS = frozenset({"image", "audio", "video"})
_FORMATS_HINT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def capability_name(capability: str, lang: Lang = DEFAULT_LANG) -> str:
    """The capability as its tab is called: "Text to music", "文生音乐"."""
    key = f"tab_{capability}"
    return label(lang, key) if key in LABELS_EN else capability


def state_name(state: str, lang: Lang = DEFAULT_LANG) -> str:
    """A job's state as a person says it: "Done", "Stopped", "完成"."""
    key = f"state_{state}"
    return label(lang, key) if key in LABELS_EN else state


def file_name(value: Any) -> Any:
    """A file given by its server path as its name; URLs and everything else as they are."""
    if isinstance(value, str) and not value.startswith(("http://", "https://")):
        return Path(value.replace("\\", "/")).name
    return value


def field_label(widget: Widget, lang: Lang) -> str:
    text = label(lang, widget.label)
    if widget.kind in _FILE_WIDGETS:
        text = _FORMATS_HINT.sub("", text) or text
    return text


def value_text(widget: Widget | None, value: Any, lang: Lang = DEFAULT_LANG) -> str:
    """A value as its widget shows it: a choice by its label, a switch as yes or no, a file by
    its name, a whole float without ".0"."""
    if widget is not None and widget.choices:
        for key, choice in widget.choices:
            if choice == value:
                return label(lang, key)
    if isinstance(value, bool):
        return tr(lang, "yes" if value else "no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if (widget is not None and widget.kind in _FILE_WIDGETS) or _absolute(value):
        value = file_name(value)
    return " ".join(str(value).split())


def _absolute(value: Any) -> bool:
    return isinstance(value, str) and Path(value).is_absolute()


def shown(value: Any) -> bool:
    return value not in (None, "") and value != []


def parameters(
    capability: str, params: Mapping[str, Any], lang: Lang = DEFAULT_LANG
) -> list[tuple[str, str]]:
    """(label, value) for every parameter the job was given, in the tab's order. Fields the tab
    does not show (internal bookkeeping) are left out; a capability without a spec shows its
    names as they are."""
    spec = SPEC_OF.get(capability)  # type: ignore[call-overload]
    if spec is None:
        return [(name, value_text(None, v, lang)) for name, v in params.items() if shown(v)]
    return [
        (field_label(widget, lang), value_text(widget, params[name], lang))
        for name, widget in spec.widgets.items()
        if shown(params.get(name))
    ]


def parameters_markdown(
    capability: str, params: Mapping[str, Any], lang: Lang = DEFAULT_LANG
) -> str:
    """`parameters` as a Markdown list; long values (prompts) stay whole and wrap."""
    return "\n".join(
        f"- **{name}**: {markdown_text(value)}"
        for name, value in parameters(capability, params, lang)
    )


def markdown_text(text: str) -> str:
    """Text for a Markdown page, shown as written: a prompt is the user's own text, and
    Markdown or HTML in it must not be interpreted (nor a `|` break a table)."""
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", text)
