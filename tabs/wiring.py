"""Connections every capability tab makes to the shared state: session keys and History."""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr

from core.requests import Capability
from tabs.common import StudioServices
from tabs.history import fill_values
from tabs.keys import picker_update


def connect_tab(
    services: StudioServices,
    capability: Capability,
    session_keys: gr.State,
    loaded: gr.State | None,
    provider: gr.Dropdown,
    named_inputs: Sequence[tuple[str, gr.components.Component]],
) -> None:
    """Keys saved in Settings refresh the provider picker; History's "load settings" fills the
    inputs (named by their public API parameter names)."""
    session_keys.change(
        lambda keys, current: picker_update(services, capability, keys, current),
        [session_keys, provider],
        provider,
        api_visibility="private",
    )
    if loaded is None:
        return
    names = [name for name, _ in named_inputs]
    loaded.change(
        lambda request: fill_values(request, capability, names),
        loaded,
        [component for _, component in named_inputs],
        api_visibility="private",
    )
