"""Drawing a composed `Scene` into pixels, back to front, with numpy (and Pillow for dots).

Each layer works on float32 RGB in 0..1 and touches only the rows it covers, which keeps a
512×512 picture well under a few hundred milliseconds on one core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from providers.offline.image.painter_scene import Rgb, Scene, mix

Layer = Callable[[np.ndarray, Scene, "Frame"], None]


@dataclass(frozen=True)
class Frame:
    """Pixel geometry shared by the layers."""

    height: int
    width: int
    horizon: int  # first row of the ground / water
    shore: int  # first row of the ground in front of the water
    unit: float  # one "pixel" of a 512-pixel picture, for sizes that scale with the image
    xs: np.ndarray  # (W,) float32 column indices
    ys: np.ndarray  # (H,) float32 row indices


def _c(colour: Rgb) -> np.ndarray:
    return np.asarray(colour, dtype=np.float32)


def _blend(region: np.ndarray, colour: np.ndarray, alpha: np.ndarray) -> None:
    region += (colour - region) * alpha[..., None]


def _smoothstep(lo: float, hi: float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def fbm1d(
    rng: np.random.Generator, width: int, base: int, octaves: int, *, smooth: bool = False
) -> np.ndarray:
    """Fractal 1-D noise in 0..1: jagged (linear) for ridges, smooth (cosine) for hills."""
    x = np.linspace(0.0, 1.0, width, dtype=np.float64)
    total = np.zeros(width)
    amplitude, norm = 1.0, 0.0
    for octave in range(octaves):
        n = base * 2**octave + 1
        points = rng.random(n)
        pos = x * (n - 1)
        i0 = np.minimum(pos.astype(np.int64), n - 2)
        t = pos - i0
        if smooth:
            t = (1.0 - np.cos(np.pi * t)) * 0.5
        total += amplitude * (points[i0] * (1.0 - t) + points[i0 + 1] * t)
        norm += amplitude
        amplitude *= 0.5
    return (total / norm).astype(np.float32)


def fbm2d(
    rng: np.random.Generator, h: int, w: int, cells_y: int, cells_x: int, octaves: int
) -> np.ndarray:
    """Fractal 2-D noise in about 0..1 (mean 0.5), upsampled by Pillow's bicubic filter."""
    total = np.zeros((h, w), dtype=np.float32)
    amplitude, norm = 1.0, 0.0
    for octave in range(octaves):
        cy = min(cells_y * 2**octave, max(2, h // 3))
        cx = min(cells_x * 2**octave, max(2, w // 3))
        grid = rng.random((cy + 1, cx + 1), dtype=np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amplitude * np.asarray(up, dtype=np.float32)
        norm += amplitude
        amplitude *= 0.5
    total /= norm
    # Re-centre: the sum of octaves narrows the spread; stretch it back to about 0..1.
    total -= 0.5
    total *= 2.2
    total += 0.5
    return total


# --- sky ---------------------------------------------------------------------------------


def sky(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    t = np.clip(f.ys / max(f.horizon, 1), 0.0, 1.0) ** 0.85
    rows = _c(p.sky_top)[None, :] * (1.0 - t[:, None]) + _c(p.sky_horizon)[None, :] * t[:, None]
    img[:] = rows[:, None, :]
    if scene.lighting in ("sunset", "dawn"):
        # The glow of a low sun spreads along the horizon.
        sx = scene.extras.get("sun_x", 0.5) * f.width
        gx = ((f.xs - sx) / (0.45 * f.width)) ** 2
        gy = ((f.ys - f.horizon) / (0.30 * f.height)) ** 2
        glow = np.exp(-gy[:, None] - gx[None, :]) * 0.45
        img += (_c(p.glow) - img) * glow[..., None] * 0.8


def stars(img: np.ndarray, scene: Scene, f: Frame) -> None:
    rng = scene.rng("stars")
    count = int(f.width * f.height / 700 * (0.6 + 0.4 * rng.random()))
    ys = rng.random(count) ** 1.3 * f.horizon * 0.95
    xs = rng.random(count) * f.width
    bright = rng.random(count) ** 2.5
    fade = 1.0 - ys / max(f.horizon, 1)
    level = (0.25 + 0.75 * bright) * (0.3 + 0.7 * fade)
    yi = np.clip(ys.astype(np.int64), 0, f.height - 1)
    xi = np.clip(xs.astype(np.int64), 0, f.width - 1)
    colour = np.where(rng.random(count)[:, None] < 0.8, 1.0, [[1.0, 0.9, 0.75]]).astype(np.float32)
    add = colour * level[:, None].astype(np.float32)
    np.maximum.at(img, (yi, xi), add)
    big = bright > 0.6
    for dy, dx in ((0, 1), (1, 0), (0, -1), (-1, 0)):
        y2 = np.clip(yi[big] + dy, 0, f.height - 1)
        x2 = np.clip(xi[big] + dx, 0, f.width - 1)
        np.maximum.at(img, (y2, x2), add[big] * 0.5)


def _disc_alpha(f: Frame, cx: float, cy: float, r: float, box: int) -> tuple:
    y0, y1 = max(0, int(cy - box)), min(f.height, int(cy + box) + 1)
    x0, x1 = max(0, int(cx - box)), min(f.width, int(cx + box) + 1)
    dy = f.ys[y0:y1, None] - cy
    dx = f.xs[None, x0:x1] - cx
    d = np.sqrt(dy * dy + dx * dx)
    return (slice(y0, y1), slice(x0, x1)), d


def sun(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    cx = scene.extras["sun_x"] * f.width
    cy = scene.extras["sun_y"] * f.height
    r = scene.extras["sun_r"] * min(f.width, f.height)
    (ys, xs), d = _disc_alpha(f, cx, cy, r, int(r * 15))
    region = img[ys, xs]
    glow = np.exp(-((d / (r * 2.2)) ** 2)) * 0.6 + np.exp(-((d / (r * 6.5)) ** 2)) * 0.3
    region += (_c(p.glow) - region) * (glow[..., None] * (1.0 - region))
    core = np.clip(r - d + 0.5, 0.0, 1.0)
    _blend(region, _c(p.sun), core)


def moon(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("moon")
    cx = scene.extras["moon_x"] * f.width
    cy = scene.extras["moon_y"] * f.height
    r = scene.extras["moon_r"] * min(f.width, f.height)
    (ys, xs), d = _disc_alpha(f, cx, cy, r, int(r * 5))
    region = img[ys, xs]
    glow = np.exp(-((d / (r * 2.5)) ** 2)) * 0.35
    region += (_c(p.glow) - region) * glow[..., None] * 0.6
    disc = np.clip(r - d + 0.5, 0.0, 1.0)
    if rng.random() < 0.6:
        # A crescent: a second disc, offset, hides part of the moon.
        angle = rng.uniform(0, 2 * np.pi)
        off = r * rng.uniform(0.45, 0.9)
        ox, oy = cx + off * np.cos(angle), cy + off * np.sin(angle)
        dy = f.ys[ys, None] - oy
        dx = f.xs[None, xs] - ox
        shadow = np.clip(r * 0.98 - np.sqrt(dy * dy + dx * dx) + 0.5, 0.0, 1.0)
        disc = disc * (1.0 - shadow)
    h, w = region.shape[:2]
    marks = fbm2d(rng, h, w, 3, 3, 2)
    colour = _c(p.moon)[None, None, :] * (0.86 + 0.14 * marks[..., None])
    _blend(region, colour, disc)


def clouds(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("clouds")
    rows = f.horizon
    if rows < 4:
        return
    cover = scene.extras.get("cloud_cover", 0.35)
    n = fbm2d(rng, rows, f.width, 3, 2, max(3, scene.detail))
    # Clouds thin out near the horizon (far away) and keep a bit of sky at the very top.
    t = f.ys[:rows] / rows
    band = (1.0 - _smoothstep(0.72, 1.0, t)) * (0.6 + 0.4 * _smoothstep(0.0, 0.25, t))
    threshold = float(np.quantile(n[::4, ::4], 1.0 - cover))
    density = _smoothstep(threshold, threshold + 0.22, n) * band[:, None]
    # Lit from above: a pixel whose neighbour above is thinner faces the light.
    shift = max(2, int(6 * f.unit))
    above = np.empty_like(n)
    above[shift:] = n[:-shift]
    above[:shift] = n[:1]
    light = np.clip(0.62 + (n - above) * 5.0 - (n - threshold) * 1.2, 0.0, 1.0)
    colour = (
        _c(p.cloud_shadow)[None, None, :] * (1.0 - light[..., None])
        + _c(p.cloud)[None, None, :] * light[..., None]
    )
    if "sun_x" in scene.extras and "sun" in scene.elements:
        sx = scene.extras["sun_x"] * f.width
        sy = scene.extras["sun_y"] * f.height
        d2 = ((f.xs[None, :] - sx) ** 2 + (f.ys[:rows, None] - sy) ** 2) / (0.3 * f.width) ** 2
        warm = np.exp(-d2)[..., None] * 0.5
        colour += (_c(p.glow) - colour) * warm
    _blend(img[:rows], colour, density * 0.95)


# --- far layers on the horizon ------------------------------------------------------------


def mountains(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("mountains")
    layers = int(rng.integers(2, 5))
    haze = _c(p.sky_horizon)
    sun_side = 1.0 if scene.extras.get("sun_x", 0.7) > 0.5 else -1.0
    for i in range(layers):
        depth = i / max(layers - 1, 1)  # 0 = farthest
        top_lo = rng.uniform(0.10, 0.22) * (1.0 - 0.45 * depth)
        top_hi = rng.uniform(0.30, 0.46) * (1.0 - 0.4 * depth)
        ridge_shape = fbm1d(rng, f.width, int(rng.integers(2, 5)), scene.detail + 1) ** 1.6
        lift = top_lo + (top_hi - top_lo) * (ridge_shape - ridge_shape.min()) / (
            np.ptp(ridge_shape) + 1e-6
        )
        ridge = f.horizon - lift * f.horizon
        y0 = max(0, int(ridge.min()) - 1)
        rows = f.ys[y0 : f.horizon, None]
        alpha = np.clip(rows - ridge[None, :] + 0.5, 0.0, 1.0)
        base = _c(mix(p.mountain, tuple(haze), 0.62 * (1.0 - depth) ** 1.2 + 0.05))
        below = np.clip((rows - ridge[None, :]) / (f.horizon - ridge[None, :] + 1.0), 0.0, 1.0)
        # Light on the faces turned to the sun, mist in the valleys.
        # Light on faces turned to the sun; the slope is smoothed so faces, not single
        # columns, catch it.
        k = max(3, int(10 * f.unit)) | 1
        slope = np.convolve(np.gradient(ridge), np.ones(k) / k, mode="same") * sun_side
        face = np.clip(-slope * 0.5, -1.0, 1.0) * (1.0 - below) ** 2 * 0.16
        colour = base[None, None, :] * (1.0 + face[..., None])
        colour += (haze - colour) * (below[..., None] ** 1.5 * 0.35)
        if scene.snowy:
            snowline = ridge[None, :] + (f.horizon - ridge.min()) * 0.22 * (
                0.7 + 0.6 * fbm1d(rng, f.width, 12, 3)[None, :]
            )
            cap = np.clip((snowline - rows) / 2.0, 0.0, 1.0) * (lift > top_lo * 1.2)[None, :]
            snow = _c(p.snow) * (0.75 + 0.25 * (1.0 - depth * 0.3))
            colour += (snow[None, None, :] * (1.0 + face[..., None]) - colour) * cap[..., None]
        if scene.detail > 2:
            tex = fbm2d(rng, rows.shape[0], f.width, 6, 10, 3)
            colour *= (0.93 + 0.14 * tex)[..., None]
        _blend(img[y0 : f.horizon], colour, alpha)


def hills(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("hills")
    layers = int(rng.integers(1, 4))
    haze = _c(p.sky_horizon)
    for i in range(layers):
        depth = (i + 1) / layers
        height = rng.uniform(0.05, 0.16) * f.height * (0.6 + 0.4 * (1.0 - depth))
        shape = fbm1d(rng, f.width, int(rng.integers(1, 4)), 3, smooth=True)
        ridge = f.horizon - height * (0.3 + 0.7 * shape)
        y0 = max(0, int(ridge.min()) - 1)
        rows = f.ys[y0 : f.horizon, None]
        alpha = np.clip(rows - ridge[None, :] + 0.5, 0.0, 1.0)
        base = _c(mix(p.hill, tuple(haze), 0.45 * (1.0 - depth)))
        shade = np.clip((rows - ridge[None, :]) / (height + 1.0), 0.0, 1.0)
        colour = base[None, None, :] * (1.05 - 0.18 * shade[..., None])
        _blend(img[y0 : f.horizon], colour, alpha)


def city(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("city")
    haze = _c(p.sky_horizon)
    tall = 0.42 if scene.horizon > 0.7 else 0.30
    for layer in range(2):
        front = layer == 1
        tops = np.full(f.width, float(f.horizon), dtype=np.float32)
        ids = np.full(f.width, -1, dtype=np.int64)
        lefts: list[float] = []
        x = -rng.uniform(0, 20) * f.unit
        b = 0
        while x < f.width:
            w = rng.uniform(14, 42) * f.unit * (1.2 if front else 0.9)
            h = (rng.uniform(0.06, tall) ** 1.3 / tall**0.3) * f.horizon * (0.8 if front else 1.0)
            x0, x1 = max(0, int(x)), min(f.width, int(x + w))
            if x1 > x0:
                tops[x0:x1] = f.horizon - h
                ids[x0:x1] = b
                if rng.random() < 0.15:  # a spire
                    mid = (x0 + x1) // 2
                    half = max(1, int(1.5 * f.unit))
                    tops[max(0, mid - half) : mid + half] = f.horizon - h * 1.18
            lefts.append(x)
            x += w + rng.uniform(0, 6) * f.unit * (0 if front else 1)
            b += 1
        y0 = max(0, int(tops.min()) - 1)
        rows = f.ys[y0 : f.horizon, None]
        alpha = np.clip(rows - tops[None, :] + 0.5, 0.0, 1.0) * (ids >= 0)[None, :]
        shade = (0.82 + 0.3 * rng.random(b + 1))[ids].astype(np.float32)
        base = _c(mix(p.building, tuple(haze), 0.0 if front else 0.4))
        colour = base[None, None, :] * shade[None, :, None] * np.ones_like(rows)[..., None]
        if front:
            cw, ch = max(3.0, 7 * f.unit), max(4.0, 10 * f.unit)
            left = np.asarray([*lefts, 0.0], dtype=np.float32)[ids]
            cx = (f.xs - left) / cw
            cy = (f.horizon - rows) / ch
            in_x = (cx % 1.0 > 0.3) & (cx > 0.6)
            in_y = (cy % 1.0 > 0.35) & (cy > 1.0) & (rows > tops[None, :] + ch * 0.6)
            cell = (ids[None, :] * 7919 + cx.astype(np.int64)[None, :] * 104729) ^ (
                cy.astype(np.int64) * 1299709
            )
            lucky = ((cell * 2654435761 + scene.seed) % 1000) / 1000.0
            lit = in_x[None, :] & in_y & (lucky < p.windows_lit)
            unlit = in_x[None, :] & in_y & ~lit
            colour[lit] = _c(p.window)
            colour[unlit] *= 0.8 if scene.lighting != "night" else 0.7
        _blend(img[y0 : f.horizon], colour, alpha)


def _tree_line(
    rng: np.random.Generator,
    f: Frame,
    base: float,
    size: float,
    conifer: bool,
    span: tuple[float, float] = (0.0, 1.0),
) -> tuple[np.ndarray, np.ndarray]:
    """Top edge (row per column) of a row of trees, and which tree owns each column."""
    spacing = size * (0.32 if conifer else 0.5)
    left, right = span[0] * f.width, span[1] * f.width
    centres = np.arange(left - spacing, right + spacing, spacing)
    centres = centres + rng.uniform(-0.4, 0.4, centres.size) * spacing
    heights = size * rng.uniform(0.65, 1.15, centres.size)
    dx = np.abs(f.xs[None, :] - centres[:, None])
    if conifer:
        half = heights * 0.24
        # A jagged edge: branches stick out every few pixels.
        tops = heights[:, None] - dx * (heights / half)[:, None]
        tops -= (np.sin(dx * 1.7 / max(f.unit, 0.5)) > 0.6) * 1.5 * f.unit
    else:
        r = heights * 0.42
        inside = np.clip(r[:, None] ** 2 - dx**2, 0.0, None)
        tops = np.where(dx < r[:, None], heights[:, None] - r[:, None] + np.sqrt(inside), -1e6)
    owner = np.argmax(tops, axis=0)
    top = base - tops[owner, np.arange(f.width)]
    # Columns no tree reaches stay empty (not a wall from the base down).
    top = np.where(top > base, f.height + 10.0, top)
    return top.astype(np.float32), owner


def forest(img: np.ndarray, scene: Scene, f: Frame, *, near: bool = False) -> None:
    p = scene.palette
    rng = scene.rng("forest-near" if near else "forest")
    conifer = scene.snowy or scene.lighting == "night" or rng.random() < 0.55
    haze = _c(p.sky_horizon)
    span = (0.0, 1.0)
    if near:
        # A stand of trees on one side frames the view instead of hiding it.
        width = rng.uniform(0.2, 0.38)
        span = (-0.05, width) if rng.random() < 0.5 else (1.0 - width, 1.05)
        rows_spec = [(f.horizon + (f.height - f.horizon) * 0.55, 0.3 * f.height, f.height)]
    else:
        count = int(rng.integers(1, 3))
        rows_spec = [(f.horizon, (0.06 + 0.05 * k) * f.height, f.horizon) for k in range(count)]
    palette = np.asarray(p.forest, dtype=np.float32)
    for k, (base, size, bottom) in enumerate(rows_spec):
        depth = (k + 1) / len(rows_spec)
        top, owner = _tree_line(rng, f, base, size, conifer, span)
        y0 = max(0, int(top.min()) - 1)
        y1 = int(bottom)
        if y1 <= y0:
            continue
        rows = f.ys[y0:y1, None]
        alpha = np.clip(rows - top[None, :] + 0.5, 0.0, 1.0)
        tint = rng.integers(0, len(palette), owner.max() + 1)[owner]
        colour = palette[tint][None, :, :] * np.ones((y1 - y0, 1, 1), dtype=np.float32)
        below = np.clip((rows - top[None, :]) / size, 0.0, 1.0)
        colour *= (1.12 - 0.35 * below)[..., None]
        if scene.snowy:
            flakes = fbm2d(rng, y1 - y0, f.width, 8, 30, 2) > 0.62
            colour[flakes & (below < 0.8)] = _c(p.snow) * 0.9
        if not near:
            colour += (haze - colour) * (0.35 * (1.0 - depth) + 0.1)
        _blend(img[y0:y1], colour, alpha)


# --- water and ground ---------------------------------------------------------------------


def _reflection(img: np.ndarray, f: Frame, y0: int, y1: int, ripple: np.ndarray) -> np.ndarray:
    """Rows y0..y1 mirrored about the horizon, shifted sideways by `ripple` pixels."""
    d = f.ys[y0:y1] - f.horizon
    src_y = np.clip((f.horizon - 1 - d).astype(np.int64), 0, f.horizon - 1)
    src_x = np.clip((f.xs[None, :] + ripple).astype(np.int64), 0, f.width - 1)
    return img[src_y[:, None], src_x]


def water(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("water")
    y0, y1 = f.horizon, f.shore
    if y1 <= y0 or f.horizon < 2:
        return
    calm = "lake" in scene.elements and "sea" not in scene.elements
    h = y1 - y0
    t = (f.ys[y0:y1] - y0) / max(f.height - y0, 1)
    waves = fbm2d(rng, h, f.width, 24, 3, 3)
    ripple = (waves - 0.5) * (2.0 + 20.0 * t[:, None]) * f.unit * (0.35 if calm else 1.0)
    refl = _reflection(img, f, y0, y1, ripple) * 0.88
    region = img[y0:y1]
    region[:] = refl
    fresnel = (0.30 + 0.45 * t**0.7) if calm else (0.42 + 0.40 * t**0.6)
    _blend(region, _c(p.water), fresnel.astype(np.float32)[:, None] * np.ones((1, f.width)))
    crest = (waves - 0.5) * (0.05 if calm else 0.16) * (0.3 + t[:, None])
    region += crest[..., None]
    for body, strength in (("sun", 0.9), ("moon", 0.55)):
        if body not in scene.elements:
            continue
        # A path of glitter on the water below the sun (or moon).
        bx = scene.extras[f"{body}_x"] * f.width
        spread = scene.extras[f"{body}_r"] * min(f.width, f.height) * (1.5 + 6.0 * t[:, None])
        column = np.exp(-(((f.xs[None, :] - bx) / spread) ** 2))
        glitter = column * _smoothstep(0.55, 0.75, waves) * strength * (0.55 if calm else 1.0)
        light = _c(p.glow) if body == "sun" else _c(p.moon)
        region += (light - region) * glitter[..., None]


def river(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("river")
    y0 = f.horizon
    if f.height - y0 < 4:
        return
    t = (f.ys[y0:] - y0) / (f.height - y0)
    start = rng.uniform(0.3, 0.7)
    bend = rng.uniform(0.08, 0.2) * (1 if rng.random() < 0.5 else -1)
    phase = rng.uniform(0, 2 * np.pi)
    centre = f.width * (start + bend * np.sin(phase + t * rng.uniform(2.5, 4.5)) * t)
    half = f.width * (0.006 + rng.uniform(0.12, 0.2) * t**1.4)
    alpha = np.clip(half[:, None] - np.abs(f.xs[None, :] - centre[:, None]) + 0.5, 0.0, 1.0)
    waves = fbm2d(rng, f.height - y0, f.width, 20, 4, 2)
    ripple = (waves - 0.5) * (1.0 + 8.0 * t[:, None]) * f.unit
    refl = _reflection(img, f, y0, f.height, ripple)
    colour = refl + (_c(p.water) - refl) * (0.35 + 0.35 * t)[:, None, None]
    colour += ((waves - 0.5) * 0.1)[..., None]
    _blend(img[y0:], colour, alpha)


def ground(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("ground")
    y0 = f.horizon if f.shore >= f.height else f.shore
    if y0 >= f.height:
        return
    h = f.height - y0
    t = (f.ys[y0:] - y0) / h
    haze = _c(p.sky_horizon)
    if "desert" in scene.elements:
        _dunes(img, scene, f, y0, rng, _c(p.sand), 1.0)
        return
    if "snow" in scene.elements and not scene.elements & {"field", "beach"}:
        _dunes(img, scene, f, y0, rng, _c(p.snow), 0.35)
        return
    base = _c(p.sand) if "beach" in scene.elements else _c(p.grass)
    near = base * 0.78
    far = base + (haze - base) * (0.35 if f.shore >= f.height else 0.12)
    rows = far[None, :] * (1.0 - t[:, None]) + near[None, :] * t[:, None]
    region = img[y0:]
    region[:] = rows[:, None, :]
    blotches = fbm2d(rng, h, f.width, 3, 5, 3)
    region *= (0.9 + 0.2 * blotches)[..., None]
    if "beach" in scene.elements:
        # Wet sand and a line of foam where the sea meets the shore.
        edge = fbm1d(rng, f.width, 6, 3, smooth=True) * 6 * f.unit
        depth = f.ys[y0:, None] - y0 - edge[None, :]
        wet = np.clip(1.0 - depth / (0.12 * h), 0.0, 1.0) * 0.25
        region *= (1.0 - wet)[..., None]
        foam = np.clip(1.0 - np.abs(depth - 1.5 * f.unit) / (1.5 * f.unit), 0.0, 1.0)
        _blend(region, np.ones(3, dtype=np.float32), foam * 0.8)
        return
    # Grass blades: thin vertical streaks, longer and stronger near the viewer.
    blades = rng.random((max(2, h // 5), max(2, int(f.width / 1.5))), dtype=np.float32)
    streaks = np.asarray(
        Image.fromarray(blades).resize((f.width, h), Image.Resampling.BILINEAR), np.float32
    )
    amount = 0.04 + 0.3 * t[:, None] ** 1.5
    region *= (1.0 + (streaks - 0.5) * amount)[..., None]


def _dunes(
    img: np.ndarray,
    scene: Scene,
    f: Frame,
    y0: int,
    rng: np.random.Generator,
    sand: np.ndarray,
    relief: float,
) -> None:
    """Sand dunes, or snow drifts with a lower `relief`: layered ridges lit on one side."""
    haze = _c(scene.palette.sky_horizon)
    region = img[y0:]
    region[:] = (sand + (haze - sand) * 0.3)[None, None, :]
    layers = int(rng.integers(3, 6))
    sun_side = 1.0 if scene.extras.get("sun_x", 0.7) > 0.5 else -1.0
    h = f.height - y0
    k = max(3, int(24 * f.unit)) | 1
    for i in range(layers):
        depth = i / max(layers - 1, 1)
        base = y0 + h * (0.12 + 0.88 * (i + 0.5) / layers + rng.uniform(-0.05, 0.05))
        amp = h * rng.uniform(0.10, 0.22) * (0.5 + depth) * relief
        shape = fbm1d(rng, f.width, int(rng.integers(2, 5)), 3, smooth=True)
        shape = (shape - shape.min()) / (np.ptp(shape) + 1e-6)
        ridge = base - amp * shape
        top = max(y0, int(ridge.min()) - 1)
        rows = f.ys[top:, None]
        alpha = np.clip(rows - ridge[None, :] + 0.5, 0.0, 1.0)
        # A face turned to the sun is bright just under the crest, the other in shade.
        slope = np.convolve(np.gradient(ridge), np.ones(k) / k, mode="same") * sun_side
        lit = np.clip(-slope * 3.0 / max(f.unit, 0.25), -1.0, 1.0)
        below = np.clip((rows - ridge[None, :]) / (amp + 2.0), 0.0, 1.0)
        face = lit[None, :] * (1.0 - below) ** 1.5 * 0.22 * relief**0.5
        shade = 1.0 + face - 0.1 * below
        colour = sand + (haze - sand) * 0.3 * (1.0 - depth)
        _blend(img[top:], colour[None, None, :] * shade[..., None], alpha)


def flowers(img: np.ndarray, scene: Scene, f: Frame) -> None:
    p = scene.palette
    rng = scene.rng("flowers")
    y0 = f.horizon if f.shore >= f.height else f.shore
    h = f.height - y0
    if h < 8:
        return
    count = int(260 * f.width * h / (512 * 256) * rng.uniform(0.7, 1.3))
    t = np.sort(rng.random(count) ** 0.7)
    ys = y0 + t * h
    xs = rng.random(count) * f.width
    radius = (0.8 + 6.5 * t**1.5) * f.unit
    palette = np.asarray(p.flowers, dtype=np.float32)
    colours = palette[rng.integers(0, len(palette), count)]
    colours *= rng.uniform(0.8, 1.05, (count, 1)).astype(np.float32)
    layer = Image.new("RGB", (f.width, f.height))
    mask = Image.new("L", (f.width, f.height))
    draw, draw_mask = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    stem = tuple(int(v * 255) for v in np.asarray(p.grass) * 0.6)
    for x, y, r, colour in zip(xs, ys, radius, colours, strict=False):
        fill = tuple(int(v * 255) for v in np.clip(colour, 0, 1))
        if r > 2.5:
            draw.line((x, y, x, y + r * 2.2), fill=stem, width=max(1, int(r / 3)))
            draw_mask.line((x, y, x, y + r * 2.2), fill=230, width=max(1, int(r / 3)))
            for k in range(5):
                a = k * 2 * np.pi / 5 + x
                px, py = x + np.cos(a) * r * 0.55, y + np.sin(a) * r * 0.45
                pr = r * 0.5
                draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=fill)
                draw_mask.ellipse((px - pr, py - pr, px + pr, py + pr), fill=255)
            cr = r * 0.25
            draw.ellipse((x - cr, y - cr, x + cr, y + cr), fill=(250, 210, 60))
        else:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
            draw_mask.ellipse((x - r, y - r, x + r, y + r), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(0.6 * f.unit))
    a = np.asarray(mask, dtype=np.float32)[y0:] / 255.0
    colour = np.asarray(layer, dtype=np.float32)[y0:] / 255.0
    _blend(img[y0:], colour, a)


def _particles(
    img: np.ndarray, f: Frame, rng: np.random.Generator, rain: bool, colour: Rgb
) -> None:
    mask = Image.new("L", (f.width, f.height))
    draw = ImageDraw.Draw(mask)
    count = int(f.width * f.height / (260 if rain else 450))
    xs = rng.random(count) * f.width
    ys = rng.random(count) * f.height
    sizes = (rng.random(count) ** 2 * 2.0 + 0.6) * f.unit
    if rain:
        for x, y, s in zip(xs, ys, sizes, strict=False):
            draw.line((x, y, x - 3 * s, y + 14 * s), fill=int(120 + 60 * s / f.unit), width=1)
    else:
        for x, y, s in zip(xs, ys, sizes, strict=False):
            draw.ellipse((x - s, y - s, x + s, y + s), fill=int(150 + 50 * s / f.unit))
    mask = mask.filter(ImageFilter.GaussianBlur(0.5 * f.unit))
    alpha = np.asarray(mask, dtype=np.float32) / 255.0 * (0.35 if rain else 0.9)
    _blend(img, _c(colour), alpha)


def weather(img: np.ndarray, scene: Scene, f: Frame) -> None:
    rng = scene.rng("weather")
    if "rain" in scene.elements:
        _particles(img, f, rng, True, (0.8, 0.84, 0.9))
    elif "snow" in scene.elements and scene.extras.get("snowfall", 0.0) > 0.5:
        _particles(img, f, rng, False, (0.97, 0.97, 1.0))


def fog(img: np.ndarray, scene: Scene, f: Frame) -> None:
    if scene.fog <= 0.0:
        return
    rng = scene.rng("fog")
    haze = _c(mix(scene.palette.sky_horizon, (0.85, 0.87, 0.9), 0.3))
    band = np.exp(-(((f.ys - f.horizon) / (0.28 * f.height)) ** 2))
    wisps = fbm2d(rng, f.height, f.width, 4, 2, 3)
    amount = np.clip(scene.fog * (0.25 + 0.75 * band[:, None]) * (0.6 + 0.6 * wisps), 0, 0.92)
    _blend(img, haze, amount)


# --- finishing ----------------------------------------------------------------------------


def finish(img: np.ndarray, scene: Scene, f: Frame, *, vignette: float = 0.32) -> None:
    """Colour grade: global prompt tint, cfg saturation/contrast, vignette, sampler grain."""
    lum = img @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)
    if scene.global_tint is not None:
        tint = _c(scene.global_tint)
        toned = lum[..., None] * tint / max(float(tint @ [0.299, 0.587, 0.114]), 0.05)
        img += (np.clip(toned, 0, 1) - img) * scene.tint_strength
        lum = img @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)
    img -= lum[..., None]
    img *= scene.saturation
    img += lum[..., None]
    img -= 0.5
    img *= scene.contrast
    img += 0.5
    cy = (f.ys / f.height - 0.5) ** 2
    cx = (f.xs / f.width - 0.5) ** 2
    img *= (1.0 - vignette * (cy[:, None] + cx[None, :]))[..., None]
    if scene.grain > 0:
        rng = scene.rng("grain")
        img += (rng.standard_normal((f.height, f.width), dtype=np.float32) * scene.grain)[..., None]
    np.clip(img, 0.0, 1.0, out=img)
