"""A job's progress as a person reads it: one line, and on the page one bar.

Percent and ETA are the provider's when it gives them. A remote task that says neither (Suno,
Tencent) is estimated from the usual duration of that provider's finished jobs of the same
capability in the store, and says so ("~40%", "estimated from the usual 1 min 10 s"); before
any such job has finished, the bar only runs and the line gives the elapsed time.

API callers read the plain line (tabs/job_stream.py `status_text`); the page gets `render`'s
HTML in the same status Markdown: an icon (inline SVG, no emoji font needed), the percent, the
step, a `<progress>` bar and the times. Gradio's own progress overlay is hidden on the page
(tabs/capability_tab.py), so this is the tab's one status; History's Watch draws the same bar.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Literal

from core.events import Cancelled, Event, Failed, Queued, Running, Succeeded
from core.store import JobStore
from tabs.i18n import DEFAULT_LANG, Lang, progress_message, tr
from tabs.markup import STATE_COLORS, escape, state_icon

State = Literal["queued", "running", "succeeded", "failed", "cancelled"]
# The newest finished jobs of a provider and capability that make its usual duration.
USUAL_JOBS = 20
# An estimate never claims the job is nearly done: past this it waits for the provider.
ESTIMATE_CAP = 95.0
# Less time left than this is not worth saying ("about 0 s left").
MIN_LEFT_S = 1.0
# The class the status carries while a job is queued or running: the page's buttons follow it
# (tabs/results_view.py).
BUSY_CLASS = "studio-busy"


@dataclass(frozen=True)
class Progress:
    """One moment of a job, in words of one language. `percent` None: not known (the bar runs
    without a value)."""

    state: State
    headline: str
    times: str = ""
    percent: float | None = None
    estimated: bool = False

    @property
    def busy(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def percent_text(self) -> str:
        """ "40%", "~25%" when estimated, "" when not known or not running."""
        if self.state != "running" or self.percent is None:
            return ""
        return f"{'~' if self.estimated else ''}{self.percent:.0f}%"


def format_duration(seconds: float, lang: Lang = DEFAULT_LANG) -> str:
    if seconds < 60:
        return tr(lang, "seconds", seconds=seconds)
    minutes, secs = divmod(round(seconds), 60)
    return tr(lang, "minutes", minutes=minutes, seconds=secs)


def usual_duration(store: JobStore, provider: str, capability: str) -> float | None:
    """The median run time of the provider's last finished jobs of this capability, if any.

    Everyone's jobs, in public mode too: a median of run times tells nothing about anyone's."""
    done = store.list(capability=capability, provider=provider, state="succeeded", limit=USUAL_JOBS)
    spans = [r.finished_at - r.created_at for r in done if r.finished_at is not None]
    spans = [span for span in spans if span > 0]
    return statistics.median(spans) if spans else None


def estimate(
    event: Running, elapsed_s: float, usual_s: float | None
) -> tuple[float | None, float | None, bool]:
    """(percent, seconds left, estimated): the provider's own figures, else from the ETA it
    gave, else from the usual duration."""
    if event.percent is not None:
        return max(0.0, min(100.0, event.percent)), event.eta_s, False
    if event.eta_s is not None:
        total = elapsed_s + event.eta_s
        percent = 100.0 * elapsed_s / total if total > 0 else 0.0
        return min(ESTIMATE_CAP, percent), event.eta_s, True
    if usual_s:
        percent = min(ESTIMATE_CAP, 100.0 * elapsed_s / usual_s)
        left = usual_s - elapsed_s if elapsed_s < usual_s else None
        return percent, left, True
    return None, None, False


def ended_text(event: Event, elapsed_s: float, lang: Lang = DEFAULT_LANG) -> str:
    """How a job ended, in one sentence: done, stopped (said calmly, with what it kept) or
    failed (the reason)."""
    duration = format_duration(elapsed_s, lang)
    if isinstance(event, Succeeded):
        count = len(event.outputs)
        key = "done_one" if count == 1 else "done_many"
        return tr(lang, key, duration=duration, count=count)
    if isinstance(event, Cancelled):
        count = len(event.outputs)
        if count == 0:
            return tr(lang, "stopped_none", duration=duration)
        key = "stopped_one" if count == 1 else "stopped_many"
        return tr(lang, key, duration=duration, count=count)
    assert isinstance(event, Failed)
    return tr(lang, "failed", message=progress_message(event.message, lang))


def queued_text(event: Queued, elapsed_s: float, lang: Lang = DEFAULT_LANG) -> str:
    where = tr(lang, "queued_position", position=event.position) if event.position else ""
    return tr(lang, "queued", where=where, waited=format_duration(elapsed_s, lang))


def step_text(event: Running, lang: Lang = DEFAULT_LANG) -> str:
    return progress_message(event.message, lang) if event.message else tr(lang, "running")


def progress_of(
    event: Event, elapsed_s: float, lang: Lang = DEFAULT_LANG, usual_s: float | None = None
) -> Progress:
    if isinstance(event, Queued):
        return Progress("queued", queued_text(event, elapsed_s, lang), percent=0.0)
    if isinstance(event, Running):
        percent, left, estimated = estimate(event, elapsed_s, usual_s)
        times = [tr(lang, "elapsed", duration=format_duration(elapsed_s, lang))]
        if left is not None and left >= MIN_LEFT_S:
            times.append(tr(lang, "left", duration=format_duration(left, lang)))
        if estimated and usual_s and event.eta_s is None:
            usual = format_duration(usual_s, lang)
            key = "usual_estimate" if left is not None else "longer_than_usual"
            times.append(tr(lang, key, duration=usual))
        return Progress(
            "running", step_text(event, lang), " · ".join(times), percent, estimated=estimated
        )
    state: State = (
        "succeeded"
        if isinstance(event, Succeeded)
        else "cancelled"
        if isinstance(event, Cancelled)
        else "failed"
    )
    return Progress(state, ended_text(event, elapsed_s, lang))


def render(progress: Progress) -> str:
    """The status as the page shows it (HTML inside the status Markdown: one block, no blank
    line, so Markdown leaves it as it is)."""
    classes = f"studio-status studio-{progress.state}"
    if progress.busy:
        classes += f" {BUSY_CLASS}"
    color = STATE_COLORS[progress.state]
    head = f'<span class="studio-status-icon" style="color:{color}">{state_icon(progress.state)}</span>'
    if progress.percent_text:
        head += f'<strong class="studio-status-pct">{progress.percent_text}</strong>'
    head += f'<span class="studio-status-step">{escape(progress.headline)}</span>'
    parts = [f'<div class="studio-status-head">{head}</div>']
    if progress.busy:
        value = "" if progress.percent is None else f' value="{progress.percent:.1f}"'
        parts.append(f'<progress class="studio-bar" max="100"{value}></progress>')
    if progress.times:
        parts.append(f'<div class="studio-status-times">{escape(progress.times)}</div>')
    return f'<div class="{classes}">{"".join(parts)}</div>'
