"""What the studio accepts as an API key: one rule for the Settings tab and the redactor.

A key is masked wherever it appears in a job's texts, so a value that also occurs in ordinary
text (", ", "HTTP Request", "true") would rewrite that text. No real provider key is that short,
made only of punctuation, or has a space in it (a space would also break its HTTP header).
"""

from __future__ import annotations

from typing import Literal

MIN_KEY_CHARS = 8

KeyProblem = Literal["short", "no_letters", "spaces"]


def key_problem(value: str) -> KeyProblem | None:
    """Why `value` (already trimmed) cannot be a key, or None when it can."""
    if len(value) < MIN_KEY_CHARS:
        return "short"
    if not any(char.isalnum() for char in value):
        return "no_letters"
    if any(char.isspace() for char in value):
        return "spaces"
    return None


def usable_key(value: object) -> bool:
    return isinstance(value, str) and key_problem(value) is None
