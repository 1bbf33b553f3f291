"""Video upscale tab: a video (offline) or a Vidu creation id (remote) in, a sharper video out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from tabs.common import (
    StudioServices,
    add_examples,
    default_provider,
    or_skip,
    provider_dropdown,
    stream_steps,
)
from tabs.example_assets import TINY_CLIP
from tabs.fields import field_dropdown, field_radio, field_slider
from tabs.i18n import LABELS_EN, i18n
from tabs.provider_fields import connect_provider_fields, shown
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.wiring import connect_tab

CAPABILITY = "video_upscale"
CREATION_ID_HINT = LABELS_EN["vup_creation_id_info"]
# video, scale: the tiny 160×90 clip made 2× and 4× larger.
EXAMPLES = [[str(TINY_CLIP), 2], [str(TINY_CLIP), 4]]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    picked = default_provider(services, CAPABILITY)

    def visible(name: str) -> bool:
        return shown(CAPABILITY, picked, name)

    with gr.Tab(i18n("tab_video_upscale"), id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            provider = provider_dropdown(services, CAPABILITY)
            video = gr.Video(
                label=i18n("vup_video"),
                sources=["upload"],
                elem_id="vup-video",
                visible=visible("video"),
            )
            creation_id = gr.Textbox(
                value="",
                label=i18n("vup_creation_id"),
                info=i18n("vup_creation_id_info"),
                visible=visible("creation_id"),
                elem_id="vup-creation-id",
            )
            with gr.Row():
                scale = field_slider(
                    2,
                    4,
                    value=2,
                    step=1,
                    label=i18n("vup_scale"),
                    info=i18n("vup_scale_info"),
                    visible=visible("scale"),
                )
                model = field_dropdown(
                    ["stable"], value="stable", label=i18n("vup_model"), visible=visible("model")
                )
                duration = field_radio(
                    [4, 8], value=4, label=i18n("vup_duration"), visible=visible("duration")
                )
            with gr.Row():
                generate = gr.Button(
                    i18n("vup_generate"), variant="primary", elem_id="vup-generate"
                )
                stop = gr.Button(i18n("stop"), variant="stop", elem_id="vup-stop")
            add_examples(EXAMPLES, None, [video, scale], ["ex_video", "vup_scale"], "vup")
        with gr.Column(scale=5):
            status = gr.Markdown(i18n("ready"), elem_id="vup-status")
            preview = gr.Image(
                label=i18n("vup_preview"), interactive=False, height=280, elem_id="vup-preview"
            )
            result = gr.Video(label=i18n("vup_result"), interactive=False, elem_id="vup-result")
            files = gr.File(label=i18n("files"), file_count="multiple", interactive=False)
            bundle, card = add_run_card(services)

    connect_provider_fields(
        CAPABILITY,
        provider,
        {
            "video": video,
            "creation_id": creation_id,
            "scale": scale,
            "model": model,
            "duration": duration,
        },
    )

    async def video_upscale(
        video: str | None = None,
        creation_id: str = "",
        model: str = "stable",
        duration: int = 4,
        scale: int = 2,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Upscale a video, keeping its frame rate, length and sound.

        Args:
            video: The video to upscale (mp4 or webm; offline: at most 60 s and 1280x720).
            creation_id: For Vidu: the id of an item in a finished Vidu task's creations
                (not the task id).
            model: Vidu upscale model; "stable".
            duration: Vidu duration setting, 4 or 8.
            scale: Offline upscale factor, 2 to 4.
            provider: "offline" (no key needed) or "vidu" when configured.
        """
        values = {
            "video": video,
            "creation_id": creation_id,
            "model": model,
            "duration": duration,
            "scale": scale,
        }
        async for step in stream_steps(
            services, CAPABILITY, provider, values, keys, progress, request
        ):
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), gr.skip()
            else:
                videos = step.files("video")
                yield (step.status, gr.skip(), videos[0] if videos else None, step.files())

    connect_tab(
        services,
        CAPABILITY,
        session_keys,
        loaded,
        provider,
        [
            ("video", video),
            ("creation_id", creation_id),
            ("model", model),
            ("duration", duration),
            ("scale", scale),
            ("provider", provider),
        ],
    )

    event = generate.click(
        video_upscale,
        inputs=[video, creation_id, model, duration, scale, provider, session_keys],
        outputs=[status, preview, result, files],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    connect_run_card(services, CAPABILITY, event, bundle, card)
    connect_stop(services, CAPABILITY, stop, event, status)
