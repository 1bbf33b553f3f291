"""The provider picker every capability tab has."""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.requests import Capability
from providers.registry import ProviderChoice
from tabs.fields import field_dropdown
from tabs.i18n import i18n
from tabs.services import StudioServices


def provider_title(choice: ProviderChoice) -> Any:
    """A picker entry's display name, translated in the browser: "Img Open (live)"."""
    if choice.badge == "offline" and choice.name == "offline":
        return i18n("provider_offline")
    return f"{choice.label} ({i18n(f'badge_{choice.badge}')})"


def provider_choices(choices: list[ProviderChoice]) -> list[tuple[Any, str]]:
    return [(provider_title(choice), choice.name) for choice in choices]


def default_provider(services: StudioServices, capability: Capability) -> str | None:
    """What a new page's picker shows first (offline)."""
    choices = services.registry.choices(capability)
    return choices[0].name if choices else None


def provider_dropdown(services: StudioServices, capability: Capability) -> gr.Dropdown:
    return field_dropdown(
        choices=provider_choices(services.registry.choices(capability)),
        value=default_provider(services, capability),
        label=i18n("provider"),
        info=i18n("provider_info"),
    )
