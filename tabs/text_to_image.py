"""Text to image tab (A1111-style parameters), with the picture streamed as it forms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import gradio as gr

from core.requests import SAMPLERS
from tabs.common import (
    StudioServices,
    add_examples,
    default_provider,
    or_skip,
    provider_dropdown,
    resolve_seed,
    stream_steps,
)
from tabs.fields import field_dropdown, field_number, field_slider
from tabs.i18n import i18n
from tabs.provider_fields import connect_provider_fields, shown
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.wiring import connect_send, connect_tab

CAPABILITY = "text_to_image"

# prompt, negative prompt: colours attach to the scene nouns; a negative prompt leaves things out.
EXAMPLES_EN = [
    ["red sunset over the sea, mountains, golden clouds", ""],
    ["a quiet blue lake under the moon and stars, pine forest", ""],
    ["snowy mountains at dawn, pink sky, river", "forest, clouds"],
    ["purple night city skyline, full moon", "stars"],
]
EXAMPLES_ZH = [
    ["金色的麦田 蓝天 白云", ""],
    ["夜晚的城市 紫色的天空 月亮", ""],
    ["春天的花海 粉色的樱花 远山", "城市 云"],
    ["雪山 日出 蓝色的湖", "森林"],
]


def build(
    services: StudioServices,
    session_keys: gr.State,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    with gr.Tab(i18n("tab_text_to_image"), id=CAPABILITY), gr.Row():
        with gr.Column(scale=5):
            prompt = gr.Textbox(
                label=i18n("prompt"),
                lines=3,
                max_length=5000,
                placeholder=i18n("tti_prompt_placeholder"),
                elem_id="tti-prompt",
            )
            negative_prompt = gr.Textbox(
                value="",
                label=i18n("tti_negative_prompt"),
                lines=2,
                max_length=5000,
                info=i18n("tti_negative_info"),
                elem_id="tti-negative-prompt",
            )
            with gr.Row():
                width = field_slider(
                    64,
                    2048,
                    value=768,
                    step=8,
                    label=i18n("tti_width"),
                    info=i18n("tti_size_info"),
                )
                height = field_slider(
                    64,
                    2048,
                    value=768,
                    step=8,
                    label=i18n("tti_height"),
                    info=i18n("tti_size_info"),
                )
            with gr.Row():
                steps = field_slider(1, 150, value=25, step=1, label=i18n("steps"))
                cfg_scale = field_slider(1, 30, value=7, step=0.5, label=i18n("tti_cfg_scale"))
            with gr.Row(equal_height=True):
                seed = field_number(
                    value=-1,
                    precision=0,
                    label=i18n("seed"),
                    info=i18n("seed_info"),
                    minimum=-1,
                    maximum=2**32 - 1,
                    scale=4,
                )
                dice = gr.Button(i18n("seed_random"), size="sm", scale=1)
                reuse = gr.Button(i18n("seed_reuse"), size="sm", scale=1)
            n_iter = field_slider(
                1, 8, value=1, step=1, label=i18n("tti_images"), info=i18n("tti_images_info")
            )
            picked = default_provider(services, CAPABILITY)

            def visible(name: str) -> bool:
                return shown(CAPABILITY, picked, name)

            with gr.Accordion(i18n("advanced"), open=False):
                sampler = field_dropdown(
                    list(SAMPLERS), value="DPM++ 2M Karras", label=i18n("tti_sampler")
                )
                with gr.Row():
                    enable_hr = gr.Checkbox(label=i18n("tti_hires"), value=False)
                    restore_faces = gr.Checkbox(
                        label=i18n("tti_restore_faces"),
                        value=False,
                        visible=visible("restore_faces"),
                    )
                with gr.Row():
                    hr_scale = field_slider(1, 4, value=2, step=0.05, label=i18n("tti_hr_scale"))
                    hr_second_pass_steps = field_slider(
                        0, 150, value=20, step=1, label=i18n("tti_hr_steps")
                    )
                    denoising_strength = field_slider(
                        0, 1, value=0.55, step=0.01, label=i18n("tti_denoising")
                    )
                with gr.Row():
                    checkpoint = gr.Textbox(
                        value="",
                        label=i18n("tti_checkpoint"),
                        placeholder=i18n("provider_default"),
                        visible=visible("checkpoint"),
                    )
                    vae = gr.Textbox(
                        value="",
                        label=i18n("tti_vae"),
                        placeholder=i18n("provider_default"),
                        visible=visible("vae"),
                    )
                    clip_skip = field_slider(
                        1,
                        12,
                        value=2,
                        step=1,
                        label=i18n("tti_clip_skip"),
                        visible=visible("clip_skip"),
                    )
                offline_note = gr.Markdown(
                    i18n("tti_offline_note"),
                    visible=visible("offline_note"),
                    elem_id="tti-offline-note",
                )
            provider = provider_dropdown(services, CAPABILITY)
            with gr.Row():
                generate = gr.Button(i18n("generate"), variant="primary", elem_id="tti-generate")
                stop = gr.Button(i18n("stop"), variant="stop", elem_id="tti-stop")
            add_examples(
                EXAMPLES_EN,
                EXAMPLES_ZH,
                [prompt, negative_prompt],
                ["prompt", "tti_negative_prompt"],
                "tti",
            )
        with gr.Column(scale=5):
            status = gr.Markdown(i18n("ready"), elem_id="tti-status")
            preview = gr.Image(
                label=i18n("tti_forming"), interactive=False, height=320, elem_id="tti-preview"
            )
            gallery = gr.Gallery(
                label=i18n("tti_gallery"), columns=2, height=420, elem_id="tti-gallery"
            )
            seed_used = field_number(label=i18n("seed_used"), precision=0, interactive=False)
            files = gr.File(label=i18n("files"), file_count="multiple", interactive=False)
            send = gr.Button(i18n("tti_send"), size="sm")
            bundle, card = add_run_card(services)

    connect_provider_fields(
        CAPABILITY,
        provider,
        {
            "restore_faces": restore_faces,
            "checkpoint": checkpoint,
            "vae": vae,
            "clip_skip": clip_skip,
            "offline_note": offline_note,
        },
    )

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
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(),
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Paint pictures from a text prompt, streaming them as they form (A1111 parameters).

        Args:
            prompt: What to paint, in English or Chinese; 1 to 5000 characters.
            negative_prompt: What to leave out.
            width: Width in pixels, 64 to 2048, a multiple of 8.
            height: Height in pixels, 64 to 2048, a multiple of 8.
            steps: Sampling steps, 1 to 150.
            cfg_scale: Prompt strength, 1 to 30.
            sampler: Sampler name, e.g. "DPM++ 2M Karras", "Euler a".
            seed: -1 for random, or 0 to 4294967295; image k uses seed + k.
            n_iter: Number of images, 1 to 8.
            enable_hr: True to upscale with a second (hires) pass.
            hr_scale: Hires upscale factor, 1 to 4.
            hr_second_pass_steps: Steps of the hires pass, 0 to 150.
            denoising_strength: How much the hires pass changes the picture, 0 to 1.
            restore_faces: Face restoration (Img Open).
            checkpoint: Model checkpoint name (Img Open); empty for the default.
            vae: VAE name (Img Open); empty for the default.
            clip_skip: CLIP layers to skip, 1 to 12.
            provider: "offline" (no key needed) or "imgopen" when configured.
        """
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
        async for step in stream_steps(
            services, CAPABILITY, provider, values, keys, progress, request
        ):
            used = step.request.seed  # type: ignore[attr-defined]
            if step.outputs is None:
                yield step.status, or_skip(step.preview), gr.skip(), used, gr.skip()
            else:
                images = step.files("image")
                yield (step.status, images[-1] if images else None, images, used, step.files())

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
        outputs=[status, preview, gallery, seed_used, files],
        api_name=CAPABILITY,
        show_progress_on=[status],
        concurrency_limit=services.settings.studio_event_concurrency,
    )
    connect_run_card(services, CAPABILITY, event, bundle, card)
    connect_stop(services, CAPABILITY, stop, event, status)
    connect_send(send, gallery, "image_to_music", "image", loaded, tabs)
    dice.click(lambda: -1, None, seed, api_visibility="private")
    reuse.click(lambda used: used, seed_used, seed, api_visibility="private")
