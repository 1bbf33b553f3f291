"""The whole studio UI: one tab per capability."""

from __future__ import annotations

import gradio as gr

from tabs import (
    extend_music,
    history,
    image_to_music,
    settings,
    text_to_image,
    text_to_music,
    video_upscale,
)
from tabs.common import StudioServices

TITLE = "AIGC Studio"
INTRO = (
    "Music, pictures and video from one studio. **Offline** runs on this machine with no key; "
    "remote providers appear in each tab's picker once their keys are set."
)


def build_ui(services: StudioServices) -> gr.Blocks:
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\n{INTRO}")
        # Keys live in server memory only: a State is never sent to the browser or run history.
        session_keys = gr.State({})
        loaded = gr.State(None)  # "Load settings" requests from History to the capability tabs
        with gr.Tabs() as tabs:
            for tab in (text_to_music, image_to_music, extend_music, text_to_image, video_upscale):
                tab.build(services, session_keys, loaded, tabs)
            history.build(services, session_keys, loaded=loaded, tabs=tabs)
            settings.build(services, session_keys)
    return demo
