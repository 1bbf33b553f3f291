"""The offline painter: determinism, prompt colours, negative prompts, previews, hires, infotext."""

from __future__ import annotations

import colorsys
import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from providers.offline.image.infotext import (
    format_infotext,
    parse_infotext,
    read_png_infotext,
    save_png_with_infotext,
)
from providers.offline.image.painter import EngineCancelled, describe, hires, paint
from providers.offline.image.painter_words import read_prompt

SIZE = 256
SAMPLER = "DPM++ 2M Karras"


def _paint(prompt: str, negative: str = "", seed: int = 1, **kw: object) -> np.ndarray:
    args: dict[str, object] = {
        "width": SIZE,
        "height": SIZE,
        "steps": 20,
        "cfg_scale": 7.0,
        "sampler": SAMPLER,
    }
    args.update(kw)
    image = paint(prompt, negative, seed=seed, previews=0, **args)  # type: ignore[arg-type]
    return np.asarray(image, dtype=np.float32) / 255.0


def _mean_rgb(region: np.ndarray) -> np.ndarray:
    return region.reshape(-1, 3).mean(axis=0)


def _hue_deg(rgb: np.ndarray) -> float:
    return colorsys.rgb_to_hsv(*(float(v) for v in rgb))[0] * 360.0


def _luma(img: np.ndarray) -> np.ndarray:
    return img @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _hf_energy(img: np.ndarray) -> float:
    return float(np.abs(ndimage.laplace(_luma(img))).mean())


def _bright_disc(img: np.ndarray) -> tuple[float, float] | None:
    """(radius px, fill ratio of its bounding box) of the largest very bright blob, or None.

    A disc fills pi/4 (0.785) of its bounding box and is as wide as it is tall.
    """
    bright = _luma(img) > 0.9
    labels, count = ndimage.label(bright)
    if count == 0:
        return None
    sizes = ndimage.sum(bright, labels, index=range(1, count + 1))
    best = int(np.argmax(sizes)) + 1
    ys, xs = np.nonzero(labels == best)
    h, w = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    area = float(sizes[best - 1])
    if min(h, w) / max(h, w) < 0.8:
        return None
    return (h + w) / 4.0, area / float(h * w)


# --- determinism -------------------------------------------------------------------------


def test_same_arguments_give_identical_pixels_and_another_seed_differs() -> None:
    a = _paint("mountains and a lake at sunset", seed=7)
    b = _paint("mountains and a lake at sunset", seed=7)
    c = _paint("mountains and a lake at sunset", seed=8)
    assert np.array_equal(a, b)
    assert np.abs(a - c).mean() > 0.02


def test_other_seed_gives_another_composition() -> None:
    layouts = {
        (
            round(describe("sun over the sea", seed=s).horizon, 3),
            round(describe("sun over the sea", seed=s).extras["sun_x"], 3),
        )
        for s in range(5)
    }
    assert len(layouts) == 5


def test_size_is_honoured() -> None:
    for width, height in ((320, 200), (96, 64), (64, 128)):
        image = paint("a forest", "", width, height, 3, 10, 7, SAMPLER, previews=0)
        assert image.size == (width, height)
        assert image.mode == "RGB"


# --- prompt words ------------------------------------------------------------------------


def test_colour_words_attach_to_their_element() -> None:
    assert read_prompt("red sky over a blue sea").colour_of("sky") == pytest.approx(
        (0.82, 0.12, 0.10)
    )
    assert read_prompt("the sky is red").colour_of("sky") is not None
    sea = read_prompt("蓝色的海").colour_of("sea")
    assert sea is not None
    assert sea[2] > sea[0]
    assert sea[2] > sea[1]
    assert read_prompt("天空是红色的").colour_of("sky") is not None
    spec = read_prompt("a red painting")
    assert spec.global_colours
    assert not spec.element_colours


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_red_sky_is_red_and_blue_sky_is_blue(seed: int) -> None:
    top = slice(0, SIZE // 4)
    red = _mean_rgb(_paint("red sky", seed=seed)[top])
    blue = _mean_rgb(_paint("blue sky", seed=seed)[top])
    green = _mean_rgb(_paint("green sky", seed=seed)[top])
    assert red[0] > red[1] + 0.15
    assert red[0] > red[2] + 0.15
    assert _hue_deg(red) < 25 or _hue_deg(red) > 335
    assert blue[2] > blue[0] + 0.15
    assert blue[2] > blue[1]
    assert green[1] > green[0] + 0.1
    assert green[1] > green[2] + 0.1
    assert red[0] > blue[0] + 0.3


@pytest.mark.parametrize("seed", [4, 5])
def test_chinese_colour_of_the_sea_shows_in_the_lower_part(seed: int) -> None:
    bottom = slice(SIZE * 3 // 4, SIZE)
    blue = _mean_rgb(_paint("蓝色的海", seed=seed)[bottom])
    red = _mean_rgb(_paint("红色的海", seed=seed)[bottom])
    assert blue[2] > blue[0] + 0.1
    assert blue[2] > blue[1] + 0.05
    assert red[0] > red[2] + 0.1
    assert red[0] > red[1] + 0.1


def test_cfg_scale_raises_colour_saturation() -> None:
    def saturation(img: np.ndarray) -> float:
        return float((img.max(axis=2) - img.min(axis=2)).mean())

    low = saturation(_paint("green field under a blue sky", seed=9, cfg_scale=2.0))
    high = saturation(_paint("green field under a blue sky", seed=9, cfg_scale=12.0))
    assert high > low * 1.2


def test_ancestral_sampler_adds_grain() -> None:
    plain = _paint("a calm lake", seed=11, sampler="Euler")
    grainy = _paint("a calm lake", seed=11, sampler="Euler a")
    assert _hf_energy(grainy) > _hf_energy(plain) * 1.5


# --- negative prompt ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_negative_prompt_removes_the_sun(seed: int) -> None:
    with_sun = _paint("the sun over the sea", "clouds", seed=seed)
    without = _paint("the sun over the sea", "clouds, sun", seed=seed)
    disc = _bright_disc(with_sun)
    assert disc is not None
    radius, fill = disc
    assert radius > SIZE * 0.03
    assert 0.65 < fill < 0.9  # round, like pi/4
    gone = _bright_disc(without)
    assert gone is None or gone[0] < SIZE * 0.01
    # Only the sun went: the rest of the composition stays put (same horizon, same sea).
    assert np.abs(with_sun - without)[SIZE // 2 :].mean() < 0.08


def test_chinese_negative_prompt_removes_elements() -> None:
    assert "sun" in describe("太阳和大海", seed=1).elements
    assert "sun" not in describe("太阳和大海", "太阳", seed=1).elements
    assert "city" not in describe("city by the sea", "buildings", seed=1).elements


# --- previews ----------------------------------------------------------------------------


def test_previews_go_from_noise_to_the_final_picture() -> None:
    calls: list[tuple[float, str, Image.Image | None]] = []
    final = paint(
        "snowy mountains above a pine forest",
        "",
        SIZE,
        SIZE,
        21,
        25,
        7.0,
        SAMPLER,
        previews=6,
        on_progress=lambda f, m, i: calls.append((f, m, i)),
    )
    fractions = [f for f, _, _ in calls]
    assert fractions == sorted(fractions)
    assert len(set(fractions)) == len(fractions)
    assert fractions[-1] == 1.0
    images = [np.asarray(i, dtype=np.float32) / 255.0 for _, _, i in calls if i is not None]
    assert len(images) >= 6  # at least 5 intermediate images, then the final one
    target = np.asarray(final, dtype=np.float32) / 255.0
    assert np.array_equal(images[-1], target)
    correlations = [_corr(_luma(img), _luma(target)) for img in images]
    assert correlations[0] < 0.35
    assert all(b > a for a, b in itertools.pairwise(correlations))
    assert _hf_energy(images[0]) > 2.0 * _hf_energy(target)


def test_should_stop_raises_engine_cancelled() -> None:
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    seen: list[float] = []
    with pytest.raises(EngineCancelled):
        paint(
            "a city",
            "",
            SIZE,
            SIZE,
            1,
            20,
            7,
            SAMPLER,
            on_progress=lambda f, m, i: seen.append(f),
            should_stop=stop,
        )
    assert 1.0 not in seen


# --- hires -------------------------------------------------------------------------------


def test_hires_size_is_scaled_and_rounded_to_multiples_of_8() -> None:
    base = paint("hills", "", 200, 136, 5, 10, 7, SAMPLER, previews=0)
    up = hires(base, 1.5, 10, 0.5, 5)
    assert up.size == (304, 208)  # 300 -> 304, 204 -> 208
    assert up.size[0] % 8 == 0
    assert up.size[1] % 8 == 0
    again = hires(base, 1.5, 10, 0.5, 5)
    assert np.array_equal(np.asarray(up), np.asarray(again))
    # Still the same picture: scaled back down, it is close to the original.
    back = np.asarray(up.resize(base.size, Image.Resampling.LANCZOS), dtype=np.float32)
    mse = float(((back - np.asarray(base, dtype=np.float32)) ** 2).mean())
    assert 10 * np.log10(255.0**2 / max(mse, 1e-9)) > 25.0


def test_hires_denoising_strength_adds_detail() -> None:
    base = paint("a forest", "", 128, 128, 5, 10, 7, SAMPLER, previews=0)
    soft = np.asarray(hires(base, 2.0, 20, 0.0, 5), dtype=np.float32) / 255.0
    crisp = np.asarray(hires(base, 2.0, 20, 0.9, 5), dtype=np.float32) / 255.0
    assert soft.shape == crisp.shape == (256, 256, 3)
    assert _hf_energy(crisp) > _hf_energy(soft) * 1.2


# --- infotext ----------------------------------------------------------------------------

PARAMS = {
    "prompt": "雪山下的湖, (masterpiece:1.2), best quality",
    "negative_prompt": "lowres, bad anatomy, sun",
    "steps": 25,
    "sampler": "DPM++ 2M Karras",
    "cfg_scale": 7.5,
    "seed": 123,
    "width": 768,
    "height": 512,
    "checkpoint": "majicmixRealistic_v7.safetensors",
    "vae": "vae-ft-mse-840000",
    "enable_hr": True,
    "denoising_strength": 0.55,
    "hr_scale": 2.0,
    "hr_second_pass_steps": 20,
    "clip_skip": 2,
}


def test_infotext_looks_like_a1111() -> None:
    text = format_infotext(PARAMS)
    lines = text.split("\n")
    assert lines[0] == PARAMS["prompt"]
    assert lines[1] == "Negative prompt: lowres, bad anatomy, sun"
    assert lines[2].startswith("Steps: 25, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 123")
    assert "Size: 768x512" in lines[2]
    assert "Hires upscale: 2" in lines[2]
    assert "Denoising strength: 0.55" in lines[2]
    assert "Clip skip: 2" in lines[2]
    plain = format_infotext({**PARAMS, "enable_hr": False, "negative_prompt": ""})
    assert "Hires" not in plain
    assert "Denoising" not in plain
    assert "Negative" not in plain


def test_infotext_round_trips() -> None:
    parsed = parse_infotext(format_infotext(PARAMS))
    assert parsed == PARAMS
    quoted = {**PARAMS, "checkpoint": "model, v2: final"}
    assert parse_infotext(format_infotext(quoted))["checkpoint"] == "model, v2: final"


def test_parses_a_real_a1111_text() -> None:
    text = (
        "1girl, kneeling\nNegative prompt: (worst quality:1.4), nsfw\n"
        "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1221212, Size: 512x768, "
        'Model hash: abc123, Model: anything-v5, Lora hashes: "x: 1, y: 2", Version: v1.6.0'
    )
    parsed = parse_infotext(text)
    assert parsed["prompt"] == "1girl, kneeling"
    assert parsed["negative_prompt"] == "(worst quality:1.4), nsfw"
    assert (parsed["steps"], parsed["seed"], parsed["width"], parsed["height"]) == (
        20,
        1221212,
        512,
        768,
    )
    assert parsed["checkpoint"] == "anything-v5"
    assert parsed["extra"]["Lora hashes"] == "x: 1, y: 2"


def test_png_text_chunk_round_trips(tmp_path: Path) -> None:
    image = paint(PARAMS["prompt"], PARAMS["negative_prompt"], 64, 64, 123, 5, 7.5, SAMPLER)
    text = format_infotext(PARAMS)
    path = save_png_with_infotext(image, tmp_path / "out.png", text, {"job": {"id": "j1"}})
    with Image.open(path) as reopened:
        assert reopened.text["parameters"] == text
        assert reopened.text["job"] == '{"id": "j1"}'
        assert np.array_equal(np.asarray(reopened.convert("RGB")), np.asarray(image))
    assert read_png_infotext(path) == text
    assert parse_infotext(read_png_infotext(path) or "") == PARAMS
    assert "Seed: 123" in image.info["parameters"]
