"""Naming colours the way a prompt does ("red", "blue", …) and taking named colours out.

`colour_class` sorts a colour into one of painter_words.COLOURS' names by hue, saturation and
value; `remove_colours` turns the pixels of banned colours (a negative prompt's "red") grey,
keeping their lightness, so no region of that colour is left.
"""

from __future__ import annotations

import colorsys

import numpy as np

from providers.offline.image.painter_words import Rgb

# Hue bands in degrees (upper bounds) for saturated colours.
_HUES = (
    (15.0, "red"),
    (40.0, "orange"),
    (70.0, "yellow"),
    (165.0, "green"),
    (195.0, "cyan"),
    (255.0, "blue"),
    (290.0, "purple"),
    (335.0, "pink"),
    (360.0, "red"),
)


def colour_class(rgb: Rgb) -> str:
    h, s, v = colorsys.rgb_to_hsv(*rgb)
    if v < 0.16:
        return "black"
    if s < 0.2:
        return "white" if v > 0.85 else "gray"
    deg = h * 360.0
    if 15.0 <= deg < 45.0 and v < 0.62:
        return "brown"
    return next(name for top, name in _HUES if deg < top)


def class_masks(pixels: np.ndarray) -> dict[str, np.ndarray]:
    """For float RGB pixels (..., 3) in 0..1: a boolean mask per colour name."""
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    v = np.max(pixels, axis=-1)
    c = v - np.min(pixels, axis=-1)
    s = np.where(v > 0, c / np.maximum(v, 1e-6), 0.0)
    safe = np.maximum(c, 1e-6)
    h = (
        np.where(
            v == r,
            ((g - b) / safe) % 6.0,
            np.where(v == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0),
        )
        * 60.0
    )
    chroma = (s >= 0.2) & (v >= 0.16)
    masks = {
        "black": v < 0.16,
        "white": (s < 0.2) & (v > 0.85),
        "gray": (s < 0.2) & (v >= 0.16) & (v <= 0.85),
        "brown": chroma & (h >= 15.0) & (h < 45.0) & (v < 0.62),
    }
    lo = 0.0
    for top, name in _HUES:
        band = chroma & (h >= lo) & (h < top)
        if name in ("orange", "red"):
            band &= ~masks["brown"]
        masks[name] = masks.get(name, np.zeros_like(band)) | band
        lo = top
    masks["golden"] = masks["yellow"] | masks["orange"]
    masks["silver"] = masks["gray"]
    return masks


def remove_colours(img: np.ndarray, banned: frozenset[str]) -> None:
    """Grey out, in place, every pixel whose colour is one of `banned` (float RGB 0..1)."""
    if not banned:
        return
    masks = class_masks(img)
    hit = np.zeros(img.shape[:2], dtype=bool)
    for name in banned:
        if name in masks:
            hit |= masks[name]
    if not hit.any():
        return
    lum = img[hit] @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)
    if banned & {"black", "white", "gray", "silver"}:
        # A banned neutral cannot become grey: it becomes a muted mid-tone sand colour.
        tone = (0.3 + 0.45 * lum)[:, None] * np.asarray([1.0, 0.82, 0.55], dtype=np.float32)
        img[hit] = tone
    else:
        img[hit] = np.repeat(lum[:, None], 3, axis=1)
