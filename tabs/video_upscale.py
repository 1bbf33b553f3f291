"""Video upscale tab: a video (offline) or a Vidu creation id (remote) in, a sharper video out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from tabs.common import StudioServices, or_skip, provider_dropdown, stream_steps
from tabs.fields import field_dropdown, field_radio, field_slider
from tabs.run_card import add_run_card, connect_run_card
from tabs.wiring import connect_tab

CAPABILITY = "video_upscale"
CREATION_ID_HINT = (
    "Vidu upscales a video it made: give the id of an item in a finished Vidu task's "
    "`creations` list (not the task id)."
)


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab("Video upscale", id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            provider = provider_dropdown(services, CAPABILITY)
            video = gr.Video(
                label="Video (mp4, webm; up to 60 s)", sources=["upload"], elem_id="vup-video"
            )
            creation_id = gr.Textbox(
                value="", label="Creation id", info=CREATION_ID_HINT, visible=False
            )
            with gr.Row():
                scale = field_slider(2, 4, value=2, step=1, label="Scale", info="Offline: 2×–4×")
                model = field_dropdown(["stable"], value="stable", label="Model", visible=False)
                duration = field_radio([4, 8], value=4, label="Duration (s)", visible=False)
            with gr.Row():
                generate = gr.Button("Upscale", variant="primary", elem_id="vup-generate")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=5):
            status = gr.Markdown("Ready.", elem_id="vup-status")
            preview = gr.Image(label="Frame preview", interactive=False, height=280)
            result = gr.Video(label="Upscaled video", interactive=False, elem_id="vup-result")
            files = gr.File(label="Files", file_count="multiple", interactive=False)
            job_id, bundle, card = add_run_card(services)

    def show_fields(chosen: str) -> tuple[Any, ...]:
        remote = chosen == "vidu"
        return (
            gr.update(visible=not remote),
            gr.update(visible=remote),
            gr.update(visible=not remote),
            gr.update(visible=remote),
            gr.update(visible=remote),
        )

    provider.change(
        show_fields,
        provider,
        [video, creation_id, scale, model, duration],
        api_visibility="private",
    )

    async def video_upscale(
        video: str | None = None,
        creation_id: str = "",
        model: str = "stable",
        duration: int = 4,
        scale: int = 2,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        values = {
            "video": video,
            "creation_id": creation_id,
            "model": model,
            "duration": duration,
            "scale": scale,
        }
        async for step in stream_steps(services, CAPABILITY, provider, values, keys, progress):
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), gr.skip(), step.job_id
            else:
                videos = step.files("video")
                yield (
                    step.status,
                    gr.skip(),
                    videos[0] if videos else None,
                    step.files(),
                    step.job_id,
                )

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
        outputs=[status, preview, result, files, job_id],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    stop.click(None, None, None, cancels=[event], api_visibility="private")
    connect_run_card(services, event, job_id, bundle, card)
