"""The whole studio UI: one tab per capability."""

from __future__ import annotations

from typing import Any

import gradio as gr

from tabs import history, settings, visitor
from tabs.capabilities import SPECS
from tabs.capability_tab import CapabilityTab
from tabs.i18n import english_labels, i18n
from tabs.services import StudioServices

# The browser tab's title: a page title, which Gradio does not translate.
TITLE = "AIGC Studio"


def build_ui(services: StudioServices) -> gr.Blocks:
    """The page; launch it with `i18n=tabs.i18n.i18n_object()` for the Chinese labels."""
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(i18n("intro"), elem_id="studio-intro")
        # Keys live in server memory only: a State is never sent to the browser or run history.
        session_keys = gr.State({})
        loaded = gr.State(None)  # "Load settings" requests from History to the capability tabs
        wiring = visitor.build(services)
        # On a phone the tab bar wraps: every tab stays in sight (a menu hid five of seven).
        with gr.Tabs(overflow_behavior="wrap") as tabs:
            for spec in SPECS:
                CapabilityTab(services, spec).build(session_keys, loaded, tabs)
            history.build(services, session_keys, loaded=loaded, tabs=tabs)
            settings.build(services, session_keys, wiring)
    _describe_api_in_english(demo)
    return demo


def _describe_api_in_english(demo: gr.Blocks) -> None:
    """The API page and gradio_client would show label keys as {"key": …}: give them the English
    labels instead (set on the instance, like tabs.fields does, so no stub file is written)."""
    describe = demo.get_api_info

    def get_api_info(*args: Any, **kwargs: Any) -> Any:
        return english_labels(describe(*args, **kwargs))

    demo.get_api_info = get_api_info  # type: ignore[method-assign]
