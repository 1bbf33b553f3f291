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
    # Two narrow tables read well side by side; wider ones (many columns) go one under the other.
    with gr.Row() if len(inputs) <= 2 else gr.Column():
        sets: tuple[tuple[list[list[Any]], Lang], ...] = ((rows, "en"), (chinese_rows, "zh"))
        for examples, lang in sets:
            with gr.Column(min_width=240):
                block = gr.Examples(
                    examples,
                    label=i18n(f"examples_{lang}"),
                    elem_id=f"{elem_prefix}-examples-{lang}",
                    **common,
                )
                block.dataset.headers = [label(lang, key) for key in header_keys]
