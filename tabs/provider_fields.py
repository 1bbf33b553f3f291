"""Fields only some providers read: shown for those, hidden for the rest.

A hidden component still sends its value, so an API call, History's "Load settings" and the
request model see every field whatever is shown. Who ignores what is part of each provider's
declaration (providers/declarations.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import gradio as gr

from core.requests import Capability
from providers.declarations import DECLARATIONS, declaration


def _unused() -> dict[Capability, dict[str, frozenset[str]]]:
    found: dict[Capability, dict[str, frozenset[str]]] = {}
    for declared in DECLARATIONS:
        for capability, fields in declared.ignores.items():
            found.setdefault(capability, {})[declared.name] = fields
    return found


# Capability → provider → the fields (and hints) that provider does not use.
UNUSED = _unused()


def shown(capability: Capability, provider: str | None, field: str) -> bool:
    declared = declaration(provider)
    return declared is None or field not in declared.ignored(capability)


def visibility(
    capability: Capability, provider: str | None, fields: Iterable[str]
) -> tuple[Any, ...]:
    """One gr.update(visible=…) per name in `fields`, in its order."""
    return tuple(gr.update(visible=shown(capability, provider, name)) for name in fields)


def connect_provider_fields(
    capability: Capability,
    provider: gr.Dropdown,
    fields: Mapping[str, gr.components.Component | gr.blocks.BlockContext],
) -> None:
    """Show each of `fields` (name → component) only when the picked provider uses it.
    Call it after building the components with `visible=shown(…, default provider, name)`."""
    names = list(fields)

    def show_fields(chosen: str | None) -> tuple[Any, ...]:
        return visibility(capability, chosen, names)

    provider.change(show_fields, provider, list(fields.values()), api_visibility="private")
