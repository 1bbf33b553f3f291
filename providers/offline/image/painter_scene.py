"""Deciding what the picture holds: which elements, in which colours, where (seeded).

`compose()` turns a read prompt into a `Scene`: the final list of elements, the palette and
the layout numbers. Every element draws its random numbers from its own generator (seed and
element name), so removing one element (a negative prompt) leaves the others where they were.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from providers.offline.image.painter_words import PromptSpec, Rgb

if TYPE_CHECKING:
    from providers.offline.image.composition import Plan

WHITE: Rgb = (1.0, 1.0, 1.0)
BLACK: Rgb = (0.0, 0.0, 0.0)

# Elements that stand on the horizon line, and those that cover the ground in front.
FAR_ELEMENTS = frozenset({"mountains", "hills", "city", "forest"})
WATER_ELEMENTS = frozenset({"sea", "lake"})
GROUND_ELEMENTS = frozenset({"field", "flowers", "desert", "snow", "beach", "river"})
# What to draw when a prompt names no landscape at all; one is chosen by the seed.
DEFAULT_SCENES: tuple[frozenset[str], ...] = (
    frozenset({"hills", "field", "clouds"}),
    frozenset({"mountains", "lake", "clouds"}),
    frozenset({"sea", "clouds"}),
    frozenset({"hills", "forest", "field"}),
    frozenset({"mountains", "forest", "field", "clouds"}),
)


def mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def scale(a: Rgb, k: float) -> Rgb:
    return (a[0] * k, a[1] * k, a[2] * k)


@dataclass(frozen=True)
class Palette:
    sky_top: Rgb
    sky_horizon: Rgb
    sun: Rgb
    glow: Rgb
    moon: Rgb
    cloud: Rgb
    cloud_shadow: Rgb
    mountain: Rgb
    hill: Rgb
    water: Rgb
    forest: tuple[Rgb, ...]
    building: Rgb
    window: Rgb
    grass: Rgb
    sand: Rgb
    snow: Rgb
    flowers: tuple[Rgb, ...]
    windows_lit: float  # share of lit windows


_DAY = Palette(
    sky_top=(0.20, 0.42, 0.82),
    sky_horizon=(0.70, 0.84, 0.96),
    sun=(1.0, 0.98, 0.90),
    glow=(1.0, 0.95, 0.80),
    moon=(0.92, 0.93, 0.95),
    cloud=(0.99, 0.99, 1.0),
    cloud_shadow=(0.66, 0.72, 0.84),
    mountain=(0.32, 0.40, 0.54),
    hill=(0.30, 0.52, 0.24),
    water=(0.08, 0.33, 0.60),
    forest=((0.10, 0.30, 0.15), (0.14, 0.36, 0.16), (0.08, 0.26, 0.14)),
    building=(0.46, 0.50, 0.58),
    window=(0.62, 0.74, 0.88),
    grass=(0.34, 0.60, 0.20),
    sand=(0.90, 0.76, 0.52),
    snow=(0.94, 0.96, 1.0),
    flowers=((0.96, 0.55, 0.72), (0.97, 0.85, 0.20), (0.95, 0.95, 0.96), (0.82, 0.12, 0.10)),
    windows_lit=0.05,
)
_SUNSET = replace(
    _DAY,
    sky_top=(0.19, 0.15, 0.40),
    sky_horizon=(1.0, 0.55, 0.24),
    sun=(1.0, 0.82, 0.50),
    glow=(1.0, 0.52, 0.22),
    cloud=(0.98, 0.58, 0.48),
    cloud_shadow=(0.42, 0.22, 0.36),
    mountain=(0.30, 0.18, 0.30),
    hill=(0.24, 0.20, 0.16),
    water=(0.22, 0.16, 0.32),
    forest=((0.10, 0.07, 0.10), (0.13, 0.09, 0.11)),
    building=(0.20, 0.14, 0.22),
    window=(1.0, 0.80, 0.45),
    grass=(0.38, 0.32, 0.14),
    sand=(0.86, 0.56, 0.36),
    snow=(0.96, 0.78, 0.72),
    windows_lit=0.35,
)
_DAWN = replace(
    _DAY,
    sky_top=(0.42, 0.54, 0.80),
    sky_horizon=(1.0, 0.80, 0.72),
    sun=(1.0, 0.96, 0.82),
    glow=(1.0, 0.80, 0.64),
    cloud=(1.0, 0.86, 0.86),
    cloud_shadow=(0.62, 0.56, 0.70),
    mountain=(0.46, 0.43, 0.60),
    hill=(0.40, 0.52, 0.38),
    water=(0.32, 0.44, 0.64),
    forest=((0.18, 0.26, 0.25), (0.22, 0.30, 0.26)),
    building=(0.52, 0.50, 0.60),
    window=(0.95, 0.85, 0.62),
    grass=(0.44, 0.60, 0.34),
    sand=(0.92, 0.80, 0.68),
    snow=(0.99, 0.94, 0.94),
    windows_lit=0.15,
)
_NIGHT = replace(
    _DAY,
    sky_top=(0.01, 0.02, 0.07),
    sky_horizon=(0.08, 0.13, 0.27),
    glow=(0.80, 0.85, 1.0),
    moon=(0.96, 0.95, 0.86),
    cloud=(0.24, 0.27, 0.38),
    cloud_shadow=(0.05, 0.06, 0.11),
    mountain=(0.07, 0.09, 0.16),
    hill=(0.05, 0.09, 0.08),
    water=(0.03, 0.06, 0.15),
    forest=((0.02, 0.05, 0.05), (0.03, 0.06, 0.06)),
    building=(0.07, 0.08, 0.13),
    window=(1.0, 0.82, 0.45),
    grass=(0.06, 0.12, 0.08),
    sand=(0.26, 0.23, 0.24),
    snow=(0.55, 0.62, 0.78),
    flowers=((0.55, 0.35, 0.50), (0.60, 0.58, 0.40), (0.62, 0.64, 0.72)),
    windows_lit=0.45,
)
LIGHTING: dict[str, Palette] = {"day": _DAY, "sunset": _SUNSET, "dawn": _DAWN, "night": _NIGHT}


def element_rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(name.encode())])


@dataclass(frozen=True)
class Scene:
    """Everything `painter_draw.render` needs, fixed before a pixel is drawn."""

    width: int
    height: int
    seed: int
    elements: frozenset[str]
    lighting: str
    palette: Palette
    horizon: float  # fraction of the height
    shore: float  # fraction of the height where the ground in front of the water starts
    detail: int  # octaves of fractal detail (from steps)
    fog: float  # 0..1
    storm: bool
    snowy: bool
    grain: float  # film grain amplitude (ancestral samplers)
    saturation: float
    contrast: float
    global_tint: Rgb | None
    tint_strength: float
    extras: dict[str, float] = field(default_factory=dict)
    # The named subjects, backdrop and style (image/composition.py); None: landscape only.
    plan: Plan | None = None

    def rng(self, name: str) -> np.random.Generator:
        """A generator of its own for `name`, so that elements don't shift one another."""
        return element_rng(self.seed, name)

    def has(self, element: str) -> bool:
        return element in self.elements


def _lighting(spec: PromptSpec, elements: set[str], negative_moods: set[str]) -> str:
    moods = spec.moods - negative_moods
    for name in ("night", "sunset", "dawn"):
        if name in moods:
            return name
    if ("stars" in elements or "moon" in elements) and "night" not in negative_moods:
        return "night"
    return "day"


def _choose_elements(
    spec: PromptSpec, negative: set[str], lighting: str, rng: np.random.Generator
) -> set[str]:
    elements = set(spec.elements)
    scenic = elements & (FAR_ELEMENTS | WATER_ELEMENTS | GROUND_ELEMENTS)
    if not scenic:
        if elements & {"sky", "clouds", "sun", "moon", "stars"}:
            elements |= {"hills", "field"}
        else:
            elements |= DEFAULT_SCENES[int(rng.integers(len(DEFAULT_SCENES)))]
    elif not scenic & (FAR_ELEMENTS | WATER_ELEMENTS):
        # Only ground was named ("snow", "a meadow"): give the horizon something, or not.
        choices = ("", "mountains") if "desert" in scenic else ("", "hills", "forest", "mountains")
        extra = choices[int(rng.integers(len(choices)))]
        if extra:
            elements.add(extra)
    elements.add("sky")
    if lighting in ("sunset", "dawn"):
        elements.add("sun")
    if lighting == "night":
        elements.add("stars")
        if "sun" not in elements and rng.random() < 0.75:
            elements.add("moon")
    if "clouds" not in elements and lighting != "night" and rng.random() < 0.5:
        elements.add("clouds")
    if "beach" in elements:
        elements.add("sea")
    if "flowers" in elements and not elements & {"desert", "snow", "beach"}:
        elements.add("field")
    if "river" in elements and not elements & {"field", "desert", "snow"}:
        elements.add("field")
    # The sky is the canvas: a negative "sky" cannot remove it.
    return elements - (negative - {"sky"})


def _horizon(elements: set[str], rng: np.random.Generator) -> float:
    ground = elements & (GROUND_ELEMENTS | WATER_ELEMENTS)
    if "mountains" in elements:
        return float(rng.uniform(0.58, 0.70))
    if "city" in elements and not ground:
        return float(rng.uniform(0.74, 0.84))
    if ground:
        return float(rng.uniform(0.48, 0.64))
    return float(rng.uniform(0.68, 0.80))


def _colour_weight(cfg_scale: float) -> float:
    # cfg 7 (the usual default) applies a prompt's colour fully; low cfg blends it with the
    # mood's own colour, as a weakly guided model would.
    return float(np.clip(0.35 + 0.095 * cfg_scale, 0.4, 1.0))


def _paint_palette(
    base: Palette, spec: PromptSpec, weight: float, lighting: str, snowy: bool, storm: bool
) -> Palette:
    p = base
    dark = {"night": 0.45, "sunset": 0.8, "dawn": 0.95}.get(lighting, 1.0)
    if storm:
        p = replace(
            p,
            sky_top=mix(p.sky_top, (0.22, 0.24, 0.28), 0.8),
            sky_horizon=mix(p.sky_horizon, (0.55, 0.57, 0.60), 0.8),
            cloud=mix(p.cloud, (0.42, 0.44, 0.48), 0.8),
            cloud_shadow=mix(p.cloud_shadow, (0.16, 0.17, 0.20), 0.8),
            water=mix(p.water, (0.20, 0.26, 0.30), 0.6),
        )
    if snowy:
        p = replace(
            p,
            sky_top=mix(p.sky_top, scale((0.78, 0.82, 0.88), dark), 0.45),
            sky_horizon=mix(p.sky_horizon, scale((0.90, 0.92, 0.95), dark), 0.45),
            grass=p.snow,
            hill=mix(p.hill, p.snow, 0.8),
            forest=tuple(mix(c, (0.10, 0.20, 0.20), 0.4) for c in p.forest),
        )

    said = spec.colour_of
    sky = said("sky")
    if sky is not None:
        top = scale(mix(sky, BLACK, 0.28), dark)
        horizon = scale(mix(sky, WHITE, 0.30), dark)
        p = replace(
            p, sky_top=mix(p.sky_top, top, weight), sky_horizon=mix(p.sky_horizon, horizon, weight)
        )
    if spec.global_colours:
        tint = tuple(float(v) for v in np.mean(spec.global_colours, axis=0))
        top = scale(mix(tint, BLACK, 0.25), dark)  # type: ignore[arg-type]
        horizon = scale(mix(tint, WHITE, 0.35), dark)  # type: ignore[arg-type]
        k = 0.55 * weight if sky is None else 0.2 * weight
        p = replace(p, sky_top=mix(p.sky_top, top, k), sky_horizon=mix(p.sky_horizon, horizon, k))
    water = said("sea") or said("lake") or said("river")
    if water is not None:
        p = replace(p, water=mix(p.water, scale(water, max(dark, 0.6)), weight))
    simple = {
        "sun": "sun",
        "moon": "moon",
        "clouds": "cloud",
        "mountains": "mountain",
        "hills": "hill",
        "city": "building",
        "field": "grass",
        "desert": "sand",
        "beach": "sand",
        "snow": "snow",
    }
    for element, attribute in simple.items():
        colour = said(element)
        if colour is not None:
            shaded = colour if element in ("sun", "moon") else scale(colour, max(dark, 0.55))
            p = replace(p, **{attribute: mix(getattr(p, attribute), shaded, weight)})
    sun = said("sun")
    if sun is not None:
        p = replace(p, glow=mix(p.glow, sun, weight))
    clouds = said("clouds")
    if clouds is not None:
        p = replace(p, cloud_shadow=mix(p.cloud_shadow, scale(clouds, 0.55), weight))
    forest = spec.element_colours.get("forest")
    if forest:
        shades = tuple(scale(c, max(dark, 0.5) * k) for c in forest for k in (0.55, 0.7))
        p = replace(
            p,
            forest=tuple(mix(a, b, weight) for a, b in zip(p.forest * 4, shades * 4, strict=False)),
        )
    flowers = spec.element_colours.get("flowers")
    if flowers:
        p = replace(p, flowers=tuple(scale(c, max(dark, 0.6)) for c in flowers))
    return p


def _season(p: Palette, moods: set[str], spec: PromptSpec) -> Palette:
    if "autumn" in moods and "forest" not in spec.element_colours:
        autumn = ((0.80, 0.36, 0.10), (0.70, 0.20, 0.08), (0.86, 0.62, 0.16), (0.45, 0.30, 0.10))
        dim = float(np.mean(p.forest[0])) * 3.5
        p = replace(p, forest=tuple(scale(c, min(1.0, dim)) for c in autumn))
        if "field" not in spec.element_colours:
            p = replace(p, grass=mix(p.grass, (0.70, 0.55, 0.22), 0.6))
    if "spring" in moods and "flowers" not in spec.element_colours:
        p = replace(p, flowers=((0.98, 0.70, 0.80), (0.99, 0.96, 0.96), (0.95, 0.55, 0.72)))
    return p


def _placements(
    spec: PromptSpec,
    elements: set[str],
    lighting: str,
    horizon: float,
    seed: int,
    width: int,
    height: int,
) -> dict[str, float]:
    """Where the sun and moon sit, how cloudy it is: each from its element's own generator."""
    extras: dict[str, float] = {}
    aspect = min(width, height) / height
    rng = element_rng(seed, "sun")
    low = lighting in ("sunset", "dawn")
    extras["sun_x"] = float(rng.uniform(0.18, 0.82))
    extras["sun_r"] = float(rng.uniform(0.045, 0.07) * (1.3 if low else 1.0))
    radius_h = extras["sun_r"] * aspect
    if low:
        extras["sun_y"] = horizon - float(rng.uniform(0.3, 1.4)) * radius_h
    else:
        top = min(0.30, horizon - 3.0 * radius_h)
        extras["sun_y"] = float(rng.uniform(min(0.10, top), top)) if top > 0.05 else 0.08
    rng = element_rng(seed, "moon")
    side = rng.uniform(0.15, 0.4)
    if "sun" in elements:
        extras["moon_x"] = float(1.0 - extras["sun_x"] + (side - 0.3) * 0.2)
    else:
        extras["moon_x"] = float(rng.uniform(0.15, 0.85))
    extras["moon_r"] = float(rng.uniform(0.035, 0.055))
    extras["moon_y"] = float(min(rng.uniform(0.08, 0.28), horizon - 3.0 * extras["moon_r"]))
    rng = element_rng(seed, "clouds")
    if "storm" in spec.moods:
        extras["cloud_cover"] = float(rng.uniform(0.75, 0.9))
    elif "clouds" in spec.elements:
        extras["cloud_cover"] = float(rng.uniform(0.3, 0.55))
    else:
        extras["cloud_cover"] = float(rng.uniform(0.1, 0.25))
    extras["snowfall"] = float(element_rng(seed, "snowfall").random())
    extras["near_forest"] = float(element_rng(seed, "near-forest").random())
    return extras


def compose(
    spec: PromptSpec,
    negative_elements: set[str],
    negative_moods: set[str],
    *,
    width: int,
    height: int,
    seed: int,
    steps: int,
    cfg_scale: float,
    sampler: str,
) -> Scene:
    """Fix the scene: elements, palette and layout, from the prompt and the seed."""
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x5CE7E])
    moods = spec.moods - negative_moods
    lighting = _lighting(spec, spec.elements - negative_elements, negative_moods)
    elements = _choose_elements(spec, negative_elements, lighting, rng)
    storm = "storm" in moods
    snowy = "snow" in elements
    if storm:
        elements.add("clouds")
    weight = _colour_weight(cfg_scale)
    palette = _paint_palette(LIGHTING[lighting], spec, weight, lighting, snowy, storm)
    palette = _season(palette, moods, spec)
    horizon = _horizon(elements, rng)
    ground_in_front = elements & {"field", "flowers", "desert", "snow", "beach"}
    shore = 1.0
    if elements & WATER_ELEMENTS and ground_in_front:
        shore = horizon + (1.0 - horizon) * float(rng.uniform(0.45, 0.7))
    # steps: the detail a sampler would resolve; 25 steps ~ 5 octaves of fractal detail.
    detail = int(np.clip(2 + steps // 8, 2, 7))
    sampler_l = sampler.lower()
    ancestral = sampler_l.endswith(" a") or "sde" in sampler_l
    grain = 0.022 if ancestral else 0.0
    saturation = float(np.clip(0.72 + cfg_scale * 0.04, 0.75, 1.45))
    contrast = float(np.clip(0.9 + cfg_scale * 0.015, 0.9, 1.25))
    global_tint: Rgb | None = None
    if spec.global_colours:
        tint = np.mean(spec.global_colours, axis=0)
        global_tint = (float(tint[0]), float(tint[1]), float(tint[2]))
    fog = 0.0
    if "fog" in moods:
        fog = float(rng.uniform(0.45, 0.7))
    elif lighting in ("dawn",) or "lake" in elements:
        fog = float(rng.uniform(0.0, 0.18))
    extras = _placements(spec, elements, lighting, horizon, seed, width, height)
    return Scene(
        width=width,
        height=height,
        seed=seed,
        elements=frozenset(elements),
        lighting=lighting,
        palette=palette,
        horizon=horizon,
        shore=shore,
        detail=detail,
        fog=fog,
        storm=storm,
        snowy=snowy,
        grain=grain,
        saturation=saturation,
        contrast=contrast,
        global_tint=global_tint,
        tint_strength=0.22 * weight,
        extras=extras,
    )
