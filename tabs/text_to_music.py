"""Text to music tab: a prompt in, a song out, with the piece-so-far streamed while it renders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from core.requests import TextToMusicRequest
from tabs.common import (
    StudioServices,
    add_examples,
    or_skip,
    provider_dropdown,
    resolve_seed,
    stream_steps,
)
from tabs.fields import field_number, field_slider
from tabs.i18n import i18n
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "text_to_music"
_LIMITS = TextToMusicRequest.model_fields

# Each shows a part of what the prompt reader understands: tempo, key, mood, genre, instruments.
EXAMPLES_EN = [
    ["calm lofi piano in A minor, 80 bpm", 20],
    ["upbeat pop in G major at 120 bpm with drums and bass", 20],
    ["epic orchestral strings and brass in D minor, slow, cinematic", 25],
    ["happy jazz in F major with rhodes, bass and drums, 130 bpm", 15],
    ["dreamy ambient synth pads in E major, 70 bpm", 30],
]
EXAMPLES_ZH = [
    ["欢快的国风笛子 D大调 每分钟110拍", 20],
    ["悲伤的钢琴曲 c小调 每分钟70拍", 20],
    ["史诗电影配乐 弦乐和铜管 d小调 慢速", 25],
    ["快乐的爵士 电钢琴 贝斯和鼓 F大调 每分钟一百二十拍", 15],
    ["安静的古风 古筝和二胡 A小调", 30],
]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab(i18n("tab_text_to_music"), id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            prompt = gr.Textbox(
                label=i18n("prompt"),
                lines=3,
                max_length=2000,
                placeholder=i18n("ttm_prompt_placeholder"),
                info=i18n("ttm_prompt_info"),
                elem_id="ttm-prompt",
            )
            seconds = field_slider(
                1, 50, value=30, step=0.5, label=i18n("ttm_seconds"), info=i18n("ttm_seconds_info")
            )
            with gr.Accordion(i18n("advanced"), open=False):
                steps = field_slider(
                    10, 100, value=50, step=1, label=i18n("steps"), info=i18n("ttm_steps_info")
                )
                cfg = field_slider(
                    1, 15, value=7.0, step=0.1, label=i18n("ttm_cfg"), info=i18n("ttm_cfg_info")
                )
            with gr.Row(equal_height=True):
                seed = field_number(
                    value=-1,
                    precision=0,
                    label=i18n("seed"),
                    info=i18n("seed_info"),
                    scale=4,
                    minimum=-1,
                    maximum=2**32 - 1,
                )
                dice = gr.Button(i18n("seed_random"), scale=1, size="sm")
                reuse = gr.Button(i18n("seed_reuse"), scale=1, size="sm")
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button(i18n("generate"), variant="primary", elem_id="ttm-generate")
                stop = gr.Button(i18n("stop"), variant="stop", elem_id="ttm-stop")
            add_examples(
                EXAMPLES_EN, EXAMPLES_ZH, [prompt, seconds], ["prompt", "ttm_seconds"], "ttm"
            )
        with gr.Column(scale=5):
            status = gr.Markdown(i18n("ready"), elem_id="ttm-status")
            preview = gr.Audio(label=i18n("ttm_preview"), interactive=False, elem_id="ttm-preview")
            result = gr.Audio(
                label=i18n("ttm_result"), type="filepath", interactive=False, elem_id="ttm-result"
            )
            seed_used = field_number(label=i18n("seed_used"), precision=0, interactive=False)
            files = gr.File(label=i18n("files"), file_count="multiple", interactive=False)
            send = gr.Button(i18n("send_to_extend"), size="sm")
            bundle, card = add_run_card(services)

    async def text_to_music(
        prompt: str,
        seconds: float = 30,
        steps: int = 50,
        cfg: float = 7.0,
        seed: int = -1,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Make music from a text prompt (English or Chinese) and stream it as it renders.

        Args:
            prompt: What the music should be: mood, genre, instruments, tempo ("90 bpm",
                "每分钟90拍") and key ("A minor", "G大调"); 1 to 2000 characters.
            seconds: Length of the music in seconds, 1.0 to 50.0.
            steps: Generation steps, 10 to 100 (offline: arrangement detail).
            cfg: Prompt strength, 1 to 15 in steps of 0.1 (offline: how strictly prompt words
                override the seed's own choices).
            seed: -1 for a random seed, or 0 to 4294967295 to reproduce a result.
            provider: "offline" (no key needed) or "imgopen" when configured.
        """
        values = {
            "prompt": prompt or "",
            "seconds": seconds,
            "steps": steps,
            "cfg": cfg,
            "seed": resolve_seed(seed),
        }
        async for step in stream_steps(
            services, CAPABILITY, provider, values, keys, progress, request
        ):
            seed_value = step.request.seed  # type: ignore[attr-defined]
            if step.outputs is not None:
                files = step.files()
                yield step.status, gr.skip(), files[0], seed_value, files
            else:
                yield (step.status, or_skip(step.preview), gr.skip(), seed_value, gr.skip())

    connect_tab(
        services,
        CAPABILITY,
        session_keys,
        loaded,
        provider,
        [
            ("prompt", prompt),
            ("seconds", seconds),
            ("steps", steps),
            ("cfg", cfg),
            ("seed", seed),
            ("provider", provider),
        ],
    )

    event = generate.click(
        text_to_music,
        inputs=[prompt, seconds, steps, cfg, seed, provider, session_keys],
        outputs=[status, preview, result, seed_used, files],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    connect_run_card(services, CAPABILITY, event, bundle, card)
    connect_stop(services, CAPABILITY, stop, event, status)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
    dice.click(lambda: -1, None, seed, api_visibility="private")
    reuse.click(lambda used: used, seed_used, seed, api_visibility="private")
