"""What a music prompt says, in English or Chinese: tempo, key, mode, mood, genre, instruments.

Only what the prompt states is reported; every field is None when the prompt is silent about
it, so the planner can tell "the user asked for A minor" from "nobody said anything".
Words are matched by meaning groups (several spellings per canonical word) so that the rest of
the engine only ever sees the canonical names listed in MOODS, GENRES and INSTRUMENTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["major", "minor"]
Pace = Literal["slow", "fast"]

TEMPO_MIN_BPM = 40.0
TEMPO_MAX_BPM = 240.0

# Canonical word → spellings. English entries match whole words (case-insensitive);
# entries containing CJK characters match as substrings, as Chinese has no spaces.
MOODS: dict[str, tuple[str, ...]] = {
    "happy": (
        "happy",
        "joyful",
        "cheerful",
        "upbeat",
        "sunny",
        "uplifting",
        "bright",
        "fun",
        "欢快",
        "快乐",
        "开心",
        "喜悦",
        "愉快",
        "明快",
        "阳光",
        "欢乐",
    ),
    "sad": (
        "sad",
        "melancholy",
        "melancholic",
        "sorrowful",
        "sorrow",
        "tearful",
        "heartbroken",
        "gloomy",
        "lonely",
        "grief",
        "悲伤",
        "伤感",
        "忧伤",
        "难过",
        "哀伤",
        "孤独",
        "忧郁",
        "悲凉",
    ),
    "calm": (
        "calm",
        "peaceful",
        "quiet",
        "relaxing",
        "relaxed",
        "gentle",
        "soothing",
        "serene",
        "tranquil",
        "meditative",
        "meditation",
        "sleep",
        "sleepy",
        "安静",
        "平静",
        "宁静",
        "放松",
        "舒缓",
        "轻柔",
        "恬静",
        "冥想",
        "助眠",
    ),
    "epic": (
        "epic",
        "heroic",
        "grand",
        "majestic",
        "magnificent",
        "triumphant",
        "glorious",
        "史诗",
        "恢弘",
        "宏大",
        "壮丽",
        "磅礴",
        "英雄",
        "雄伟",
        "大气",
    ),
    "dark": (
        "dark",
        "ominous",
        "sinister",
        "mysterious",
        "eerie",
        "gothic",
        "黑暗",
        "阴暗",
        "神秘",
        "阴森",
        "暗黑",
    ),
    "scary": (
        "scary",
        "fear",
        "horror",
        "creepy",
        "tense",
        "suspense",
        "frightening",
        "恐怖",
        "恐惧",
        "惊悚",
        "紧张",
        "害怕",
    ),
    "romantic": (
        "romantic",
        "love",
        "tender",
        "sweet",
        "dreamy",
        "浪漫",
        "爱情",
        "温柔",
        "甜蜜",
        "梦幻",
    ),
    "energetic": (
        "energetic",
        "exciting",
        "excited",
        "powerful",
        "intense",
        "driving",
        "party",
        "hype",
        "激昂",
        "兴奋",
        "激情",
        "动感",
        "热血",
        "活力",
        "激烈",
    ),
    "lazy": (
        "lazy",
        "chill",
        "chilled",
        "laid-back",
        "laidback",
        "mellow",
        "lounge",
        "慵懒",
        "悠闲",
        "惬意",
        "闲适",
    ),
    "playful": (
        "playful",
        "funny",
        "quirky",
        "cute",
        "whimsical",
        "bouncy",
        "俏皮",
        "可爱",
        "搞笑",
        "诙谐",
    ),
    "warm": ("warm", "cozy", "nostalgic", "温暖", "温馨", "怀旧"),
    "angry": ("angry", "aggressive", "furious", "rage", "愤怒", "暴躁", "狂暴"),
}

GENRES: dict[str, tuple[str, ...]] = {
    "pop": ("pop", "k-pop", "kpop", "流行"),
    "rock": ("rock", "metal", "punk", "grunge", "摇滚", "金属"),
    "jazz": ("jazz", "swing", "bossa", "bebop", "blues", "爵士", "布鲁斯"),
    "classical": (
        "classical",
        "orchestral",
        "orchestra",
        "baroque",
        "symphony",
        "symphonic",
        "sonata",
        "古典",
        "交响",
        "管弦",
    ),
    "lofi": ("lofi", "lo-fi", "lo fi", "chillhop", "低保真"),
    "ambient": ("ambient", "drone", "new age", "atmospheric", "氛围", "环境音乐"),
    "electronic": (
        "electronic",
        "edm",
        "techno",
        "house",
        "synthwave",
        "trance",
        "dance",
        "电子",
        "电音",
    ),
    "chinese": (
        "chinese",
        "oriental",
        "guofeng",
        "国风",
        "中国风",
        "古风",
        "民乐",
        "民族风",
    ),
    "cinematic": (
        "cinematic",
        "film score",
        "soundtrack",
        "trailer",
        "movie",
        "电影",
        "配乐",
        "影视",
    ),
    "soft": ("light music", "easy listening", "soft", "轻音乐", "纯音乐"),
    "folk": ("folk", "acoustic", "country", "singer-songwriter", "民谣", "乡村"),
    "piano": ("solo piano", "piano solo", "piano piece", "piano music", "钢琴曲", "钢琴独奏"),
}

INSTRUMENTS: dict[str, tuple[str, ...]] = {
    "piano": ("piano", "keys", "钢琴"),
    "epiano": ("rhodes", "electric piano", "e-piano", "epiano", "wurlitzer", "电钢琴", "电钢"),
    "strings": (
        "strings",
        "string",
        "violin",
        "violins",
        "cello",
        "cellos",
        "viola",
        "弦乐",
        "小提琴",
        "大提琴",
        "中提琴",
    ),
    "guitar": ("guitar", "guitars", "acoustic guitar", "吉他", "木吉他"),
    "bass": ("bass", "bassline", "bass guitar", "贝斯", "低音"),
    "drums": ("drums", "drum", "beat", "beats", "percussion", "鼓", "打击乐", "架子鼓"),
    "flute": ("flute", "flutes", "长笛"),
    "dizi": ("dizi", "bamboo flute", "笛子", "竹笛", "笛"),
    "guzheng": ("guzheng", "zither", "pipa", "koto", "古筝", "琵琶", "古琴"),
    "erhu": ("erhu", "二胡"),
    "bells": (
        "bells",
        "bell",
        "glockenspiel",
        "music box",
        "celesta",
        "chimes",
        "铃",
        "钟琴",
        "八音盒",
    ),
    "pad": ("pad", "pads", "synth pad", "垫音"),
    "synth": ("synth", "synths", "synthesizer", "lead synth", "合成器"),
    "harp": ("harp", "竖琴"),
    "brass": ("brass", "horn", "horns", "trumpet", "trombone", "铜管", "圆号", "小号"),
    "organ": ("organ", "风琴", "管风琴"),
    "voice": ("voice", "vocal", "vocals", "choir", "singing", "人声", "合唱", "哼唱"),
}

PACE_WORDS: dict[Pace, tuple[str, ...]] = {
    "slow": ("slow", "slowly", "largo", "adagio", "lento", "慢", "缓慢", "慢速", "慢板"),
    "fast": ("fast", "quick", "rapid", "allegro", "presto", "uptempo", "快速", "快节奏", "急促"),
}

_NEGATIONS_EN = ("no", "without", "minus", "not")
_NEGATIONS_ZH = ("不要", "没有", "无", "去掉", "不带", "不用")

_NOTE_PCS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff]")
_CN_NUMBER = r"[零〇一二两三四五六七八九十百]+"
_NUMBER = rf"(?<![\d.])(\d{{2,3}}(?:\.\d+)?|{_CN_NUMBER})"

_TEMPO_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"{_NUMBER}\s*(?:bpm|beats?\s*(?:per|/)\s*min(?:ute)?)\b", re.IGNORECASE),
    re.compile(rf"(?:bpm|tempo)\s*(?:of|=|:|at)?\s*{_NUMBER}", re.IGNORECASE),
    re.compile(rf"每分钟\s*{_NUMBER}\s*拍"),
    re.compile(rf"(?:速度|节拍|节奏)\s*(?:为|是|:|：)?\s*{_NUMBER}"),
    re.compile(rf"(?<![\d/])(?<![零〇一二两三四五六七八九十百]){_NUMBER}\s*拍"),
)

_ACCIDENTAL = r"(#|♯|b|♭|-?\s?sharp|-?\s?flat)?"
_KEY_EN = re.compile(
    rf"(?<![A-Za-z])([A-Ga-g]){_ACCIDENTAL}\s*(major|minor|maj|min|m)(?![A-Za-z])",
    re.IGNORECASE,
)
# "in G" only counts when nothing word-like follows ("in A world" is not a key).
_KEY_OF_EN = re.compile(
    rf"\b(?:key\s+of|in\s+the\s+key\s+of|in)\s+([A-G]){_ACCIDENTAL}"
    r"(?=\s*(?:$|[,.;:!?)\]]|(?:at|with|and|for)\b))"
)
_KEY_ZH = re.compile(r"(升|降|#|♯|b|♭)?\s*([A-Ga-g])\s*(#|♯|b|♭)?\s*(大调|小调|调)")
_MODE_ONLY = (
    (re.compile(r"\bmajor\s+(?:key|mode|scale|tonality)\b", re.IGNORECASE), "major"),
    (re.compile(r"\bminor\s+(?:key|mode|scale|tonality)\b", re.IGNORECASE), "minor"),
    (re.compile(r"\bin\s+(?:a\s+)?major\b", re.IGNORECASE), "major"),
    (re.compile(r"\bin\s+(?:a\s+)?minor\b", re.IGNORECASE), "minor"),
    (re.compile(r"大调"), "major"),
    (re.compile(r"小调"), "minor"),
)


@dataclass(frozen=True)
class PromptWords:
    """What the prompt said; each field is None when the prompt did not say it."""

    tempo_bpm: float | None = None
    tonic: int | None = None
    mode: Mode | None = None
    mood: str | None = None
    genre: str | None = None
    instruments: tuple[str, ...] | None = None
    excluded: tuple[str, ...] | None = None
    pace: Pace | None = None

    def said_anything(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__dataclass_fields__)


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 999 (一百二十 → 120, 九十 → 90, 一二零 → 120)."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = 0
    current = 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
    return total + current


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        value = chinese_number(text)
        return float(value) if value is not None else None


def _accidental(text: str | None) -> int:
    if not text:
        return 0
    text = text.strip().lower().lstrip("-").strip()
    if text in ("#", "♯", "sharp", "升"):
        return 1
    if text in ("b", "♭", "flat", "降"):
        return -1
    return 0


def parse_tempo(prompt: str) -> float | None:
    """The tempo the prompt names in beats per minute (clamped to 40–240), or None."""
    for pattern in _TEMPO_PATTERNS:
        for match in pattern.finditer(prompt):
            value = _number(match.group(1))
            if value is not None and 20 <= value <= 400:
                return float(min(max(value, TEMPO_MIN_BPM), TEMPO_MAX_BPM))
    return None


def parse_key(prompt: str) -> tuple[int | None, Mode | None]:
    """(tonic pitch class 0–11, mode) named by the prompt; either may be None."""
    found: list[tuple[int, int | None, Mode | None]] = []
    for match in _KEY_EN.finditer(prompt):
        letter, accidental, mode_word = match.group(1), match.group(2), match.group(3)
        mode_word_lower = mode_word.lower()
        if mode_word_lower == "m" and (letter.islower() or match.group(0)[-1] != "m"):
            continue  # "am"/"em" are English words; only "Am", "F#m" count as chord-style keys
        pc = (_NOTE_PCS[letter.lower()] + _accidental(accidental)) % 12
        mode: Mode = "major" if mode_word_lower in ("major", "maj") else "minor"
        found.append((match.start(), pc, mode))
    for match in _KEY_ZH.finditer(prompt):
        before, letter, after, kind = match.groups()
        pc = (_NOTE_PCS[letter.lower()] + _accidental(before) + _accidental(after)) % 12
        zh_mode: Mode | None = {"大调": "major", "小调": "minor"}.get(kind)  # type: ignore[assignment]
        if zh_mode is None and letter.islower():
            continue  # "c调" without 大/小 is too ambiguous to read as anything
        found.append((match.start(), pc, zh_mode))
    if found:
        found.sort(key=lambda item: item[0])
        return found[0][1], found[0][2]
    for match in _KEY_OF_EN.finditer(prompt):
        return (_NOTE_PCS[match.group(1).lower()] + _accidental(match.group(2))) % 12, None
    for pattern, mode_name in _MODE_ONLY:
        if pattern.search(prompt):
            return None, mode_name  # type: ignore[return-value]
    return None, None


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    if _CJK.search(spelling):
        return re.compile(re.escape(spelling))
    words = r"[\s\-]?".join(re.escape(part) for part in re.split(r"[\s\-]+", spelling))
    return re.compile(rf"(?<![A-Za-z]){words}(?![A-Za-z])", re.IGNORECASE)


_COMPILED: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _patterns(
    table_name: str, table: dict[str, tuple[str, ...]]
) -> list[tuple[str, re.Pattern[str]]]:
    if table_name not in _COMPILED:
        _COMPILED[table_name] = [
            (canonical, _spelling_pattern(spelling))
            for canonical, spellings in table.items()
            for spelling in spellings
        ]
    return _COMPILED[table_name]


def _is_negated(prompt: str, start: int) -> bool:
    before = prompt[max(0, start - 12) : start]
    if any(before.rstrip().endswith(word) for word in _NEGATIONS_ZH):
        return True
    words = re.findall(r"[A-Za-z]+", before)
    return bool(words) and words[-1].lower() in _NEGATIONS_EN


def _find_all(
    prompt: str, table_name: str, table: dict[str, tuple[str, ...]]
) -> list[tuple[int, str, bool]]:
    """(position, canonical, negated) for every mention, earliest first."""
    hits: dict[str, tuple[int, bool]] = {}
    covered: list[tuple[int, int]] = []
    # Longer spellings first so "electric piano" is read before "piano" inside it.
    ordered = sorted(_patterns(table_name, table), key=lambda item: -len(item[1].pattern))
    for canonical, pattern in ordered:
        for match in pattern.finditer(prompt):
            span = (match.start(), match.end())
            if any(span[0] < end and start < span[1] for start, end in covered):
                continue
            covered.append(span)
            negated = _is_negated(prompt, match.start())
            if canonical not in hits or match.start() < hits[canonical][0]:
                hits[canonical] = (match.start(), negated)
    return sorted((pos, canonical, neg) for canonical, (pos, neg) in hits.items())


def parse_prompt(prompt: str) -> PromptWords:
    """Read a prompt (English and/or Chinese) into PromptWords."""
    text = prompt or ""
    tempo = parse_tempo(text)
    tonic, mode = parse_key(text)

    moods = [canonical for _, canonical, neg in _find_all(text, "moods", MOODS) if not neg]
    genres = [canonical for _, canonical, neg in _find_all(text, "genres", GENRES) if not neg]
    named = _find_all(text, "instruments", INSTRUMENTS)
    wanted = [canonical for _, canonical, neg in named if not neg]
    unwanted = [canonical for _, canonical, neg in named if neg]

    pace: Pace | None = None
    pace_hits = sorted(
        (pattern.search(text).start(), name)  # type: ignore[union-attr]
        for name, spellings in PACE_WORDS.items()
        for spelling in spellings
        if (pattern := _spelling_pattern(spelling)).search(text)
    )
    if pace_hits:
        pace = pace_hits[0][1]  # type: ignore[assignment]

    return PromptWords(
        tempo_bpm=tempo,
        tonic=tonic,
        mode=mode,
        mood=moods[0] if moods else None,
        genre=genres[0] if genres else None,
        instruments=tuple(wanted) if wanted else None,
        excluded=tuple(unwanted) if unwanted else None,
        pace=pace,
    )


PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def key_name(tonic: int, mode: str) -> str:
    """'A minor', 'F# major' …"""
    return f"{PITCH_NAMES[tonic % 12]} {mode}"
