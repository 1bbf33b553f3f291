"""The offline text-to-image engine: a seeded procedural landscape painter.

It stands in for Img Open's Stable Diffusion when no key is configured (docs/offline.md#painter).
The prompt is read for scene elements, moods and colours (English and Chinese, see
painter_words); the seed chooses the composition; the picture is drawn with numpy; previews
imitate a diffusion model's intermediate images, from noise to the final picture.

What the SD parameters mean here:
- `steps`: detail. More steps resolve more octaves of fractal detail (ridges, clouds,
  textures): 2 + steps // 8 octaves, from 2 to 7. Preview messages count sampling steps.
- `cfg_scale`: how strongly the prompt is followed. At 7 a prompt's colours replace the
  mood's own colours fully; lower values blend them with it (weaker guidance), and the
  picture's saturation and contrast grow with cfg (washed out at 1, vivid above 10).
- `sampler`: ancestral and SDE samplers ("Euler a", "… SDE …") leave a fine seeded film
  grain, as their stochastic sampling does; "Karras" samplers follow the Karras noise
  schedule in the previews (noise clears late, then fast); the others clear linearly.
- `seed`: the composition (horizon, positions, counts, sizes) and every texture.
Same arguments give identical pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image, ImageFilter

from providers.offline.cancel import EngineCancelled, check_stop
from providers.offline.image import backdrops, composition, draw_subjects, styles
from providers.offline.image import painter_draw as draw
from providers.offline.image.colours import remove_colours
from providers.offline.image.infotext import format_infotext
from providers.offline.image.painter_scene import Scene, compose, element_rng
from providers.offline.image.reading import read
from providers.offline.image.subjects import vocabulary

__all__ = ["ENGINE_NAME", "EngineCancelled", "describe", "hires", "paint", "understanding"]

ENGINE_NAME = "offline-painter-v2"
ProgressCallback = Callable[[float, str, "Image.Image | None"], None]

# Karras et al. (2022) schedule constants, as SD's k-diffusion samplers use them.
_SIGMA_MAX, _SIGMA_MIN, _RHO = 14.6, 0.03, 7.0


def describe(
    prompt: str,
    negative_prompt: str = "",
    *,
    width: int = 512,
    height: int = 512,
    seed: int = 0,
    steps: int = 25,
    cfg_scale: float = 7.0,
    sampler: str = "DPM++ 2M Karras",
) -> Scene:
    """The scene `paint` would draw for these arguments (elements, palette, subjects, layout)."""
    reading = read(prompt)
    negative = read(negative_prompt)
    vocab = vocabulary().subjects
    removed = {m.key for m in negative.mentions}
    subjects = [vocab[m.key] for m in reading.mentions if m.key not in removed]
    backdrop = composition.choose_backdrop(reading, subjects)
    spec = reading.spec
    if backdrop == "landscape":
        spec.elements |= composition.implied_elements(reading, negative.spec.elements)
        spec.elements |= composition.ground_for(reading, subjects, negative.spec.elements, seed)
    scene = compose(
        spec,
        negative.spec.elements,
        negative.spec.moods,
        width=width,
        height=height,
        seed=seed,
        steps=steps,
        cfg_scale=cfg_scale,
        sampler=sampler,
    )
    plan = composition.plan(reading, negative, scene, backdrop)
    return replace(scene, plan=plan)


def understanding(prompt: str) -> dict[str, list[str]]:
    """The prompt's words the painter drew from, and those it did not understand."""
    reading = read(prompt)
    return {"understood": reading.understood, "not_understood": reading.not_understood}


def _subject_layer(img: np.ndarray, scene: Scene, frame: draw.Frame) -> None:
    if scene.plan is not None:
        draw_subjects.draw(img, scene, scene.plan)


def _layers(scene: Scene) -> list[draw.Layer]:
    plan = scene.plan
    if plan is not None and plan.backdrop != "landscape":
        backdrop = backdrops.studio if plan.backdrop == "studio" else backdrops.room
        # A plain backdrop stays plain: only a trace of the landscape's vignette.
        return [
            lambda img, s, f: backdrop(img, s, plan),
            _subject_layer,
            lambda img, s, f: draw.finish(img, s, f, vignette=0.08),
        ]
    has = scene.has
    layers: list[draw.Layer] = [draw.sky]
    if has("stars"):
        layers.append(draw.stars)
    if has("sun"):
        layers.append(draw.sun)
    if has("moon"):
        layers.append(draw.moon)
    if has("clouds"):
        layers.append(draw.clouds)
    if has("mountains"):
        layers.append(draw.mountains)
    if has("hills"):
        layers.append(draw.hills)
    if has("city"):
        layers.append(draw.city)
    if has("forest"):
        layers.append(draw.forest)
    water = has("sea") or has("lake")
    if water:
        layers.append(draw.water)
    if not water or scene.shore < 1.0:
        layers.append(draw.ground)
    if has("river"):
        layers.append(draw.river)
    near_forest = scene.extras.get("near_forest", 0.0) > 0.5
    if has("forest") and not water and not has("river") and near_forest:
        layers.append(lambda img, s, f: draw.forest(img, s, f, near=True))
    if has("flowers"):
        layers.append(draw.flowers)
    layers.append(_subject_layer)
    if has("rain") or has("snow"):
        layers.append(draw.weather)
    layers.append(draw.fog)
    layers.append(draw.finish)
    return layers


def render(scene: Scene, should_stop: Callable[[], bool] | None = None) -> np.ndarray:
    """The scene as a (height, width, 3) uint8 array."""
    h, w = scene.height, scene.width
    frame = draw.Frame(
        height=h,
        width=w,
        horizon=round(scene.horizon * h),
        shore=round(scene.shore * h),
        unit=min(w, h) / 512.0,
        xs=np.arange(w, dtype=np.float32),
        ys=np.arange(h, dtype=np.float32),
    )
    img = np.zeros((h, w, 3), dtype=np.float32)
    for layer in _layers(scene):
        check_stop(should_stop)
        layer(img, scene, frame)
    if scene.plan is not None:
        remove_colours(img, scene.plan.banned)
        if scene.plan.style:
            check_stop(should_stop)
            image = Image.fromarray((img * 255.0 + 0.5).astype(np.uint8), "RGB")
            return np.asarray(styles.apply(image, scene.plan.style, scene.seed))
    return (img * 255.0 + 0.5).astype(np.uint8)


def _noise_levels(count: int, sampler: str) -> list[float]:
    """Share of noise in each preview, from about 1 down towards 0 (the final has none)."""
    levels: list[float] = []
    for k in range(count):
        u = (k + 1) / (count + 1)
        if "karras" in sampler.lower():
            hi, lo = _SIGMA_MAX ** (1 / _RHO), _SIGMA_MIN ** (1 / _RHO)
            sigma = (hi + u * (lo - hi)) ** _RHO
            levels.append(float(sigma / np.sqrt(1.0 + sigma * sigma)))
        else:
            levels.append(1.0 - u)
    return levels


def _latent_noise(seed: int, width: int, height: int) -> np.ndarray:
    """Seeded noise that looks like a decoded SD latent: blotches plus fine grain."""
    rng = element_rng(seed, "latent-noise")
    fine = rng.standard_normal((height, width, 3), dtype=np.float32) * 0.16
    cw, ch = max(2, width // 8), max(2, height // 8)
    coarse = rng.standard_normal((ch, cw, 3), dtype=np.float32)
    coarse_img = Image.fromarray(np.clip(coarse * 60 + 128, 0, 255).astype(np.uint8))
    blotches = np.asarray(coarse_img.resize((width, height), Image.Resampling.BICUBIC))
    return 0.5 + fine + (blotches.astype(np.float32) - 128.0) / 255.0


def previews_of(
    final: Image.Image, seed: int, count: int, sampler: str
) -> list[tuple[float, Image.Image]]:
    """`count` intermediate images from noise to `final`: (noise level, image) pairs."""
    width, height = final.size
    noise = _latent_noise(seed, width, height)
    target = np.asarray(final, dtype=np.float32) / 255.0
    out: list[tuple[float, Image.Image]] = []
    for level in _noise_levels(count, sampler):
        # The model's current estimate is a blurred picture that sharpens as noise goes.
        radius = float(level * min(width, height) / 12.0)
        estimate = final.filter(ImageFilter.GaussianBlur(radius)) if radius >= 0.5 else final
        est = np.asarray(estimate, dtype=np.float32) / 255.0 if radius >= 0.5 else target
        mixed = est * (1.0 - level) + noise * level
        out.append((level, Image.fromarray((np.clip(mixed, 0, 1) * 255 + 0.5).astype(np.uint8))))
    return out


def paint(
    prompt: str,
    negative_prompt: str,
    width: int,
    height: int,
    seed: int,
    steps: int,
    cfg_scale: float,
    sampler: str,
    *,
    previews: int = 6,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Image.Image:
    """A picture for the prompt; previews go to `on_progress(fraction, message, image)`.

    Raises EngineCancelled when `should_stop()` turns True between two stages. The returned
    image carries its A1111 infotext in `image.info["parameters"]`.
    """
    if width < 8 or height < 8:
        raise ValueError(f"size {width}x{height} is too small: at least 8x8")
    steps = max(1, int(steps))

    def report(fraction: float, message: str, image: Image.Image | None) -> None:
        if on_progress is not None:
            on_progress(fraction, message, image)

    check_stop(should_stop)
    report(0.0, "Reading the prompt", None)
    scene = describe(
        prompt,
        negative_prompt,
        width=width,
        height=height,
        seed=seed,
        steps=steps,
        cfg_scale=cfg_scale,
        sampler=sampler,
    )
    pixels = render(scene, should_stop)
    final = Image.fromarray(pixels, "RGB")
    if previews > 0:
        stages = previews_of(final, seed, previews, sampler)
        for k, (_, image) in enumerate(stages):
            check_stop(should_stop)
            step = max(1, round(steps * (k + 1) / (previews + 1)))
            report((k + 1) / (previews + 1), f"Sampling step {step}/{steps}", image)
    check_stop(should_stop)
    final.info["parameters"] = format_infotext(
        {
            "prompt": prompt,
            "negative_prompt": negative_prompt,
            "steps": steps,
            "sampler": sampler,
            "cfg_scale": cfg_scale,
            "seed": seed,
            "width": width,
            "height": height,
            "extra": {"Engine": ENGINE_NAME},
        }
    )
    report(1.0, f"Sampling step {steps}/{steps}", final)
    return final


def hires(
    image: Image.Image,
    scale: float,
    second_pass_steps: int,
    denoising_strength: float,
    seed: int,
) -> Image.Image:
    """The `enable_hr` pass: Lanczos upscale by `scale`, then seeded detail and sharpening.

    The final size is rounded to multiples of 8 (as A1111 does). `denoising_strength` (0..1)
    sets how much the second pass changes: sharpening amount and fine detail grain;
    `second_pass_steps` (0 = as many as the first pass, taken as 20) scales the detail grain.
    """
    width = max(8, round(image.width * scale / 8.0) * 8)
    height = max(8, round(image.height * scale / 8.0) * 8)
    up = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    strength = float(np.clip(denoising_strength, 0.0, 1.0))
    if strength <= 0.0:
        return up
    sharpened = up.filter(
        ImageFilter.UnsharpMask(
            radius=max(1.0, 0.8 * scale), percent=int(30 + 120 * strength), threshold=2
        )
    )
    steps = second_pass_steps if second_pass_steps > 0 else 20
    amount = 0.035 * strength * min(1.0, steps / 20.0)
    rng = element_rng(seed, "hires-detail")
    detail = rng.standard_normal((height, width), dtype=np.float32)
    pixels = np.asarray(sharpened, dtype=np.float32) / 255.0
    # Detail lands where the picture already has texture, not on flat sky.
    edges = np.asarray(sharpened.convert("L").filter(ImageFilter.FIND_EDGES), np.float32) / 255.0
    pixels += (detail * amount * (0.3 + 2.0 * np.clip(edges, 0, 0.35)))[..., None]
    return Image.fromarray((np.clip(pixels, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")
