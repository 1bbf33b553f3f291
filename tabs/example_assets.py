"""The small media files the tabs' examples use.

The files in tabs/examples/ are committed assets: the app never writes them. They were made
once, offline and reproducibly (fixed seeds), with `python -m scripts.make_example_assets`.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
SUNNY_FIELD = EXAMPLES_DIR / "sunny_field.png"
NIGHT_SEA = EXAMPLES_DIR / "night_sea.png"
AUTUMN_FOREST = EXAMPLES_DIR / "autumn_forest.png"
SHORT_SONG = EXAMPLES_DIR / "short_song.mp3"
TINY_CLIP = EXAMPLES_DIR / "tiny_clip.mp4"

# Size caps of the committed files (tests/e2e/test_i18n.py checks them).
MAX_PICTURE_BYTES = 60_000
MAX_SONG_BYTES = 150_000
MAX_CLIP_BYTES = 200_000
MAX_SONG_SECONDS = 8.0

PICTURES: dict[Path, str] = {
    SUNNY_FIELD: "bright sunny green field, blue sky, white clouds, yellow flowers",
    NIGHT_SEA: "dark blue night sea under the moon and stars",
    AUTUMN_FOREST: "golden autumn forest, orange trees, river, misty morning",
}
PICTURE_SIZE = (320, 240)
SONG_PROMPT = "cheerful pop in C major, 110 bpm, piano and drums"
SONG_SECONDS = 7.0
CLIP_SIZE = (160, 90)
CLIP_SECONDS = 2.0
CLIP_FPS = 12
