"""The subject vocabulary: English and Chinese words -> drawable subjects.

Words come from subject_table.py (what people type) and from Unicode's CLDR emoji names in
the `emoji` package (English and Chinese), for subjects whose artwork is installed. Landscape
words (sky, sea, forest, red, …) belong to painter_words and are not taken over, except the
few a table line marks with "!" ("tree" is one tree; "trees" stays a forest).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from providers.offline.image import glyphs, painter_words
from providers.offline.image.subject_table import INDOOR_KINDS, KINDS, ROWS

# Plurals that the suffix rules below do not undo.
_IRREGULAR = {
    "mice": "mouse",
    "geese": "goose",
    "people": "person",
    "persons": "person",
    "children": "child",
    "kids": "kid",
    "men": "man",
    "women": "woman",
    "oxen": "ox",
    "cacti": "cactus",
    "knives": "knife",
    "leaves": "leaf",
    "wolves": "wolf",
    "loaves": "loaf",
    "elves": "elf",
    "teeth": "tooth",
    "feet": "foot",
    "dice": "dice",
    "sheep": "sheep",
    "fish": "fish",
    "deer": "deer",
    "bison": "bison",
    "fries": "fries",
    "glasses": "glasses",
    "scissors": "scissors",
    "jeans": "jeans",
    "pants": "pants",
    "species": "species",
}


@dataclass(frozen=True)
class Subject:
    """Something the painter can draw: its artwork key, kind and real-world size."""

    key: str
    name: str
    kind: str
    size_m: float

    @property
    def placement(self) -> str:
        return KINDS[self.kind]

    @property
    def indoor(self) -> bool:
        return self.kind in INDOOR_KINDS


def singular(word: str) -> str | None:
    """The singular of an English plural, or None when `word` does not look plural."""
    if word in _IRREGULAR:
        base = _IRREGULAR[word]
        return base if base != word else None
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "oes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return None


def _landscape_words() -> tuple[set[str], set[str]]:
    english, chinese = painter_words.vocabulary()
    return set(english), set(chinese)


def _cldr_names(key: str) -> tuple[list[str], list[str]]:
    try:
        import emoji
    except ImportError:  # the names are a bonus; the table's words still work
        return [], []
    if key not in emoji.EMOJI_DATA:
        key = key.replace("\ufe0f", "")
    data = emoji.EMOJI_DATA.get(key)
    if not data:
        return [], []
    english = [data.get("en", ""), *data.get("alias", [])]
    names_en = [n.strip(":").replace("_", " ").lower() for n in english if n]
    names_zh = [data["zh"].strip(":")] if data.get("zh") else []
    return names_en, names_zh


@dataclass(frozen=True)
class Vocabulary:
    subjects: dict[str, Subject]  # key -> subject
    english: dict[tuple[str, ...], str]  # phrase (words) -> key
    chinese: dict[str, str]  # word -> key

    @property
    def longest_english(self) -> int:
        return max(len(p) for p in self.english)

    @property
    def longest_chinese(self) -> int:
        return max(len(w) for w in self.chinese)


def _load_emoji_zh() -> None:
    try:
        import emoji

        emoji.config.load_language("zh")
    except (ImportError, AttributeError, KeyError, OSError):
        pass


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """All subjects whose artwork is installed, with their words (built once)."""
    _load_emoji_zh()
    land_en, land_zh = _landscape_words()
    colours = set(painter_words.COLOURS) | set(painter_words.colour_words_en())
    colour_chars = set(painter_words.colour_words_zh())
    subjects: dict[str, Subject] = {}
    english: dict[tuple[str, ...], str] = {}
    chinese: dict[str, str] = {}
    later_en: list[tuple[str, str]] = []
    later_zh: list[tuple[str, str]] = []
    for key, kind, size, words_en, words_zh in ROWS:
        if not glyphs.available(key):
            continue
        name = words_en[0].lstrip("!")
        subjects[key] = Subject(key=key, name=name, kind=kind, size_m=size)
        for word in words_en:
            forced = word.startswith("!")
            phrase = tuple(word.lstrip("!").replace("-", " ").split())
            if not forced and len(phrase) == 1 and phrase[0] in land_en:
                continue
            english.setdefault(phrase, key)
        for word in words_zh:
            forced = word.startswith("!")
            word = word.lstrip("!")
            if not forced and word in land_zh:
                continue
            chinese.setdefault(word, key)
        cldr_en, cldr_zh = _cldr_names(key)
        later_en.extend((n, key) for n in cldr_en)
        later_zh.extend((n, key) for n in cldr_zh)
    # CLDR names fill gaps only: the table's words win, and a name that starts with a
    # colour would swallow the colour word ("red apple" must leave "red" to bind).
    for name, key in later_en:
        phrase = tuple(name.replace("-", " ").split())
        if not phrase or phrase[0] in colours or (len(phrase) == 1 and phrase[0] in land_en):
            continue
        english.setdefault(phrase, key)
    for name, key in later_zh:
        if not name or name[0] in colour_chars or name in land_zh:
            continue
        chinese.setdefault(name, key)
    return Vocabulary(subjects=subjects, english=english, chinese=chinese)
