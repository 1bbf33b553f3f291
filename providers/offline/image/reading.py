"""Reading a prompt (English or Chinese) into subjects, relations, attributes and a style.

One pass over the words finds what each word is: a subject ("apple", 苹果), a landscape
element, mood, colour or colour modifier (painter_words), a count ("three", 三只), a size
("big", 小), a relation ("on", "next to", 旁边), a framing ("portrait", 特写), a backdrop
("studio", 白底) or a style ("watercolor", 水墨). A colour binds to the subject or element it
qualifies: the next one within a few words ("a red apple", 红苹果), else the one just before
("the car is red"); counts and sizes bind to the next subject. Relations link the subjects on
either side of them ("a cat on a table"; 猫在桌子上). Words that mean nothing to the painter
are listed as not understood; grammar words (a, the, of, 的 …) are neither.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from providers.offline.image import painter_words
from providers.offline.image.painter_words import COLOURS, MODIFIERS, PromptSpec, Rgb
from providers.offline.image.subjects import singular, vocabulary

STYLES = ("watercolor", "oil", "pixel", "line", "flat", "photo", "ink")

# Word (or phrase, space separated) -> (kind, value). Relations are read as "A rel B".
_EN_WORDS: dict[str, tuple[str, str]] = {}
_ZH_WORDS: dict[str, tuple[str, str]] = {}


def _add(table: dict[str, tuple[str, str]], kind: str, value: str, words: str, sep: str) -> None:
    for word in words.split(sep):
        word = word.strip()
        if word:
            table[word] = (kind, value)


for _rel, _words in {
    "on": "on|on top of|onto|atop|sitting on|standing on|upon|resting on",
    "under": "under|beneath|below|underneath|under the",
    "beside": "next to|beside|by|near|close to|alongside|with|and|nearby|besides",
    "front": "in front of|before|facing",
    "behind": "behind|in back of|at the back of",
    "above": "above|over|flying over|hovering over|over the",
    "left": "left of|to the left of|on the left of",
    "right": "right of|to the right of|on the right of",
    "in": "in|inside|within|into|inside of",
}.items():
    _add(_EN_WORDS, "rel", _rel, _words, "|")
for _pos, _words in {
    "left": "on the left|at left|at the left|left side|left",
    "right": "on the right|at right|at the right|right side|right",
    "centre": "in the middle|in the center|in the centre|centered|centred|center|centre|middle",
}.items():
    _add(_EN_WORDS, "pos", _pos, _words, "|")
for _n, _words in {
    "1": "a|an|one|single|lone|a single|solitary",
    "2": "two|pair of|a pair of|couple of|a couple of|twin|both",
    "3": "three|several|a few|few|trio of",
    "4": "four",
    "5": "five|many|lots of|a lot of|a group of|group of|a flock of|flock of|herd of|a herd of|"
    "school of|a school of|bunch of|a bunch of|crowd of|a crowd of",
    "6": "six|half a dozen",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "10": "ten",
    "12": "twelve|dozen|a dozen",
}.items():
    _add(_EN_WORDS, "count", _n, _words, "|")
for _size, _words in {
    "1.35": "big|large|huge|giant|enormous|tall|massive|gigantic|oversized",
    "0.65": "small|little|tiny|mini|miniature|petite|short",
}.items():
    _add(_EN_WORDS, "size", _size, _words, "|")
_add(
    _EN_WORDS,
    "frame",
    "close",
    "portrait|close up|close-up|closeup|headshot|macro|close shot|bust|profile picture|avatar",
    "|",
)
_add(_EN_WORDS, "frame", "wide", "wide shot|wide angle|full body|long shot|panorama|landscape", "|")
_add(
    _EN_WORDS,
    "backdrop",
    "studio",
    "studio|studio lighting|studio shot|plain background|simple background|isolated|"
    "product shot|product photo|seamless background|solid background|clean background",
    "|",
)
_add(_EN_WORDS, "background", "", "background|backdrop|wall", "|")
for _style, _words in {
    "watercolor": "watercolor|watercolour|watercolors|watercolours|aquarelle|watercolor painting",
    "oil": "oil painting|oil|oil on canvas|impasto|oils",
    "pixel": "pixel art|pixel|pixels|pixelated|8-bit|8 bit|16-bit|16 bit|retro game|sprite",
    "line": "line art|line drawing|lineart|line-art|outline|coloring page|colouring page|sketch|"
    "pencil sketch|pen and ink|drawing",
    "flat": "flat illustration|flat|flat design|vector|vector art|illustration|minimalist|"
    "cartoon|clipart|clip art",
    "photo": "photo|photograph|photorealistic|photo-realistic|realistic|photography|dslr|"
    "hyperrealistic|35mm|bokeh|cinematic|raw photo|8k photo",
    "ink": "ink wash|sumi-e|sumie|chinese painting|chinese ink|ink painting|shan shui|ink",
}.items():
    _add(_EN_WORDS, "style", _style, _words, "|")
_add(_EN_WORDS, "mood", "warm", "cozy|cosy|warm|snug", "|")
_add(_EN_WORDS, "mood", "night", "night sky|at night", "|")

_GRAMMAR_EN = frozenset(
    [
        "the",
        "of",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "some",
        "there",
        "here",
        "to",
        "for",
        "from",
        "as",
        "at",
        "very",
        "so",
        "such",
        "their",
        "his",
        "her",
        "my",
        "our",
        "your",
        "them",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
        "me",
        "painting",
        "picture",
        "image",
        "scene",
        "view",
        "art",
        "artwork",
        "style",
        "of-the",
        "high",
        "quality",
        "best",
        "masterpiece",
        "detailed",
        "highly",
        "beautiful",
        "4k",
        "8k",
        "hd",
        "uhd",
        "trending",
        "artstation",
        "rendering",
        "render",
        "sitting",
        "standing",
        "lying",
        "flying",
        "swimming",
        "walking",
        "running",
        "looking",
        "made",
        "holding",
        "wearing",
        "full",
    ]
)

# Chinese: relation words after the second noun ("A 在 B 上"), and before it ("B 上的 A").
for _rel, _words in {
    "on": "上 上面 上边 之上 顶上 上头",
    "under": "下 下面 下边 之下 底下 下方 下头",
    "beside": "旁边 旁 边上 身边 附近 旁边的 和 与 跟 及 以及 还有 同",
    "front": "前面 前边 前方 之前 面前 跟前 前",
    "behind": "后面 后边 后方 之后 背后 后头 后",
    "above": "上方 上空 之上方 头顶 天上",
    "left": "左边 左侧 左面 左方",
    "right": "右边 右侧 右面 右方",
    "in": "里 里面 里边 中 之中 内 当中",
}.items():
    _add(_ZH_WORDS, "rel", _rel, _words, " ")
_add(_ZH_WORDS, "pos", "centre", "中间 中央 正中 中心", " ")
_ZH_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
_ZH_NUMBERS.update({"九": 9, "十": 10, "几": 3, "一群": 5, "很多": 5, "许多": 5, "一些": 3})
_MEASURES = "个只头匹条棵朵辆架艘座栋本把张位名块片杯碗盘串根颗双对盆枝尾台部间幢轮粒"
for _word, _n in list(_ZH_NUMBERS.items()):
    _ZH_WORDS[_word] = ("count", str(_n))
    if len(_word) == 1:
        for _m in _MEASURES:
            _ZH_WORDS[_word + _m] = ("count", str(_n))
_add(_ZH_WORDS, "size", "1.35", "大 巨大 巨型 高大 大大的 庞大", " ")
_add(_ZH_WORDS, "size", "0.65", "小 小小 迷你 微型 小小的 矮", " ")
_add(_ZH_WORDS, "frame", "close", "特写 肖像 头像 近景 大头照 半身像 人像 证件照 微距", " ")
_add(_ZH_WORDS, "frame", "wide", "全景 远景 全身", " ")
_add(_ZH_WORDS, "backdrop", "studio", "摄影棚 影棚 棚拍 纯色背景 白底 纯背景 简单背景 产品照", " ")
_add(_ZH_WORDS, "background", "", "背景 背景色 底色 墙 墙壁", " ")
for _style, _words in {
    "watercolor": "水彩 水彩画",
    "oil": "油画 油彩",
    "pixel": "像素 像素画 像素风 像素艺术 八位",
    "line": "线稿 线描 简笔画 素描 白描 线条画 勾线",
    "flat": "扁平 扁平化 插画 矢量 矢量图 卡通 扁平插画",
    "photo": "照片 写实 摄影 真实 逼真 实拍 超写实",
    "ink": "水墨 水墨画 国画 山水画 中国画 墨",
}.items():
    _add(_ZH_WORDS, "style", _style, _words, " ")
_add(_ZH_WORDS, "mood", "warm", "温馨 温暖 舒适 暖", " ")
_GRAMMAR_ZH = frozenset(
    [
        "的",
        "色",
        "是",
        "有",
        "在",
        "着",
        "了",
        "之",
        "地",
        "得",
        "个",
        "只",
        "一",
        "很",
        "非常",
        "画",
        "一幅",
        "一张",
        "图",
        "图片",
        "画面",
        "风格",
        "站",
        "坐",
        "躺",
        "飞",
        "放",
        "着的",
    ]
)

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[\u3400-\u9fff]+")
_WEIGHT_RE = re.compile(r":\s*-?\d+(?:\.\d+)?")
_COLOUR_REACH = 3


@dataclass
class Word:
    """One word or phrase of the prompt and what the painter takes it for."""

    text: str
    kind: str  # subject element mood colour modifier count size rel pos frame backdrop ...
    values: tuple[str, ...] = ()
    plural: bool = False


@dataclass
class Mention:
    """A subject the prompt names, with what is said of it."""

    key: str
    word: str
    count: int = 1
    counted: bool = False  # a number was said (else a plural gets a few)
    plural: bool = False
    colour: Rgb | None = None
    colour_name: str | None = None
    size: float = 1.0
    position: str | None = None  # left | right | centre


@dataclass
class Reading:
    """Everything the painter takes from one prompt."""

    spec: PromptSpec
    mentions: list[Mention] = field(default_factory=list)
    relations: list[tuple[int, str, int]] = field(default_factory=list)  # (a, rel, b)
    style: str | None = None
    framing: str | None = None  # close | wide
    studio: bool = False
    backdrop_colour: Rgb | None = None
    warm: bool = False
    colour_names: set[str] = field(default_factory=set)  # every colour named
    understood: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)


def _landscape(word: str) -> Word | None:
    tags = painter_words.word_tags(word)
    if not tags:
        return None
    kinds = {t[:2] for t in tags}
    if "c:" in kinds:
        return Word(word, "colour", tuple(t[2:] for t in tags if t.startswith("c:")))
    if "d:" in kinds:
        return Word(word, "modifier", tuple(t[2:] for t in tags if t.startswith("d:")))
    return Word(word, "landscape", tags)


def _read_english(words: list[str]) -> list[Word]:
    vocab = vocabulary()
    longest = max(vocab.longest_english, 4)
    out: list[Word] = []
    i = 0
    while i < len(words):
        found: Word | None = None
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            key = vocab.english.get(phrase)
            plural = False
            if key is None:
                one = singular(phrase[-1])
                if one is not None:
                    key = vocab.english.get((*phrase[:-1], one))
                    plural = key is not None
            text = " ".join(phrase)
            if key is not None:
                found = Word(text, "subject", (key,), plural=plural)
            elif text in _EN_WORDS:
                kind, value = _EN_WORDS[text]
                found = Word(text, kind, (value,))
            elif n == 1:
                found = _landscape(text)
                if found is None and text.isdigit():
                    found = Word(text, "count", (str(min(int(text), 12)),))
            if found is not None:
                i += n
                break
        if found is None:
            found = Word(words[i], "grammar" if words[i] in _GRAMMAR_EN else "unknown")
            i += 1
        out.append(found)
    return out


def _read_chinese(run: str) -> list[Word]:
    vocab = vocabulary()
    longest = max(vocab.longest_chinese, 6)
    out: list[Word] = []
    unknown = ""
    i = 0
    while i < len(run):
        found: Word | None = None
        for n in range(min(longest, len(run) - i), 0, -1):
            word = run[i : i + n]
            if word in vocab.chinese:
                found = Word(word, "subject", (vocab.chinese[word],))
            elif word in _ZH_WORDS:
                kind, value = _ZH_WORDS[word]
                found = Word(word, kind, (value,))
            else:
                found = _landscape(word)
                if found is None and word in _GRAMMAR_ZH:
                    found = Word(word, "grammar")
            if found is not None:
                i += n
                break
        if found is None:
            unknown += run[i]
            i += 1
            continue
        if unknown:
            out.append(Word(unknown, "unknown"))
            unknown = ""
        out.append(found)
    if unknown:
        out.append(Word(unknown, "unknown"))
    return out


def words_of(text: str) -> list[Word]:
    """The prompt as words and phrases, each with what the painter takes it for."""
    text = _WEIGHT_RE.sub(" ", text.lower())
    out: list[Word] = []
    english: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(0)
        if token[0].isascii():
            english.append(token)
            continue
        out.extend(_read_english(english))
        english = []
        out.extend(_read_chinese(token))
    out.extend(_read_english(english))
    return out


def _is_target(word: Word) -> bool:
    if word.kind in ("subject", "background"):
        return True
    return word.kind == "landscape" and any(t.startswith("e:") for t in word.values)


def _target_near(words: list[Word], index: int) -> int | None:
    for step in range(1, _COLOUR_REACH + 1):
        j = index + step
        if j >= len(words) or words[j].kind in ("rel", "colour"):
            break
        if _is_target(words[j]):
            return j
    for step in range(1, _COLOUR_REACH + 1):
        j = index - step
        if j < 0 or words[j].kind == "rel":
            break
        if _is_target(words[j]):
            return j
    return None


def _apply_modifier(colour: Rgb, modifier: str) -> Rgb:
    to_black, to_white = MODIFIERS[modifier]
    r, g, b = (c * (1 - to_black) for c in colour)
    return (r + (1 - r) * to_white, g + (1 - g) * to_white, b + (1 - b) * to_white)


def _relations(words: list[Word], mention_at: dict[int, int]) -> list[tuple[int, str, int]]:
    """Relations between consecutive subjects, from the words between them."""
    relations: list[tuple[int, str, int]] = []
    indexes = sorted(mention_at)
    for a_pos, b_pos in itertools.pairwise(indexes):
        between = words[a_pos + 1 : b_pos]
        after_b = words[b_pos + 1] if b_pos + 1 < len(words) else None
        a, b = mention_at[a_pos], mention_at[b_pos]
        rels = [w.values[0] for w in between if w.kind == "rel"]
        zai = any(w.text == "在" for w in between)
        if zai and after_b is not None and after_b.kind == "rel":
            relations.append((a, after_b.values[0], b))  # 猫在桌子上: the cat on the table
        elif rels and any(w.text in ("的", "有") for w in between) and not zai:
            relations.append((b, rels[0], a))  # 桌子上的苹果 / 桌子上有苹果: apple on table
        elif rels:
            relations.append((a, rels[-1] if rels[-1] != "beside" else rels[0], b))
        elif not between or all(w.kind == "grammar" for w in between):
            relations.append((a, "compound" if not between else "beside", b))
    return relations


def read(text: str) -> Reading:
    """What the painter takes from a prompt."""
    words = words_of(text)
    spec = PromptSpec()
    reading = Reading(spec=spec)
    mention_at: dict[int, int] = {}
    for index, word in enumerate(words):
        if word.kind == "subject":
            mention_at[index] = len(reading.mentions)
            reading.mentions.append(Mention(key=word.values[0], word=word.text, plural=word.plural))
    pending_count: tuple[int, int] | None = None  # (count, position)
    pending_size: float | None = None
    pending_modifier: str | None = None
    for index, word in enumerate(words):
        kind = word.kind
        if kind == "unknown":
            reading.not_understood.append(word.text)
            continue
        if kind != "grammar" and word.text not in ("a", "an"):
            reading.understood.append(word.text)
        if kind == "landscape":
            for tag in word.values:
                if tag.startswith("e:"):
                    spec.elements.add(tag[2:])
                elif tag.startswith("m:"):
                    spec.moods.add(tag[2:])
        elif kind == "mood":
            if word.values[0] == "warm":
                reading.warm = True
            else:
                spec.moods.add(word.values[0])
        elif kind == "modifier":
            pending_modifier = word.values[0]
            continue
        elif kind == "colour":
            name = word.values[0]
            colour = COLOURS[name]
            if pending_modifier is not None:
                colour = _apply_modifier(colour, pending_modifier)
            reading.colour_names.add(name)
            target = _target_near(words, index)
            if target is None and word.text == "orange" and "🍊" in vocabulary().subjects:
                # "an orange" (no noun follows): the fruit.
                mention_at[index] = len(reading.mentions)
                reading.mentions.append(Mention(key="🍊", word="orange"))
                target = index
            if target is None:
                spec.global_colours.append(colour)
            elif words[target].kind == "subject" or target == index:
                mention = reading.mentions[mention_at[target]]
                if mention.colour is None:
                    mention.colour, mention.colour_name = colour, name
            elif words[target].kind == "background":
                reading.backdrop_colour = colour
                reading.studio = True
            else:
                element = next(t[2:] for t in words[target].values if t.startswith("e:"))
                spec.element_colours.setdefault(element, []).append(colour)
        elif kind == "count":
            pending_count = (int(word.values[0]), index)
        elif kind == "size":
            pending_size = float(word.values[0])
        elif kind == "style":
            reading.style = reading.style or word.values[0]
        elif kind == "frame":
            reading.framing = word.values[0]
        elif kind == "backdrop":
            reading.studio = True
        elif kind == "pos":
            before = [i for i in mention_at if i < index]
            if before:
                reading.mentions[mention_at[max(before)]].position = word.values[0]
        elif kind == "subject":
            mention = reading.mentions[mention_at[index]]
            if pending_count is not None and index - pending_count[1] <= 4:
                mention.count, mention.counted = pending_count[0], True
            if pending_size is not None:
                mention.size = pending_size
            pending_count, pending_size = None, None
        if word.text not in ("色", "的"):
            pending_modifier = None
    spec.known_words = list(reading.understood)
    reading.relations = _relations(words, mention_at)
    return reading
