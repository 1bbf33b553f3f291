"""History's components: the filters and the cards, and one open job (heading, actions,
results, settings, events, provider calls); how an open job fills them. The events that drive
them are in tabs/history.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from core.history import ALL, PAGE_SIZE, STATES
from core.requests import CAPABILITIES
from providers.registry import PROVIDER_ORDER
from tabs.history_cards import CARDS_CSS, CARDS_JS, HISTORY_CSS
from tabs.history_jobs import JobDetail, provider_calls
from tabs.i18n import Lang, i18n, tr
from tabs.picker import provider_label

# How often an unfinished job in view is looked at again (a timer, active only meanwhile).
REFRESH_S = 2.0
# An open job lists this many files; a button shows the rest (40 songs are not 40 rows).
FILES_SHOWN = 4


# ---------------------------------------------------------------------------- widgets
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


def file_list(files: list[str], lang: Lang, show_all: bool = False) -> tuple[Any, Any]:
    """(files box, "show all" button): one file needs no list (its player has a download
    button); more are cut to FILES_SHOWN until "show all" is pressed."""
    if len(files) < 2:
        return gr.update(value=None, visible=False), gr.update(visible=False)
    listed = files if show_all else files[:FILES_SHOWN]
    more = not show_all and len(files) > FILES_SHOWN
    everything = tr(lang, "show_all_files", count=len(files))
    return gr.update(value=listed, visible=True), gr.update(visible=more, value=everything)


# ---------------------------------------------------------------------------- the gallery
@dataclass(frozen=True)
class Listing:
    """The filters and the cards, with what the page remembers of them."""

    capability: gr.Dropdown
    provider: gr.Dropdown
    state: gr.Dropdown
    refresh: gr.Button
    shown: gr.State  # how many cards are asked for ("load more" adds a page)
    drawn: gr.State  # the signature of the cards the page shows (history_cards)
    timer: gr.Timer
    cards: gr.HTML
    more: gr.Button

    @property
    def filters(self) -> list[Any]:
        return [self.capability, self.provider, self.state]


def _filter_menu(choices: list[tuple[Any, str]], label: str, elem_id: str) -> gr.Dropdown:
    return gr.Dropdown(choices, value=ALL, label=i18n(label), elem_id=elem_id, min_width=150)


def listing_layout() -> Listing:
    with gr.Row():
        capability = _filter_menu(
            _choices(CAPABILITIES, "tab_"), "hist_capability", "history-capability"
        )
        provider = _filter_menu(
            [(i18n("hist_all"), ALL), *provider_choices(PROVIDER_ORDER)],
            "provider",
            "history-provider",
        )
        state = _filter_menu(_choices(STATES, "state_"), "hist_state", "history-state")
        refresh = gr.Button(
            i18n("hist_refresh"), size="md", scale=0, min_width=130, elem_id="history-refresh"
        )
    shown = gr.State(PAGE_SIZE)
    drawn = gr.State(None)
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
    return Listing(capability, provider, state, refresh, shown, drawn, timer, cards, more)


# ---------------------------------------------------------------------------- one job
@dataclass(frozen=True)
class Detail:
    """The job id box, the open job's heading and actions, and its detail."""

    job_id: gr.Textbox
    open_job: gr.Button
    heading: gr.Markdown
    watch: gr.Button
    stop_watch: gr.Button
    cancel: gr.Button
    load: gr.Button
    share: gr.Button
    revoke: gr.Button
    watch_status: gr.Markdown
    notice: gr.Markdown
    detail_box: gr.Column
    media_box: gr.Column
    audio: gr.Audio
    video: gr.Video
    gallery: gr.Gallery
    files: gr.File
    show_all: gr.Button
    settings_text: gr.Markdown
    events: gr.Markdown
    params: gr.JSON
    calls_box: gr.Accordion
    calls: gr.Markdown
    confirm: gr.Checkbox
    delete: gr.Button
    seen: gr.State  # the open job's id and state when its detail was drawn

    @property
    def actions(self) -> list[Any]:
        return [
            self.watch,
            self.stop_watch,
            self.cancel,
            self.load,
            self.share,
            self.revoke,
            self.confirm,
            self.delete,
        ]

    @property
    def outputs(self) -> list[Any]:
        """What `opened` and `closed` update, in their order."""
        return [
            self.heading,
            *self.actions,
            self.detail_box,
            self.media_box,
            self.audio,
            self.video,
            self.gallery,
            self.files,
            self.show_all,
            self.settings_text,
            self.events,
            self.params,
            self.calls_box,
            self.calls,
            self.seen,
        ]

    def closed(self, message: str) -> tuple[Any, ...]:
        """The detail with no job open: a sentence, every action off, nothing shown."""
        actions = self.actions
        off = [gr.update(interactive=False) for _ in actions]
        off[actions.index(self.confirm)] = gr.update(interactive=False, value=False)
        kept = (gr.skip() for _ in self.outputs[len(actions) + 2 : -1])
        return (message, *off, gr.update(visible=False), *kept, None)

    def opened(self, detail: JobDetail, lang: Lang) -> tuple[Any, ...]:
        record = detail.record
        live = not record.finished
        listed = detail.files()
        calls_text = provider_calls(detail, lang)
        return (
            detail.heading(lang),
            *(gr.update(interactive=live) for _ in (self.watch, self.stop_watch, self.cancel)),
            *(gr.update(interactive=not live) for _ in (self.load, self.share, self.revoke)),
            gr.update(interactive=not live, value=False),
            gr.update(interactive=not live),
            gr.update(visible=True),
            gr.update(visible=bool(listed)),
            _media(detail.first("audio")),
            _media(detail.first("video")),
            _pictures(detail.files("image")),
            *file_list(listed, lang),
            detail.settings(lang),
            detail.events_table(lang),
            detail.payload,
            gr.update(visible=bool(calls_text)),
            calls_text,
            {"job": record.id, "state": record.state},
        )


def detail_layout() -> Detail:
    seen = gr.State(None)
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
                # Shown whenever `provider_calls` (tabs/history_jobs.py) has a transcript.
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
    return Detail(
        job_id=job_id,
        open_job=open_job,
        heading=heading,
        watch=watch,
        stop_watch=stop_watch,
        cancel=cancel,
        load=load,
        share=share,
        revoke=revoke,
        watch_status=watch_status,
        notice=notice,
        detail_box=detail_box,
        media_box=media_box,
        audio=audio,
        video=video,
        gallery=gallery,
        files=files,
        show_all=show_all,
        settings_text=settings_text,
        events=events,
        params=params,
        calls_box=calls_box,
        calls=calls,
        confirm=confirm,
        delete=delete,
        seen=seen,
    )
