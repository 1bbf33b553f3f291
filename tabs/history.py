"""History tab: every job as a card, newest first; open one for its results, settings and
events, watch it, reuse its settings, share, cancel or delete it.

On one's own machine every job is the one user's. In public mode (core/config.py) each handler
sees only the jobs of the visitor who calls it (`owner`, from tabs.services.visitor_of): someone
else's job id behaves exactly like an unknown one. Only `history_list` is public API; every other
handler is private, which hides it from the API page but does not stop a direct call, so each
one checks the owner itself.

The gallery (tabs/history_cards.py) and an open job follow the jobs on their own: while one of
them is unfinished a timer looks again every REFRESH_S and redraws only what changed, so a card
and the detail turn from "Running" to "Done" without a click.
"""

from __future__ import annotations

import time
import types
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Union, get_args, get_origin

import gradio as gr

from core.events import Failed, Output, Succeeded
from core.history import (
    ALL,
    MAX_PAGE,
    PAGE_SIZE,
    STATES,
    clean_job_id,
    duration_s,
    forget_job,
    list_jobs,
)
from core.jobs import event_from_record
from core.messages import render
from core.requests import CAPABILITIES, REQUEST_MODELS, Capability
from core.store import JobRecord, JobStore, without_server_paths
from providers.registry import PROVIDER_ORDER
from tabs.capabilities import SPEC_OF
from tabs.history_cards import (
    CARDS_CSS,
    CARDS_JS,
    HISTORY_CSS,
    cards_html,
    signature,
    state_pill,
    subject,
)
from tabs.i18n import DEFAULT_LANG, Lang, headers, i18n, request_lang, tr
from tabs.job_stream import HEARTBEAT_S, JobView, format_duration, view_of
from tabs.picker import provider_label, provider_name
from tabs.plain_names import (
    capability_name,
    details,
    markdown_text,
    parameters_markdown,
    state_name,
)
from tabs.run_card import transcript_markdown
from tabs.services import StudioServices, visitor_of
from tabs.share_page import share_path

# How often an unfinished job in view is looked at again (a timer, active only meanwhile).
REFRESH_S = 2.0
# An open job lists this many files; a button shows the rest (40 songs are not 40 rows).
FILES_SHOWN = 4


# ---------------------------------------------------------------------------- listing
def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def duration_text(record: JobRecord, now: float | None = None, lang: Lang = DEFAULT_LANG) -> str:
    text = format_duration(duration_s(record, now), lang)
    return text if record.finished else tr(lang, "so_far", duration=text)


def summarize(record: JobRecord, lang: Lang = DEFAULT_LANG) -> str:
    """A short line about what was asked: the prompt (or source) and a few telling values, by
    the names the tab gives them ("Songs 25 · Output mp3")."""
    spec = SPEC_OF.get(record.capability)  # type: ignore[call-overload]
    shown = spec.summary_details if spec is not None else ()
    told = details(record.capability, record.params, shown, lang)
    return " · ".join(part for part in (subject(record), *told) if part)


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
    """What History shows of one job: its record, its state changes, its parameters (under the
    API's names), and its state as a `JobView`."""

    record: JobRecord
    events: list[list[Any]]
    payload: dict[str, Any]
    view: JobView

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

    @property
    def missing(self) -> int:
        return len(self.record.outputs) - len(self.present)

    def heading(self, lang: Lang = DEFAULT_LANG) -> str:
        """Markdown: the state (an icon and a word), what, by whom, when, how long; why it
        ended when it did not succeed; the job id."""
        record = self.record
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
        if self.missing:
            key = "missing_one" if self.missing == 1 else "missing_many"
            lines.append(tr(lang, key, count=self.missing))
        lines.append(f"`{record.id}`")
        return "\n\n".join(lines)

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


def job_detail(
    services: StudioServices,
    job_id: str | None,
    *,
    owner: str | None = None,
    lang: Lang = DEFAULT_LANG,
) -> JobDetail | None:
    """The job with its events (their messages in `lang`), or None when unknown or not
    `owner`'s."""
    record = services.store.get(clean_job_id(job_id), owner=owner)
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
        view=view_of(record.id, event_from_record(record), duration_s(record), lang),
    )


def provider_calls(detail: JobDetail, lang: Lang = DEFAULT_LANG) -> str:
    """The "Provider calls" section of an open job: its HTTP transcript, as the run card shows
    it. Empty (an offline job): the section stays hidden."""
    return transcript_markdown(detail.record, lang)


def _text_like(annotation: Any) -> bool:
    """Whether the API takes text for this field (so a missing value is "" rather than None)."""
    if annotation is str:
        return True
    origin = get_origin(annotation)
    if origin is Literal:
        return all(isinstance(arg, str) for arg in get_args(annotation))
    if origin in (Union, types.UnionType):
        return any(_text_like(arg) for arg in get_args(annotation) if arg is not type(None))
    return False


def load_settings_payload(record: JobRecord) -> dict[str, Any]:
    """The job's parameters under the public API's names, plus `provider`: what the job's
    capability tab (or a `/<capability>` API call) needs to run it again."""
    model = REQUEST_MODELS.get(record.capability)  # type: ignore[call-overload]
    if model is None:
        return {**record.params, "provider": record.provider}
    payload: dict[str, Any] = {}
    for name in model.api_fields():
        info = model.model_fields[name]
        value = record.params.get(name, info.get_default(call_default_factory=True))
        if value is None and _text_like(info.annotation):
            value = ""
        payload[name] = value
    payload["provider"] = record.provider
    return payload


def load_request(record: JobRecord) -> dict[str, Any]:
    """What "Load settings" puts in the shared State: the stamp makes loading twice a change."""
    return {
        "capability": record.capability,
        "params": load_settings_payload(record),
        "job_id": record.id,
        "loaded_at": time.time(),
    }


def fill_values(
    request: Mapping[str, Any] | None, capability: Capability, names: Sequence[str]
) -> tuple[Any, ...]:
    """Values for a capability tab's components named `names` (API parameter names, in the
    order of the components); gr.skip() for every one when the request is for another tab."""
    if not request or request.get("capability") != capability:
        return tuple(gr.skip() for _ in names)
    params = request.get("params") or {}
    return tuple(params[name] if name in params else gr.skip() for name in names)


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
    record = services.store.get(job_id, owner=owner)
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
    if services.store.get(job_id, owner=owner) is None:
        return no_job(job_id, lang)
    if services.jobs.cancel(job_id):
        return tr(lang, "cancelling")
    return tr(lang, "not_running")


def share_job(
    services: StudioServices,
    job_id: str | None,
    base_url: str,
    lang: Lang = DEFAULT_LANG,
    *,
    owner: str | None = None,
) -> str:
    """Make (or show again) the job's read-only link; a sentence with the link."""
    record = services.store.get(clean_job_id(job_id), owner=owner)
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
    record = services.store.get(clean_job_id(job_id), owner=owner)
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
    record = services.store.get(job_id, owner=owner)
    if record is None:
        yield JobView(job_id, Failed(message=""), no_job(job_id, lang))
        return
    try:
        async for event in services.jobs.events(job_id, heartbeat_s=HEARTBEAT_S):
            if isinstance(event, Succeeded | Failed):
                finished = services.store.get(job_id) or record
                yield view_of(job_id, event, duration_s(finished), lang)
            else:
                yield view_of(job_id, event, time.time() - record.created_at, lang)
    except KeyError:
        yield JobView(job_id, Failed(message=""), tr(lang, "deleted_while_watched"))


# ---------------------------------------------------------------------------- the tab
def _choices(values: Sequence[str], prefix: str | None = None) -> list[tuple[Any, str]]:
    """Filter choices: "all" first; each value shown by its label `prefix + value` if any."""
    shown = [(i18n(f"{prefix}{value}") if prefix else value, value) for value in values]
    return [(i18n("hist_all"), ALL), *shown]


def provider_choices(names: Sequence[str]) -> list[tuple[Any, str]]:
    """The providers by their plain names (the offline one in the browser's language)."""
    return [(provider_label(name), name) for name in names]


def _media(path: str | list[str] | None) -> Any:
    """A media box shows only when the job has that kind of file."""
    return gr.update(value=path or None, visible=bool(path))


def _pictures(paths: list[str]) -> Any:
    """The gallery: only when there are pictures, with as many columns as it has, up to 3."""
    return gr.update(value=paths or None, visible=bool(paths), columns=max(1, min(3, len(paths))))


def _file_list(files: list[str], lang: Lang, show_all: bool = False) -> tuple[Any, Any]:
    """(files box, "show all" button): one file needs no list (its player has a download
    button); more are cut to FILES_SHOWN until "show all" is pressed."""
    if len(files) < 2:
        return gr.update(value=None, visible=False), gr.update(visible=False)
    listed = files if show_all else files[:FILES_SHOWN]
    more = not show_all and len(files) > FILES_SHOWN
    everything = tr(lang, "show_all_files", count=len(files))
    return gr.update(value=listed, visible=True), gr.update(visible=more, value=everything)


def build(
    services: StudioServices,
    session_keys: gr.State,
    *,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    """The History tab. `loaded` (a shared gr.State) receives "Reuse settings" requests for the
    capability tabs to pick up (see `fill_values`); `tabs` is switched to the job's tab."""
    del session_keys  # History needs no keys; the parameter keeps every tab's signature alike
    store = services.store

    def scope_of(request: gr.Request | None) -> str | None:
        return services.owner_scope(visitor_of(services, request))

    with gr.Tab(i18n("tab_history"), id="history") as tab:
        with gr.Row():
            capability = gr.Dropdown(
                _choices(CAPABILITIES, "tab_"),
                value=ALL,
                label=i18n("hist_capability"),
                elem_id="history-capability",
                min_width=150,
            )
            provider = gr.Dropdown(
                [(i18n("hist_all"), ALL), *provider_choices(PROVIDER_ORDER)],
                value=ALL,
                label=i18n("provider"),
                elem_id="history-provider",
                min_width=150,
            )
            state = gr.Dropdown(
                _choices(STATES, "state_"),
                value=ALL,
                label=i18n("hist_state"),
                elem_id="history-state",
                min_width=150,
            )
            refresh = gr.Button(
                i18n("hist_refresh"), size="md", scale=0, min_width=130, elem_id="history-refresh"
            )
        shown = gr.State(PAGE_SIZE)
        drawn = gr.State(None)  # the signature of the cards the page shows (history_cards)
        seen = gr.State(None)  # the open job's id and state when its detail was drawn
        timer = gr.Timer(REFRESH_S, active=False)
        # Filled when the tab is opened. Not `value=callable`: Gradio 6.31 makes that a *public*
        # load endpoint (/lambda_N).
        cards = gr.HTML(
            "",
            css_template=CARDS_CSS,
            js_on_load=CARDS_JS,
            head=f"<style>{HISTORY_CSS}</style>",
            apply_default_css=False,
            elem_id="history-table",
        )
        more = gr.Button(i18n("hist_more"), size="sm", visible=False, elem_id="history-more")
        with gr.Row():
            job_id = gr.Textbox(
                label=i18n("hist_job_id"),
                placeholder=i18n("hist_job_id_placeholder"),
                scale=4,
                min_width=200,
                elem_id="history-job-id",
            )
            open_job = gr.Button(
                i18n("hist_open"), size="md", scale=0, min_width=110, elem_id="history-open"
            )
        heading = gr.Markdown(i18n("hist_heading"), elem_id="history-heading")
        with gr.Row(elem_id="history-actions"):
            off: dict[str, Any] = {"size": "sm", "interactive": False, "min_width": 110}
            watch = gr.Button(
                i18n("hist_watch"), variant="primary", elem_id="history-watch-button", **off
            )
            stop_watch = gr.Button(i18n("hist_stop_watch"), elem_id="history-stop-watch", **off)
            cancel = gr.Button(i18n("hist_cancel"), variant="stop", elem_id="history-cancel", **off)
            load = gr.Button(i18n("hist_load"), elem_id="history-load", **off)
            share = gr.Button(i18n("hist_share"), elem_id="history-share", **off)
            revoke = gr.Button(i18n("hist_revoke"), elem_id="history-revoke", **off)
        watch_status = gr.Markdown(elem_id="history-watch")
        notice = gr.Markdown(elem_id="history-notice")
        with gr.Column(visible=False, elem_id="history-detail") as detail_box:
            with gr.Row():
                with gr.Column(scale=3, min_width=280) as media_box:
                    audio = gr.Audio(
                        label=i18n("hist_audio"),
                        type="filepath",
                        interactive=False,
                        visible=False,
                        elem_id="history-audio",
                    )
                    video = gr.Video(
                        label=i18n("hist_video"),
                        interactive=False,
                        visible=False,
                        elem_id="history-video",
                    )
                    gallery = gr.Gallery(
                        label=i18n("hist_images"),
                        columns=3,
                        object_fit="contain",
                        interactive=False,
                        visible=False,
                        elem_id="history-gallery",
                    )
                    files = gr.File(
                        label=i18n("files"),
                        file_count="multiple",
                        interactive=False,
                        visible=False,
                        elem_id="history-files",
                    )
                    show_all = gr.Button(
                        i18n("hist_show_all"),
                        size="sm",
                        visible=False,
                        elem_id="history-show-all",
                    )
                with gr.Column(scale=2, min_width=280):
                    with gr.Accordion(i18n("hist_settings"), open=True):
                        settings_text = gr.Markdown(elem_id="history-settings")
                    with gr.Accordion(i18n("hist_events"), open=False):
                        events = gr.Markdown(elem_id="history-events")
                    with gr.Accordion(i18n("hist_params"), open=False):
                        params = gr.JSON(show_label=False, elem_id="history-params")
                    # Shown whenever `provider_calls` (above) has a transcript to show.
                    with gr.Accordion(
                        i18n("hist_provider_calls"),
                        open=False,
                        visible=False,
                        elem_id="history-provider-calls",
                    ) as calls_box:
                        calls = gr.Markdown(elem_id="history-provider-calls-text")
            with gr.Row():
                confirm = gr.Checkbox(
                    label=i18n("hist_confirm"),
                    value=False,
                    interactive=False,
                    elem_id="history-confirm",
                )
                delete = gr.Button(
                    i18n("hist_delete"),
                    variant="stop",
                    size="md",
                    scale=0,
                    min_width=140,
                    interactive=False,
                    elem_id="history-delete",
                )

        def history_list(
            capability: str = ALL,
            provider: str = ALL,
            state: str = ALL,
            limit: int = PAGE_SIZE,
            offset: int = 0,
            request: gr.Request | None = None,
        ) -> list[dict[str, Any]]:
            # The docstring (the API page, the MCP tool) is filled in below from the lists.
            return history_json(
                store,
                capability,
                provider,
                state,
                limit,
                offset,
                owner=scope_of(request),
                lang=request_lang(request),
            )

        history_list.__doc__ = (
            "Your jobs in the studio's history, newest first (read-only). On a public studio\n"
            "a caller sees only the jobs it started itself.\n\n"
            "Args:\n"
            f"    capability: {', '.join(CAPABILITIES)} or all.\n"
            f"    provider: {', '.join(PROVIDER_ORDER)} or all.\n"
            f"    state: {', '.join(STATES)} or all.\n"
            f"    limit: how many jobs, 1 to {MAX_PAGE}.\n"
            "    offset: how many of the newest jobs to skip, for paging.\n"
        )

        # Inside the tab: a gr.Api directly under gr.Tabs draws a warning.
        gr.api(history_list, api_name="history_list", queue=False)

    private: dict[str, Any] = {"api_visibility": "private"}
    quiet: dict[str, Any] = {**private, "show_progress": "hidden"}
    filters = [capability, provider, state]

    # ------------------------------------------------------------------ the gallery
    def gallery_of(
        cap: str, prov: str, st: str, limit: int, lang: Lang, owner: str | None, drawn_sig: Any
    ) -> tuple[Any, Any, Any, bool]:
        """(cards, "load more", the cards' signature, any unfinished?); the cards are
        gr.skip() when the page already shows these."""
        found = list_jobs(store, cap, prov, st, limit, owner=owner)
        sig = list(signature(found, lang))
        value = gr.skip() if sig == drawn_sig else cards_html(found, lang)
        unfinished = any(not record.finished for record in found)
        return value, gr.update(visible=len(found) >= limit), sig, unfinished

    def first_page(
        cap: str, prov: str, st: str, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        lang, owner = request_lang(request), scope_of(request)
        value, more_update, sig, unfinished = gallery_of(
            cap, prov, st, PAGE_SIZE, lang, owner, None
        )
        return PAGE_SIZE, value, more_update, sig, gr.Timer(active=unfinished)

    def next_page(
        cap: str, prov: str, st: str, limit: int, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        limit = min(int(limit) + PAGE_SIZE, MAX_PAGE)
        lang, owner = request_lang(request), scope_of(request)
        value, more_update, sig, unfinished = gallery_of(cap, prov, st, limit, lang, owner, None)
        return limit, value, more_update, sig, gr.Timer(active=unfinished)

    page_outputs = [shown, cards, more, drawn, timer]
    for trigger in (capability.change, provider.change, state.change, refresh.click, tab.select):
        trigger(first_page, filters, page_outputs, **quiet)
    more.click(next_page, [*filters, shown], page_outputs, **quiet)

    # ------------------------------------------------------------------ one job
    actions = [watch, stop_watch, cancel, load, share, revoke, confirm, delete]
    detail_outputs: list[Any] = [
        heading,
        *actions,
        detail_box,
        media_box,
        audio,
        video,
        gallery,
        files,
        show_all,
        settings_text,
        events,
        params,
        calls_box,
        calls,
        seen,
    ]

    def closed(message: str) -> tuple[Any, ...]:
        """The detail with no job open: a sentence, every action off, nothing shown."""
        off = [gr.update(interactive=False) for _ in actions]
        off[actions.index(confirm)] = gr.update(interactive=False, value=False)
        kept = (gr.skip() for _ in detail_outputs[len(actions) + 2 : -1])
        return (message, *off, gr.update(visible=False), *kept, None)

    def opened(detail: JobDetail, lang: Lang) -> tuple[Any, ...]:
        record = detail.record
        live = not record.finished
        listed = detail.files()
        calls_text = provider_calls(detail, lang)
        return (
            detail.heading(lang),
            *(gr.update(interactive=live) for _ in (watch, stop_watch, cancel)),
            *(gr.update(interactive=not live) for _ in (load, share, revoke)),
            gr.update(interactive=not live, value=False),
            gr.update(interactive=not live),
            gr.update(visible=True),
            gr.update(visible=bool(listed)),
            _media(detail.first("audio")),
            _media(detail.first("video")),
            _pictures(detail.files("image")),
            *_file_list(listed, lang),
            detail.settings(lang),
            detail.events_table(lang),
            detail.payload,
            gr.update(visible=bool(calls_text)),
            calls_text,
            {"job": record.id, "state": record.state},
        )

    def show(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        detail = job_detail(services, chosen, owner=scope_of(request), lang=lang)
        if detail is None:
            return (*closed(no_job(chosen, lang)), "", gr.skip())
        follow_up = gr.Timer(active=True) if not detail.record.finished else gr.skip()
        return (*opened(detail, lang), "", follow_up)

    show_outputs = [*detail_outputs, notice, timer]

    def open_card(evt: gr.EventData, request: gr.Request | None = None) -> tuple[Any, ...]:
        data = evt._data if isinstance(evt._data, dict) else {}
        chosen = str(data.get("job") or "")
        return (chosen, *show(chosen, request))

    cards.select(open_card, None, [job_id, *show_outputs], **private)
    open_job.click(show, job_id, show_outputs, **private)
    job_id.submit(show, job_id, show_outputs, **private)

    def all_files(chosen: str, request: gr.Request | None = None) -> tuple[Any, Any]:
        detail = job_detail(services, chosen, owner=scope_of(request), lang=request_lang(request))
        if detail is None:
            return gr.skip(), gr.skip()
        return _file_list(detail.files(), request_lang(request), show_all=True)

    show_all.click(all_files, job_id, [files, show_all], **private)

    # ------------------------------------------------------------------ keeping up
    def tick(
        cap: str,
        prov: str,
        st: str,
        limit: int,
        drawn_sig: Any,
        chosen: str,
        last: Mapping[str, Any] | None,
        request: gr.Request | None = None,
    ) -> tuple[Any, ...]:
        """The timer: redraw the cards whose state changed, the open job's heading (its
        running time) and, once it has ended, its whole detail; stop when nothing is left
        unfinished."""
        lang, owner = request_lang(request), scope_of(request)
        value, _, sig, unfinished = gallery_of(cap, prov, st, limit, lang, owner, drawn_sig)
        skip_detail = tuple(gr.skip() for _ in detail_outputs)
        detail_update: tuple[Any, ...] = skip_detail
        if last and last.get("job") == clean_job_id(chosen):
            detail = job_detail(services, chosen, owner=owner, lang=lang)
            if detail is not None and detail.record.state != last.get("state"):
                detail_update = opened(detail, lang)
            elif detail is not None and not detail.record.finished:
                detail_update = (detail.heading(lang), *skip_detail[1:])
            unfinished = unfinished or (detail is not None and not detail.record.finished)
        return (value, sig, *detail_update, gr.Timer(active=unfinished))

    timer.tick(
        tick,
        [*filters, shown, drawn, job_id, seen],
        [cards, drawn, *detail_outputs, timer],
        **quiet,
    )

    async def follow(chosen: str, request: gr.Request | None = None) -> AsyncIterator[str]:
        async for step in watch_job(
            services, chosen, request_lang(request), owner=scope_of(request)
        ):
            yield step.status

    watching = watch.click(
        follow,
        job_id,
        watch_status,
        show_progress_on=[watch_status],
        concurrency_limit=services.settings.studio_event_concurrency,
        **private,
    )
    # When the watched job ends, the heading, the actions and the files follow at once.
    watching.then(show, job_id, show_outputs, **private)
    stop_watch.click(None, None, None, cancels=[watching], **private)

    def cancel_chosen(chosen: str, request: gr.Request | None = None) -> str:
        return cancel_job(services, chosen, request_lang(request), owner=scope_of(request))

    cancel.click(cancel_chosen, job_id, notice, **private)

    def share_chosen(chosen: str, request: gr.Request | None = None) -> str:
        base = page_base_url(services, request)
        return share_job(services, chosen, base, request_lang(request), owner=scope_of(request))

    def revoke_chosen(chosen: str, request: gr.Request | None = None) -> str:
        return revoke_share(services, chosen, request_lang(request), owner=scope_of(request))

    share.click(share_chosen, job_id, notice, **private)
    revoke.click(revoke_chosen, job_id, notice, **private)

    def remove(
        chosen: str,
        sure: bool,
        cap: str,
        prov: str,
        st: str,
        limit: int,
        request: gr.Request | None = None,
    ) -> tuple:
        lang = request_lang(request)
        owner = scope_of(request)
        deleted, message = delete_job(services, chosen, bool(sure), lang, owner=owner)
        if not deleted:
            return (message, gr.skip(), gr.skip(), *(gr.skip() for _ in detail_outputs))
        value, _, sig, _ = gallery_of(cap, prov, st, limit, lang, owner, None)
        return (message, value, sig, *closed(tr(lang, "deleted_short")))

    delete.click(
        remove,
        [job_id, confirm, *filters, shown],
        [notice, cards, drawn, *detail_outputs],
        **private,
    )

    def load_settings(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        record = store.get(clean_job_id(chosen), owner=scope_of(request))
        if record is None:
            return (no_job(chosen, lang), gr.skip(), gr.skip())
        wanted = load_request(record)
        name = capability_name(record.capability, lang)
        message = tr(lang, "settings_loaded", job_id=record.id, capability=name)
        switch = gr.Tabs(selected=record.capability) if tabs is not None else gr.skip()
        return message, wanted["params"] if loaded is None else wanted, switch

    load_outputs: list[Any] = [notice, loaded if loaded is not None else params]
    if tabs is not None:
        load_outputs.append(tabs)
        load.click(load_settings, job_id, load_outputs, **private)
    else:

        def load_settings_here(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
            return load_settings(chosen, request)[:2]

        load.click(load_settings_here, job_id, load_outputs, **private)
