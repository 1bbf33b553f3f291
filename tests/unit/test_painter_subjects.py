"""The offline painter draws what a prompt names: subjects, colours, counts, places, styles."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from providers.offline.image.composition import bounds
from providers.offline.image.infotext import read_png_infotext, save_png_with_infotext
from providers.offline.image.painter import describe, paint, understanding
from providers.offline.image.subjects import vocabulary

SIZE = 256
SAMPLER = "DPM++ 2M Karras"


def _paint(prompt: str, negative: str = "", seed: int = 3, size: int = SIZE) -> np.ndarray:
    image = paint(prompt, negative, size, size, seed, 20, 7.0, SAMPLER, previews=0)
    return np.asarray(image, dtype=np.float32) / 255.0


def _red(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 0.45) & (r > 2.2 * g) & (r > 1.6 * b)


def _blue(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (b > 0.35) & (b > 1.6 * r) & (b > 1.2 * g)


def _yellow(img: np.ndarray) -> np.ndarray:
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return (r > 0.6) & (g > 0.45) & (b < 0.55 * g)


def _blobs(mask: np.ndarray, min_px: int) -> int:
    labels, count = ndimage.label(mask)
    if count == 0:
        return 0
    sizes = ndimage.sum(mask, labels, index=range(1, count + 1))
    return int(np.sum(sizes >= min_px))


def _items(prompt: str, negative: str = "", seed: int = 3) -> list:
    plan = describe(prompt, negative, width=SIZE, height=SIZE, seed=seed).plan
    assert plan is not None
    return list(plan.items)


def _centre_x(item) -> float:
    x0, _, x1, _ = bounds(item.key)
    return item.left + item.size * (x0 + x1) / 2.0


# --- vocabulary ----------------------------------------------------------------------------


def test_at_least_300_subjects_have_english_and_chinese_words() -> None:
    vocab = vocabulary()
    named_en = set(vocab.english.values())
    named_zh = set(vocab.chinese.values())
    both = named_en & named_zh
    assert len(both) >= 300, len(both)
    for word in ("apple", "cat", "car", "table", "guitar", "hammer", "house", "astronaut"):
        assert (word,) in vocab.english, word
    for word in ("苹果", "猫", "汽车", "桌子", "吉他", "锤子", "房子", "宇航员"):
        assert word in vocab.chinese, word


def test_unknown_words_are_listed_as_not_understood() -> None:
    words = understanding("a flibbertigibbet next to a cat, watercolor")
    assert "flibbertigibbet" in words["not_understood"]
    assert {"cat", "next to", "watercolor"} <= set(words["understood"])
    assert "cat" not in words["not_understood"]
    chinese = understanding("一只猫在咕噜咕噜旁边")
    assert "猫" in chinese["understood"]
    assert any("咕噜" in w for w in chinese["not_understood"])


# --- colours bound to their subject ----------------------------------------------------------


@pytest.mark.parametrize(
    "prompt", ["a red apple on a blue table", "一个红苹果在蓝色桌子上", "蓝色桌子上的红苹果"]
)
def test_each_colour_covers_its_subject_and_the_apple_sits_on_the_table(prompt: str) -> None:
    img = _paint(prompt)
    red, blue = _red(img), _blue(img)
    assert red.mean() > 0.012, red.mean()
    assert blue.mean() > 0.06, blue.mean()
    ry, rx = np.nonzero(red)
    by, bx = np.nonzero(blue)
    # The apple is above the table's middle and within its width.
    assert ry.mean() < by.mean()
    assert bx.min() - 2 <= rx.mean() <= bx.max() + 2
    assert np.percentile(ry, 95) <= np.percentile(by, 40)


def test_swapped_colours_swap_the_regions() -> None:
    img = _paint("a blue apple on a red table")
    red, blue = _red(img), _blue(img)
    assert red.mean() > 0.06
    assert blue.mean() > 0.012
    assert np.nonzero(blue)[0].mean() < np.nonzero(red)[0].mean()


@pytest.mark.parametrize(
    ("prompt", "mask"), [("a yellow car", _yellow), ("一辆黄色的汽车", _yellow)]
)
def test_a_recoloured_subject_shows_its_colour(prompt: str, mask) -> None:
    plain = mask(_paint("a car" if prompt[0] == "a" else "一辆汽车")).mean()
    asked = mask(_paint(prompt)).mean()
    assert asked > 0.08, (plain, asked)
    assert asked > plain + 0.05, (plain, asked)


# --- subjects differ, counts, relations, sizes ----------------------------------------------


def test_different_subjects_with_the_same_seed_differ() -> None:
    pictures = {p: _paint(p, seed=11) for p in ("a cat", "a car", "a dog", "一只猫", "a guitar")}
    for (a, x), (b, y) in itertools.combinations(pictures.items(), 2):
        if {a, b} == {"a cat", "一只猫"}:
            assert np.array_equal(x, y)  # the same words in two languages
            continue
        assert float(np.abs(x - y).mean()) > 0.03, (a, b)


@pytest.mark.parametrize(
    ("prompt", "count"), [("three birds", 3), ("三只鸟", 3), ("five birds", 5)]
)
def test_counts_are_drawn_as_separate_subjects(prompt: str, count: int) -> None:
    img = _paint(prompt, seed=5)
    assert _blobs(_red(img), 40) == count


def test_four_apples_on_a_table() -> None:
    img = _paint("four apples on a table", seed=2)
    assert _blobs(_red(img), 20) == 4


def test_left_and_right_place_the_subjects() -> None:
    for prompt, first, second in (
        ("a cat to the left of a dog", "🐈", "🐕"),
        ("a cat to the right of a dog", "🐕", "🐈"),
        ("狗在猫的左边", "🐕", "🐈"),
    ):
        centres = {item.key: _centre_x(item) for item in _items(prompt)}
        assert centres[first] < centres[second], prompt


def test_under_above_and_behind() -> None:
    under = {i.key: i for i in _items("a cat under a table")}
    assert under["🐈"].top > under["table"].top
    above = {i.key: i for i in _items("a bird above a house")}
    assert above["🐦"].top + above["🐦"].size < above["🏠"].top + above["🏠"].size * 0.5
    behind = _items("a dog behind a car")
    assert [i.key for i in behind].index("🐕") < [i.key for i in behind].index("🚗")


def test_size_words_change_the_size() -> None:
    big = _items("a big cat")[0].size
    small = _items("a small cat")[0].size
    assert big > small * 1.5


def test_close_up_frames_the_subject_large_and_studio_is_plain() -> None:
    close = _yellow(_paint("close-up of a cat, studio")).mean()
    full = _yellow(_paint("a cat, studio")).mean()
    assert close > 0.2, (close, full)
    assert close > full * 1.4, (close, full)
    studio = _paint("a guitar, studio")
    top = studio[: SIZE // 6]
    assert float(top.std(axis=(0, 1)).max()) < 0.03
    landscape = _paint("a guitar on a hill")
    assert float(landscape[: SIZE // 6].std(axis=(0, 1)).max()) > float(top.std(axis=(0, 1)).max())


def test_night_darkens_the_scene_and_its_subjects() -> None:
    day, night = _paint("a car on a hill"), _paint("a car on a hill at night")
    assert night.mean() < day.mean() * 0.6


# --- negative prompt ------------------------------------------------------------------------


def test_negative_prompt_removes_a_subject_and_a_colour() -> None:
    keys = [i.key for i in _items("a cat and a dog", negative="dog")]
    assert "🐈" in keys
    assert "🐕" not in keys
    img = _paint("a red apple on a blue table", negative="red")
    assert _red(img).mean() < 0.002
    assert _blue(img).mean() > 0.06
    chinese = [i.key for i in _items("猫和狗", negative="狗")]
    assert "🐕" not in chinese
    assert "🐈" in chinese


# --- styles --------------------------------------------------------------------------------

STYLES = ("", "watercolor", "oil painting", "pixel art", "line art", "flat illustration", "photo")


def test_styles_are_visibly_different() -> None:
    base = "a red apple on a blue table"
    renders = {s: _paint(f"{base}, {s}" if s else base) for s in (*STYLES, "水墨")}
    for (a, x), (b, y) in itertools.combinations(renders.items(), 2):
        assert float(np.abs(x - y).mean()) > 0.02, (a, b)
    pixel = (renders["pixel art"] * 255).astype(np.uint8)
    assert len(np.unique(pixel.reshape(-1, 3), axis=0)) <= 16
    blocks = pixel.reshape(SIZE // 4, 4, SIZE // 4, 4, 3)
    assert np.all(blocks == blocks[:, :1, :, :1, :])  # square pixels of 4×4
    line = renders["line art"]
    luma = line @ np.asarray([0.299, 0.587, 0.114], dtype=np.float32)
    assert (luma > 0.8).mean() > 0.7
    ink = renders["水墨"]
    saturation = ink.max(axis=2) - ink.min(axis=2)
    assert (saturation < 0.12).mean() > 0.95  # ink and paper, save the small seal


# --- what works stays working ---------------------------------------------------------------


def test_same_prompt_and_seed_give_the_same_png_bytes(tmp_path) -> None:
    files = []
    for k in range(2):
        image = paint("a red apple on a blue table, watercolor", "", 192, 192, 9, 20, 7.0, SAMPLER)
        path = save_png_with_infotext(image, tmp_path / f"{k}.png", image.info["parameters"])
        files.append(path.read_bytes())
    assert files[0] == files[1]
    assert "Seed: 9" in (read_png_infotext(tmp_path / "0.png") or "")


def test_previews_go_from_noise_to_the_subject_picture() -> None:
    shown: list[Image.Image] = []
    final = paint(
        "three birds over a lake",
        "",
        SIZE,
        SIZE,
        4,
        20,
        7.0,
        SAMPLER,
        previews=6,
        on_progress=lambda f, m, i: shown.append(i) if i is not None else None,
    )
    assert len(shown) >= 6
    target = np.asarray(final, dtype=np.float32)
    errors = [float(np.abs(np.asarray(i, dtype=np.float32) - target).mean()) for i in shown[:-1]]
    assert errors[0] > 20
    assert errors == sorted(errors, reverse=True)
    buffer = io.BytesIO()
    final.save(buffer, "PNG")
    assert buffer.tell() > 0
