"""Offline text to image: paint `n_iter` pictures (seeds seed, seed+1, …) with diffusion-like previews."""

from __future__ import annotations

import itertools

from PIL import Image

from core.messages import Text, msg
from core.provider import Artifact, JobContext
from core.requests import StudioRequest, TextToImageRequest
from providers.offline.image.infotext import format_infotext, save_png_with_infotext
from providers.offline.image.painter import ENGINE_NAME, hires, paint, understanding
from providers.offline.naming import output_name
from providers.offline.runs import EngineRun

PREVIEWS_PER_IMAGE = 6
PREVIEW_SIDE = 512  # previews are for the eye; a smaller file streams faster


def _small(image: Image.Image) -> Image.Image:
    shown = image.copy()
    shown.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    return shown


def run_text_to_image(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
    assert isinstance(request, TextToImageRequest)
    previews = ctx.work_dir / "previews"
    previews.mkdir(parents=True, exist_ok=True)
    share = 100.0 / request.n_iter
    stages = itertools.count(1)
    # Which prompt words the painter drew from, and which it could not (for the run card).
    words = understanding(request.prompt)
    for index in range(request.n_iter):
        seed = (request.seed + index) % 2**32

        def on_progress(
            fraction: float, message: Text, image: Image.Image | None, index: int = index
        ) -> None:
            percent = share * index + share * fraction * (0.85 if request.enable_hr else 0.95)
            path = None
            if image is not None:
                path = previews / f"image{index + 1}-stage{next(stages):03d}.jpg"
                _small(image).save(path, quality=85)
            step = msg("image_step", index=index + 1, count=request.n_iter, step=message)
            run.update(percent, step, path, "image" if path else None)

        picture = paint(
            request.prompt,
            request.negative_prompt,
            request.width,
            request.height,
            seed,
            request.steps,
            request.cfg_scale,
            request.sampler,
            previews=PREVIEWS_PER_IMAGE,
            on_progress=on_progress,
            should_stop=run.should_stop,
        )
        if request.enable_hr:
            run.update(share * index + share * 0.9, msg("image_hires_pass", index=index + 1))
            picture = hires(
                picture,
                request.hr_scale,
                request.hr_second_pass_steps,
                request.denoising_strength,
                seed,
            )
        params = {
            **request.public_params(),
            "seed": seed,
            "extra": {"Engine": ENGINE_NAME, "Job": ctx.job_id},
        }
        if not request.checkpoint:
            params["checkpoint"] = ENGINE_NAME
        path = save_png_with_infotext(
            picture,
            ctx.work_dir / output_name(request.prompt, seed, "png"),
            format_infotext(params),
        )
        # Each picture is the job's as soon as it is saved: a Stop keeps the ones made.
        run.keep(
            Artifact(
                kind="image",
                name=path.name,
                path=path,
                metadata={
                    "seed": seed,
                    "width": picture.width,
                    "height": picture.height,
                    "understood": words["understood"],
                    "not_understood": words["not_understood"],
                },
            )
        )
