"""Fields only some providers read: shown for those, hidden for the rest.

A hidden component still sends its value, so an API call, History's "Load settings" and the
request model see every field whatever is shown (PROVIDERS.md says who reads what).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import gradio as gr

from core.requests import Capability

# Capability → provider → the fields (and hints) that provider does not use.
UNUSED: dict[Capability, dict[str, frozenset[str]]] = {
    "text_to_image": {
        # The offline painter has no models: these only go to Img Open's A1111 backend.
        "offline": frozenset({"restore_faces", "checkpoint", "vae", "clip_skip"}),
        "imgopen": frozenset({"offline_note"}),
    },
    "extend_music": {
        # "advanced" holds negative tags, vocal gender and the three weights: Suno's alone.
        "offline": frozenset({"model", "suno_hint", "advanced"}),
    },
    "video_upscale": {
        "offline": frozenset({"creation_id", "model", "duration"}),
        "vidu": frozenset({"video", "scale"}),
    },
}


def shown(capability: Capability, provider: str | None, field: str) -> bool:
    return field not in UNUSED.get(capability, {}).get(provider or "", frozenset())


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
