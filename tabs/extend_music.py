"""Extend a song tab: keep the start of a song, continue it in its own key and tempo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, get_args

import gradio as gr

from core.requests import SunoModel
from tabs.common import StudioServices, or_skip, provider_dropdown, stream_steps
from tabs.fields import field_dropdown, field_number, field_radio
from tabs.run_card import add_run_card, connect_run_card
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "extend_music"


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab("Extend a song", id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            audio = gr.Audio(
                label="Song (wav, mp3, flac, ogg)",
                type="filepath",
                sources=["upload"],
                elem_id="ext-audio",
            )
            upload_url = gr.Textbox(value="", label="…or the song's URL", placeholder="https://…")
            prompt = gr.Textbox(
                value="",
                label="Prompt",
                lines=2,
                info="How to continue (default mode), or the exact lyrics (custom mode).",
            )
            with gr.Row():
                custom_mode = gr.Checkbox(
                    label="Custom mode", value=False, info="Needs style, title and continue at"
                )
                instrumental = gr.Checkbox(label="Instrumental", value=False)
            with gr.Row():
                style = gr.Textbox(value="", label="Style", placeholder="e.g. jazz, 古典")
                title = gr.Textbox(value="", label="Title")
            continue_at = field_number(
                label="Continue at (seconds)",
                value=None,
                info="Greater than 0 and less than the song's length; the start is kept as is.",
            )
            model = field_dropdown(
                list(get_args(SunoModel)),
                value="V4_5",
                label="Model",
                info="Must match the source song's model (remote providers).",
            )
            with gr.Accordion("Advanced", open=False):
                negative_tags = gr.Textbox(
                    value="", label="Negative tags", placeholder="styles to avoid"
                )
                vocal_gender = field_radio(["", "m", "f"], value="", label="Vocal gender")
                style_weight = field_number(label="Style weight (0–1)", value=None, step=0.01)
                weirdness_constraint = field_number(label="Weirdness (0–1)", value=None, step=0.01)
                audio_weight = field_number(label="Audio weight (0–1)", value=None, step=0.01)
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button("Extend", variant="primary", elem_id="ext-generate")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=5):
            status = gr.Markdown("Ready.", elem_id="ext-status")
            preview = gr.Audio(label="Preview", interactive=False)
            result = gr.Audio(
                label="Extended song", type="filepath", interactive=False, elem_id="ext-result"
            )
            files = gr.File(label="Files", file_count="multiple", interactive=False)
            send = gr.Button("Extend it again", size="sm")
            job_id, bundle, card = add_run_card(services)

    async def extend_music(
        audio: str | None = None,
        upload_url: str = "",
        custom_mode: bool = False,
        model: str = "V4_5",
        instrumental: bool = False,
        prompt: str = "",
        style: str = "",
        title: str = "",
        continue_at: float | None = None,
        negative_tags: str = "",
        vocal_gender: str = "",
        style_weight: float | None = None,
        weirdness_constraint: float | None = None,
        audio_weight: float | None = None,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        values = {
            "audio": audio,
            "upload_url": upload_url,
            "custom_mode": custom_mode,
            "model": model,
            "instrumental": instrumental,
            "prompt": prompt or "",
            "style": style or "",
            "title": title or "",
            "continue_at": continue_at,
            "negative_tags": negative_tags or "",
            "vocal_gender": vocal_gender,
            "style_weight": style_weight,
            "weirdness_constraint": weirdness_constraint,
            "audio_weight": audio_weight,
        }
        async for step in stream_steps(services, CAPABILITY, provider, values, keys, progress):
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), gr.skip(), step.job_id
            else:
                songs = step.files("audio")
                yield step.status, gr.skip(), songs[0] if songs else None, step.files(), step.job_id

    connect_tab(
        services,
        CAPABILITY,
        session_keys,
        loaded,
        provider,
        [
            ("audio", audio),
            ("upload_url", upload_url),
            ("custom_mode", custom_mode),
            ("model", model),
            ("instrumental", instrumental),
            ("prompt", prompt),
            ("style", style),
            ("title", title),
            ("continue_at", continue_at),
            ("negative_tags", negative_tags),
            ("vocal_gender", vocal_gender),
            ("style_weight", style_weight),
            ("weirdness_constraint", weirdness_constraint),
            ("audio_weight", audio_weight),
            ("provider", provider),
        ],
    )

    event = generate.click(
        extend_music,
        inputs=[
            audio,
            upload_url,
            custom_mode,
            model,
            instrumental,
            prompt,
            style,
            title,
            continue_at,
            negative_tags,
            vocal_gender,
            style_weight,
            weirdness_constraint,
            audio_weight,
            provider,
            session_keys,
        ],
        outputs=[status, preview, result, files, job_id],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    stop.click(None, None, None, cancels=[event], api_visibility="private")
    connect_run_card(services, event, job_id, bundle, card)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
