"""Image to music tab: a picture in, songs (or a video of the picture with its music) out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, get_args

import gradio as gr

from core.requests import SongEmotion, SongGenre
from tabs.common import StudioServices, or_skip, provider_dropdown, stream_steps
from tabs.fields import field_dropdown, field_image, field_radio, field_slider
from tabs.run_card import add_run_card, connect_run_card
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "image_to_music"


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab("Image to music", id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            image = field_image(
                label="Image (png, jpg, webp)",
                type="filepath",
                sources=["upload", "clipboard"],
                elem_id="itm-image",
            )
            image_url = gr.Textbox(
                value="",
                label="…or an image URL",
                placeholder="https://…",
                info="Remote providers fetch the picture from a URL.",
            )
            with gr.Row():
                song_quantity = field_slider(1, 100, value=1, step=1, label="Songs", info="1–100")
                output_type = field_radio(
                    ["mp3", "mp4"],
                    value="mp3",
                    label="Output",
                    info="mp4: the picture with its music",
                )
            with gr.Accordion("Mood and style", open=False):
                emotion = field_dropdown(
                    ["", *get_args(SongEmotion)],
                    value="",
                    label="Emotion",
                    info="Empty: read from the picture. WARM and ANGRY need MULTITRACK.",
                )
                genre = field_dropdown(
                    ["", *get_args(SongGenre)],
                    value="",
                    label="Genre",
                    info="Empty: read from the picture. Not with MULTITRACK.",
                )
                song_type = field_radio(
                    ["LARGE_MODEL", "MULTITRACK"], value="LARGE_MODEL", label="Song type"
                )
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button("Generate", variant="primary", elem_id="itm-generate")
                stop = gr.Button("Stop", variant="stop")
        with gr.Column(scale=5):
            status = gr.Markdown("Ready.", elem_id="itm-status")
            preview = gr.Audio(label="Preview", interactive=False)
            result = gr.Audio(
                label="First song", type="filepath", interactive=False, elem_id="itm-result"
            )
            video = gr.Video(label="Video", interactive=False)
            files = gr.File(label="All files", file_count="multiple", interactive=False)
            send = gr.Button("Send to Extend a song", size="sm")
            job_id, bundle, card = add_run_card(services)

    async def image_to_music(
        image: str | None = None,
        image_url: str = "",
        song_quantity: int = 1,
        output_type: str = "mp3",
        emotion: str = "",
        genre: str = "",
        song_type: str = "LARGE_MODEL",
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        values = {
            "image": image,
            "image_url": image_url,
            "song_quantity": song_quantity,
            "output_type": output_type,
            "emotion": emotion,
            "genre": genre,
            "song_type": song_type,
        }
        async for step in stream_steps(services, CAPABILITY, provider, values, keys, progress):
            if step.outputs is None:
                yield (
                    step.status,
                    or_skip(step.preview),
                    gr.skip(),
                    gr.skip(),
                    gr.skip(),
                    step.job_id,
                )
                continue
            songs, videos = step.files("audio"), step.files("video")
            yield (
                step.status,
                gr.skip(),
                songs[0] if songs else None,
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
            ("image", image),
            ("image_url", image_url),
            ("song_quantity", song_quantity),
            ("output_type", output_type),
            ("emotion", emotion),
            ("genre", genre),
            ("song_type", song_type),
            ("provider", provider),
        ],
    )

    event = generate.click(
        image_to_music,
        inputs=[
            image,
            image_url,
            song_quantity,
            output_type,
            emotion,
            genre,
            song_type,
            provider,
            session_keys,
        ],
        outputs=[status, preview, result, video, files, job_id],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    stop.click(None, None, None, cancels=[event], api_visibility="private")
    connect_run_card(services, event, job_id, bundle, card)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
