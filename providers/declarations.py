"""Every provider the studio knows, declared once, as plain data.

A declaration says what is true of a provider whatever code talks to it: its name and label,
the capabilities it serves, the keys it needs (env names), where it is reached (Settings
attributes, and where the emulators serve each one), the request fields it ignores, what it
counts as an acknowledged callback and how often its tasks are polled.

The registry, the adapters (providers/*.py), the Settings tab, field visibility, the callback
route and the emulators' registration all read these. This module holds no adapter logic and
imports no adapter, so the emulators may import it: an emulator is written from the provider's
documentation and never imports the adapter it exists to check.

Adding a provider: its `Declaration` here, its adapter module (`adapter`, with a `create`
function) and wire models, its emulator, its messages in core/locale/providers.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import httpx

from core.config import Settings
from core.fetch import origin_of
from core.requests import CAPABILITIES, Capability


@dataclass(frozen=True)
class Address:
    """One base URL of a provider: a Settings attribute, and where the emulators serve it."""

    setting: str
    emulator_mount: str

    @property
    def env(self) -> str:
        """The environment variable that sets it (Settings lower-cases env names)."""
        return self.setting.upper()


@dataclass(frozen=True)
class Polling:
    """How long to wait before each status call: `first_s`, growing by `growth` to `last_s`."""

    first_s: float
    last_s: float | None = None
    growth: float = 1.0

    def delay(self, attempt: int) -> float:
        """Seconds before status call number `attempt` (1-based)."""
        grown = self.first_s * self.growth ** max(0, attempt - 1)
        return min(self.last_s, grown) if self.last_s is not None else self.first_s


def _frozen(ignores: Mapping[Capability, frozenset[str]]) -> Mapping[Capability, frozenset[str]]:
    return MappingProxyType(dict(ignores))


@dataclass(frozen=True)
class Declaration:
    name: str
    label: str
    capabilities: frozenset[Capability]
    polling: Polling
    # The module whose `create(settings)` makes the provider; empty for the offline provider,
    # which the registry builds itself (it needs the worker pool).
    adapter: str = ""
    credential_fields: tuple[str, ...] = ()
    # The first address is the one a reachability check calls, and the one that must be set
    # for the provider to be offered at all.
    addresses: tuple[Address, ...] = ()
    # Capability → the tab's fields (and hints) this provider does not read: hidden when it is
    # picked. A hidden field still sends its value.
    ignores: Mapping[Capability, frozenset[str]] = field(default_factory=dict)
    # The body the provider counts as a delivered callback; None when it sends none.
    callback_reply: Mapping[str, Any] | None = None

    @property
    def remote(self) -> bool:
        return bool(self.credential_fields)

    @property
    def main_address(self) -> Address | None:
        return self.addresses[0] if self.addresses else None

    def ignored(self, capability: Capability) -> frozenset[str]:
        return self.ignores.get(capability, frozenset())


# What Suno, Tencent and Vidu count as delivered; Img Open wants the code as a string.
PLAIN_ACK: Mapping[str, Any] = MappingProxyType({"code": 200, "msg": "success"})

OFFLINE = Declaration(
    name="offline",
    label="Offline",
    capabilities=frozenset(CAPABILITIES),
    # The engine wakes the poller on each progress step; this is a fallback.
    polling=Polling(1.0),
    ignores=_frozen(
        {
            # The offline painter has no models: these only go to Img Open's A1111 backend.
            "text_to_image": frozenset({"restore_faces", "checkpoint", "vae", "clip_skip"}),
            # "advanced" holds negative tags, vocal gender and the three weights: Suno's alone.
            "extend_music": frozenset({"model", "suno_hint", "advanced"}),
            "video_upscale": frozenset({"creation_id", "model", "duration"}),
        }
    ),
)

IMGOPEN = Declaration(
    name="imgopen",
    label="Img Open",
    capabilities=frozenset({"text_to_music", "text_to_image"}),
    # A gentle back-off: a finished task is seen within about a fifth of its run time.
    polling=Polling(1.0, last_s=5.0, growth=1.25),
    adapter="providers.imgopen",
    credential_fields=("IMGOPEN_ACCESS_KEY_ID", "IMGOPEN_ACCESS_KEY_SECRET"),
    addresses=(Address("imgopen_base_url", "/imgopen"),),
    ignores=_frozen({"text_to_image": frozenset({"offline_note"})}),
    callback_reply=MappingProxyType({"code": "200", "msg": "success"}),
)

TENCENT = Declaration(
    name="tencent",
    label="Tencent Multimedia Lab",
    capabilities=frozenset({"image_to_music"}),
    polling=Polling(2.0),
    adapter="providers.tencent_mmlab",
    credential_fields=("TENCENT_MMLAB_SECRET_ID", "TENCENT_MMLAB_SECRET_KEY"),
    addresses=(
        Address("tencent_mmlab_url", "/tencent/job"),
        Address("tencent_mmlab_output_base_url", "/tencent-output"),
    ),
    callback_reply=PLAIN_ACK,
)

SUNO = Declaration(
    name="suno",
    label="Suno",
    capabilities=frozenset({"extend_music"}),
    polling=Polling(3.0),
    adapter="providers.suno",
    credential_fields=("SUNO_API_KEY",),
    addresses=(
        Address("suno_base_url", "/suno"),
        Address("suno_upload_base_url", "/suno-upload"),
    ),
    callback_reply=PLAIN_ACK,
)

VIDU = Declaration(
    name="vidu",
    label="Vidu",
    capabilities=frozenset({"video_upscale"}),
    polling=Polling(3.0),
    adapter="providers.vidu",
    credential_fields=("VIDU_API_KEY",),
    # The reseller's address has no default: without it there is nothing to call.
    addresses=(Address("vidu_base_url", "/vidu"),),
    ignores=_frozen({"video_upscale": frozenset({"video", "scale"})}),
    callback_reply=PLAIN_ACK,
)

# In the pickers' order: offline first.
DECLARATIONS: tuple[Declaration, ...] = (OFFLINE, IMGOPEN, TENCENT, SUNO, VIDU)
REMOTE: tuple[Declaration, ...] = tuple(d for d in DECLARATIONS if d.remote)
BY_NAME: Mapping[str, Declaration] = MappingProxyType({d.name: d for d in DECLARATIONS})


def declaration(name: str | None) -> Declaration | None:
    return BY_NAME.get(name or "")


def callback_reply(provider: str) -> dict[str, object]:
    """The answer `provider` counts as a delivered callback (its declaration says which)."""
    declared = declaration(provider)
    reply = declared.callback_reply if declared is not None else None
    return dict(reply if reply is not None else PLAIN_ACK)


def sandbox_origins(settings: Settings) -> frozenset[str]:
    """In sandbox mode the providers' addresses point at the emulators on this machine: the only
    local origins the guarded fetcher may reach in public mode (core/fetch.py)."""
    if not settings.studio_sandbox:
        return frozenset()
    found: set[str] = set()
    for name in (address.setting for d in DECLARATIONS for address in d.addresses):
        value = getattr(settings, name)
        if value:
            try:
                found.add(origin_of(httpx.URL(value)))
            except (httpx.InvalidURL, ValueError):
                continue  # a broken base URL fails in its own adapter, with its own sentence
    return frozenset(found)
