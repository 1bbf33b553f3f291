"""Example tables under a capability's inputs, in English and Chinese."""

from __future__ import annotations

from typing import Any

import gradio as gr

from tabs.i18n import Lang, i18n, label


def add_examples(
    rows: list[list[Any]],
    chinese_rows: list[list[Any]] | None,
    inputs: list[Any],
    header_keys: list[str],
    elem_prefix: str,
) -> None:
    """Examples that fill `inputs` and run nothing: English and Chinese ones, or one set
    (`chinese_rows` None) when the examples are pictures, songs or clips.

    The browser does not translate an examples table's column names, so each table gets them
    in its own language (label keys `header_keys`, one per input); the one shared table of
    media examples shows both languages.
    """
    common: dict[str, Any] = {
        "inputs": inputs,
        "cache_examples": False,
        "run_on_click": False,
        "api_visibility": "private",
    }
    if chinese_rows is None:
        shared = gr.Examples(
            rows, label=i18n("examples"), elem_id=f"{elem_prefix}-examples", **common
        )
        shared.dataset.headers = [f"{label('en', k)} · {label('zh', k)}" for k in header_keys]
        return
    # Two narrow lists read well side by side; wider ones go one under the other.
    with gr.Row() if len(inputs) <= 2 else gr.Column():
        sets: tuple[tuple[list[list[Any]], Lang], ...] = ((rows, "en"), (chinese_rows, "zh"))
        for examples, lang in sets:
            with gr.Column(min_width=240):
                gr.Examples(
                    examples,
                    label=i18n(f"examples_{lang}"),
                    elem_id=f"{elem_prefix}-examples-{lang}",
                    example_labels=[row_label(row, inputs, header_keys, lang) for row in examples],
                    **common,
                )


def row_label(row: list[Any], inputs: list[Any], header_keys: list[str], lang: Lang) -> str:
    """One example as a line of text in `lang`: a table of many columns is cut off on a phone,
    and shows a checkbox as a raw `true`. The first text is shown as it is, a ticked box by its
    label, other values as "label: value"; media and empty values are left out (the media is
    still filled in when the example is picked)."""
    parts: list[str] = []
    for value, component, key in zip(row, inputs, header_keys, strict=True):
        if isinstance(component, _MEDIA) or value is None or value == "" or value is False:
            continue
        if value is True:
            parts.append(label(lang, key))
        elif isinstance(value, str) and not parts:
            parts.append(value)
        else:
            shown = int(value) if isinstance(value, float) and value.is_integer() else value
            parts.append(f"{label(lang, key)}{_COLON[lang]}{shown}")
    return " · ".join(parts)


_MEDIA = (gr.Audio, gr.Image, gr.Video)
_COLON: dict[Lang, str] = {"en": ": ", "zh": "："}
