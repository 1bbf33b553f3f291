"""What every capability tab shares: the services, the provider picker, the job stream, status text."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import SecretStr

from core.config import Settings
from core.errors import InvalidRequest
from core.events import Event, Failed, Output, Queued, Running, Succeeded
from core.jobs import JobManager
from core.requests import RANDOM_SEED, SEED_MAX, Capability, StudioRequest, build_request
from core.store import JobStore
from providers.registry import Registry
from tabs.fields import field_dropdown

HEARTBEAT_S = 1.0


@dataclass(frozen=True)
class StudioServices:
    """What the UI needs from the runtime; built once in app.py."""

    settings: Settings
    jobs: JobManager
    registry: Registry
    store: JobStore


@dataclass(frozen=True)
class JobUpdate:
    """One step of a job as a tab sees it."""

    job_id: str
    request: StudioRequest
    event: Event
    status: str
    elapsed_s: float


def resolve_seed(seed: float | int | None) -> int:
    """-1 (or empty) becomes a concrete random seed, so the result can be reproduced."""
    if seed is None or int(seed) == RANDOM_SEED:
        return random.randint(0, SEED_MAX)
    return int(seed)


def provider_dropdown(services: StudioServices, capability: Capability) -> gr.Dropdown:
    choices = services.registry.choices(capability)
    return field_dropdown(
        choices=[(choice.title, choice.name) for choice in choices],
        value=choices[0].name if choices else None,
        label="Provider",
        info="Offline runs on this machine with no key; remote providers appear when keyed.",
    )


def format_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def status_text(event: Event, elapsed_s: float) -> str:
    """The one-line status a person reads: state, percent, elapsed time, ETA."""
    if isinstance(event, Queued):
        where = f" — position {event.position} in line" if event.position else ""
        return f"⏳ **Queued**{where} · {format_duration(elapsed_s)} waiting"
    if isinstance(event, Running):
        parts = []
        if event.percent is not None:
            parts.append(f"**{event.percent:.0f}%**")
        parts.append(event.message or "Running")
        parts.append(f"{format_duration(elapsed_s)} elapsed")
        if event.eta_s is not None:
            parts.append(f"about {format_duration(event.eta_s)} left")
        return "⚙️ " + " · ".join(parts)
    if isinstance(event, Succeeded):
        count = len(event.outputs)
        noun = "file" if count == 1 else "files"
        return f"✅ **Done** in {format_duration(elapsed_s)} — {count} {noun}"
    assert isinstance(event, Failed)
    return f"❌ {event.message}"


def session_credentials(keys: Mapping[str, str] | None) -> dict[str, SecretStr]:
    return {name: SecretStr(value) for name, value in (keys or {}).items() if value}


async def stream_job(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None = None,
) -> AsyncIterator[JobUpdate]:
    """Validate, submit and follow one job; the tab turns each update into outputs.

    Bad input raises gr.Error naming the field before any work. Stop (CancelledError) stops the
    job; a closed tab (GeneratorExit) only stops listening: the job finishes into History.
    A failed job ends the stream with gr.Error carrying the provider's sentence.
    """
    credentials = session_credentials(session_keys)
    try:
        request = build_request(capability, **values)
        chosen = services.registry.resolve(capability, provider, credentials)
        job_id = services.jobs.submit(chosen, request, credentials=credentials)
    except InvalidRequest as error:
        raise gr.Error(str(error), title="Invalid input") from None
    for warning in request.warnings():
        gr.Warning(warning)
    started = time.monotonic()
    try:
        async for event in services.jobs.events(job_id, heartbeat_s=HEARTBEAT_S):
            elapsed = time.monotonic() - started
            yield JobUpdate(job_id, request, event, status_text(event, elapsed), elapsed)
            if isinstance(event, Failed):
                raise gr.Error(event.message, title="The job did not finish")
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


async def stream_steps(
    services: StudioServices,
    capability: Capability,
    provider: str | None,
    values: dict[str, Any],
    session_keys: Mapping[str, str] | None,
    progress: gr.Progress | None = None,
) -> AsyncIterator[Step]:
    """`stream_job` as Steps, reporting each preview once and driving the progress bar."""
    last_preview: Path | None = None
    async for update in stream_job(services, capability, provider, values, session_keys):
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
            fraction, desc = progress_of(update)
            progress(fraction, desc=desc)


def or_skip(value: Any) -> Any:
    return gr.skip() if value is None else value


def progress_of(update: JobUpdate) -> tuple[float | None, str]:
    """(fraction, description) for gr.Progress."""
    event = update.event
    if isinstance(event, Running):
        fraction = None if event.percent is None else event.percent / 100.0
        return fraction, event.message or "Running"
    if isinstance(event, Queued):
        return 0.0, "Queued"
    return 1.0, "Done"
