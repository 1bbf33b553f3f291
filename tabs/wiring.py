"""Connections every capability tab makes to the shared state: session keys and History."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from core.requests import Capability
from tabs.history_reuse import fill_values
from tabs.i18n import request_lang, tr
from tabs.keys import picker_update
from tabs.services import StudioServices


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
        show_progress="hidden",
    )
    if loaded is None:
        return
    names = [name for name, _ in named_inputs]
    loaded.change(
        lambda request: fill_values(request, capability, names),
        loaded,
        [component for _, component in named_inputs],
        api_visibility="private",
        show_progress="hidden",
    )


def _first_path(value: Any) -> str | None:
    """The first file in an Audio/Image value or a Gallery's list of (path, caption)."""
    if value is None:
        return None
    if isinstance(value, str | Path):
        return str(value)
    if isinstance(value, dict):
        return value.get("path") or _first_path(value.get("image") or value.get("video"))
    if isinstance(value, list | tuple) and value:
        return _first_path(value[0])
    return None


def connect_send(
    button: gr.Button,
    source: gr.components.Component,
    target: Capability,
    param: str,
    loaded: gr.State | None,
    tabs: gr.Tabs | None,
) -> None:
    """ "Send to": put a result into another tab's input and switch to that tab."""
    if loaded is None or tabs is None:
        button.visible = False
        return

    def send(value: Any, request: gr.Request | None = None) -> tuple[dict[str, Any], Any]:
        path = _first_path(value)
        if not path:
            lang = request_lang(request)
            raise gr.Error(tr(lang, "nothing_to_send"), title=tr(lang, "error"))
        request = {"capability": target, "params": {param: path}, "loaded_at": time.time()}
        return request, gr.Tabs(selected=target)

    button.click(send, source, [loaded, tabs], api_visibility="private", show_progress="hidden")
