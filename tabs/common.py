"""What every capability tab shares: the services, the provider picker, the job stream, status text."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest
from core.events import Event, Failed, Output, Queued, Running, Succeeded
from core.jobs import JobManager
from core.limits import upload_limits
from core.ownership import check_own_files
from core.requests import RANDOM_SEED, SEED_MAX, Capability, StudioRequest, build_request
from core.store import JobStore
from core.visitors import Visitor, VisitorDirectory
from providers.registry import ProviderChoice, Registry
from tabs.fields import field_dropdown
from tabs.i18n import (
    DEFAULT_LANG,
    Lang,
    i18n,
    invalid_message,
    label,
    progress_message,
    request_lang,
    tr,
    warning_message,
)

HEARTBEAT_S = 1.0


class RecentJobs:
    """Each browser session's latest job per tab, on the server.

    The run card and Stop need the job id, and a gr.State output would put it among the public
    endpoints' outputs (which trips Gradio 6.31's MCP tool calls).
    """

    _LIMIT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: OrderedDict[tuple[str, str], str] = OrderedDict()

    def remember(self, session: str | None, capability: str, job_id: str) -> None:
        if not session:
            return
        with self._lock:
            self._latest[(session, capability)] = job_id
            self._latest.move_to_end((session, capability))
            while len(self._latest) > self._LIMIT:
                self._latest.popitem(last=False)

    def latest(self, session: str | None, capability: str) -> str | None:
        with self._lock:
            return self._latest.get((session, capability)) if session else None


@dataclass(frozen=True)
class StudioServices:
    """What the UI needs from the runtime; built once in app.py."""

    settings: Settings
    jobs: JobManager
    registry: Registry
    store: JobStore
    visitors: VisitorDirectory
    recent: RecentJobs = field(default_factory=lambda: RecentJobs())

    def owner_scope(self, visitor: Visitor) -> str | None:
        """The owner whose jobs `visitor` may see and act on; None on one's own machine, where
        every job is the one user's."""
        return visitor.id if self.settings.public_mode else None


@dataclass(frozen=True)
class JobUpdate:
    """One step of a job as a tab sees it."""

    job_id: str
    request: StudioRequest
    event: Event
    status: str
    elapsed_s: float


def resolve_seed(seed: Any) -> Any:
    """-1 (or empty) becomes a concrete random seed, so the result can be reproduced.

    Anything else goes to the request model as it came, which names the field when it is not
    a whole number in range (2.5 must be refused, not quietly made 2).
    """
    if seed is None or (
        isinstance(seed, int | float) and not isinstance(seed, bool) and seed == RANDOM_SEED
    ):
        return random.randint(0, SEED_MAX)
    if isinstance(seed, float) and seed.is_integer():
        return int(seed)
    return seed


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


def format_duration(seconds: float, lang: Lang = DEFAULT_LANG) -> str:
    if seconds < 60:
        return tr(lang, "seconds", seconds=seconds)
    minutes, secs = divmod(round(seconds), 60)
    return tr(lang, "minutes", minutes=minutes, seconds=secs)


def status_text(event: Event, elapsed_s: float, lang: Lang = DEFAULT_LANG) -> str:
    """The one-line status a person reads: state, percent, elapsed time, ETA."""
    if isinstance(event, Queued):
        where = tr(lang, "queued_position", position=event.position) if event.position else ""
        return tr(lang, "queued", where=where, waited=format_duration(elapsed_s, lang))
    if isinstance(event, Running):
        parts = []
        if event.percent is not None:
            parts.append(f"**{event.percent:.0f}%**")
        parts.append(
            progress_message(event.message, lang) if event.message else tr(lang, "running")
        )
        parts.append(tr(lang, "elapsed", duration=format_duration(elapsed_s, lang)))
        if event.eta_s is not None:
            parts.append(tr(lang, "left", duration=format_duration(event.eta_s, lang)))
        return "⚙️ " + " · ".join(parts)
    if isinstance(event, Succeeded):
        count = len(event.outputs)
        key = "done_one" if count == 1 else "done_many"
        return tr(lang, key, duration=format_duration(elapsed_s, lang), count=count)
    assert isinstance(event, Failed)
    return tr(lang, "failed", message=progress_message(event.message, lang))


def session_credentials(keys: Mapping[str, str] | None) -> dict[str, SecretStr]:
    return {name: SecretStr(value) for name, value in (keys or {}).items() if value}


async def stream_job(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None = None,
    lang: Lang = DEFAULT_LANG,
    session: str | None = None,
    owner: str = "",
) -> AsyncIterator[JobUpdate]:
    """Validate, submit and follow one job; the tab turns each update into outputs.

    Bad input raises gr.Error naming the field before any work. Stop (CancelledError) stops the
    job; a closed tab (GeneratorExit) only stops listening: the job finishes into History.
    A failed job ends the stream with gr.Error carrying the provider's sentence.
    Status text, titles and messages are in `lang` (a provider's own words as it wrote them).
    `owner` is the visitor the job will belong to.
    """
    credentials = session_credentials(session_keys)
    try:
        if services.settings.public_mode:
            check_own_files(services.settings, services.store, owner, values)
        request = build_request(capability, limits=upload_limits(services.settings), **values)
        chosen = services.registry.resolve(capability, provider, credentials)
        job_id = services.jobs.submit(chosen, request, credentials=credentials, owner=owner)
        services.recent.remember(session, capability, job_id)
    except InvalidRequest as error:
        message = invalid_message(error.field, error.message, lang)
        raise gr.Error(message, title=tr(lang, "error_invalid")) from None
    for warning in request.warnings():
        gr.Warning(warning_message(warning, lang), title=tr(lang, "warning"))
    started = time.monotonic()
    try:
        async for event in services.jobs.events(job_id, heartbeat_s=HEARTBEAT_S):
            elapsed = time.monotonic() - started
            yield JobUpdate(job_id, request, event, status_text(event, elapsed, lang), elapsed)
            if isinstance(event, Failed):
                message = progress_message(event.message, lang)
                raise gr.Error(message, title=tr(lang, "error_failed"))
    except asyncio.CancelledError:
        services.jobs.cancel(job_id)
        raise


@dataclass(frozen=True)
class Step:
    """What a tab shows after one update: status text, a new preview if any, the end's outputs."""

    status: str
    request: StudioRequest
    job_id: str
    preview: str | None = None
    outputs: list[Output] | None = None

    def files(self, kind: str | None = None) -> list[str]:
        return [str(o.path) for o in self.outputs or [] if kind is None or o.kind == kind]


def session_of(request: gr.Request | None) -> str | None:
    """The browser session (or API client) a request came from."""
    return getattr(request, "session_hash", None) if request is not None else None


def visitor_of(services: StudioServices, request: gr.Request | None) -> Visitor:
    """The visitor behind a Gradio request (core/visitors.py says how it is told)."""
    headers: dict[str, str] = {}
    if request is not None:
        raw = getattr(request, "headers", None)
        if raw is not None:
            headers = {str(k): str(v) for k, v in dict(raw).items()}
    return services.visitors.identify(session_of(request), headers)


async def stream_steps(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None,
    progress: gr.Progress | None = None,
    request: gr.Request | None = None,
) -> AsyncIterator[Step]:
    """`stream_job` as Steps, reporting each preview once and driving the progress bar.

    `request` gives the language of the messages and the session whose latest job the run
    card and Stop look up.
    """
    lang = request_lang(request)
    session = session_of(request)
    owner = visitor_of(services, request).id
    last_preview: Path | None = None
    async for update in stream_job(
        services, capability, provider, values, session_keys, lang, session, owner
    ):
        event = update.event
        if isinstance(event, Succeeded):
            yield Step(update.status, update.request, update.job_id, outputs=list(event.outputs))
            continue
        preview = None
        if isinstance(event, Running) and event.preview and event.preview != last_preview:
            last_preview = event.preview
            preview = str(event.preview)
        yield Step(update.status, update.request, update.job_id, preview=preview)
        if progress is not None:
            # Called after the yield: before it, Gradio often never shows the bar (GRADIO6-NOTES).
            fraction, desc = progress_of(update, lang)
            progress(fraction, desc=desc)


def or_skip(value: Any) -> Any:
    return gr.skip() if value is None else value


def progress_of(update: JobUpdate, lang: Lang = DEFAULT_LANG) -> tuple[float | None, str]:
    """(fraction, description) for gr.Progress."""
    event = update.event
    if isinstance(event, Running):
        fraction = None if event.percent is None else event.percent / 100.0
        desc = progress_message(event.message, lang) if event.message else tr(lang, "running")
        return fraction, desc
    if isinstance(event, Queued):
        return 0.0, tr(lang, "progress_queued")
    return 1.0, tr(lang, "progress_done")


def add_examples(
    rows: list[list[Any]],
    chinese_rows: list[list[Any]] | None,
    inputs: list[Any],
    header_keys: list[str],
    elem_prefix: str,
) -> None:
    """Examples that fill `inputs` and run nothing: English and Chinese ones, or one set
    (`chinese_rows` None) when the examples are pictures, songs or clips.

    The browser does not translate an examples table's column names, so each table gets them
    in its own language (label keys `header_keys`, one per input); the one shared table of
    media examples shows both languages.
    """
    common: dict[str, Any] = {
        "inputs": inputs,
        "cache_examples": False,
        "run_on_click": False,
        "api_visibility": "private",
    }
    if chinese_rows is None:
        shared = gr.Examples(
            rows, label=i18n("examples"), elem_id=f"{elem_prefix}-examples", **common
        )
        shared.dataset.headers = [f"{label('en', k)} · {label('zh', k)}" for k in header_keys]
        return
    # Two narrow tables read well side by side; wider ones (many columns) go one under the other.
    with gr.Row() if len(inputs) <= 2 else gr.Column():
        sets: tuple[tuple[list[list[Any]], Lang], ...] = ((rows, "en"), (chinese_rows, "zh"))
        for examples, lang in sets:
            with gr.Column(min_width=240):
                block = gr.Examples(
                    examples,
                    label=i18n(f"examples_{lang}"),
                    elem_id=f"{elem_prefix}-examples-{lang}",
                    **common,
                )
                block.dataset.headers = [label(lang, key) for key in header_keys]
