"""Which providers serve which capability with the settings (and session keys) at hand.

Tabs reach providers only through here. `offline` always serves; a remote provider is offered
when its keys are configured on the server or in the user's session, or in sandbox mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest
from core.fetch import FetchPolicy
from core.limits import upload_limits
from core.provider import Provider
from core.requests import Capability
from core.workers import WorkerPool
from providers import imgopen, suno, tencent_mmlab, vidu
from providers.offline.provider import OfflineProvider

Badge = Literal["offline", "sandbox", "live"]
PROVIDER_ORDER: tuple[str, ...] = ("offline", "imgopen", "tencent", "suno", "vidu")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}…"


def _remote_modules() -> tuple[ModuleType, ...]:
    """The adapter modules; each has CREDENTIAL_FIELDS, is_configured() and create()."""
    return (imgopen, tencent_mmlab, suno, vidu)


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
            pool, FetchPolicy.for_visitor_urls(settings), upload_limits(settings)
        )
        self._providers: dict[str, Provider] = {self.offline.name: self.offline}
        self._modules: dict[str, ModuleType] = {}
        for module in _remote_modules():
            provider = module.create(settings)
            self._providers[provider.name] = provider
            self._modules[provider.name] = module

    def get(self, name: str) -> Provider | None:
        return self._providers.get(name)

    def credential_fields(self, name: str) -> tuple[str, ...]:
        module = self._modules.get(name)
        return tuple(module.CREDENTIAL_FIELDS) if module else ()

    def _available(self, name: str, credentials: Mapping[str, SecretStr]) -> bool:
        if name == self.offline.name:
            return True
        module = self._modules[name]
        if self.settings.studio_require_user_keys and not self.settings.studio_sandbox:
            own = all(
                (key := credentials.get(field)) is not None and key.get_secret_value().strip()
                for field in module.CREDENTIAL_FIELDS
            )
            if not own:
                return False
        return bool(module.is_configured(self.settings, credentials))

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
                f"{_shown(name)} is not a provider name; allowed: {', '.join(allowed)}",
            )
        wanted = (name or "").strip() or self.offline.name
        if wanted not in allowed:
            raise InvalidRequest(
                "provider",
                f"{_shown(wanted)} is not available for {capability}; "
                f"allowed: {', '.join(allowed)}"
                + ("" if wanted not in self._providers else " (add its key in Settings or .env)"),
            )
        provider = self._providers[wanted]
        return provider

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()
