"""History tab: every job as a card, newest first; open one for its results, settings and
events, watch it, reuse its settings, share, cancel or delete it.

This module wires the page's events. Its components are in tabs/history_layout.py, the cards
in tabs/history_cards.py; what the events do to jobs is in tabs/history_jobs.py, and "Load
settings" in tabs/history_reuse.py.

On one's own machine every job is the one user's. In public mode (core/config.py) each handler
sees only the jobs of the visitor who calls it (`owner`, from tabs.services.visitor_of): someone
else's job id behaves exactly like an unknown one. Only `history_list` is public API; every other
handler is private, which hides it from the API page but does not stop a direct call, so each
one checks the owner itself.

The gallery and an open job follow the jobs on their own: while one of them is unfinished a
timer looks again every REFRESH_S (tabs/history_layout.py) and redraws only what changed, so a card and the detail turn
from "Running" to "Done" without a click.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import gradio as gr

from core.history import ALL, MAX_PAGE, PAGE_SIZE, STATES, clean_job_id, find_job, list_jobs
from core.requests import CAPABILITIES
from core.store import JobStore
from providers.registry import PROVIDER_ORDER
from tabs.history_cards import cards_html, signature
from tabs.history_jobs import (
    cancel_job,
    delete_job,
    history_json,
    job_detail,
    job_heading,
    no_job,
    page_base_url,
    revoke_share,
    share_job,
    watch_job,
)
from tabs.history_layout import Detail, Listing, detail_layout, file_list, listing_layout
from tabs.history_reuse import load_request
from tabs.i18n import Lang, i18n, request_lang, tr
from tabs.plain_names import capability_name
from tabs.progress_bar import render
from tabs.services import StudioServices, visitor_of

# Every event but `history_list` is private; the ones that keep up run without a spinner.
_PRIVATE: dict[str, Any] = {"api_visibility": "private"}
_QUIET: dict[str, Any] = {**_PRIVATE, "show_progress": "hidden"}


def _owner(services: StudioServices, request: gr.Request | None) -> str | None:
    return services.owner_scope(visitor_of(services, request))


def _gallery_of(
    store: JobStore,
    cap: str,
    prov: str,
    st: str,
    limit: int,
    lang: Lang,
    owner: str | None,
    drawn_sig: Any,
) -> tuple[Any, Any, Any, bool]:
    """(cards, "load more", the cards' signature, any unfinished?); the cards are gr.skip()
    when the page already shows these."""
    found = list_jobs(store, cap, prov, st, limit, owner=owner)
    sig = list(signature(found, lang))
    value = gr.skip() if sig == drawn_sig else cards_html(found, lang)
    unfinished = any(not record.finished for record in found)
    return value, gr.update(visible=len(found) >= limit), sig, unfinished


def _add_api(services: StudioServices) -> None:
    """`history_list`, the one public endpoint (and MCP tool) of History."""

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
            services.store,
            capability,
            provider,
            state,
            limit,
            offset,
            owner=_owner(services, request),
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
    gr.api(history_list, api_name="history_list", queue=False)


def _connect_listing(services: StudioServices, tab: gr.Tab, listing: Listing) -> None:
    """The filters, "refresh", opening the tab and "load more" draw the cards."""
    store = services.store

    def first_page(
        cap: str, prov: str, st: str, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        lang, owner = request_lang(request), _owner(services, request)
        value, more_update, sig, unfinished = _gallery_of(
            store, cap, prov, st, PAGE_SIZE, lang, owner, None
        )
        return PAGE_SIZE, value, more_update, sig, gr.Timer(active=unfinished)

    def next_page(
        cap: str, prov: str, st: str, limit: int, request: gr.Request | None = None
    ) -> tuple[Any, ...]:
        limit = min(int(limit) + PAGE_SIZE, MAX_PAGE)
        lang, owner = request_lang(request), _owner(services, request)
        value, more_update, sig, unfinished = _gallery_of(
            store, cap, prov, st, limit, lang, owner, None
        )
        return limit, value, more_update, sig, gr.Timer(active=unfinished)

    page_outputs = [listing.shown, listing.cards, listing.more, listing.drawn, listing.timer]
    triggers = (listing.capability, listing.provider, listing.state)
    for trigger in (*(t.change for t in triggers), listing.refresh.click, tab.select):
        trigger(first_page, listing.filters, page_outputs, **_QUIET)
    listing.more.click(next_page, [*listing.filters, listing.shown], page_outputs, **_QUIET)


def _connect_detail(
    services: StudioServices, listing: Listing, view: Detail
) -> Callable[..., tuple[Any, ...]]:
    """A card, "open" or Enter in the job id box opens a job; "show all" lists every file.
    Returns the event that opens a job (`show`), for the actions to draw it again."""

    def show(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        detail = job_detail(services, chosen, owner=_owner(services, request), lang=lang)
        if detail is None:
            return (*view.closed(no_job(chosen, lang)), "", gr.skip())
        follow_up = gr.Timer(active=True) if not detail.record.finished else gr.skip()
        return (*view.opened(detail, lang), "", follow_up)

    show_outputs = [*view.outputs, view.notice, listing.timer]

    def open_card(evt: gr.EventData, request: gr.Request | None = None) -> tuple[Any, ...]:
        data = evt._data if isinstance(evt._data, dict) else {}
        chosen = str(data.get("job") or "")
        return (chosen, *show(chosen, request))

    listing.cards.select(open_card, None, [view.job_id, *show_outputs], **_PRIVATE)
    view.open_job.click(show, view.job_id, show_outputs, **_PRIVATE)
    view.job_id.submit(show, view.job_id, show_outputs, **_PRIVATE)

    def all_files(chosen: str, request: gr.Request | None = None) -> tuple[Any, Any]:
        owner, lang = _owner(services, request), request_lang(request)
        detail = job_detail(services, chosen, owner=owner, lang=lang)
        if detail is None:
            return gr.skip(), gr.skip()
        return file_list(detail.files(), request_lang(request), show_all=True)

    view.show_all.click(all_files, view.job_id, [view.files, view.show_all], **_PRIVATE)
    return show


def _connect_timer(services: StudioServices, listing: Listing, view: Detail) -> None:
    """Keeping up: while a job in view is unfinished, the timer redraws what changed."""

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
        lang, owner = request_lang(request), _owner(services, request)
        value, _, sig, unfinished = _gallery_of(
            services.store, cap, prov, st, limit, lang, owner, drawn_sig
        )
        skip_detail = tuple(gr.skip() for _ in view.outputs)
        detail_update: tuple[Any, ...] = skip_detail
        if last and last.get("job") == clean_job_id(chosen):
            # The record alone tells whether the open job changed; its whole detail (events,
            # settings, media) is read again only when it did.
            record = find_job(services.store, chosen, owner)
            detail = None
            if record is not None and record.state != last.get("state"):
                detail = job_detail(services, chosen, owner=owner, lang=lang)
            if detail is not None:
                detail_update = view.opened(detail, lang)
            elif record is not None and not record.finished:
                detail_update = (job_heading(record, lang), *skip_detail[1:])
            unfinished = unfinished or (record is not None and not record.finished)
        return (value, sig, *detail_update, gr.Timer(active=unfinished))

    listing.timer.tick(
        tick,
        [*listing.filters, listing.shown, listing.drawn, view.job_id, view.seen],
        [listing.cards, listing.drawn, *view.outputs, listing.timer],
        **_QUIET,
    )


# ---------------------------------------------------------------------------- actions
def _connect_actions(
    services: StudioServices,
    listing: Listing,
    view: Detail,
    show: Callable[..., tuple[Any, ...]],
    *,
    loaded: gr.State | None,
    tabs: gr.Tabs | None,
) -> None:
    """Watch, stop watching, cancel, share, revoke, delete and "Load settings"."""
    show_outputs = [*view.outputs, view.notice, listing.timer]

    async def follow(chosen: str, request: gr.Request | None = None) -> AsyncIterator[str]:
        async for step in watch_job(
            services, chosen, request_lang(request), owner=_owner(services, request)
        ):
            # The tabs' status bar (percent, step, elapsed and ETA); a job not found is a line.
            yield step.status if step.progress is None else render(step.progress)

    watching = view.watch.click(
        follow,
        view.job_id,
        view.watch_status,
        concurrency_limit=services.settings.studio_event_concurrency,
        **_QUIET,
    )
    # When the watched job ends, the heading, the actions and the files follow at once.
    watching.then(show, view.job_id, show_outputs, **_PRIVATE)

    def clear_watch() -> str:
        return ""

    # Stop watching, or opening a job, ends the watch and takes its bar away: a bar left
    # spinning would look live, or sit under another job's heading.
    for unwatch in (
        view.stop_watch.click,
        listing.cards.select,
        view.open_job.click,
        view.job_id.submit,
    ):
        unwatch(clear_watch, None, view.watch_status, cancels=[watching], **_QUIET)

    def cancel_chosen(chosen: str, request: gr.Request | None = None) -> str:
        owner = _owner(services, request)
        return cancel_job(services, chosen, request_lang(request), owner=owner)

    view.cancel.click(cancel_chosen, view.job_id, view.notice, **_PRIVATE)

    def share_chosen(chosen: str, request: gr.Request | None = None) -> str:
        base, owner = page_base_url(services, request), _owner(services, request)
        return share_job(services, chosen, base, request_lang(request), owner=owner)

    def revoke_chosen(chosen: str, request: gr.Request | None = None) -> str:
        owner = _owner(services, request)
        return revoke_share(services, chosen, request_lang(request), owner=owner)

    view.share.click(share_chosen, view.job_id, view.notice, **_PRIVATE)
    view.revoke.click(revoke_chosen, view.job_id, view.notice, **_PRIVATE)

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
        owner = _owner(services, request)
        deleted, message = delete_job(services, chosen, bool(sure), lang, owner=owner)
        if not deleted:
            return (message, gr.skip(), gr.skip(), *(gr.skip() for _ in view.outputs))
        value, _, sig, _ = _gallery_of(services.store, cap, prov, st, limit, lang, owner, None)
        return (message, value, sig, *view.closed(tr(lang, "deleted_short")))

    view.delete.click(
        remove,
        [view.job_id, view.confirm, *listing.filters, listing.shown],
        [view.notice, listing.cards, listing.drawn, *view.outputs],
        **_PRIVATE,
    )

    def load_settings(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        record = find_job(services.store, chosen, _owner(services, request))
        if record is None:
            return (no_job(chosen, lang), gr.skip(), gr.skip())
        wanted = load_request(record)
        name = capability_name(record.capability, lang)
        message = tr(lang, "settings_loaded", job_id=record.id, capability=name)
        switch = gr.Tabs(selected=record.capability) if tabs is not None else gr.skip()
        return message, wanted["params"] if loaded is None else wanted, switch

    load_outputs: list[Any] = [view.notice, loaded if loaded is not None else view.params]
    if tabs is not None:
        load_outputs.append(tabs)
        view.load.click(load_settings, view.job_id, load_outputs, **_PRIVATE)
    else:

        def load_settings_here(chosen: str, request: gr.Request | None = None) -> tuple[Any, ...]:
            return load_settings(chosen, request)[:2]

        view.load.click(load_settings_here, view.job_id, load_outputs, **_PRIVATE)


# ---------------------------------------------------------------------------- the tab
def build(
    services: StudioServices,
    session_keys: gr.State,
    *,
    loaded: gr.State | None = None,
    tabs: gr.Tabs | None = None,
) -> None:
    """The History tab. `loaded` (a shared gr.State) receives "Reuse settings" requests for the
    capability tabs to pick up (see `tabs.history_reuse.fill_values`); `tabs` is switched to
    the job's tab."""
    del session_keys  # History needs no keys; the parameter keeps every tab's signature alike
    with gr.Tab(i18n("tab_history"), id="history") as tab:
        listing = listing_layout()
        view = detail_layout()
        # Inside the tab: a gr.Api directly under gr.Tabs draws a warning.
        _add_api(services)
    _connect_listing(services, tab, listing)
    show = _connect_detail(services, listing, view)
    _connect_timer(services, listing, view)
    _connect_actions(services, listing, view, show, loaded=loaded, tabs=tabs)
