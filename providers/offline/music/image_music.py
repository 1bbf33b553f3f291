"""Offline image-to-music: a picture's character chooses the emotion, genre, tempo, key and mode.

Bright, warm, saturated, busy pictures make livelier music (faster, major, denser); dark, cold,
calm ones make slower minor music. An explicit emotion or genre always wins over the picture.
The dominant hue picks the key (a colour-to-key table after Scriabin), so one picture keeps
its key across the pieces of a request; `index` gives each piece its own progression, melody
and instruments. Tencent's rules apply (docs/providers.md#tencent-fields): WARM and ANGRY only
with MULTITRACK, and no genre with MULTITRACK (MULTITRACK pieces get a fuller,
many-instrument arrangement instead).
"""

from __future__ import annotations

from typing import get_args

import numpy as np

from core.requests import MULTITRACK_ONLY_EMOTIONS, SongEmotion, SongGenre, SongType
from providers.offline.music.audio_analysis import PictureFeatures, hue_name, picture_features
from providers.offline.music.music import MusicPlan, plan_from_words
from providers.offline.music.prompt_words import PromptWords

__all__ = [
    "EMOTIONS",
    "GENRES",
    "SONG_TYPES",
    "PictureFeatures",
    "choose_emotion_genre",
    "picture_features",
    "plan_from_picture",
]

# The choices Tencent's page lists, as the request model takes them.
EMOTIONS: tuple[str, ...] = get_args(SongEmotion)
MULTITRACK_ONLY = MULTITRACK_ONLY_EMOTIONS
GENRES: tuple[str, ...] = get_args(SongGenre)
SONG_TYPES: tuple[str, ...] = get_args(SongType)

# Where each emotion sits in picture space: (brightness, saturation, warmth, contrast, busyness).
_EMOTION_PROTOTYPES: dict[str, tuple[float, float, float, float, float]] = {
    "HAPPY": (0.72, 0.62, 0.72, 0.45, 0.45),
    "EXCITING": (0.62, 0.85, 0.68, 0.75, 0.85),
    "FUNNY": (0.80, 0.80, 0.55, 0.50, 0.65),
    "ROMANTIC": (0.62, 0.55, 0.76, 0.35, 0.30),
    "WARM": (0.55, 0.42, 0.95, 0.15, 0.15),
    "LAZY": (0.55, 0.30, 0.62, 0.22, 0.18),
    "QUIET": (0.62, 0.18, 0.42, 0.18, 0.10),
    "MAGNIFICENT": (0.50, 0.45, 0.50, 0.80, 0.60),
    "SAD": (0.30, 0.18, 0.30, 0.28, 0.22),
    "FEAR": (0.14, 0.30, 0.30, 0.62, 0.50),
    "ANGRY": (0.35, 0.80, 0.92, 0.80, 0.80),
}
_GENRE_PROTOTYPES: dict[str, tuple[float, float, float, float, float]] = {
    "POP": (0.68, 0.70, 0.60, 0.55, 0.55),
    "CLASSICAL": (0.50, 0.30, 0.50, 0.50, 0.40),
    "CHINA": (0.62, 0.22, 0.55, 0.72, 0.35),
    "SOFT": (0.75, 0.28, 0.55, 0.28, 0.18),
    "JAZZ": (0.30, 0.45, 0.72, 0.45, 0.40),
}
_FEATURE_WEIGHTS = np.array([1.4, 1.0, 1.0, 0.6, 0.7])

_MOOD_OF = {
    "HAPPY": "happy", "SAD": "sad", "ROMANTIC": "romantic", "QUIET": "calm", "LAZY": "lazy",
    "EXCITING": "energetic", "MAGNIFICENT": "epic", "FUNNY": "playful", "FEAR": "scary",
    "WARM": "warm", "ANGRY": "angry",
}  # fmt: skip
_GENRE_OF = {
    "POP": "pop",
    "CLASSICAL": "classical",
    "CHINA": "chinese",
    "SOFT": "soft",
    "JAZZ": "jazz",
}
# MULTITRACK has no genre: it gets a many-instrument arrangement of a fitting kind.
_MULTITRACK_GENRE = {
    "HAPPY": "pop", "EXCITING": "electronic", "FUNNY": "pop", "ROMANTIC": "soft",
    "WARM": "folk", "LAZY": "jazz", "QUIET": "classical", "MAGNIFICENT": "cinematic",
    "SAD": "classical", "FEAR": "cinematic", "ANGRY": "rock",
}  # fmt: skip
_BASE_TEMPO = {
    "HAPPY": 118.0, "EXCITING": 132.0, "FUNNY": 120.0, "ROMANTIC": 82.0, "WARM": 90.0,
    "LAZY": 78.0, "QUIET": 72.0, "MAGNIFICENT": 96.0, "SAD": 68.0, "FEAR": 76.0, "ANGRY": 140.0,
}  # fmt: skip
_MAJOR = frozenset({"HAPPY", "EXCITING", "FUNNY", "ROMANTIC", "WARM"})
_MINOR = frozenset({"SAD", "FEAR", "ANGRY"})
# Scriabin's colour keyboard, by hue: red C, orange G, yellow D, green A, sky blue E,
# blue B, violet F#, purple Db, rosy Ab, steel Eb, red-ish Bb, deep red F.
_HUE_KEYS = (
    (0.0, 0),
    (0.07, 7),
    (0.14, 2),
    (0.3, 9),
    (0.5, 4),
    (0.62, 11),
    (0.72, 6),
    (0.8, 1),
    (0.88, 8),
    (0.93, 3),
    (0.97, 10),
)


def _vector(features: PictureFeatures) -> np.ndarray:
    return np.array(
        [
            features.brightness,
            features.saturation,
            features.warmth,
            features.contrast,
            features.busyness,
        ]
    )


def _nearest(
    features: PictureFeatures, prototypes: dict[str, tuple[float, ...]], allowed: list[str]
) -> str:
    point = _vector(features)
    return min(
        allowed,
        key=lambda name: float(
            np.sum(_FEATURE_WEIGHTS * (point - np.array(prototypes[name])) ** 2)
        ),
    )


def choose_emotion_genre(
    features: PictureFeatures, emotion: str | None, genre: str | None, song_type: str
) -> tuple[str, str | None]:
    """(emotion, genre) for a request: explicit values win, the picture fills the rest.

    Raises ValueError for combinations the provider forbids (WARM/ANGRY without MULTITRACK,
    any genre with MULTITRACK) or for unknown names.
    """
    song_type = (song_type or "LARGE_MODEL").upper()
    if song_type not in SONG_TYPES:
        raise ValueError(f"song_type must be one of {', '.join(SONG_TYPES)}")
    emotion = emotion.upper() if emotion else None
    genre = genre.upper() if genre else None
    multitrack = song_type == "MULTITRACK"
    if emotion is not None:
        if emotion not in EMOTIONS:
            raise ValueError(f"emotion must be one of {', '.join(EMOTIONS)}")
        if emotion in MULTITRACK_ONLY and not multitrack:
            raise ValueError(f"emotion {emotion} is only allowed with song_type MULTITRACK")
    if genre is not None:
        if genre not in GENRES:
            raise ValueError(f"genre must be one of {', '.join(GENRES)}")
        if multitrack:
            raise ValueError("a genre cannot be set with song_type MULTITRACK")
    if emotion is None:
        allowed = [e for e in EMOTIONS if multitrack or e not in MULTITRACK_ONLY]
        emotion = _nearest(features, _EMOTION_PROTOTYPES, allowed)
    if genre is None and not multitrack:
        genre = _nearest(features, _GENRE_PROTOTYPES, list(GENRES))
    return emotion, genre


def liveliness(features: PictureFeatures) -> float:
    """0 (dark, grey, cold, still) … 1 (bright, vivid, warm, busy)."""
    return float(
        np.clip(
            0.35 * features.brightness
            + 0.3 * features.saturation
            + 0.2 * features.busyness
            + 0.15 * features.warmth,
            0.0,
            1.0,
        )
    )


def _key_for_hue(hue: float) -> int:
    tonic = 0
    for start, pc in _HUE_KEYS:
        if hue >= start:
            tonic = pc
    return tonic


def plan_from_picture(
    features: PictureFeatures,
    emotion: str | None,
    genre: str | None,
    song_type: str,
    seed: int,
    index: int,
) -> MusicPlan:
    """The plan of piece number `index` (0-based) of a request for this picture."""
    chosen_emotion, chosen_genre = choose_emotion_genre(features, emotion, genre, song_type)
    multitrack = (song_type or "").upper() == "MULTITRACK"
    lively = liveliness(features)

    tempo = _BASE_TEMPO[chosen_emotion] * (0.88 + 0.24 * lively)
    # Pieces of one request differ a little in pace as well as in tune.
    tempo *= 1.0 + 0.03 * ((index % 3) - 1) * (1 if index else 0)
    tempo = float(np.clip(round(tempo), 56.0, 150.0))

    if chosen_emotion in _MAJOR:
        mode = "major"
    elif chosen_emotion in _MINOR:
        mode = "minor"
    else:
        mode = "major" if 0.5 * (features.brightness + features.warmth) >= 0.42 else "minor"
    if features.saturation >= 0.15:
        tonic = _key_for_hue(features.hue)
    else:
        tonic = 9 if mode == "minor" else 0  # grey pictures: the plain keys
    music_genre = (
        _MULTITRACK_GENRE[chosen_emotion] if multitrack else _GENRE_OF[chosen_genre or "POP"]
    )

    words = PromptWords(
        tempo_bpm=tempo,
        tonic=tonic % 12,
        mode=mode,  # type: ignore[arg-type]
        mood=_MOOD_OF[chosen_emotion],
        genre=music_genre,
        pace="fast" if lively > 0.7 else ("slow" if lively < 0.3 else None),
    )
    description = (
        f"{chosen_emotion.lower()} {music_genre} music for a "
        f"{'bright' if features.brightness >= 0.5 else 'dark'}, {hue_name(features.hue)} picture"
    )
    # MULTITRACK asks for many instruments: more arrangement detail, so more layers.
    steps = 95 if multitrack else int(40 + 40 * lively)
    # The variant (not the seed) changes per piece: it steps through progressions and
    # instruments and reseeds the melody, so pieces of one request never repeat each other.
    return plan_from_words(
        words, prompt=description, seed=int(seed), cfg=10.0, steps=steps, variant=int(index)
    )


def describe_choice(features: PictureFeatures, plan: MusicPlan) -> dict[str, object]:
    """Metadata for an image-to-music output: what was seen and what was decided."""
    return {"picture": features.describe(), "plan": plan.describe()}
