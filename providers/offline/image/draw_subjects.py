"""Drawing planned subjects into the picture: contact shadow, the artwork, light and shade.

The artwork is lit by the scene (warm at sunset, blue and dim at night), shaded from top to
bottom so it sits in space, and stands on a soft shadow. Rasters are cached per artwork,
colour and size, so "twelve birds" draws one bird.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageFilter

from providers.offline.image import glyphs
from providers.offline.image.composition import Placed, Plan, bounds, light_colour
from providers.offline.image.painter_scene import Scene
from providers.offline.image.painter_words import Rgb


@lru_cache(maxsize=128)
def _pixels(key: str, colour: Rgb | None, size: int) -> np.ndarray:
    art = glyphs.artwork(key)
    if art is None:
        return np.zeros((size, size, 4), dtype=np.float32)
    if colour is not None:
        dominant = glyphs.dominant_fill(key)
        if dominant is not None:
            art = glyphs.recoloured(art, dominant, colour)
    return glyphs.rasterise(art, size)


def _shadow(img: np.ndarray, item: Placed, strength: float) -> None:
    x0, _, x1, _ = bounds(item.key)
    width = item.size * (x1 - x0)
    cx = item.left + item.size * (x0 + x1) / 2.0
    rx, ry = width * 0.55, max(2.0, width * 0.09)
    h, w = img.shape[:2]
    ya, yb = int(max(0, item.bottom - ry * 1.5)), int(min(h, item.bottom + ry * 1.5))
    xa, xb = int(max(0, cx - rx * 1.3)), int(min(w, cx + rx * 1.3))
    if yb <= ya or xb <= xa:
        return
    dy = (np.arange(ya, yb, dtype=np.float32) - item.bottom)[:, None] / ry
    dx = (np.arange(xa, xb, dtype=np.float32) - cx)[None, :] / rx
    alpha = np.clip(1.0 - dx * dx - dy * dy, 0.0, 1.0) ** 1.2 * strength
    img[ya:yb, xa:xb] *= (1.0 - alpha)[..., None]


def _paste(img: np.ndarray, item: Placed, light: np.ndarray) -> None:
    size = max(2, round(item.size))
    rgba = _pixels(item.key, item.colour, size)
    if item.flip:
        rgba = rgba[:, ::-1]
    h, w = img.shape[:2]
    left, top = round(item.left), round(item.top)
    ya, yb = max(0, top), min(h, top + size)
    xa, xb = max(0, left), min(w, left + size)
    if yb <= ya or xb <= xa:
        return
    part = rgba[ya - top : yb - top, xa - left : xb - left]
    # Shade: lighter at the top, a little darker at the bottom, as under a sky light.
    rows = np.linspace(1.06, 0.86, size, dtype=np.float32)[ya - top : yb - top]
    colour = part[..., :3] * rows[:, None, None] * light
    alpha = part[..., 3:4]
    region = img[ya:yb, xa:xb]
    region += (colour - region) * alpha


def draw(img: np.ndarray, scene: Scene, plan: Plan) -> None:
    """All planned subjects, back to front, into the float RGB image."""
    if plan.close and plan.items:
        # Depth of field: the backdrop behind a close-up is out of focus.
        radius = max(2.0, min(img.shape[:2]) / 90.0)
        blurred = Image.fromarray((np.clip(img, 0, 1) * 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(radius)
        )
        img[:] = np.asarray(blurred, dtype=np.float32) / 255.0
    light = np.asarray(light_colour(scene, plan), dtype=np.float32)
    strength = 0.22 if scene.lighting == "night" else 0.38
    for item in plan.items:
        if item.grounded:
            _shadow(img, item, strength)
        _paste(img, item, light)
