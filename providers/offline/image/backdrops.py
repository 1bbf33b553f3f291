"""Backdrops that are not a landscape: a photographer's plain studio sweep and a room.

Both are nearly flat, so that the subjects stand out: the studio is a seamless paper that
darkens gently towards the edges (in the colour the prompt gives its background); the room
is a wall above a wooden floor. Time of day darkens and tints them like the landscape.
"""

from __future__ import annotations

import numpy as np

from providers.offline.image.composition import Plan
from providers.offline.image.painter_scene import Scene

_STUDIO = (0.86, 0.87, 0.89)
_WALL = (0.90, 0.84, 0.74)
_FLOOR = (0.56, 0.38, 0.24)
_DIM = {"day": 1.0, "dawn": 0.92, "sunset": 0.82, "night": 0.45}


def studio(img: np.ndarray, scene: Scene, plan: Plan) -> None:
    h, w = img.shape[:2]
    base = np.asarray(plan.backdrop_colour or _STUDIO, dtype=np.float32)
    ys = (np.arange(h, dtype=np.float32) / h)[:, None]
    xs = (np.arange(w, dtype=np.float32) / w)[None, :]
    # A soft light from the front: brightest a little above the middle, falling off slowly.
    light = 1.0 - 0.12 * ((xs - 0.5) ** 2 + 0.5 * (ys - 0.45) ** 2)
    sweep = 1.0 - 0.06 * np.clip((ys - 0.7) / 0.3, 0.0, 1.0)
    img[:] = base[None, None, :] * (light * sweep)[..., None] * _DIM.get(scene.lighting, 1.0)


def room(img: np.ndarray, scene: Scene, plan: Plan) -> None:
    h, w = img.shape[:2]
    rng = scene.rng("room")
    floor_y = int(0.66 * h)
    dim = _DIM.get(scene.lighting, 1.0)
    wall = np.asarray(_WALL, dtype=np.float32) * dim
    if plan.warm or scene.lighting == "night":
        wall = wall * np.asarray([1.0, 0.9, 0.72], dtype=np.float32) * (1.5 if dim < 0.5 else 1.0)
    ys = (np.arange(floor_y, dtype=np.float32) / max(floor_y, 1))[:, None]
    xs = (np.arange(w, dtype=np.float32) / w)[None, :]
    glow = 1.0 - 0.22 * ((xs - float(rng.uniform(0.3, 0.7))) ** 2 + 0.5 * (ys - 0.3) ** 2)
    img[:floor_y] = wall[None, None, :] * glow[..., None]
    # Skirting board, then floor boards that run towards the viewer.
    board = max(2, h // 80)
    img[floor_y - board : floor_y] = wall * 0.8
    fy = np.arange(h - floor_y, dtype=np.float32)[:, None] / max(h - floor_y, 1)
    floor = np.asarray(_FLOOR, dtype=np.float32) * dim
    plank = 5 + int(rng.integers(0, 3))
    centre = w / 2.0
    xs_px = np.arange(w, dtype=np.float32)[None, :]
    spread = (xs_px - centre) / (0.45 + 0.55 * fy) / w * plank
    seams = np.abs(spread - np.round(spread)) < 0.025
    shade = 0.88 + 0.18 * fy
    tone = floor[None, None, :] * shade[..., None] * np.where(seams, 0.72, 1.0)[..., None]
    img[floor_y:] = tone
