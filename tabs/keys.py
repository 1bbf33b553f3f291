"""A session's own provider keys: merging what was typed, restoring what a browser remembered,
and the provider pickers those keys unlock.

The keys live in the `session_keys` gr.State (server memory, one per browser session) as a plain
dict env name → value. Nothing here ever returns a key value for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import gradio as gr

from core.keys import KeyProblem, key_problem, usable_key
from core.requests import CAPABILITIES, Capability
from providers.registry import PROVIDER_ORDER
from tabs.i18n import LABELS_EN, Lang, i18n, label
from tabs.picker import provider_choices
from tabs.services import StudioServices, session_credentials

# Longer than any real key; stops a crafted BrowserState blob from filling server memory.
MAX_KEY_CHARS = 512


KeySource = Literal[
    "no_key_needed", "session", "sandbox", "server_unused", "server", "partial", "none"
]


class KeyState(NamedTuple):
    """Where a provider's keys come from; `missing`: the env names a partial session lacks."""

    source: KeySource
    missing: tuple[str, ...] = ()


def _key_label_key(env_name: str) -> str:
    return f"set_key_{env_name.lower()}"


def key_name(env_name: str, lang: Lang) -> str:
    """A key by what it is ("Suno API key"), not by its environment variable."""
    key = _key_label_key(env_name)
    return label(lang, key) if key in LABELS_EN else env_name


def key_label(env_name: str) -> Any:
    """`key_name` for a component, translated in the browser."""
    key = _key_label_key(env_name)
    return i18n(key) if key in LABELS_EN else env_name


def remote_providers(services: StudioServices) -> list[str]:
    """The providers that take keys, in the pickers' order."""
    return [name for name in PROVIDER_ORDER if services.registry.credential_fields(name)]


def key_fields(services: StudioServices) -> list[tuple[str, str]]:
    """(provider name, env name) for every key a session may bring, in a stable order."""
    return [
        (name, field)
        for name in remote_providers(services)
        for field in services.registry.credential_fields(name)
    ]


def known_key_names(services: StudioServices) -> frozenset[str]:
    return frozenset(field for _, field in key_fields(services))


def clean_keys(services: StudioServices, keys: Mapping[str, Any] | None) -> dict[str, str]:
    """Only known env names with values the key rule accepts (core/keys.py), trimmed and
    bounded."""
    known = known_key_names(services)
    cleaned: dict[str, str] = {}
    for name, value in (keys or {}).items():
        if name in known and isinstance(value, str):
            value = value.strip()[:MAX_KEY_CHARS]
            if usable_key(value):
                cleaned[name] = value
    return cleaned


def refused_keys(
    services: StudioServices, names: Sequence[str], values: Sequence[str | None]
) -> list[tuple[str, KeyProblem]]:
    """(env name, why) for every typed key the rule refuses; blank boxes are not refusals."""
    known = known_key_names(services)
    refused: list[tuple[str, KeyProblem]] = []
    for name, value in zip(names, values, strict=True):
        if name not in known or not isinstance(value, str) or not value.strip():
            continue
        problem = key_problem(value.strip()[:MAX_KEY_CHARS])
        if problem is not None:
            refused.append((name, problem))
    return refused


def merge_keys(
    services: StudioServices,
    current: Mapping[str, str] | None,
    names: Sequence[str],
    values: Sequence[str | None],
) -> dict[str, str]:
    """`current` with every acceptable typed value put in; a blank box, or a key the rule
    refuses (`refused_keys` says which), keeps what was there."""
    typed = {
        name: value.strip()
        for name, value in zip(names, values, strict=True)
        if isinstance(value, str) and usable_key(value.strip()[:MAX_KEY_CHARS])
    }
    return clean_keys(services, {**(current or {}), **typed})


def provider_key_state(
    services: StudioServices, provider: str, keys: Mapping[str, str] | None
) -> KeyState:
    """Where `provider`'s keys come from: this session, the server, part of them, or nowhere."""
    fields = services.registry.credential_fields(provider)
    session = clean_keys(services, keys)
    settings = services.settings
    if not fields:
        return KeyState("no_key_needed")
    in_session = [field for field in fields if field in session]
    on_server = [field for field in fields if _server_secret(settings, field)]
    if len(in_session) == len(fields):
        return KeyState("session")
    if settings.studio_sandbox:
        return KeyState("sandbox")
    if len(on_server) == len(fields):
        return KeyState("server_unused" if settings.studio_require_user_keys else "server")
    if in_session:
        return KeyState("partial", tuple(field for field in fields if field not in session))
    return KeyState("none")


def unlocked_providers(services: StudioServices, keys: Mapping[str, str] | None) -> list[str]:
    """The remote providers this session may pick in at least one tab."""
    credentials = session_credentials(clean_keys(services, keys))
    found = {
        choice.name
        for capability in CAPABILITIES
        for choice in services.registry.choices(capability, credentials)
    }
    return [name for name in remote_providers(services) if name in found]


def picker_update(
    services: StudioServices,
    capability: Capability,
    keys: Mapping[str, str] | None,
    current: str | None = None,
) -> Any:
    """A gr.update for `capability`'s provider dropdown: the choices these keys allow, keeping
    the current pick when it is still allowed (else the first choice, offline)."""
    choices = services.registry.choices(capability, session_credentials(clean_keys(services, keys)))
    names = [choice.name for choice in choices]
    value = current if current in names else (names[0] if names else None)
    return gr.update(choices=provider_choices(choices), value=value)


def refresh_pickers(
    services: StudioServices,
    keys: Mapping[str, str] | None,
    current: Mapping[str, str | None] | None = None,
    capabilities: Iterable[Capability] = CAPABILITIES,
) -> dict[Capability, Any]:
    """One `picker_update` per capability; `current` maps capability → its dropdown's value."""
    current = current or {}
    return {
        capability: picker_update(services, capability, keys, current.get(capability))
        for capability in capabilities
    }


def _server_secret(settings: Any, env_name: str) -> bool:
    value = getattr(settings, env_name.lower(), None)
    if value is None:
        return False
    secret = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return bool(secret.strip())
