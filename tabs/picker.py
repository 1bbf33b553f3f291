"""The provider picker every capability tab has, and a provider's plain name wherever one is shown."""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.requests import Capability
from providers.declarations import BY_NAME, OFFLINE
from providers.registry import ProviderChoice
from tabs.fields import field_dropdown
from tabs.i18n import DEFAULT_LANG, Lang, i18n, label
from tabs.services import StudioServices

# The offline provider is named in the reader's language; the others by their own brand name.
OFFLINE_LABEL = "provider_offline"


def provider_name(name: str, lang: Lang = DEFAULT_LANG) -> str:
    """What a page calls provider `name` (an id from the store or the API): "Offline", "Suno"."""
    if name == OFFLINE.name:
        return label(lang, OFFLINE_LABEL)
    declared = BY_NAME.get(name)
    return declared.label if declared is not None else name


def provider_label(name: str) -> Any:
    """`provider_name` for a component: translated in the browser where it has a translation."""
    if name == OFFLINE.name:
        return i18n(OFFLINE_LABEL)
    declared = BY_NAME.get(name)
    return declared.label if declared is not None else name


def provider_title(choice: ProviderChoice) -> Any:
    """A picker entry's display name: the plain name once, with "(sandbox)" only where the
    provider is the built-in emulator."""
    if choice.badge == "sandbox" and choice.name != OFFLINE.name:
        return f"{provider_label(choice.name)} ({i18n('badge_sandbox')})"
    return provider_label(choice.name)


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
