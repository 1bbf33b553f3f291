"""Extend a song tab: keep the start of a song, continue it in its own key and tempo."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, get_args

import gradio as gr

from core.requests import SunoModel
from tabs.common import (
    StudioServices,
    add_examples,
    default_provider,
    or_skip,
    provider_dropdown,
    stream_steps,
)
from tabs.example_assets import SHORT_SONG
from tabs.fields import field_dropdown, field_number, field_radio
from tabs.i18n import i18n
from tabs.provider_fields import connect_provider_fields, shown
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "extend_music"
# audio, prompt, custom mode, instrumental, style, title, continue at (the song is 7 s long).
EXAMPLES_EN = [
    [str(SHORT_SONG), "continue with a brighter chorus and more drums", False, False, "", "", None],
    [str(SHORT_SONG), "", True, True, "jazz, piano trio", "Night Drive", 5.0],
]
EXAMPLES_ZH = [
    [str(SHORT_SONG), "接着写一段更明亮的副歌，鼓点更密", False, False, "", "", None],
    [str(SHORT_SONG), "", True, True, "古典 钢琴 弦乐", "夜曲", 4.0],
]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab(i18n("tab_extend_music"), id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            picked = default_provider(services, CAPABILITY)

            def visible(name: str) -> bool:
                return shown(CAPABILITY, picked, name)

            audio = gr.Audio(
                label=i18n("ext_audio"),
                type="filepath",
                sources=["upload"],
                elem_id="ext-audio",
            )
            upload_url = gr.Textbox(value="", label=i18n("ext_upload_url"), placeholder="https://…")
            prompt = gr.Textbox(
                value="",
                label=i18n("prompt"),
                lines=2,
                info=i18n("ext_prompt_info"),
                elem_id="ext-prompt",
            )
            with gr.Row():
                custom_mode = gr.Checkbox(
                    label=i18n("ext_custom_mode"), value=False, info=i18n("ext_custom_mode_info")
                )
                instrumental = gr.Checkbox(label=i18n("ext_instrumental"), value=False)
            with gr.Row():
                style = gr.Textbox(
                    value="", label=i18n("ext_style"), placeholder=i18n("ext_style_placeholder")
                )
                title = gr.Textbox(value="", label=i18n("ext_title"))
            continue_at = field_number(
                label=i18n("ext_continue_at"), value=None, info=i18n("ext_continue_at_info")
            )
            suno_hint = gr.Markdown(
                i18n("ext_suno_model_hint"), visible=visible("suno_hint"), elem_id="ext-suno-hint"
            )
            model = field_dropdown(
                list(get_args(SunoModel)),
                value="V4_5",
                label=i18n("ext_model"),
                info=i18n("ext_model_info"),
                visible=visible("model"),
            )
            with gr.Accordion(i18n("advanced"), open=False, visible=visible("advanced")) as more:
                negative_tags = gr.Textbox(
                    value="",
                    label=i18n("ext_negative_tags"),
                    placeholder=i18n("ext_negative_tags_placeholder"),
                )
                vocal_gender = field_radio(
                    [
                        (i18n("ext_vocal_any"), ""),
                        (i18n("ext_vocal_m"), "m"),
                        (i18n("ext_vocal_f"), "f"),
                    ],
                    value="",
                    label=i18n("ext_vocal_gender"),
                )
                style_weight = field_number(label=i18n("ext_style_weight"), value=None, step=0.01)
                weirdness_constraint = field_number(
                    label=i18n("ext_weirdness"), value=None, step=0.01
                )
                audio_weight = field_number(label=i18n("ext_audio_weight"), value=None, step=0.01)
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button(
                    i18n("ext_generate"), variant="primary", elem_id="ext-generate"
                )
                stop = gr.Button(i18n("stop"), variant="stop", elem_id="ext-stop")
            add_examples(
                EXAMPLES_EN,
                EXAMPLES_ZH,
                [audio, prompt, custom_mode, instrumental, style, title, continue_at],
                [
                    "ex_song",
                    "prompt",
                    "ext_custom_mode",
                    "ext_instrumental",
                    "ext_style",
                    "ext_title",
                    "ext_continue_at",
                ],
                "ext",
            )
        with gr.Column(scale=5):
            status = gr.Markdown(i18n("ready"), elem_id="ext-status")
            preview = gr.Audio(label=i18n("preview"), interactive=False, elem_id="ext-preview")
            result = gr.Audio(
                label=i18n("ext_result"), type="filepath", interactive=False, elem_id="ext-result"
            )
            files = gr.File(label=i18n("files"), file_count="multiple", interactive=False)
            send = gr.Button(i18n("ext_again"), size="sm")
            bundle, card = add_run_card(services)

    # The Suno-only fields sit in the Advanced accordion, so hiding them hides it whole.
    connect_provider_fields(
        CAPABILITY, provider, {"suno_hint": suno_hint, "model": model, "advanced": more}
    )

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
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Extend a song: keep its start as it is and continue it in its own key and tempo.

        Args:
            audio: The song (wav, mp3, flac or ogg, at most 8 minutes); give this or upload_url.
            upload_url: An http(s) address of the song; give this or audio.
            custom_mode: True to set style, title and continue_at yourself (Suno's custom mode).
            model: V3_5, V4, V4_5, V4_5PLUS or V5; must match the source song's model.
            instrumental: True for music without vocals.
            prompt: How to continue (default mode), or the lyrics (custom mode, unless
                instrumental); at most 3000 or 5000 characters depending on the model.
            style: Music style (custom mode), e.g. "jazz".
            title: Title of the result (custom mode).
            continue_at: Second at which the continuation starts: more than 0 and less than
                the song's length (required in custom mode).
            negative_tags: Styles to avoid.
            vocal_gender: "m", "f" or empty.
            style_weight: 0 to 1 in steps of 0.01, or empty to leave it to the provider.
            weirdness_constraint: 0 to 1 in steps of 0.01, or empty.
            audio_weight: 0 to 1 in steps of 0.01, or empty.
            provider: "offline" (no key needed) or "suno" when configured.
        """
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
        async for step in stream_steps(
            services, CAPABILITY, provider, values, keys, progress, request
        ):
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), gr.skip()
            else:
                songs = step.files("audio")
                yield step.status, gr.skip(), songs[0] if songs else None, step.files()

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
        outputs=[status, preview, result, files],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    connect_run_card(services, CAPABILITY, event, bundle, card)
    connect_stop(services, CAPABILITY, stop, event, status)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
