"""The locale catalog: every message key with its sentence in English and Chinese, side by side.

One module per area keeps each file readable; a key is defined once across all of them
(tests/unit/test_messages.py checks that every key the code emits is here in both languages).
Sentences are `str.format` templates; their parameters are named.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.locale import core as _core
from core.locale import engines as _engines
from core.locale import providers as _providers
from core.locale import ui as _ui

Entry = Mapping[str, str]

_AREAS: tuple[Mapping[str, Entry], ...] = (
    _core.MESSAGES,
    _engines.MESSAGES,
    _providers.MESSAGES,
    _ui.MESSAGES,
)


def _merge() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in _AREAS:
        for key, entry in area.items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice in core/locale")
            merged[key] = entry
    return merged


CATALOG: dict[str, Entry] = _merge()
