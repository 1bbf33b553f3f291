"""Which providers serve which capability with the settings (and session keys) at hand.

Tabs reach providers only through here. `offline` always serves; a remote provider is offered
when its keys are configured on the server or in the user's session, or in sandbox mode. Which
providers exist, their order and their keys come from their declarations
(providers/declarations.py); each remote one is made by its adapter module's `create`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest
from core.fetch import FetchPolicy
from core.limits import upload_limits
from core.messages import msg
from core.provider import Provider
from core.requests import Capability
from core.workers import WorkerPool
from providers.declarations import (
    DECLARATIONS,
    REMOTE,
    Declaration,
    declaration,
    sandbox_origins,
)
from providers.offline.provider import OfflineProvider
from providers.remote_base import is_configured

Badge = Literal["offline", "sandbox", "live"]
PROVIDER_ORDER: tuple[str, ...] = tuple(declared.name for declared in DECLARATIONS)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}…"


def create_remote(declared: Declaration, settings: Settings) -> Provider:
    """The adapter of a remote provider, from the module its declaration names."""
    provider: Provider = importlib.import_module(declared.adapter).create(settings)
    return provider


@dataclass(frozen=True)
class ProviderChoice:
    name: str
    label: str
    badge: Badge

    @property
    def title(self) -> str:
        return f"{self.label} ({self.badge})"


class Registry:
    def __init__(self, settings: Settings, pool: WorkerPool) -> None:
        self.settings = settings
        self.offline = OfflineProvider(
            pool,
            FetchPolicy.for_visitor_urls(settings, sandbox_origins(settings)),
            upload_limits(settings),
            settings,
        )
        self._providers: dict[str, Provider] = {self.offline.name: self.offline}
        for declared in REMOTE:
            self._providers[declared.name] = create_remote(declared, settings)

    def get(self, name: str) -> Provider | None:
        return self._providers.get(name)

    def credential_fields(self, name: str) -> tuple[str, ...]:
        declared = declaration(name)
        return declared.credential_fields if declared is not None else ()

    def _available(self, name: str, credentials: Mapping[str, SecretStr]) -> bool:
        declared = declaration(name)
        if declared is None or not declared.remote:
            return True
        if self.settings.studio_require_user_keys and not self.settings.studio_sandbox:
            own = all(
                (key := credentials.get(field)) is not None and key.get_secret_value().strip()
                for field in declared.credential_fields
            )
            if not own:
                return False
        return is_configured(declared, self.settings, credentials)

    def badge(self, name: str) -> Badge:
        if name == self.offline.name:
            return "offline"
        return "sandbox" if self.settings.studio_sandbox else "live"

    def choices(
        self, capability: Capability, credentials: Mapping[str, SecretStr] | None = None
    ) -> list[ProviderChoice]:
        """The providers a user may pick for `capability` right now, offline first."""
        credentials = credentials or {}
        found: list[ProviderChoice] = []
        for name in PROVIDER_ORDER:
            provider = self._providers.get(name)
            if provider is None or capability not in provider.capabilities:
                continue
            if self._available(name, credentials):
                found.append(ProviderChoice(name, provider.label, self.badge(name)))
        return found

    def resolve(
        self,
        capability: Capability,
        name: str | None,
        credentials: Mapping[str, SecretStr] | None = None,
    ) -> Provider:
        """The provider called `name` for `capability`, or InvalidRequest naming the choices."""
        choices = self.choices(capability, credentials)
        allowed = [choice.name for choice in choices]
        if name is not None and not isinstance(name, str):
            # API callers can send any JSON here; a number or a list is not a provider name.
            raise InvalidRequest(
                "provider",
                msg("provider_not_a_name", value=_shown(name), allowed=", ".join(allowed)),
            )
        wanted = (name or "").strip() or self.offline.name
        if wanted not in allowed:
            key = "provider_needs_key" if wanted in self._providers else "provider_not_available"
            raise InvalidRequest(
                "provider",
                msg(key, value=_shown(wanted), capability=capability, allowed=", ".join(allowed)),
            )
        provider = self._providers[wanted]
        return provider

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()
