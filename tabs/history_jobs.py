"""History's jobs, read and acted on, with no component built: the `history_list` answer, one
job's detail, watching it, and cancelling, deleting and sharing it.

Each function takes the `owner` whose jobs it may see (None: every job, on one's own machine);
someone else's job id behaves exactly like an unknown one.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import gradio as gr

from core.events import Failed, Output, is_terminal
from core.history import (
    ALL,
    PAGE_SIZE,
    clean_job_id,
    duration_s,
    find_job,
    forget_job,
    list_jobs,
)
from core.jobs import ALREADY_FINISHED_MESSAGE
from core.messages import render
from core.store import JobRecord, JobStore, without_server_paths
from tabs.history_reuse import load_settings_payload
from tabs.i18n import DEFAULT_LANG, Lang, headers, tr
from tabs.job_stream import HEARTBEAT_S, JobView, view_of
from tabs.markup import state_pill
from tabs.picker import provider_name
from tabs.plain_names import (
    capability_name,
    markdown_text,
    parameters_markdown,
    state_name,
)
from tabs.progress_bar import format_duration, usual_duration
from tabs.run_card import transcript_markdown
from tabs.services import StudioServices
from tabs.share_page import share_path


# ---------------------------------------------------------------------------- listing
def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def duration_text(record: JobRecord, now: float | None = None, lang: Lang = DEFAULT_LANG) -> str:
    text = format_duration(duration_s(record, now), lang)
    return text if record.finished else tr(lang, "so_far", duration=text)


def history_json(
    store: JobStore,
    capability: str | None = ALL,
    provider: str | None = ALL,
    state: str | None = ALL,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    *,
    owner: str | None = None,
    lang: Lang = DEFAULT_LANG,
) -> list[dict[str, Any]]:
    """The `history_list` API's answer: one plain dict per job, newest first; file names only,
    never a server path; each job's message in `lang`."""
    now = time.time()
    return [
        {
            "id": record.id,
            "created_at": datetime.fromtimestamp(record.created_at).isoformat(timespec="seconds"),
            "capability": record.capability,
            "provider": record.provider,
            "state": record.state,
            "percent": record.percent,
            "message": render(record.message_text, lang),
            "duration_s": round(duration_s(record, now), 3),
            "params": without_server_paths(load_settings_payload(record)),
            "files": [output.path.name for output in record.outputs],
        }
        for record in list_jobs(store, capability, provider, state, limit, offset, owner=owner)
    ]


# ---------------------------------------------------------------------------- one job
@dataclass(frozen=True)
class JobDetail:
    """What History shows of one job: its record, its state changes and its parameters (under
    the API's names)."""

    record: JobRecord
    events: list[list[Any]]
    payload: dict[str, Any]

    @property
    def present(self) -> list[Output]:
        """The job's files still on disk: a finished job's results, or what a stopped one made
        before it stopped."""
        return [output for output in self.record.outputs if output.path.is_file()]

    def files(self, kind: str | None = None) -> list[str]:
        return [str(o.path) for o in self.present if kind is None or o.kind == kind]

    def first(self, kind: str) -> str | None:
        found = self.files(kind)
        return found[0] if found else None

    def heading(self, lang: Lang = DEFAULT_LANG) -> str:
        return job_heading(self.record, lang)

    def settings(self, lang: Lang = DEFAULT_LANG) -> str:
        """The job's parameters by the labels its tab gives them; file names, never paths."""
        params = without_server_paths(self.record.params)
        return parameters_markdown(self.record.capability, params, lang)

    def events_table(self, lang: Lang = DEFAULT_LANG) -> str:
        """The state changes as a Markdown table, headers and states in `lang`."""
        names = headers(lang, "event_headers")
        rows = [
            "| " + " | ".join(names) + " |",
            "|" + "---|" * len(names),
        ]
        for at, state, percent, message in self.events:
            cells = [
                at[-8:],  # the time of day: the heading has the date
                state_name(state, lang),
                "" if percent is None else f"{percent:.0f}%",
                markdown_text(str(message)).replace("\n", " "),
            ]
            rows.append("| " + " | ".join(cells) + " |")
        return "\n".join(rows)


def job_heading(record: JobRecord, lang: Lang = DEFAULT_LANG) -> str:
    """Markdown: the state (an icon and a word), what, by whom, when, how long; why it ended
    when it did not succeed; the files no longer on disk; the job id. From the record alone:
    History's timer redraws it every tick."""
    line = tr(
        lang,
        "heading",
        capability=capability_name(record.capability, lang),
        provider=provider_name(record.provider, lang),
        started=_when(record.created_at),
        duration=duration_text(record, lang=lang),
    )
    lines = [f"{state_pill(record.state, lang)} {line}"]
    if record.message and record.state in ("failed", "cancelled"):
        lines.append(f"> {markdown_text(render(record.message_text, lang))}")
    missing = sum(1 for output in record.outputs if not output.path.is_file())
    if missing:
        key = "missing_one" if missing == 1 else "missing_many"
        lines.append(tr(lang, key, count=missing))
    lines.append(f"`{record.id}`")
    return "\n\n".join(lines)


def job_detail(
    services: StudioServices,
    job_id: str | None,
    *,
    owner: str | None = None,
    lang: Lang = DEFAULT_LANG,
) -> JobDetail | None:
    """The job with its events (their messages in `lang`), or None when unknown or not
    `owner`'s."""
    record = find_job(services.store, job_id, owner)
    if record is None:
        return None
    events = [
        [
            _when(event.at),
            event.state,
            None if event.percent is None else round(event.percent, 1),
            render(event.message_text, lang),
        ]
        for event in services.store.events(record.id)
    ]
    return JobDetail(
        record=record,
        events=events,
        payload=without_server_paths(load_settings_payload(record)),
    )


def provider_calls(detail: JobDetail, lang: Lang = DEFAULT_LANG) -> str:
    """The "Provider calls" section of an open job: its HTTP transcript, as the run card shows
    it. Empty (an offline job): the section stays hidden."""
    return transcript_markdown(detail.record, lang)


# ---------------------------------------------------------------------------- actions
def no_job(job_id: str | None, lang: Lang = DEFAULT_LANG) -> str:
    return tr(lang, "no_job", job_id=clean_job_id(job_id) or "—")


def delete_job(
    services: StudioServices,
    job_id: str | None,
    confirmed: bool,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> tuple[bool, str]:
    """(deleted?, a sentence for the user). A running job is refused: cancel it first."""
    job_id = clean_job_id(job_id)
    record = find_job(services.store, job_id, owner)
    if record is None:
        return False, no_job(job_id, lang)
    if services.jobs.is_live(job_id):
        return False, tr(lang, "still_running")
    if not confirmed:
        return False, tr(lang, "tick_confirm")
    removed = forget_job(services.settings, services.store, record)
    key = "deleted_one" if removed == 1 else "deleted_many"
    return True, tr(lang, key, job_id=job_id, count=removed)


def cancel_job(
    services: StudioServices,
    job_id: str | None,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> str:
    job_id = clean_job_id(job_id)
    if find_job(services.store, job_id, owner) is None:
        return no_job(job_id, lang)
    if services.jobs.cancel(job_id):
        return tr(lang, "cancelling")
    return render(ALREADY_FINISHED_MESSAGE, lang)


def share_job(
    services: StudioServices,
    job_id: str | None,
    base_url: str,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> str:
    """Make (or show again) the job's read-only link; a sentence with the link."""
    record = find_job(services.store, job_id, owner)
    if record is None:
        return no_job(job_id, lang)
    link = base_url.rstrip("/") + share_path(services.store.share(record.id))
    return tr(lang, "share_made", link=link)


def revoke_share(
    services: StudioServices,
    job_id: str | None,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> str:
    record = find_job(services.store, job_id, owner)
    if record is None:
        return no_job(job_id, lang)
    return tr(lang, "share_revoked" if services.store.revoke_share(record.id) else "share_none")


def page_base_url(services: StudioServices, request: gr.Request | None) -> str:
    """Where visitors reach the studio: the public URL, else the address this request used."""
    if services.settings.public_url:
        return services.settings.public_url
    headers = dict(getattr(request, "headers", None) or {})
    host = headers.get("x-forwarded-host") or headers.get("host") or "127.0.0.1"
    scheme = headers.get("x-forwarded-proto") or "http"
    return f"{scheme}://{host}"


async def watch_job(
    services: StudioServices,
    job_id: str | None,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> AsyncIterator[JobView]:
    """Follow a job from its latest state to its end; stopping this only stops watching.
    An unknown (or someone else's) job gives one view whose status says so."""
    job_id = clean_job_id(job_id)
    record = find_job(services.store, job_id, owner)
    if record is None:
        yield JobView(job_id, Failed(message=""), no_job(job_id, lang))
        return
    # As in the job's tab: without the provider's figures, the ETA comes from its usual time.
    usual = usual_duration(services.store, record.provider, record.capability)
    try:
        async for event in services.jobs.events(job_id, heartbeat_s=HEARTBEAT_S):
            if is_terminal(event):
                finished = find_job(services.store, job_id, owner) or record
                yield view_of(job_id, event, duration_s(finished), lang)
            else:
                elapsed = time.time() - record.created_at
                yield view_of(job_id, event, elapsed, lang, usual_s=usual)
    except KeyError:
        yield JobView(job_id, Failed(message=""), tr(lang, "deleted_while_watched"))
