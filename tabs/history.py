"""History tab: every job in the store, newest first; open one, watch it, reload its settings,
cancel or delete it.

On one's own machine every job is the one user's. In public mode (core/config.py) each handler
sees only the jobs of the visitor who calls it (`owner`, from tabs.services.visitor_of): someone
else's job id behaves exactly like an unknown one. Only `history_list` is public API; every other
handler is private, which hides it from the API page but does not stop a direct call, so each
one checks the owner itself.
"""

from __future__ import annotations

import time
import types
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import gradio as gr

from core.events import Failed, Succeeded
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
from tabs.i18n import DEFAULT_LANG, LABELS_EN, Lang, headers, i18n, label, request_lang, tr
from tabs.job_stream import HEARTBEAT_S, JobView, format_duration, view_of
from tabs.services import StudioServices, visitor_of
from tabs.share_page import share_path

TABLE_HEADERS = ["Time", "Capability", "Provider", "State", "Summary", "Duration", "Job id"]
EVENT_HEADERS = ["Time", "State", "Percent", "Message"]
SUMMARY_CHARS = 80
# What a row's summary leads with, per capability: the first of these that is set.
_SUBJECT = ("prompt", "title", "image", "image_url", "audio", "upload_url", "video", "creation_id")


# ---------------------------------------------------------------------------- listing
def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def duration_text(record: JobRecord, now: float | None = None, lang: Lang = DEFAULT_LANG) -> str:
    text = format_duration(duration_s(record, now), lang)
    return text if record.finished else tr(lang, "so_far", duration=text)


def summarize(record: JobRecord) -> str:
    """A short line about what was asked: the prompt (or source) and a few telling values."""
    params = record.params
    subject = next((params[name] for name in _SUBJECT if params.get(name)), "")
    if isinstance(subject, str) and ("/" in subject or "\\" in subject):
        subject = Path(subject).name if not subject.startswith("http") else subject
    subject = " ".join(str(subject).split())
    if len(subject) > SUMMARY_CHARS:
        subject = subject[: SUMMARY_CHARS - 1] + "…"
    spec = SPEC_OF.get(record.capability)
    shown = spec.summary_details if spec is not None else ()
    details = [f"{name} {params[name]}" for name in shown if params.get(name) not in (None, "")]
    return " · ".join(part for part in (subject, *details) if part)


def table_rows(
    records: Sequence[JobRecord], now: float | None = None, lang: Lang = DEFAULT_LANG
) -> list[list[Any]]:
    now = time.time() if now is None else now
    return [
        [
            _when(record.created_at),
            _capability_name(record.capability, lang),
            record.provider,
            _state_name(record.state, lang),
            summarize(record),
            duration_text(record, now, lang),
            record.id,
        ]
        for record in records
    ]


def localized_table(rows: list[list[Any]], lang: Lang, key: str = "table_headers") -> Any:
    """A Dataframe value with its column names in `lang` (the static headers are English)."""
    return {"headers": headers(lang, key), "data": rows}


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
    """What History shows of one job: its record, its state changes, its parameters, and its
    state and files as a `JobView`."""

    record: JobRecord
    events: list[list[Any]]
    payload: dict[str, Any]
    view: JobView

    @property
    def missing(self) -> int:
        return self.view.missing

    def heading(self, lang: Lang = DEFAULT_LANG) -> str:
        record = self.record
        state = _state_name(record.state, lang)
        lines = [
            tr(
                lang,
                "heading",
                capability=_capability_name(record.capability, lang),
                provider=record.provider,
                state=state,
                started=_when(record.created_at),
                duration=duration_text(record, lang=lang),
            ),
        ]
        if record.message and record.state in ("failed", "cancelled"):
            lines.append(f"> {render(record.message_text, lang)}")
        if self.missing:
            key = "missing_one" if self.missing == 1 else "missing_many"
            lines.append(tr(lang, key, count=self.missing))
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
def _capability_name(capability: str, lang: Lang) -> str:
    """The capability as its tab is called in `lang` (English keeps the id, as before)."""
    key = f"tab_{capability}"
    if lang == "en" or key not in LABELS_EN:
        return capability
    return label(lang, key)


def _state_name(state: str, lang: Lang) -> str:
    key = f"state_{state}"
    return state if lang == "en" or key not in LABELS_EN else label(lang, key)


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


def build(
    services: StudioServices,
    session_keys: gr.State,
    *,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    """The History tab. `loaded` (a shared gr.State) receives "Load settings" requests for the
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
            )
            provider = gr.Dropdown(
                _choices(PROVIDER_ORDER),
                value=ALL,
                label=i18n("provider"),
                elem_id="history-provider",
            )
            state = gr.Dropdown(
                _choices(STATES, "state_"),
                value=ALL,
                label=i18n("hist_state"),
                elem_id="history-state",
            )
            refresh = gr.Button(i18n("hist_refresh"), scale=0, elem_id="history-refresh")
        shown = gr.State(PAGE_SIZE)
        # Filled when the tab is opened. Not `value=callable`: Gradio 6.31 makes that a *public*
        # load endpoint (/lambda_N).
        table = gr.Dataframe(
            headers=TABLE_HEADERS,
            interactive=False,
            wrap=True,
            max_height=480,
            label=i18n("hist_table"),
            elem_id="history-table",
        )
        more = gr.Button(i18n("hist_more"), size="sm", elem_id="history-more")
        with gr.Row(equal_height=True):
            job_id = gr.Textbox(
                label=i18n("hist_job_id"),
                placeholder=i18n("hist_job_id_placeholder"),
                scale=4,
                elem_id="history-job-id",
            )
            open_job = gr.Button(i18n("hist_open"), scale=1, elem_id="history-open")
        heading = gr.Markdown(i18n("hist_heading"), elem_id="history-heading")
        with gr.Row():
            watch = gr.Button(i18n("hist_watch"), variant="primary", elem_id="history-watch-button")
            stop_watch = gr.Button(i18n("hist_stop_watch"), elem_id="history-stop-watch")
            cancel = gr.Button(i18n("hist_cancel"), variant="stop", elem_id="history-cancel")
            load = gr.Button(i18n("hist_load"), elem_id="history-load")
        watch_status = gr.Markdown(elem_id="history-watch")
        with gr.Row():
            with gr.Column():
                audio = gr.Audio(
                    label=i18n("hist_audio"),
                    type="filepath",
                    interactive=False,
                    elem_id="history-audio",
                )
                video = gr.Video(
                    label=i18n("hist_video"), interactive=False, elem_id="history-video"
                )
                gallery = gr.Gallery(
                    label=i18n("hist_images"), columns=3, height=320, elem_id="history-gallery"
                )
                files = gr.File(
                    label=i18n("files"),
                    file_count="multiple",
                    interactive=False,
                    elem_id="history-files",
                )
            with gr.Column():
                params = gr.JSON(label=i18n("hist_params"), elem_id="history-params")
                events = gr.Dataframe(
                    headers=EVENT_HEADERS,
                    interactive=False,
                    label=i18n("hist_events"),
                    max_height=320,
                    elem_id="history-events",
                )
        with gr.Row(equal_height=True):
            confirm = gr.Checkbox(
                label=i18n("hist_confirm"), value=False, elem_id="history-confirm"
            )
            delete = gr.Button(i18n("hist_delete"), variant="stop", elem_id="history-delete")
        with gr.Row():
            share = gr.Button(i18n("hist_share"), size="sm", elem_id="history-share")
            revoke = gr.Button(i18n("hist_revoke"), size="sm", elem_id="history-revoke")
        notice = gr.Markdown(elem_id="history-notice")

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
    filters = [capability, provider, state]

    def rows(
        cap: str, prov: str, st: str, limit: int, lang: Lang, owner: str | None
    ) -> tuple[Any, Any]:
        found = list_jobs(store, cap, prov, st, limit, owner=owner)
        table_value = localized_table(table_rows(found, lang=lang), lang)
        return table_value, gr.update(interactive=len(found) >= limit)

    def first_page(
        cap: str, prov: str, st: str, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        return (
            PAGE_SIZE,
            *rows(cap, prov, st, PAGE_SIZE, request_lang(request), scope_of(request)),
        )

    def next_page(
        cap: str, prov: str, st: str, limit: int, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        limit = min(int(limit) + PAGE_SIZE, MAX_PAGE)
        return (limit, *rows(cap, prov, st, limit, request_lang(request), scope_of(request)))

    for trigger in (capability.change, provider.change, state.change, refresh.click, tab.select):
        trigger(first_page, filters, [shown, table, more], **private)
    more.click(next_page, [*filters, shown], [shown, table, more], **private)

    detail_outputs = [heading, params, events, audio, gallery, video, files, confirm, notice]

    def show(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        detail = job_detail(services, chosen, owner=scope_of(request), lang=lang)
        if detail is None:
            return (no_job(chosen, lang), None, None, None, None, None, None, False, "")
        return (
            detail.heading(lang),
            detail.payload,
            localized_table(
                [[when, _state_name(st, lang), *rest] for when, st, *rest in detail.events],
                lang,
                "event_headers",
            ),
            detail.view.first("audio"),
            detail.view.files("image"),
            detail.view.first("video"),
            detail.view.files(),
            False,
            "",
        )

    def pick(evt: gr.SelectData) -> Any:
        row = evt.row_value or []
        return str(row[-1]) if row else gr.skip()

    table.select(pick, None, job_id, **private).then(show, job_id, detail_outputs, **private)
    open_job.click(show, job_id, detail_outputs, **private)
    job_id.submit(show, job_id, detail_outputs, **private)

    async def follow(
        chosen: str, request: gr.Request | None = None
    ) -> AsyncIterator[tuple[Any, ...]]:
        async for step in watch_job(
            services, chosen, request_lang(request), owner=scope_of(request)
        ):
            if step.outputs is None:
                yield step.status, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            else:
                yield (
                    step.status,
                    step.first("audio"),
                    step.files("image"),
                    step.first("video"),
                    step.files(),
                )

    watching = watch.click(
        follow,
        job_id,
        [watch_status, audio, gallery, video, files],
        show_progress_on=[watch_status],
        concurrency_limit=services.settings.studio_event_concurrency,
        **private,
    )
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
            return (message, gr.skip(), False, *(gr.skip() for _ in detail_outputs[:-2]))
        table_value, _ = rows(cap, prov, st, limit, lang, owner)
        cleared = (tr(lang, "deleted_short"), None, None, None, None, None, None)
        return (message, table_value, False, *cleared)

    delete.click(
        remove,
        [job_id, confirm, *filters, shown],
        [notice, table, confirm, *detail_outputs[:-2]],
        **private,
    )

    def load_settings(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        record = store.get(clean_job_id(chosen), owner=scope_of(request))
        if record is None:
            return (no_job(chosen, lang), gr.skip(), gr.skip())
        wanted = load_request(record)
        capability = _capability_name(record.capability, lang)
        message = tr(lang, "settings_loaded", job_id=record.id, capability=capability)
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
