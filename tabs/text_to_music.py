"""Text to music tab: a prompt in, a song out, with the piece-so-far streamed while it renders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from core.requests import TextToMusicRequest
from tabs.common import StudioServices, or_skip, provider_dropdown, resolve_seed, stream_steps
from tabs.fields import field_number, field_slider
from tabs.run_card import add_run_card, connect_run_card
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "text_to_music"
_LIMITS = TextToMusicRequest.model_fields

EXAMPLES = [
    ["calm lofi piano in A minor, 80 bpm", 20],
    ["upbeat pop in G major at 120 bpm with drums and bass", 20],
    ["epic orchestral strings, dark, 每分钟90拍", 25],
    ["欢快的国风笛子 D大调 每分钟110拍", 20],
    ["悲伤的钢琴曲 c小调 每分钟70拍", 20],
]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab("Text to music", id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            prompt = gr.Textbox(
                label="Prompt",
                lines=3,
                max_length=2000,
                placeholder="e.g. calm lofi piano in A minor, 80 bpm — or 欢快的流行歌 G大调",
                info="Tempo (“90 bpm”, “每分钟90拍”), key (“A minor”, “G大调”), mood and "
                "instruments are understood in English and Chinese.",
            )
            seconds = field_slider(1, 50, value=30, step=0.5, label="Seconds", info="1 to 50")
            with gr.Accordion("Advanced", open=False):
                steps = field_slider(
                    10,
                    100,
                    value=50,
                    step=1,
                    label="Steps",
                    info="10–100. Offline: arrangement detail (layers, fills, ornaments).",
                )
                cfg = field_slider(
                    1,
                    15,
                    value=7.0,
                    step=0.1,
                    label="CFG",
                    info="1–15 in steps of 0.1. Offline: how strictly prompt words override "
                    "the seed's own choices.",
                )
            with gr.Row(equal_height=True):
                seed = field_number(
                    value=-1,
                    precision=0,
                    label="Seed",
                    info="-1 = random",
                    scale=4,
                    minimum=-1,
                    maximum=2**32 - 1,
                )
                dice = gr.Button("🎲 Random", scale=1, size="sm")
                reuse = gr.Button("♻️ Reuse last", scale=1, size="sm")
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button("Generate", variant="primary", elem_id="ttm-generate")
                stop = gr.Button("Stop", variant="stop", elem_id="ttm-stop")
            gr.Examples(EXAMPLES, inputs=[prompt, seconds], label="Try")
        with gr.Column(scale=5):
            status = gr.Markdown("Ready.", elem_id="ttm-status")
            preview = gr.Audio(
                label="Preview — the piece so far", interactive=False, elem_id="ttm-preview"
            )
            result = gr.Audio(
                label="Result", type="filepath", interactive=False, elem_id="ttm-result"
            )
            seed_used = field_number(label="Seed used", precision=0, interactive=False)
            files = gr.File(label="Files", file_count="multiple", interactive=False)
            send = gr.Button("Send to Extend a song", size="sm")
            job_id, bundle, card = add_run_card(services)

    async def text_to_music(
        prompt: str,
        seconds: float = 30,
        steps: int = 50,
        cfg: float = 7.0,
        seed: int = -1,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        values = {
            "prompt": prompt or "",
            "seconds": seconds,
            "steps": steps,
            "cfg": cfg,
            "seed": resolve_seed(seed),
        }
        async for step in stream_steps(services, CAPABILITY, provider, values, keys, progress):
            seed_value = step.request.seed  # type: ignore[attr-defined]
            if step.outputs is not None:
                files = step.files()
                yield step.status, gr.skip(), files[0], seed_value, files, step.job_id
            else:
                yield (
                    step.status,
                    or_skip(step.preview),
                    gr.skip(),
                    seed_value,
                    gr.skip(),
                    step.job_id,
                )

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
        outputs=[status, preview, result, seed_used, files, job_id],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    stop.click(None, None, None, cancels=[event], api_visibility="private")
    connect_run_card(services, event, job_id, bundle, card)
    connect_send(send, result, "extend_music", "audio", loaded, tabs)
    dice.click(lambda: -1, None, seed, api_visibility="private")
    reuse.click(lambda used: used, seed_used, seed, api_visibility="private")
