"""Image to music tab: a picture in, songs (or a video of the picture with its music) out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, get_args

import gradio as gr

from core.requests import SongEmotion, SongGenre
from tabs.common import (
    StudioServices,
    add_examples,
    default_provider,
    or_skip,
    provider_dropdown,
    stream_steps,
)
from tabs.example_assets import AUTUMN_FOREST, NIGHT_SEA, SUNNY_FIELD
from tabs.fields import field_dropdown, field_image, field_radio, field_slider
from tabs.i18n import bilingual, i18n
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "image_to_music"
# image, songs, output, emotion, genre, song type: the same picture reading, different asks.
EXAMPLES = [
    [str(SUNNY_FIELD), 1, "mp3", "", "", "LARGE_MODEL"],
    [str(NIGHT_SEA), 1, "mp4", "QUIET", "", "LARGE_MODEL"],
    [str(AUTUMN_FOREST), 2, "mp3", "", "CHINA", "LARGE_MODEL"],
    [str(SUNNY_FIELD), 1, "mp3", "WARM", "", "MULTITRACK"],
]


def needs_public_url_hint(services: StudioServices, provider: str | None) -> bool:
    """Tencent reads the picture from a URL: without a public address an upload cannot reach it."""
    settings = services.settings
    return provider == "tencent" and not (settings.public_url or settings.studio_sandbox)


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab(i18n("tab_image_to_music"), id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            image = field_image(
                label=i18n("itm_image"),
                type="filepath",
                sources=["upload", "clipboard"],
                elem_id="itm-image",
            )
            url_hint = gr.Markdown(
                i18n("itm_tencent_hint"),
                visible=needs_public_url_hint(services, default_provider(services, CAPABILITY)),
                elem_id="itm-url-hint",
            )
            image_url = gr.Textbox(
                value="",
                label=i18n("itm_image_url"),
                placeholder="https://…",
                info=i18n("itm_image_url_info"),
                elem_id="itm-image-url",
            )
            with gr.Row():
                song_quantity = field_slider(
                    1, 100, value=1, step=1, label=i18n("itm_songs"), info=i18n("itm_songs_info")
                )
                output_type = field_radio(
                    ["mp3", "mp4"],
                    value="mp3",
                    label=i18n("itm_output"),
                    info=i18n("itm_output_info"),
                )
            with gr.Accordion(i18n("itm_mood_style"), open=False):
                emotion = field_dropdown(
                    [
                        (bilingual("itm_from_picture"), ""),
                        *((bilingual(f"emotion_{name}"), name) for name in get_args(SongEmotion)),
                    ],
                    value="",
                    label=i18n("itm_emotion"),
                    info=i18n("itm_emotion_info"),
                )
                genre = field_dropdown(
                    [
                        (bilingual("itm_from_picture"), ""),
                        *((bilingual(f"genre_{name}"), name) for name in get_args(SongGenre)),
                    ],
                    value="",
                    label=i18n("itm_genre"),
                    info=i18n("itm_genre_info"),
                )
                song_type = field_radio(
                    [
                        (bilingual("itm_song_type_large"), "LARGE_MODEL"),
                        (bilingual("itm_song_type_multi"), "MULTITRACK"),
                    ],
                    value="LARGE_MODEL",
                    label=i18n("itm_song_type"),
                )
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button(i18n("generate"), variant="primary", elem_id="itm-generate")
                stop = gr.Button(i18n("stop"), variant="stop", elem_id="itm-stop")
            add_examples(
                EXAMPLES,
                None,
                [image, song_quantity, output_type, emotion, genre, song_type],
                [
                    "ex_image",
                    "itm_songs",
                    "itm_output",
                    "itm_emotion",
                    "itm_genre",
                    "itm_song_type",
                ],
                "itm",
            )
        with gr.Column(scale=5):
            status = gr.Markdown(i18n("ready"), elem_id="itm-status")
            preview = gr.Audio(label=i18n("preview"), interactive=False, elem_id="itm-preview")
            result = gr.Audio(
                label=i18n("itm_first_song"),
                type="filepath",
                interactive=False,
                elem_id="itm-result",
            )
            video = gr.Video(label=i18n("itm_video"), interactive=False, elem_id="itm-video")
            files = gr.File(label=i18n("all_files"), file_count="multiple", interactive=False)
            send = gr.Button(i18n("send_to_extend"), size="sm")
            bundle, card = add_run_card(services)

    def show_url_hint(chosen: str | None) -> Any:
        return gr.update(visible=needs_public_url_hint(services, chosen))

    provider.change(show_url_hint, provider, url_hint, api_visibility="private")

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
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Compose music for a picture: its brightness, colours and busyness set the mood.

        Args:
            image: The picture (png, jpg or webp); give this or image_url.
            image_url: An http(s) address of the picture; give this or image.
            song_quantity: How many different songs to make, 1 to 100.
            output_type: "mp3" for audio, "mp4" for a video of the picture with its music.
            emotion: Empty to read it from the picture, or one of HAPPY, SAD, ROMANTIC, QUIET,
                LAZY, EXCITING, MAGNIFICENT, FUNNY, FEAR (WARM and ANGRY need MULTITRACK).
            genre: Empty to read it from the picture, or POP, CLASSICAL, CHINA, SOFT, JAZZ
                (not with MULTITRACK).
            song_type: "LARGE_MODEL" (default) or "MULTITRACK".
            provider: "offline" (no key needed) or "tencent" when configured.
        """
        values = {
            "image": image,
            "image_url": image_url,
            "song_quantity": song_quantity,
            "output_type": output_type,
            "emotion": emotion,
            "genre": genre,
            "song_type": song_type,
        }
        async for step in stream_steps(
            services, CAPABILITY, provider, values, keys, progress, request
        ):
            if step.outputs is None:
                yield (step.status, or_skip(step.preview), gr.skip(), gr.skip(), gr.skip())
                continue
            songs, videos = step.files("audio"), step.files("video")
            yield (
                step.status,
                gr.skip(),
                songs[0] if songs else None,
                videos[0] if videos else None,
                step.files(),
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
        outputs=[status, preview, result, video, files],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    connect_run_card(services, CAPABILITY, event, bundle, card)
    connect_stop(services, CAPABILITY, stop, event, status)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
