"""The offline image-to-music engine: the picture's character must be heard in the music."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from providers.offline.music.image_music import (
    EMOTIONS,
    choose_emotion_genre,
    picture_features,
    plan_from_picture,
)
from providers.offline.music.music import SAMPLE_RATE, render_music
from tests.analysis_helpers import estimate_key, estimate_tempo

SR = SAMPLE_RATE


def _picture(kind: str, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    h, w = 96, 128
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.zeros((h, w, 3))
    if kind == "bright":  # sunny, orange and yellow, lots going on
        rgb[..., 0] = 0.95
        rgb[..., 1] = 0.55 + 0.35 * ((xx // 6 + yy // 9) % 2)
        rgb[..., 2] = 0.1
        rgb += 0.12 * rng.standard_normal((h, w, 3))
    elif kind == "dark":  # night, deep blue, smooth
        rgb[..., 0] = 0.04
        rgb[..., 1] = 0.08
        rgb[..., 2] = 0.22 + 0.08 * yy / h
    elif kind == "grey":  # a flat overcast sky
        rgb[...] = 0.7 + 0.02 * rng.standard_normal((h, w, 1))
    elif kind == "cozy":  # soft, warm, dim-ish lamplight
        rgb[..., 0] = 0.68
        rgb[..., 1] = 0.48 + 0.04 * xx / w
        rgb[..., 2] = 0.36
    return Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8))


def test_picture_features_read_light_colour_and_detail() -> None:
    bright = picture_features(_picture("bright"))
    dark = picture_features(_picture("dark"))
    grey = picture_features(_picture("grey"))
    for features in (bright, dark, grey):
        for value in features.describe().values():
            assert 0.0 <= value <= 1.0
    assert bright.brightness > 0.6 > 0.2 > dark.brightness
    assert bright.warmth > 0.8
    assert dark.warmth < 0.2
    assert abs(grey.warmth - 0.5) < 0.1
    assert grey.saturation < 0.1
    assert bright.busyness > dark.busyness + 0.3
    assert bright.contrast > dark.contrast
    # Any mode and size is accepted.
    tiny = picture_features(_picture("bright").convert("L").resize((3, 2)))
    assert 0.0 <= tiny.brightness <= 1.0


def test_bright_warm_picture_makes_faster_major_music_than_a_dark_cold_one() -> None:
    plans = {
        k: plan_from_picture(picture_features(_picture(k)), None, None, "LARGE_MODEL", 5, 0)
        for k in ("bright", "dark")
    }
    measured = {}
    for kind, plan in plans.items():
        audio = render_music(plan, 14.0)
        measured[kind] = (estimate_tempo(audio, SR).bpm, estimate_key(audio, SR).mode)
    assert measured["bright"][0] > measured["dark"][0] * 1.3, measured
    assert measured["bright"][1] == "major", measured
    assert measured["dark"][1] == "minor", measured
    assert plans["bright"].density > plans["dark"].density


def test_explicit_emotion_and_genre_win_over_the_picture() -> None:
    bright = picture_features(_picture("bright"))
    assert choose_emotion_genre(bright, "sad", "jazz", "LARGE_MODEL") == ("SAD", "JAZZ")
    plan = plan_from_picture(bright, "SAD", "JAZZ", "LARGE_MODEL", 3, 0)
    assert (plan.mood, plan.genre, plan.mode) == ("sad", "jazz", "minor")
    dark = picture_features(_picture("dark"))
    plan = plan_from_picture(dark, "HAPPY", "CHINA", "LARGE_MODEL", 3, 0)
    assert (plan.mood, plan.genre, plan.mode) == ("happy", "chinese", "major")
    assert plan.scale_kind == "pentatonic"
    # Emotion given, genre left to the picture (and the other way round).
    emotion, genre = choose_emotion_genre(dark, "QUIET", None, "LARGE_MODEL")
    assert emotion == "QUIET"
    assert genre is not None
    emotion, genre = choose_emotion_genre(dark, None, "POP", "LARGE_MODEL")
    assert genre == "POP"
    assert emotion in EMOTIONS


def test_multitrack_rules_for_warm_angry_and_genre() -> None:
    cozy = picture_features(_picture("cozy"))
    for emotion in ("WARM", "ANGRY"):
        with pytest.raises(ValueError, match="MULTITRACK"):
            choose_emotion_genre(cozy, emotion, None, "LARGE_MODEL")
        assert choose_emotion_genre(cozy, emotion, None, "MULTITRACK") == (emotion, None)
    with pytest.raises(ValueError, match="genre"):
        choose_emotion_genre(cozy, None, "POP", "MULTITRACK")
    with pytest.raises(ValueError, match="emotion must be one of"):
        choose_emotion_genre(cozy, "BORED", None, "LARGE_MODEL")
    # The picture alone may suggest WARM, but only MULTITRACK may use it.
    assert choose_emotion_genre(cozy, None, None, "MULTITRACK")[0] == "WARM"
    large = choose_emotion_genre(cozy, None, None, "LARGE_MODEL")
    assert large[0] not in ("WARM", "ANGRY")
    assert large[1] is not None
    for kind in ("bright", "dark", "grey", "cozy"):
        features = picture_features(_picture(kind))
        emotion, genre = choose_emotion_genre(features, None, None, "LARGE_MODEL")
        assert emotion not in ("WARM", "ANGRY")
        assert genre is not None
        assert choose_emotion_genre(features, None, None, "MULTITRACK")[1] is None
    # MULTITRACK means many instruments.
    multi = plan_from_picture(cozy, "WARM", None, "MULTITRACK", 1, 0)
    large_plan = plan_from_picture(cozy, None, None, "LARGE_MODEL", 1, 0)
    assert len(multi.instruments) > len(large_plan.instruments) - 1
    assert len(multi.instruments) >= 5


def test_pieces_of_one_request_differ_but_fit_the_picture() -> None:
    features = picture_features(_picture("bright"))
    plans = [plan_from_picture(features, None, None, "LARGE_MODEL", 77, i) for i in range(3)]
    audio = [render_music(plan, 5.0) for plan in plans]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not np.allclose(audio[i], audio[j], atol=1e-3)
            a, b = plans[i], plans[j]
            assert (a.progression, a.lead, a.comp) != (b.progression, b.lead, b.comp)
    assert len({(p.tonic, p.mode, p.mood, p.genre) for p in plans}) == 1
    assert max(p.tempo_bpm for p in plans) <= 1.08 * min(p.tempo_bpm for p in plans)
    # Same request again: the same pieces.
    again = plan_from_picture(features, None, None, "LARGE_MODEL", 77, 1)
    assert again == plans[1]
