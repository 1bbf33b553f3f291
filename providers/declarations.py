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


# With an estimate the next look may come this much sooner than the schedule's step, and no
# sooner: an estimate that stays "almost done" (a percent stuck at 99) then costs at most this
# many times the schedule's calls instead of a call per floor.
ESTIMATE_MAX_SPEED_UP = 3.0


@dataclass(frozen=True)
class Polling:
    """When to look at a task again, from the time it has run so far (elapsed).

    A task is seen done at the first look after it ends, so a step of a fraction of the
    elapsed time keeps that wait a fraction of the task's own length, while the calls a long
    task costs grow only with the log of its length. The step is `fraction` × elapsed, at
    least `floor_s` and at most `ceiling_s` (None: the floor, a fixed interval); early on it
    may be `early_fraction` × elapsed, up to `early_step_s` (a short task may be seen a little
    later than a long one, for fewer calls); and the look after the first waits until
    `first_s`, as no task is done sooner.
    """

    floor_s: float
    ceiling_s: float | None = None
    fraction: float = 0.0
    early_fraction: float = 0.0
    early_step_s: float = 0.0
    first_s: float = 0.0

    @property
    def most_s(self) -> float:
        return self.floor_s if self.ceiling_s is None else max(self.floor_s, self.ceiling_s)

    def step(self, elapsed_s: float) -> float:
        """Seconds before the next look at a task that has run `elapsed_s`, by the schedule."""
        elapsed = max(0.0, elapsed_s)
        if elapsed < self.first_s:
            return self.first_s - elapsed
        early = min(self.early_fraction * elapsed, self.early_step_s)
        return min(self.most_s, max(self.floor_s, self.fraction * elapsed, early))

    def delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
        """The step, brought forward to when the provider says the task will be done
        (`eta_s` from now; None or overdue: no estimate)."""
        step = self.step(elapsed_s)
        if eta_s is None or eta_s <= 0:
            return step
        return max(min(step, eta_s), min(step, self.floor_s), step / ESTIMATE_MAX_SPEED_UP)

    def times(self, until_s: float) -> list[float]:
        """When the looks fall (elapsed seconds, the first at 0) up to the first at or after
        `until_s`, for a task without an estimate and calls that take no time."""
        at = [0.0]
        while at[-1] < until_s:
            at.append(at[-1] + self.step(at[-1]))
        return at


def keeping_up(ceiling_s: float) -> Polling:
    """The remote providers' schedule (docs/providers.md#common-polling): with calls of about
    0.1 s it sees a task of 1 to 2 s done within 1.35 times its length and one of 5 s or
    more within 1.15 times (bench/bench_polling.py), and Suno's single job keeps within its
    account's budget of 18 calls in 10 s (providers/suno.py)."""
    return Polling(
        0.25,
        ceiling_s=ceiling_s,
        fraction=0.12,
        early_fraction=0.2,
        early_step_s=0.6,
        first_s=0.9,
    )


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
    polling=keeping_up(ceiling_s=10.0),
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
    polling=keeping_up(ceiling_s=10.0),
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
    # Songs take minutes and every call counts against the account's budget, which all its
    # jobs share (providers/rate_limit.py): a long task is looked at least often.
    polling=keeping_up(ceiling_s=15.0),
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
    # Without the state stream; with it most answers come from the stream, not a call.
    polling=keeping_up(ceiling_s=10.0),
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
