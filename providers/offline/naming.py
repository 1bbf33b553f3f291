"""File names for offline results: readable, safe, and carrying the seed."""

from __future__ import annotations

import re

_MAX_SLUG = 40


def slug(text: str) -> str:
    """The prompt's words joined by hyphens; a run of Chinese characters stays one word, so
    "悲伤的钢琴曲 c小调" reads "悲伤的钢琴曲-c小调" (the characters core.media.safe_name keeps)."""
    words = re.findall(r"[0-9a-z一-鿿]+", text.lower())
    joined = "-".join(words)[:_MAX_SLUG].strip("-")
    return joined or "untitled"


def output_name(prompt: str, seed: int, extension: str, index: int | None = None) -> str:
    suffix = f"-{index + 1}" if index is not None else ""
    return f"{slug(prompt)}-{seed}{suffix}.{extension}"
