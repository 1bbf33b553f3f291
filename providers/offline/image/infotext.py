"""A1111-style generation parameters ("infotext"), and the PNG text chunk that carries them.

Format, as AUTOMATIC1111's web UI writes it (and tools such as civitai read it):

    <prompt>
    Negative prompt: <negative prompt>
    Steps: 25, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 123, Size: 768x768, Model: x, ...

Keys of the dict are the TextToImageRequest field names (`checkpoint` is written as "Model";
`model` is accepted as its alias). Values holding a comma, colon or quote are JSON-quoted, as
A1111 does. Unknown labels found when parsing are kept under their label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from PIL.PngImagePlugin import PngInfo

PNG_KEY = "parameters"

# label, key, parser. Order is A1111's order in the last line.
_FIELDS: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("Steps", "steps", int),
    ("Sampler", "sampler", str),
    ("CFG scale", "cfg_scale", float),
    ("Seed", "seed", int),
    ("Face restoration", "restore_faces", lambda v: v.strip().lower() not in ("", "false", "off")),
    ("Size", "size", str),
    ("Model", "checkpoint", str),
    ("VAE", "vae", str),
    ("Denoising strength", "denoising_strength", float),
    ("Clip skip", "clip_skip", int),
    ("Hires upscale", "hr_scale", float),
    ("Hires steps", "hr_second_pass_steps", int),
)
_BY_LABEL = {label: (key, parse) for label, key, parse in _FIELDS}
# A1111's own pattern for "Label: value" pairs (a value may be a JSON string).
_PARAM_RE = re.compile(r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')
_SIZE_RE = re.compile(r"^(\d+)x(\d+)$")


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _quote(value: str) -> str:
    if any(ch in value for ch in ',:"\n'):
        return json.dumps(value, ensure_ascii=False)
    return value


def format_infotext(params: dict[str, Any]) -> str:
    """The A1111 text for `params`; only what applies is written (hires fields with enable_hr)."""
    lines = [str(params.get("prompt", "")).strip()]
    negative = str(params.get("negative_prompt", "") or "").strip()
    if negative:
        lines.append(f"Negative prompt: {negative}")
    values: dict[str, Any] = dict(params)
    if "checkpoint" not in values and "model" in values:
        values["checkpoint"] = values["model"]
    if "width" in values and "height" in values:
        values["size"] = f"{int(values['width'])}x{int(values['height'])}"
    hires = bool(values.get("enable_hr", False))
    pairs: list[str] = []
    for label, key, _ in _FIELDS:
        value = values.get(key)
        if value is None or value == "":
            continue
        if key in ("denoising_strength", "hr_scale", "hr_second_pass_steps") and not hires:
            continue
        if key == "restore_faces":
            if not value:
                continue
            value = "on"
        pairs.append(f"{label}: {_quote(_number(value))}")
    for label, value in (params.get("extra") or {}).items():
        pairs.append(f"{label}: {_quote(_number(value))}")
    lines.append(", ".join(pairs))
    return "\n".join(line for line in lines if line)


def parse_infotext(text: str) -> dict[str, Any]:
    """The parameters in an A1111 text; unknown labels go into `extra` as strings."""
    lines = text.strip().split("\n")
    result: dict[str, Any] = {}
    last = lines[-1] if lines else ""
    if len(_PARAM_RE.findall(last)) < 3:
        # No parameter line: the whole text is prompt (and negative prompt).
        last = ""
    else:
        lines = lines[:-1]
    prompt: list[str] = []
    negative: list[str] = []
    target = prompt
    for line in lines:
        if line.startswith("Negative prompt:"):
            target = negative
            line = line[len("Negative prompt:") :].strip()
        target.append(line)
    result["prompt"] = "\n".join(prompt).strip()
    result["negative_prompt"] = "\n".join(negative).strip()
    extra: dict[str, str] = {}
    for label, raw in _PARAM_RE.findall(last):
        value = raw.strip()
        if value.startswith('"') and value.endswith('"'):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                value = value[1:-1]
        label = label.strip()
        known = _BY_LABEL.get(label)
        if known is None:
            extra[label] = value
            continue
        key, parse = known
        try:
            parsed = parse(value)
        except ValueError:
            extra[label] = value
            continue
        if key == "size":
            match = _SIZE_RE.match(str(parsed))
            if match:
                result["width"], result["height"] = int(match.group(1)), int(match.group(2))
            continue
        result[key] = parsed
    if "hr_scale" in result:
        result["enable_hr"] = True
    if extra:
        result["extra"] = extra
    return result


def save_png_with_infotext(
    image: Image.Image, path: Path, infotext: str, extra: dict[str, Any] | None = None
) -> Path:
    """Write `image` as PNG with `infotext` in the "parameters" text chunk (as A1111 does).

    `extra` adds more text chunks; non-string values are stored as JSON. Pillow writes
    non-Latin-1 text (a Chinese prompt) as an iTXt chunk, which every reader handles.
    """
    info = PngInfo()
    info.add_text(PNG_KEY, infotext)
    for key, value in (extra or {}).items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        info.add_text(key, text)
    path = Path(path)
    image.save(path, format="PNG", pnginfo=info)
    return path


def read_png_infotext(path: Path) -> str | None:
    """The "parameters" text of a PNG, or None."""
    with Image.open(path) as image:
        image.load()
        text = getattr(image, "text", {}) or {}
        value = text.get(PNG_KEY)
    return str(value) if value is not None else None
