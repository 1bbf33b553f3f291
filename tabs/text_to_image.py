"""Text to image tab (A1111-style parameters), with the picture streamed as it forms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from core.requests import SAMPLERS
from tabs.common import StudioServices, or_skip, provider_dropdown, resolve_seed, stream_steps
from tabs.fields import field_dropdown, field_number, field_slider
from tabs.run_card import add_run_card, connect_run_card
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "text_to_image"

EXAMPLES = [
    ["red sunset over the sea, mountains, golden clouds"],
    ["a quiet blue lake under the moon and stars, pine forest"],
    ["金色的麦田 蓝天 白云"],
    ["夜晚的城市 紫色的天空 月亮"],
]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab("Text to image", id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            prompt = gr.Textbox(
                label="Prompt",
                lines=3,
                max_length=5000,
                placeholder="e.g. red sunset over the sea, mountains — 或中文",
            )
            negative_prompt = gr.Textbox(
                value="",
                label="Negative prompt",
                lines=2,
                max_length=5000,
                info="Offline: named elements are left out.",
            )
            with gr.Row():
                width = field_slider(
                    64, 2048, value=768, step=8, label="Width", info="64–2048, multiples of 8"
                )
                height = field_slider(
                    64, 2048, value=768, step=8, label="Height", info="64–2048, multiples of 8"
                )
            with gr.Row():
                steps = field_slider(1, 150, value=25, step=1, label="Steps")
                cfg_scale = field_slider(1, 30, value=7, step=0.5, label="CFG scale")
            with gr.Row(equal_height=True):
                seed = field_number(
                    value=-1,
                    precision=0,
                    label="Seed",
                    info="-1 = random",
                    minimum=-1,
                    maximum=2**32 - 1,
                    scale=4,
                )
                dice = gr.Button("🎲 Random", size="sm", scale=1)
                reuse = gr.Button("♻️ Reuse last", size="sm", scale=1)
            n_iter = field_slider(
                1, 8, value=1, step=1, label="Images", info="1–8; seeds seed, seed+1, …"
            )
            with gr.Accordion("Advanced", open=False):
                sampler = field_dropdown(list(SAMPLERS), value="DPM++ 2M Karras", label="Sampler")
                with gr.Row():
                    enable_hr = gr.Checkbox(label="Hires fix", value=False)
                    restore_faces = gr.Checkbox(label="Restore faces", value=False)
                with gr.Row():
                    hr_scale = field_slider(1, 4, value=2, step=0.05, label="Hires upscale")
                    hr_second_pass_steps = field_slider(
                        0, 150, value=20, step=1, label="Hires steps"
                    )
                    denoising_strength = field_slider(
                        0, 1, value=0.55, step=0.01, label="Denoising strength"
                    )
                with gr.Row():
                    checkpoint = gr.Textbox(
                        value="", label="Checkpoint", placeholder="provider default"
                    )
                    vae = gr.Textbox(value="", label="VAE", placeholder="provider default")
                    clip_skip = field_slider(1, 12, value=2, step=1, label="Clip skip")
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button("Generate", variant="primary", elem_id="tti-generate")
                stop = gr.Button("Stop", variant="stop")
            gr.Examples(EXAMPLES, inputs=[prompt], label="Try")
        with gr.Column(scale=5):
            status = gr.Markdown("Ready.", elem_id="tti-status")
            preview = gr.Image(label="Forming…", interactive=False, height=320)
            gallery = gr.Gallery(label="Images", columns=2, height=420, elem_id="tti-gallery")
            seed_used = field_number(label="Seed used", precision=0, interactive=False)
            files = gr.File(label="Files", file_count="multiple", interactive=False)
            send = gr.Button("Send first image to Image to music", size="sm")
            job_id, bundle, card = add_run_card(services)

    async def text_to_image(
        prompt: str,
        negative_prompt: str = "",
        width: int = 768,
        height: int = 768,
        steps: int = 25,
        cfg_scale: float = 7,
        sampler: str = "DPM++ 2M Karras",
        seed: int = -1,
        n_iter: int = 1,
        enable_hr: bool = False,
        hr_scale: float = 2,
        hr_second_pass_steps: int = 20,
        denoising_strength: float = 0.55,
        restore_faces: bool = False,
        checkpoint: str = "",
        vae: str = "",
        clip_skip: int = 2,
        provider: str = "offline",
        keys: dict[str, str] | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        values = {
            "prompt": prompt or "",
            "negative_prompt": negative_prompt or "",
            "width": width,
            "height": height,
            "steps": steps,
            "cfg_scale": cfg_scale,
            "sampler": sampler,
            "seed": resolve_seed(seed),
            "n_iter": n_iter,
            "enable_hr": enable_hr,
            "hr_scale": hr_scale,
            "hr_second_pass_steps": hr_second_pass_steps,
            "denoising_strength": denoising_strength,
            "restore_faces": restore_faces,
            "checkpoint": checkpoint or "",
            "vae": vae or "",
            "clip_skip": clip_skip,
        }
        async for step in stream_steps(services, CAPABILITY, provider, values, keys, progress):
            used = step.request.seed  # type: ignore[attr-defined]
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), used, gr.skip(), step.job_id
            else:
                images = step.files("image")
                yield (
                    step.status,
                    images[-1] if images else None,
                    images,
                    used,
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
            ("prompt", prompt),
            ("negative_prompt", negative_prompt),
            ("width", width),
            ("height", height),
            ("steps", steps),
            ("cfg_scale", cfg_scale),
            ("sampler", sampler),
            ("seed", seed),
            ("n_iter", n_iter),
            ("enable_hr", enable_hr),
            ("hr_scale", hr_scale),
            ("hr_second_pass_steps", hr_second_pass_steps),
            ("denoising_strength", denoising_strength),
            ("restore_faces", restore_faces),
            ("checkpoint", checkpoint),
            ("vae", vae),
            ("clip_skip", clip_skip),
            ("provider", provider),
        ],
    )

    event = generate.click(
        text_to_image,
        inputs=[
            prompt,
            negative_prompt,
            width,
            height,
            steps,
            cfg_scale,
            sampler,
            seed,
            n_iter,
            enable_hr,
            hr_scale,
            hr_second_pass_steps,
            denoising_strength,
            restore_faces,
            checkpoint,
            vae,
            clip_skip,
            provider,
            session_keys,
        ],
        outputs=[status, preview, gallery, seed_used, files, job_id],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    stop.click(None, None, None, cancels=[event], api_visibility="private")
    connect_run_card(services, event, job_id, bundle, card)
    connect_send(send, gallery, "image_to_music", "image", loaded, tabs)
    dice.click(lambda: -1, None, seed, api_visibility="private")
    reuse.click(lambda used: used, seed_used, seed, api_visibility="private")
