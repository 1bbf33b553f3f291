"""Reading a prompt (English or Chinese) into what the procedural painter knows how to draw.

The painter knows a small vocabulary: scene elements (sky, sun, sea, mountains, …), moods
(sunset, night, …), colours (red, 蓝, …) and colour modifiers (dark, 浅, …). A colour word is
attached to the element it describes: the next element within a few words ("red sky",
"蓝色的海"), else the element just before it ("the sky is red", "天空是红色的"); a colour
that describes nothing tints the whole picture. Words outside the vocabulary are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Rgb = tuple[float, float, float]

ELEMENTS: tuple[str, ...] = (
    "sky",
    "sun",
    "moon",
    "stars",
    "clouds",
    "sea",
    "lake",
    "river",
    "beach",
    "mountains",
    "hills",
    "forest",
    "city",
    "flowers",
    "field",
    "desert",
    "snow",
    "rain",
)
MOODS: tuple[str, ...] = ("sunset", "dawn", "night", "fog", "storm", "autumn", "spring")

COLOURS: dict[str, Rgb] = {
    "red": (0.82, 0.12, 0.10),
    "orange": (0.96, 0.50, 0.12),
    "yellow": (0.97, 0.85, 0.20),
    "green": (0.20, 0.62, 0.24),
    "cyan": (0.12, 0.68, 0.76),
    "blue": (0.14, 0.34, 0.86),
    "purple": (0.50, 0.22, 0.72),
    "pink": (0.96, 0.55, 0.72),
    "white": (0.95, 0.95, 0.96),
    "black": (0.06, 0.06, 0.08),
    "gray": (0.50, 0.51, 0.53),
    "golden": (0.95, 0.72, 0.22),
    "silver": (0.78, 0.80, 0.84),
    "brown": (0.45, 0.28, 0.14),
}
# Modifier word -> (mix towards black, mix towards white).
MODIFIERS: dict[str, tuple[float, float]] = {
    "dark": (0.45, 0.0),
    "deep": (0.35, 0.0),
    "light": (0.0, 0.45),
    "pale": (0.0, 0.55),
    "bright": (0.0, 0.15),
}

_E = "e:"  # element tag prefix
_M = "m:"  # mood tag prefix
_C = "c:"  # colour tag prefix
_D = "d:"  # modifier tag prefix


# One word -> the tags it stands for. Element tags come first: a colour attaches to the first.
_ENGLISH: dict[str, tuple[str, ...]] = {}
_CHINESE: dict[str, tuple[str, ...]] = {}


def _add(table: dict[str, tuple[str, ...]], words: str, *tags: str) -> None:
    for word in words.split():
        table[word] = tuple(tags)


for _name in ELEMENTS:
    _add(_ENGLISH, _name, _E + _name)
_add(_ENGLISH, "skies heaven heavens", _E + "sky")
_add(_ENGLISH, "sunny sunshine sunlight sunlit", _E + "sun")
_add(_ENGLISH, "moons moonlight", _E + "moon")
_add(_ENGLISH, "moonlit", _E + "moon", _M + "night")
_add(_ENGLISH, "star starlight galaxy", _E + "stars")
_add(_ENGLISH, "starry", _E + "stars", _M + "night")
_add(_ENGLISH, "cloud cloudy", _E + "clouds")
_add(_ENGLISH, "ocean oceans seas seascape waves wave", _E + "sea")
_add(_ENGLISH, "beaches coast shore seaside", _E + "sea", _E + "beach")
_add(_ENGLISH, "lakes pond lagoon", _E + "lake")
_add(_ENGLISH, "rivers stream creek", _E + "river")
_add(_ENGLISH, "mountain peak peaks alps range", _E + "mountains")
_add(_ENGLISH, "hill hillside valley", _E + "hills")
_add(_ENGLISH, "forests woods wood woodland tree trees pine pines jungle", _E + "forest")
_add(_ENGLISH, "town cities cityscape building buildings skyline skyscraper", _E + "city")
_add(_ENGLISH, "skyscrapers street downtown", _E + "city")
_add(_ENGLISH, "flower blossom blossoms roses rose tulips tulip garden", _E + "flowers")
_add(_ENGLISH, "fields meadow meadows grass grassland prairie lawn", _E + "field")
_add(_ENGLISH, "dune dunes sand sahara", _E + "desert")
_add(_ENGLISH, "snowy snowing snowfall winter", _E + "snow")
_add(_ENGLISH, "rainy raining rainfall", _E + "rain")
_add(_ENGLISH, "sunset dusk evening twilight", _M + "sunset")
_add(_ENGLISH, "sunrise dawn morning daybreak", _M + "dawn")
_add(_ENGLISH, "night nighttime midnight nocturnal", _M + "night")
_add(_ENGLISH, "fog foggy mist misty haze hazy", _M + "fog")
_add(_ENGLISH, "storm stormy thunderstorm thunder", _M + "storm", _E + "clouds", _E + "rain")
_add(_ENGLISH, "autumn fall", _M + "autumn")
_add(_ENGLISH, "spring", _M + "spring")
for _name in COLOURS:
    _add(_ENGLISH, _name, _C + _name)
_add(_ENGLISH, "crimson scarlet ruby", _C + "red")
_add(_ENGLISH, "amber", _C + "orange")
_add(_ENGLISH, "lemon", _C + "yellow")
_add(_ENGLISH, "emerald", _C + "green")
_add(_ENGLISH, "turquoise teal aqua", _C + "cyan")
_add(_ENGLISH, "azure navy cobalt sapphire", _C + "blue")
_add(_ENGLISH, "violet lavender magenta", _C + "purple")
_add(_ENGLISH, "rosy", _C + "pink")
_add(_ENGLISH, "grey", _C + "gray")
_add(_ENGLISH, "gold", _C + "golden")
for _name in MODIFIERS:
    _add(_ENGLISH, _name, _D + _name)

_add(_CHINESE, "天空 天 苍穹", _E + "sky")
_add(_CHINESE, "太阳 阳光 日 烈日", _E + "sun")
_add(_CHINESE, "月亮 月光 月 明月", _E + "moon")
_add(_CHINESE, "星星 星 星辰 银河", _E + "stars")
_add(_CHINESE, "星空", _E + "stars", _E + "sky", _M + "night")
_add(_CHINESE, "云 云朵 云彩", _E + "clouds")
_add(_CHINESE, "海 大海 海洋 海浪 波浪", _E + "sea")
_add(_CHINESE, "海边 海滩 沙滩 海岸", _E + "sea", _E + "beach")
_add(_CHINESE, "湖 湖泊 池塘", _E + "lake")
_add(_CHINESE, "河 江 溪 河流 小溪", _E + "river")
_add(_CHINESE, "山 山脉 高山 山峰", _E + "mountains")
_add(_CHINESE, "雪山", _E + "mountains", _E + "snow")
_add(_CHINESE, "丘 山丘 丘陵 小山", _E + "hills")
_add(_CHINESE, "森林 树林 树 松树 树木 林 丛林", _E + "forest")
_add(_CHINESE, "城市 城 建筑 楼 高楼 大楼 都市", _E + "city")
_add(_CHINESE, "花 花朵 鲜花 樱花 玫瑰 花园", _E + "flowers")
_add(_CHINESE, "花海", _E + "flowers", _E + "field")
_add(_CHINESE, "田野 草地 草原 草 田 原野", _E + "field")
_add(_CHINESE, "沙漠 沙丘 沙", _E + "desert")
_add(_CHINESE, "雪 雪景 冬 冬天 冬日", _E + "snow")
_add(_CHINESE, "雨 下雨", _E + "rain")
_add(_CHINESE, "日落 夕阳 黄昏 傍晚 落日 晚霞", _M + "sunset")
_add(_CHINESE, "日出 黎明 清晨 早晨 朝阳 晨", _M + "dawn")
_add(_CHINESE, "夜 夜晚 晚上 夜景 深夜 午夜", _M + "night")
_add(_CHINESE, "夜空", _M + "night", _E + "sky")
_add(_CHINESE, "雾 薄雾 烟雾 雾气", _M + "fog")
_add(_CHINESE, "暴风雨 雷雨 风暴", _M + "storm", _E + "clouds", _E + "rain")
_add(_CHINESE, "秋 秋天", _M + "autumn")
_add(_CHINESE, "春 春天", _M + "spring")
_add(_CHINESE, "红 赤", _C + "red")
_add(_CHINESE, "橙 橘", _C + "orange")
_add(_CHINESE, "黄", _C + "yellow")
_add(_CHINESE, "绿 碧", _C + "green")
_add(_CHINESE, "青", _C + "cyan")
_add(_CHINESE, "蓝", _C + "blue")
_add(_CHINESE, "紫", _C + "purple")
_add(_CHINESE, "粉", _C + "pink")
_add(_CHINESE, "白", _C + "white")
_add(_CHINESE, "黑", _C + "black")
_add(_CHINESE, "灰", _C + "gray")
_add(_CHINESE, "金 金色", _C + "golden")
_add(_CHINESE, "银 银色", _C + "silver")
_add(_CHINESE, "棕 褐", _C + "brown")
_add(_CHINESE, "深 暗", _D + "dark")
_add(_CHINESE, "浅 淡", _D + "pale")
_add(_CHINESE, "亮 明亮", _D + "bright")


def vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Every English and Chinese word the landscape vocabulary knows."""
    return frozenset(_ENGLISH), frozenset(_CHINESE)


def word_tags(word: str) -> tuple[str, ...]:
    """The tags of one English or Chinese word ("e:sky", "m:night", "c:red", "d:dark")."""
    return _ENGLISH.get(word) or _CHINESE.get(word) or ()


def colour_words_en() -> list[str]:
    return [w for w, tags in _ENGLISH.items() if any(t.startswith((_C, _D)) for t in tags)]


def colour_words_zh() -> list[str]:
    return [w for w, tags in _CHINESE.items() if any(t.startswith((_C, _D)) for t in tags)]


_CHINESE_MAX_KEY = max(len(key) for key in _CHINESE)
# How many words away a colour may be from the element it describes.
_COLOUR_REACH = 3
_TOKEN_RE = re.compile(r"[a-z]+|[\u3400-\u9fff]+")
# A1111 attention syntax: "(red sky:1.3)", "[blue]", "{{sea}}" -> plain words.
_WEIGHT_RE = re.compile(r":\s*-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Token:
    """One word of the prompt: its tags (empty for an unknown word)."""

    text: str
    tags: tuple[str, ...]

    def of(self, prefix: str) -> list[str]:
        return [tag[len(prefix) :] for tag in self.tags if tag.startswith(prefix)]


@dataclass
class PromptSpec:
    """What a prompt asks the painter for."""

    elements: set[str] = field(default_factory=set)
    moods: set[str] = field(default_factory=set)
    # element -> colours said of it, in prompt order.
    element_colours: dict[str, list[Rgb]] = field(default_factory=dict)
    # colours that describe no element: they tint the whole picture.
    global_colours: list[Rgb] = field(default_factory=list)
    # words the painter knew, for the record.
    known_words: list[str] = field(default_factory=list)

    def colour_of(self, element: str) -> Rgb | None:
        """The mean of the colours said of `element`, or None."""
        colours = self.element_colours.get(element)
        if not colours:
            return None
        return _mean(colours)


def _mean(colours: list[Rgb]) -> Rgb:
    n = float(len(colours))
    return (
        sum(c[0] for c in colours) / n,
        sum(c[1] for c in colours) / n,
        sum(c[2] for c in colours) / n,
    )


def _apply_modifier(colour: Rgb, modifier: str) -> Rgb:
    to_black, to_white = MODIFIERS[modifier]
    r, g, b = colour
    r, g, b = (r * (1 - to_black), g * (1 - to_black), b * (1 - to_black))
    return (r + (1 - r) * to_white, g + (1 - g) * to_white, b + (1 - b) * to_white)


def _chinese_tokens(run: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(run):
        for size in range(min(_CHINESE_MAX_KEY, len(run) - i), 0, -1):
            word = run[i : i + size]
            if word in _CHINESE:
                tokens.append(Token(word, _CHINESE[word]))
                i += size
                break
        else:
            tokens.append(Token(run[i], ()))
            i += 1
    return tokens


def tokenize(text: str) -> list[Token]:
    """Split a prompt into known and unknown words (Chinese by longest dictionary match)."""
    text = _WEIGHT_RE.sub(" ", text.lower())
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(text):
        run = match.group(0)
        if run[0].isascii():
            tokens.append(Token(run, _ENGLISH.get(run, ())))
        else:
            tokens.extend(_chinese_tokens(run))
    return tokens


def _element_near(tokens: list[Token], index: int) -> str | None:
    for step in range(1, _COLOUR_REACH + 1):
        if index + step >= len(tokens):
            break
        elements = tokens[index + step].of(_E)
        if elements:
            return elements[0]
    for step in range(1, _COLOUR_REACH + 1):
        if index - step < 0:
            break
        elements = tokens[index - step].of(_E)
        if elements:
            return elements[0]
    return None


def read_prompt(text: str) -> PromptSpec:
    """The elements, moods and colours of a prompt."""
    tokens = tokenize(text)
    spec = PromptSpec()
    pending_modifier: str | None = None
    for index, token in enumerate(tokens):
        if token.tags:
            spec.known_words.append(token.text)
        spec.elements.update(token.of(_E))
        spec.moods.update(token.of(_M))
        modifiers = token.of(_D)
        if modifiers:
            pending_modifier = modifiers[0]
            continue
        for name in token.of(_C):
            colour = COLOURS[name]
            if pending_modifier is not None:
                colour = _apply_modifier(colour, pending_modifier)
            element = _element_near(tokens, index)
            if element is None:
                spec.global_colours.append(colour)
            else:
                spec.element_colours.setdefault(element, []).append(colour)
        if token.text not in ("色", "的"):
            pending_modifier = None
    return spec
