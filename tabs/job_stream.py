"""A job as the UI follows it: one `JobView` per step, from submission to the end.

The capability tabs stream a new job (`stream_steps`); History watches an existing one. Both
see the same type: the event, the status line a person reads (and its `Progress`, which the
page draws as a bar: tabs/progress_bar.py), the newest preview, and at the end the files, by
kind. A stopped job ends like a finished one, with the files it kept, and is said calmly.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from core.errors import InvalidRequest
from core.events import (
    Cancelled,
    Event,
    Failed,
    Output,
    Queued,
    Running,
    Succeeded,
    is_terminal,
)
from core.limits import upload_limits
from core.ownership import check_own_files
from core.request_fields import SEED_MAX
from core.requests import RANDOM_SEED, Capability, StudioRequest, build_request
from tabs.i18n import (
    DEFAULT_LANG,
    Lang,
    progress_message,
    refusal_message,
    request_lang,
    tr,
    warning_message,
)
from tabs.progress_bar import (
    Progress,
    progress_of,
    step_text,
    usual_duration,
)
from tabs.services import StudioServices, session_credentials, session_of, visitor_of

HEARTBEAT_S = 1.0


@dataclass(frozen=True)
class JobView:
    """One step of a job as the UI shows it.

    `preview` is set only when a new one arrived; `outputs` only at a successful end or a stop
    (the files kept; the files that exist, whatever the record lists, are what `files` returns).
    """

    job_id: str
    event: Event
    status: str
    elapsed_s: float = 0.0
    request: StudioRequest | None = None
    preview: str | None = None
    outputs: Sequence[Output] | None = None
    progress: Progress | None = None

    def files(self, kind: str | None = None) -> list[str]:
        """Paths of the result files of `kind` (all kinds when None) that exist."""
        return [
            str(o.path)
            for o in self.outputs or ()
            if (kind is None or o.kind == kind) and o.path.is_file()
        ]

    def first(self, kind: str) -> str | None:
        found = self.files(kind)
        return found[0] if found else None


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


def status_text(
    event: Event, elapsed_s: float, lang: Lang = DEFAULT_LANG, usual_s: float | None = None
) -> str:
    """The one-line status a person (or an API caller) reads: the percent, the step, elapsed
    time and ETA (estimated from `usual_s` when the provider gives none); how it ended."""
    return status_line(progress_of(event, elapsed_s, lang, usual_s))


def status_line(progress: Progress) -> str:
    if progress.state != "running":
        return progress.headline
    parts = (progress.percent_text, progress.headline, progress.times)
    return " · ".join(part for part in parts if part)


def view_of(
    job_id: str,
    event: Event,
    elapsed_s: float,
    lang: Lang,
    request: StudioRequest | None = None,
    usual_s: float | None = None,
) -> JobView:
    """`usual_s`: the usual run time of the job's provider and capability, for a progress
    estimate when the provider gives no percent (tabs/progress_bar.py)."""
    ended = isinstance(event, Succeeded | Cancelled)
    progress = progress_of(event, elapsed_s, lang, usual_s)
    return JobView(
        job_id=job_id,
        event=event,
        status=status_line(progress),
        elapsed_s=elapsed_s,
        request=request,
        outputs=list(event.outputs) if ended else None,  # type: ignore[union-attr]
        progress=progress,
    )


async def stream_job(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None = None,
    lang: Lang = DEFAULT_LANG,
    session: str | None = None,
    owner: str = "",
) -> AsyncIterator[JobView]:
    """Validate, submit and follow one job; the tab turns each view into outputs.

    Bad input raises gr.Error naming the field before any work. A cancelled event
    (CancelledError: an API caller's cancel) stops the job; a closed tab (GeneratorExit) only
    stops listening: the job finishes into History. A job stopped otherwise (the page's Stop,
    History's Cancel) ends the stream calmly with the files it kept; a failed job ends it with
    gr.Error carrying the provider's sentence.
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
        message = refusal_message(error, lang)
        raise gr.Error(message, title=tr(lang, "error_invalid")) from None
    for warning in request.warnings():
        gr.Warning(warning_message(warning, lang), title=tr(lang, "warning"))
    started = time.monotonic()
    usual: list[float | None] = []  # looked up once, when the provider gives no figures
    try:
        async for event in services.jobs.events(job_id, heartbeat_s=HEARTBEAT_S):
            if not usual and isinstance(event, Running) and event.percent is None:
                usual.append(usual_duration(services.store, chosen.name, capability))
            elapsed = time.monotonic() - started
            yield view_of(job_id, event, elapsed, lang, request, usual[0] if usual else None)
            if isinstance(event, Failed):
                message = progress_message(event.message, lang)
                raise gr.Error(message, title=tr(lang, "error_failed"))
    except asyncio.CancelledError:
        services.jobs.cancel(job_id)
        raise


async def stream_steps(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None,
    progress: gr.Progress | None = None,
    request: gr.Request | None = None,
) -> AsyncIterator[JobView]:
    """`stream_job` with each preview reported once and the progress bar driven.

    `request` gives the language of the messages, the visitor the job belongs to and the
    session whose latest job the run card and Stop look up.
    """
    lang = request_lang(request)
    owner = visitor_of(services, request).id
    last_preview: Path | None = None
    async for view in stream_job(
        services, capability, provider, values, session_keys, lang, session_of(request), owner
    ):
        event = view.event
        if isinstance(event, Running) and event.preview and event.preview != last_preview:
            last_preview = event.preview
            view = JobView(**{**view.__dict__, "preview": str(event.preview)})
        yield view
        if progress is not None and not is_terminal(event):
            # Called after the yield: before it, Gradio often never shows the bar
            # (docs/gradio.md#progress).
            fraction, desc = gradio_progress(event, lang)
            progress(fraction, desc=desc)


def gradio_progress(event: Event, lang: Lang = DEFAULT_LANG) -> tuple[float | None, str]:
    """(fraction, description) for gr.Progress: what API callers read as `progress_data`."""
    if isinstance(event, Running):
        fraction = None if event.percent is None else event.percent / 100.0
        return fraction, step_text(event, lang)
    if isinstance(event, Queued):
        return 0.0, tr(lang, "progress_queued")
    return 1.0, tr(lang, "progress_done")
