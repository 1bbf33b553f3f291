"""Placing the subjects a prompt names: backdrop, sizes, positions and drawing order (seeded).

Sizes follow real-world sizes, softened (a cat next to a house is small but visible); a
relation places one subject against another ("on" sits on its top surface, "under" stands
beneath it, "behind" is further back and drawn first); subjects without a relation stand in
a row in the order named, "left"/"right" reorder that row. Birds and planes fly in the sky,
boats float on the water. "portrait"/"close-up" frames the main subject large; "studio" (or
a coloured background) gives a plain backdrop; indoor things with no landscape get a room.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from providers.offline.image import glyphs
from providers.offline.image.colours import colour_class
from providers.offline.image.painter_scene import Scene, element_rng
from providers.offline.image.painter_words import COLOURS, Rgb
from providers.offline.image.reading import Mention, Reading
from providers.offline.image.subjects import Subject, vocabulary

MAX_ITEMS = 16  # copies drawn in all; "a hundred birds" draws this many
_DEFAULT_PLURAL = (3, 4)
# Relations that attach a subject to another instead of standing in the row.
ATTACHED = frozenset({"on", "under", "above", "in", "front", "behind"})


@dataclass(frozen=True)
class Placed:
    """One drawn copy of a subject: square artwork box in pixels, colour and depth."""

    key: str
    left: float
    top: float
    size: float  # side of the artwork's square box
    colour: Rgb | None
    grounded: bool  # casts a shadow on the floor at `bottom`
    bottom: float
    flip: bool


@dataclass(frozen=True)
class Plan:
    backdrop: str  # landscape | studio | room
    items: tuple[Placed, ...]
    close: bool
    backdrop_colour: Rgb | None
    warm: bool
    banned: frozenset[str]
    style: str | None


@lru_cache(maxsize=1024)
def bounds(key: str) -> tuple[float, float, float, float]:
    """The artwork's drawn extent as fractions of its box: x0, y0, x1, y1."""
    art = glyphs.artwork(key)
    if art is None or not art.shapes:
        return (0.0, 0.0, 1.0, 1.0)
    pts = np.concatenate([r for s in art.shapes for r in s.rings])
    side = max(art.width, art.height)
    lo = np.clip(pts.min(axis=0) / side, 0.0, 1.0)
    hi = np.clip(pts.max(axis=0) / side, 0.0, 1.0)
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


# Where a subject's top surface is, as a share of its drawn height from the top.
_SURFACE = {"table": 0.12, "shelf": 0.02, "🛋️": 0.35, "🛏️": 0.3, "🪑": 0.45}


@dataclass
class _Box:
    """A subject being laid out: centre x, bottom y and drawn (visible) height, in pixels."""

    mention: int
    key: str
    cx: float
    bottom: float
    height: float
    colour: Rgb | None
    grounded: bool = True
    flip: bool = False
    depth: float = 0.0  # drawing order: lower first

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return bounds(self.key)

    @property
    def side(self) -> float:
        _x0, y0, _x1, y1 = self.extent
        return self.height / max(y1 - y0, 0.05)

    @property
    def width(self) -> float:
        x0, _, x1, _ = self.extent
        return self.side * (x1 - x0)

    @property
    def top(self) -> float:
        return self.bottom - self.height

    def placed(self) -> Placed:
        x0, _, x1, y1 = self.extent
        side = self.side
        left = self.cx - side * (x0 + x1) / 2.0
        return Placed(
            key=self.key,
            left=left,
            top=self.bottom - side * y1,
            size=side,
            colour=self.colour,
            grounded=self.grounded,
            bottom=self.bottom,
            flip=self.flip,
        )


# Colours a banned colour shades into: a replacement keeps clear of them too.
_NEIGHBOURS = {
    "red": {"orange", "pink", "brown"},
    "orange": {"red", "yellow", "brown", "golden"},
    "yellow": {"orange", "golden", "green"},
    "green": {"yellow", "cyan"},
    "cyan": {"green", "blue"},
    "blue": {"cyan", "purple"},
    "purple": {"blue", "pink"},
    "pink": {"red", "purple"},
    "brown": {"orange", "red"},
}


def _replacement(banned: frozenset[str], seed: int) -> Rgb:
    near = set(banned).union(*(_NEIGHBOURS.get(c, set()) for c in banned))
    choices = [c for c in ("green", "yellow", "blue", "purple", "orange", "brown") if c not in near]
    rng = element_rng(seed, "replacement-colour")
    return COLOURS[choices[int(rng.integers(len(choices)))]] if choices else COLOURS["gray"]


def _colour_for(mention: Mention, banned: frozenset[str], seed: int) -> Rgb | None:
    if mention.colour is not None and mention.colour_name not in banned:
        return mention.colour
    dominant = glyphs.dominant_fill(mention.key)
    if banned and dominant is not None and colour_class(dominant) in banned:
        return _replacement(banned, seed)
    return None


def _copies(mention: Mention) -> int:
    if mention.counted:
        return max(1, mention.count)
    if mention.plural:
        return _DEFAULT_PLURAL[0]
    return 1


def _relative(a: Subject, b: Subject, lo: float, hi: float) -> float:
    return float(np.clip((a.size_m / b.size_m) ** 0.5, lo, hi))


def choose_backdrop(reading: Reading, subjects: list[Subject]) -> str:
    if reading.studio:
        return "studio"
    scenic = reading.spec.elements - {"sky"}
    if subjects and not scenic and all(s.indoor for s in subjects):
        return "room"
    return "landscape"


def implied_elements(reading: Reading, negative: set[str]) -> set[str]:
    """Landscape elements a subject needs: boats and whales need water."""
    vocab = vocabulary().subjects
    kinds = {vocab[m.key].placement for m in reading.mentions if m.key in vocab}
    if "water" in kinds and not reading.spec.elements & {"sea", "lake", "river"}:
        return {"sea"} - negative
    return set()


# Landscapes with ground in front, for subjects that stand when the prompt names no place.
LAND_SCENES: tuple[frozenset[str], ...] = (
    frozenset({"hills", "field", "clouds"}),
    frozenset({"mountains", "field", "forest"}),
    frozenset({"hills", "forest", "field"}),
    frozenset({"mountains", "lake", "field"}),
    frozenset({"forest", "field"}),
)
_SCENIC = frozenset(
    {"mountains", "hills", "city", "forest", "sea", "lake", "river", "beach", "field"}
    | {"flowers", "desert", "snow"}
)


def ground_for(
    reading: Reading, subjects: list[Subject], negative: set[str], seed: int
) -> set[str]:
    """Landscape elements that give standing subjects ground to stand on."""
    standing = [s for s in subjects if s.placement in ("ground", "surface")]
    if not standing:
        return set()
    named = reading.spec.elements
    if not named & _SCENIC:
        rng = element_rng(seed, "land-scene")
        return set(LAND_SCENES[int(rng.integers(len(LAND_SCENES)))]) - negative
    if named & {"sea", "lake"} and not named & {"field", "beach", "desert", "snow", "flowers"}:
        return ({"beach"} if "sea" in named else {"field"}) - negative
    return set()


def plan(
    reading: Reading,
    negative: Reading,
    scene: Scene,
    backdrop: str,
) -> Plan:
    """Where each subject is drawn, for this prompt, negative prompt and seed."""
    vocab = vocabulary().subjects
    banned = frozenset(negative.colour_names)
    removed = {m.key for m in negative.mentions}
    keep = [i for i, m in enumerate(reading.mentions) if m.key not in removed and m.key in vocab]
    mentions = {i: reading.mentions[i] for i in keep}
    relations = [(a, r, b) for a, r, b in reading.relations if a in mentions and b in mentions]
    w, h = float(scene.width), float(scene.height)
    seed = scene.seed
    rng = element_rng(seed, "composition")
    close = reading.framing == "close"
    horizon = scene.horizon * h if backdrop == "landscape" else 0.62 * h
    water = backdrop == "landscape" and bool(scene.elements & {"sea", "lake"})
    shore = scene.shore * h if water else h

    if backdrop == "room" and mentions and "table" in vocab and "table" not in removed:
        small = [i for i, m in mentions.items() if vocab[m.key].size_m < 0.6]
        furniture = any(vocab[m.key].kind == "furniture" for m in mentions.values())
        attached = {a for a, r, _ in relations if r in ATTACHED}
        if small and not furniture:
            table_id = len(reading.mentions)
            mentions[table_id] = Mention(key="table", word="")
            relations += [(i, "on", table_id) for i in small if i not in attached]

    attached_to = {a: (r, b) for a, r, b in relations if r in ATTACHED and a != b}
    # A cycle ("a cat on a dog on a cat") is broken by keeping the first relation.
    for a in list(attached_to):
        seen, cur = {a}, attached_to[a][1]
        while cur in attached_to:
            if cur in seen:
                del attached_to[a]
                break
            seen.add(cur)
            cur = attached_to[cur][1]

    order = [i for i in sorted(mentions) if i not in attached_to]
    for a, r, b in relations:
        if r in ("left", "right") and a in order and b in order:
            first, second = (a, b) if r == "left" else (b, a)
            if order.index(first) > order.index(second):
                order.remove(first)
                order.insert(order.index(second), first)
    for pos in ("left", "right", "centre"):
        for i in [i for i in order if mentions[i].position == pos]:
            order.remove(i)
            if pos == "left":
                order.insert(0, i)
            elif pos == "right":
                order.append(i)
            else:
                order.insert(len(order) // 2, i)
    compound_heads = {b for a, r, b in relations if r == "compound"}
    modifiers = {a for a, r, b in relations if r == "compound"}

    def placement(i: int) -> str:
        p = vocab[mentions[i].key].placement
        if p == "water" and not water:
            return "ground"
        return "ground" if p == "surface" else p

    boxes: list[_Box] = []
    total = 0
    ground_roots = [i for i in order if placement(i) != "sky"]
    sky_roots = [i for i in order if placement(i) == "sky"]
    main = None
    if ground_roots:
        main = next((i for i in ground_roots if i in compound_heads), ground_roots[0])
    elif sky_roots:
        main = sky_roots[0]

    # --- the row of grounded subjects ---
    biggest = max((vocab[mentions[i].key].size_m for i in ground_roots), default=1.0)
    if close:
        ref = 0.80 * h
        floor = 0.99 * h
    elif backdrop == "landscape":
        # Subjects stand on the ground in front of any water, not on the water.
        ground_top = shore if water and shore < h else horizon
        floor_lo = ground_top + (h - ground_top) * 0.55
        floor = float(rng.uniform(floor_lo, max(floor_lo, h * 0.96)))
        ref = min(0.55 * h, floor - 0.07 * h)
    else:
        floor = 0.88 * h
        ref = 0.56 * h
    row: list[list[_Box]] = []
    for i in ground_roots:
        m = mentions[i]
        subject = vocab[m.key]
        scale = (subject.size_m / biggest) ** 0.45 if len(ground_roots) > 1 else 1.0
        scale = max(scale, 0.22) * m.size
        if i in modifiers:
            scale *= 0.6
        if close and i != main:
            scale = min(scale, 0.35)
        copies = min(_copies(m), MAX_ITEMS - total)
        if copies <= 0:
            continue
        total += copies
        on_water = placement(i) == "water"
        group = []
        for k in range(copies):
            jitter = float(rng.uniform(0.9, 1.05)) if copies > 1 else 1.0
            height = ref * scale * jitter * (0.75 if copies > 2 else 1.0)
            bottom = floor
            if on_water:
                bottom = horizon + (shore - horizon) * float(rng.uniform(0.45, 0.8))
                height = min(height, (bottom - horizon) * 2.5 + 0.05 * h)
            box = _Box(i, m.key, 0.0, bottom, height, _colour_for(m, banned, seed + k))
            box.grounded = not on_water
            box.flip = bool(rng.random() < 0.3) and subject.kind in ("animal", "vehicle")
            group.append(box)
        row.append(group)
    gap = 0.05 * w
    widths = [sum(b.width for b in g) + gap * 0.6 * (len(g) - 1) for g in row]
    span = sum(widths) + gap * max(len(row) - 1, 0)
    fit = min(1.0, 0.92 * w / span) if span > 0 else 1.0
    x = (w - span * fit) / 2.0
    for group, width in zip(row, widths, strict=True):
        for box in group:
            box.height *= fit
            box.cx = x + box.width / 2.0
            x += box.width + gap * 0.6 * fit
            boxes.append(box)
        x += gap * fit - gap * 0.6 * fit
        del width
    if row and len(row) == 1 and len(row[0]) == 1 and not close:
        # One subject: a little off centre, by the seed.
        row[0][0].cx = w * float(rng.uniform(0.42, 0.58))
    if close and main is not None:
        for box in boxes:
            if box.mention == main:
                box.cx = w / 2.0
            else:
                box.cx = w * 0.16 if box.cx < w / 2 else w * 0.84
                box.depth = 1.0

    # --- the sky ---
    sky_top, sky_bottom = 0.06 * h, max(0.2 * h, horizon - 0.08 * h)
    flyers: list[_Box] = []
    for i in sky_roots:
        m = mentions[i]
        subject = vocab[m.key]
        copies = min(_copies(m), MAX_ITEMS - total)
        total += max(copies, 0)
        alone = not ground_roots and len(sky_roots) == 1
        base = 0.36 * h if alone and copies == 1 else 0.14 * h
        if subject.kind == "sky_thing":
            base *= 1.6
        if close and i == main:
            base = 0.78 * h
        for k in range(max(copies, 0)):
            height = base * m.size * (float(rng.uniform(0.85, 1.1)) if copies > 1 else 1.0)
            box = _Box(i, m.key, 0.0, 0.0, height, _colour_for(m, banned, seed + k))
            box.grounded = False
            box.flip = bool(rng.random() < 0.5) and subject.kind == "flyer"
            box.depth = -0.5
            for _ in range(40):
                box.cx = float(rng.uniform(0.1 * w + box.width / 2, 0.9 * w - box.width / 2))
                lo, hi = sky_top + box.height, max(sky_top + box.height, sky_bottom)
                box.bottom = float(rng.uniform(lo, hi))
                if close and i == main:
                    box.cx, box.bottom = w / 2.0, 0.5 * h + box.height / 2.0
                if all(_apart(box, other) for other in flyers):
                    break
            flyers.append(box)
    boxes.extend(flyers)

    # --- subjects placed against another ---
    by_mention: dict[int, list[_Box]] = {}
    for box in boxes:
        by_mention.setdefault(box.mention, []).append(box)
    pending = [i for i in sorted(mentions) if i in attached_to]
    on_anchor: dict[int, int] = {}  # subjects already set on each anchor, to spread them
    for _ in range(len(pending) + 1):
        for i in list(pending):
            rel, j = attached_to[i]
            if j not in by_mention:
                continue
            pending.remove(i)
            anchor = by_mention[j][0]
            m = mentions[i]
            copies = min(_copies(m), MAX_ITEMS - total)
            total += max(copies, 0)
            group: list[_Box] = []
            for k in range(max(copies, 0)):
                box = _attach(i, m, vocab, rel, anchor, k, copies, w, h, banned, seed, rng)
                group.append(box)
            if rel in ("on", "under", "in") and group:
                # A second subject on the same table goes beside the first, not into it.
                sibling = on_anchor.get(j, 0)
                on_anchor[j] = sibling + 1
                if sibling:
                    side = 1.0 if sibling % 2 else -1.0
                    shift = (
                        side * (anchor.width * 0.28 + group[0].width * 0.25) * ((sibling + 1) // 2)
                    )
                    for box in group:
                        box.cx = float(
                            np.clip(box.cx + shift, box.width * 0.5, w - box.width * 0.5)
                        )
            by_mention[i] = group
            boxes.extend(group)

    items = sorted(boxes, key=lambda b: (b.depth, b.bottom))
    return Plan(
        backdrop=backdrop,
        items=tuple(b.placed() for b in items),
        close=close,
        backdrop_colour=reading.backdrop_colour,
        warm=reading.warm,
        banned=banned,
        style=reading.style,
    )


def _apart(a: _Box, b: _Box) -> bool:
    dx = abs(a.cx - b.cx)
    dy = abs((a.bottom - a.height / 2) - (b.bottom - b.height / 2))
    return dx > (a.width + b.width) / 2 * 1.1 or dy > (a.height + b.height) / 2 * 1.1


def _attach(
    i: int,
    m: Mention,
    vocab: dict[str, Subject],
    rel: str,
    anchor: _Box,
    k: int,
    copies: int,
    w: float,
    h: float,
    banned: frozenset[str],
    seed: int,
    rng: np.random.Generator,
) -> _Box:
    a, b = vocab[m.key], vocab[anchor.key]
    colour = _colour_for(m, banned, seed + k)
    spread = (k - (copies - 1) / 2.0) if copies > 1 else 0.0
    box = _Box(i, m.key, anchor.cx, anchor.bottom, anchor.height, colour)
    box.depth = anchor.depth + 0.5
    box.flip = bool(rng.random() < 0.3) and a.kind == "animal"
    if rel == "on":
        box.height = anchor.height * _relative(a, b, 0.22, 0.8) * m.size
        # Several copies share the top: shrink them until they fit on it side by side.
        box.height *= min(1.0, anchor.width * 1.05 / max(box.width * copies * 1.15, 1e-6))
        box.bottom = anchor.top + anchor.height * _SURFACE.get(anchor.key, 0.06)
        box.cx = (
            anchor.cx
            + spread * box.width * 1.15
            + float(rng.uniform(-0.1, 0.1)) * (anchor.width * 0.4 if copies == 1 else 0.0)
        )
        box.grounded = False
    elif rel == "under":
        box.height = min(anchor.height * _relative(a, b, 0.2, 0.9), anchor.height * 0.45) * m.size
        box.cx = anchor.cx + spread * box.width * 1.15
        # Under a table or a chair it shows between the legs; under a tree, in front.
        box.depth = anchor.depth + (-0.5 if b.kind == "furniture" else 0.5)
    elif rel == "above":
        box.height = anchor.height * _relative(a, b, 0.25, 0.8) * m.size
        box.bottom = max(box.height + 0.03 * h, anchor.top - 0.06 * h)
        box.cx = anchor.cx + spread * box.width * 1.2
        box.grounded = False
    elif rel == "in":
        box.height = anchor.height * 0.55 * m.size
        box.bottom = anchor.bottom - anchor.height * 0.18
        box.cx = anchor.cx + spread * box.width * 0.9
        box.grounded = False
    elif rel == "front":
        box.height = anchor.height * _relative(a, b, 0.3, 1.1) * m.size
        box.bottom = min(h * 0.985, anchor.bottom + 0.07 * h)
        side = -1.0 if rng.random() < 0.5 else 1.0
        box.cx = anchor.cx + side * anchor.width * 0.28 + spread * box.width * 1.1
    else:  # behind
        box.height = anchor.height * _relative(a, b, 0.3, 1.2) * 0.85 * m.size
        box.bottom = anchor.bottom - 0.06 * h
        side = -1.0 if rng.random() < 0.5 else 1.0
        box.cx = anchor.cx + side * anchor.width * 0.35 + spread * box.width * 1.1
        box.depth = anchor.depth - 0.5
    box.cx = float(np.clip(box.cx, box.width * 0.3, w - box.width * 0.3))
    return box


def light_colour(scene: Scene, plan: Plan) -> Rgb:
    """The light falling on the subjects: time of day, weather, a warm interior."""
    if plan.backdrop == "studio":
        base: Rgb = (1.0, 1.0, 1.0)
    else:
        base = {
            "day": (1.0, 1.0, 1.0),
            "sunset": (1.0, 0.80, 0.66),
            "dawn": (1.0, 0.9, 0.84),
            "night": (0.42, 0.47, 0.66),
        }[scene.lighting]
    if scene.storm:
        base = (base[0] * 0.72, base[1] * 0.74, base[2] * 0.78)
    if plan.warm:
        base = (min(1.0, base[0] * 1.08), base[1] * 0.96, base[2] * 0.82)
    return base
