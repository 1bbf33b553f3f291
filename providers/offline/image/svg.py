"""A small SVG reader for flat icon artwork: filled paths, circles and ellipses into polygons.

Icon sets such as Twemoji draw with filled shapes only (no strokes, gradients or text), in a
square viewBox, with an occasional `rotate(...)` or `matrix(...)` transform. That subset is
read here into `Shape`s: a fill colour, an opacity, a fill rule and closed rings of points
in viewBox units. Curves and arcs are flattened once, so drawing is only polygon filling.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

Rgb = tuple[float, float, float]
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as SVG's matrix()

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NUMBER = r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?"
_PATH_TOKEN = re.compile(rf"[MmLlHhVvCcSsQqTtAaZz]|{_NUMBER}")
_FLAG = re.compile(r"\s*,?\s*([01])")
_NUM_AT = re.compile(rf"\s*,?\s*({_NUMBER})")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")
_NAMED = {"white": (1.0, 1.0, 1.0), "black": (0.0, 0.0, 0.0), "red": (1.0, 0.0, 0.0)}


@dataclass(frozen=True)
class Shape:
    """One filled region: rings are (N, 2) float arrays in viewBox units."""

    fill: Rgb
    opacity: float
    evenodd: bool
    rings: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Artwork:
    """A whole icon: its viewBox size and shapes, back to front."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


def parse_colour(text: str | None) -> Rgb | None:
    if text is None:
        return None
    text = text.strip().lower()
    if text in ("none", "transparent"):
        return None
    if text in _NAMED:
        return _NAMED[text]
    if text.startswith("#"):
        hexa = text[1:]
        if len(hexa) == 3:
            hexa = "".join(ch * 2 for ch in hexa)
        if len(hexa) == 6:
            return (int(hexa[0:2], 16) / 255, int(hexa[2:4], 16) / 255, int(hexa[4:6], 16) / 255)
    return None


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def parse_transform(text: str | None) -> Matrix:
    m = IDENTITY
    if not text:
        return m
    for name, args in _TRANSFORM.findall(text):
        v = [float(x) for x in re.findall(_NUMBER, args)]
        if name == "matrix" and len(v) == 6:
            n: Matrix = (v[0], v[1], v[2], v[3], v[4], v[5])
        elif name == "translate":
            n = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale":
            n = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        elif name == "rotate":
            a = math.radians(v[0])
            cos, sin = math.cos(a), math.sin(a)
            cx, cy = (v[1], v[2]) if len(v) == 3 else (0.0, 0.0)
            n = (cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy)
        elif name == "skewX":
            n = (1.0, 0.0, math.tan(math.radians(v[0])), 1.0, 0.0, 0.0)
        elif name == "skewY":
            n = (1.0, math.tan(math.radians(v[0])), 0.0, 1.0, 0.0, 0.0)
        else:
            continue
        m = _multiply(m, n)
    return m


def _apply(m: Matrix, ring: np.ndarray) -> np.ndarray:
    if m == IDENTITY:
        return ring
    a, b, c, d, e, f = m
    x, y = ring[:, 0], ring[:, 1]
    return np.stack([a * x + c * y + e, b * x + d * y + f], axis=1)


def _segments(length: float) -> int:
    # About one point per 0.6 viewBox unit: smooth at a few hundred pixels per 36 units.
    return int(min(32, max(3, math.ceil(length / 0.6))))


def _cubic(p0, p1, p2, p3) -> list[tuple[float, float]]:
    length = math.dist(p0, p1) + math.dist(p1, p2) + math.dist(p2, p3)
    n = _segments(length)
    t = np.linspace(0.0, 1.0, n + 1)[1:, None]
    pts = (
        (1 - t) ** 3 * np.asarray(p0)
        + 3 * (1 - t) ** 2 * t * np.asarray(p1)
        + 3 * (1 - t) * t**2 * np.asarray(p2)
        + t**3 * np.asarray(p3)
    )
    return [(float(x), float(y)) for x, y in pts]


def _quad(p0, p1, p2) -> list[tuple[float, float]]:
    c1 = (p0[0] + 2 / 3 * (p1[0] - p0[0]), p0[1] + 2 / 3 * (p1[1] - p0[1]))
    c2 = (p2[0] + 2 / 3 * (p1[0] - p2[0]), p2[1] + 2 / 3 * (p1[1] - p2[1]))
    return _cubic(p0, c1, c2, p2)


def _arc(p0, rx, ry, phi_deg, large, sweep, p1) -> list[tuple[float, float]]:
    """SVG's endpoint arc flattened (SVG 1.1 implementation notes, F.6.5)."""
    if rx == 0 or ry == 0 or p0 == p1:
        return [p1]
    rx, ry = abs(rx), abs(ry)
    phi = math.radians(phi_deg)
    cos, sin = math.cos(phi), math.sin(phi)
    dx, dy = (p0[0] - p1[0]) / 2, (p0[1] - p1[1]) / 2
    x1, y1 = cos * dx + sin * dy, -sin * dx + cos * dy
    lam = (x1 / rx) ** 2 + (y1 / ry) ** 2
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    k = math.sqrt(max(0.0, num / den)) if den else 0.0
    if large == sweep:
        k = -k
    cxp, cyp = k * rx * y1 / ry, -k * ry * x1 / rx
    cx = cos * cxp - sin * cyp + (p0[0] + p1[0]) / 2
    cy = sin * cxp + cos * cyp + (p0[1] + p1[1]) / 2

    def angle(ux: float, uy: float, vx: float, vy: float) -> float:
        return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)

    t1 = angle(1, 0, (x1 - cxp) / rx, (y1 - cyp) / ry)
    dt = angle((x1 - cxp) / rx, (y1 - cyp) / ry, (-x1 - cxp) / rx, (-y1 - cyp) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    n = _segments(abs(dt) * max(rx, ry))
    out = []
    for i in range(1, n + 1):
        t = t1 + dt * i / n
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        out.append((cos * ex - sin * ey + cx, sin * ex + cos * ey + cy))
    out[-1] = p1
    return out


def parse_path(d: str) -> list[np.ndarray]:
    """The closed rings of a path's `d` (each subpath is closed for filling)."""
    rings: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    pos = 0
    x = y = sx = sy = 0.0
    last_ctrl: tuple[float, float] | None = None
    last_cmd = ""
    cmd = ""

    def number() -> float:
        nonlocal pos
        m = _NUM_AT.match(d, pos)
        if m is None:
            raise ValueError(f"bad path data at {pos}")
        pos = m.end()
        return float(m.group(1))

    def flag() -> int:
        nonlocal pos
        m = _FLAG.match(d, pos)
        if m is None:
            raise ValueError(f"bad arc flag at {pos}")
        pos = m.end()
        return int(m.group(1))

    def close_ring() -> None:
        nonlocal current
        if len(current) >= 3:
            rings.append(current)
        current = []

    length = len(d)
    while True:
        while pos < length and d[pos] in " ,\t\n\r":
            pos += 1
        if pos >= length:
            break
        ch = d[pos]
        if ch.isalpha():
            cmd = ch
            pos += 1
        elif not cmd:
            raise ValueError("path data must start with a command")
        elif cmd in "Mm":
            cmd = "l" if cmd == "m" else "L"  # extra pairs after a move are lines
        rel = cmd.islower()
        up = cmd.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if up == "Z":
            close_ring()
            x, y = sx, sy
            last_ctrl = None
            last_cmd = "Z"
            cmd = ""
            continue
        if up == "M":
            close_ring()
            x, y = ox + number(), oy + number()
            sx, sy = x, y
            current = [(x, y)]
            last_ctrl = None
        elif up == "L":
            x, y = ox + number(), oy + number()
            current.append((x, y))
            last_ctrl = None
        elif up == "H":
            x = ox + number()
            current.append((x, y))
            last_ctrl = None
        elif up == "V":
            y = oy + number()
            current.append((x, y))
            last_ctrl = None
        elif up in "CS":
            if up == "C":
                c1 = (ox + number(), oy + number())
            elif last_ctrl is not None and last_cmd in "CS":
                c1 = (2 * x - last_ctrl[0], 2 * y - last_ctrl[1])
            else:
                c1 = (x, y)
            c2 = (ox + number(), oy + number())
            end = (ox + number(), oy + number())
            current.extend(_cubic((x, y), c1, c2, end))
            last_ctrl = c2
            x, y = end
        elif up in "QT":
            if up == "Q":
                c = (ox + number(), oy + number())
            elif last_ctrl is not None and last_cmd in "QT":
                c = (2 * x - last_ctrl[0], 2 * y - last_ctrl[1])
            else:
                c = (x, y)
            end = (ox + number(), oy + number())
            current.extend(_quad((x, y), c, end))
            last_ctrl = c
            x, y = end
        elif up == "A":
            rx, ry, rot = number(), number(), number()
            large, sweep = flag(), flag()
            end = (ox + number(), oy + number())
            current.extend(_arc((x, y), rx, ry, rot, large, sweep, end))
            last_ctrl = None
            x, y = end
        else:
            raise ValueError(f"unknown path command {cmd!r}")
        last_cmd = up
        if not current:
            current = [(x, y)]
    close_ring()
    return [np.asarray(r, dtype=np.float64) for r in rings]


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    n = int(min(64, max(16, math.ceil(max(rx, ry) * 6))))
    t = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _float(element: ET.Element, name: str, default: float = 0.0) -> float:
    value = element.get(name)
    if value is None:
        return default
    match = re.match(_NUMBER, value.strip())
    return float(match.group(0)) if match else default


def _rings_of(element: ET.Element, tag: str) -> list[np.ndarray]:
    if tag == "path":
        return parse_path(element.get("d", ""))
    if tag == "circle":
        r = _float(element, "r")
        return [_ellipse(_float(element, "cx"), _float(element, "cy"), r, r)] if r > 0 else []
    if tag == "ellipse":
        rx, ry = _float(element, "rx"), _float(element, "ry")
        cx, cy = _float(element, "cx"), _float(element, "cy")
        return [_ellipse(cx, cy, rx, ry)] if rx > 0 and ry > 0 else []
    if tag == "rect":
        x, y = _float(element, "x"), _float(element, "y")
        w, h = _float(element, "width"), _float(element, "height")
        if w <= 0 or h <= 0:
            return []
        return [np.asarray([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], dtype=np.float64)]
    if tag in ("polygon", "polyline"):
        v = [float(n) for n in re.findall(_NUMBER, element.get("points", ""))]
        pts = np.asarray(v[: len(v) // 2 * 2], dtype=np.float64).reshape(-1, 2)
        return [pts] if len(pts) >= 3 else []
    return []


def parse_svg(text: str) -> Artwork:
    """The filled shapes of an SVG document (clip paths and strokes are not drawn)."""
    root = ET.fromstring(text)
    view = [float(v) for v in re.findall(_NUMBER, root.get("viewBox", ""))]
    width, height = (view[2], view[3]) if len(view) == 4 else (36.0, 36.0)
    shapes: list[Shape] = []

    def walk(element: ET.Element, matrix: Matrix, fill: Rgb | None, opacity: float) -> None:
        tag = _tag(element)
        if tag in ("defs", "clipPath", "mask", "title", "desc", "style", "linearGradient"):
            return
        matrix = _multiply(matrix, parse_transform(element.get("transform")))
        if element.get("fill") is not None:
            fill = parse_colour(element.get("fill"))
        opacity *= _float(element, "opacity", 1.0) * _float(element, "fill-opacity", 1.0)
        if tag in ("svg", "g"):
            for child in element:
                walk(child, matrix, fill, opacity)
            return
        if fill is None or opacity <= 0.01:
            return
        rings = tuple(_apply(matrix, r) for r in _rings_of(element, tag))
        if rings:
            evenodd = element.get("fill-rule") == "evenodd"
            shapes.append(Shape(fill=fill, opacity=min(1.0, opacity), evenodd=evenodd, rings=rings))

    walk(root, IDENTITY, (0.0, 0.0, 0.0), 1.0)
    return Artwork(width=width, height=height, shapes=tuple(shapes))
