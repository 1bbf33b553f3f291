"""Styles applied to the finished picture: watercolor, oil, pixel art, line art, flat, photo, ink.

Each is a few Pillow/numpy filters over the whole image (tens of milliseconds at 512²), so a
style changes how everything is painted, subjects and landscape alike:
- watercolor: soft washes (blurred, lightened), pigment pooling at edges, paper grain.
- oil: colour patches (median), directional brush-stroke relief, richer colour.
- pixel: 1/8 resolution, a 16-colour palette, hard square pixels.
- line: dark lines where colour or light changes, on near-white paper.
- flat: smoothed and reduced to a dozen flat colours, no gradients or grain.
- photo: a lens look: slight softness, film grain, a stronger vignette and contrast curve.
- ink (水墨): grey ink tones on rice paper, soft bleeding edges and a red seal.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

from providers.offline.image.painter_draw import fbm2d
from providers.offline.image.painter_scene import element_rng


def _arr(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.float32) / 255.0


def _img(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray((np.clip(pixels, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")


def _edges(image: Image.Image) -> np.ndarray:
    """Edge strength 0..1 from colour and light changes (max over channels)."""
    edges = image.filter(ImageFilter.FIND_EDGES)
    return np.max(_arr(edges), axis=2)


def watercolor(image: Image.Image, seed: int) -> Image.Image:
    w, h = image.size
    rng = element_rng(seed, "style-watercolor")
    soft = image.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.GaussianBlur(1.5))
    wash = _arr(soft)
    wash = 1.0 - (1.0 - wash) * 0.78  # transparent pigment over white paper
    pool = _edges(soft.filter(ImageFilter.GaussianBlur(1.0)))
    wash *= (1.0 - np.clip(pool * 2.2, 0.0, 0.35))[..., None]
    blotch = fbm2d(rng, h, w, 5, 5, 3)
    wash *= (0.92 + 0.1 * blotch)[..., None]
    grain = rng.random((h, w), dtype=np.float32)
    paper = np.asarray([0.99, 0.97, 0.93], dtype=np.float32)
    wash = wash * paper * (0.97 + 0.05 * grain)[..., None]
    return _img(wash)


def oil(image: Image.Image, seed: int) -> Image.Image:
    w, h = image.size
    rng = element_rng(seed, "style-oil")
    patches = _arr(image.filter(ImageFilter.MedianFilter(7)))
    lum = patches.mean(axis=2, keepdims=True)
    patches = lum + (patches - lum) * 1.25
    # Brush strokes: noise stretched along a direction, lit as relief.
    strokes = rng.random((max(2, h // 3), max(2, w // 14)), dtype=np.float32)
    stroke_img = Image.fromarray((strokes * 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC
    )
    relief = _arr(stroke_img.filter(ImageFilter.EMBOSS).convert("RGB"))[..., 0] - 0.5
    patches += (relief * 0.28)[..., None]
    patches *= 0.96
    return _img(patches)


def pixel(image: Image.Image, seed: int) -> Image.Image:
    del seed
    w, h = image.size
    block = max(4, min(w, h) // 64)
    small = image.resize((max(1, w // block), max(1, h // block)), Image.Resampling.BOX)
    small = small.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    return small.convert("RGB").resize((w, h), Image.Resampling.NEAREST)


def line(image: Image.Image, seed: int) -> Image.Image:
    w, h = image.size
    rng = element_rng(seed, "style-line")
    flat = image.filter(ImageFilter.MedianFilter(5)).quantize(colors=12, dither=Image.Dither.NONE)
    edges = _edges(flat.convert("RGB"))
    ink = np.clip((edges - 0.04) * 6.0, 0.0, 1.0)
    ink = _arr(Image.fromarray((ink * 255).astype(np.uint8)).convert("RGB"))[..., 0]
    paper = np.asarray([0.98, 0.97, 0.94], dtype=np.float32)
    tint = _arr(image) * 0.12 + 0.88  # a faint memory of the colours
    out = paper * tint * (1.0 - 0.85 * ink)[..., None]
    out *= (0.985 + 0.02 * rng.random((h, w), dtype=np.float32))[..., None]
    return _img(out)


def flat(image: Image.Image, seed: int) -> Image.Image:
    del seed
    smooth = image.filter(ImageFilter.MedianFilter(7))
    reduced = smooth.quantize(colors=12, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pixels = _arr(reduced.convert("RGB"))
    lum = pixels.mean(axis=2, keepdims=True)
    return _img(lum + (pixels - lum) * 1.15)


def photo(image: Image.Image, seed: int) -> Image.Image:
    w, h = image.size
    rng = element_rng(seed, "style-photo")
    pixels = _arr(image.filter(ImageFilter.GaussianBlur(0.7)))
    pixels = pixels * pixels * (3.0 - 2.0 * pixels)  # an S-shaped contrast curve
    pixels = pixels * np.asarray([1.03, 1.0, 0.95], dtype=np.float32)
    ys = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None]
    xs = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :]
    pixels *= (1.0 - 0.55 * (xs * xs + ys * ys))[..., None]
    pixels += rng.standard_normal((h, w), dtype=np.float32)[..., None] * 0.025
    return _img(pixels)


def ink(image: Image.Image, seed: int) -> Image.Image:
    w, h = image.size
    rng = element_rng(seed, "style-ink")
    grey = _arr(image.convert("L").convert("RGB"))[..., 0]
    bleed = _arr(
        Image.fromarray((grey * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2.0))
    )
    tone = np.clip((bleed - 0.25) / 0.6, 0.0, 1.0) ** 0.8  # 0 = black ink, 1 = bare paper
    edges = _edges(image.filter(ImageFilter.MedianFilter(5)))
    tone *= 1.0 - np.clip((edges - 0.05) * 5.0, 0.0, 0.8)
    dry = fbm2d(rng, h, w, 10, 10, 3)
    tone = np.clip(tone + (dry - 0.5) * 0.12, 0.0, 1.0)
    paper = np.asarray([0.94, 0.91, 0.84], dtype=np.float32)
    inkc = np.asarray([0.08, 0.08, 0.09], dtype=np.float32)
    out = inkc + (paper - inkc) * tone[..., None]
    # The painter's seal, bottom right.
    side = max(6, min(w, h) // 14)
    x0, y0 = w - side * 2, h - side * 2
    out[y0 : y0 + side, x0 : x0 + side] = (0.72, 0.13, 0.10)
    inner = max(1, side // 5)
    out[y0 + inner : y0 + side - inner, x0 + side // 2 - inner // 2 : x0 + side // 2 + 1] = (
        0.95,
        0.85,
        0.80,
    )
    return _img(out)


STYLE_FILTERS: dict[str, Callable[[Image.Image, int], Image.Image]] = {
    "watercolor": watercolor,
    "oil": oil,
    "pixel": pixel,
    "line": line,
    "flat": flat,
    "photo": photo,
    "ink": ink,
}


def apply(image: Image.Image, style: str | None, seed: int) -> Image.Image:
    """The picture in `style` (unchanged for None or an unknown style)."""
    apply_style = STYLE_FILTERS.get(style or "")
    return apply_style(image, seed) if apply_style is not None else image
