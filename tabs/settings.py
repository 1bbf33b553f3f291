"""Settings tab: a session's own provider keys, and the state of every provider.

Keys typed here go into the `session_keys` gr.State (server memory) through private events only:
a private event is neither public API nor recorded in the browser's run history
(docs/gradio.md#run-history, #private-events). The key boxes are emptied after saving, so the
values do not stay in the page either.
"Remember in this browser" is opt-in and needs STUDIO_BROWSER_SECRET: the browser then keeps
only a blob the server sealed with a key derived from that secret (core/key_vault.py), which
never leaves the server. Saving keys, or a page load that restores them, also resumes this
visitor's jobs that wait for their keys after a restart (JobManager.offer_keys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import gradio as gr
from gradio.context import Context, LocalContext

from core.key_vault import KeyVault
from core.keys import MIN_KEY_CHARS
from core.messages import render
from core.reachability import Reachability, check_all, display_url
from providers.declarations import REMOTE
from tabs.i18n import DEFAULT_LANG, LABELS_EN, Lang, headers, i18n, label, request_lang, tr
from tabs.keys import (
    KeyState,
    clean_keys,
    key_fields,
    key_label,
    key_name,
    merge_keys,
    provider_key_state,
    refused_keys,
    remote_providers,
    unlocked_providers,
)
from tabs.markup import escape
from tabs.plain_names import capability_name
from tabs.services import StudioServices, session_credentials, visitor_of
from tabs.visitor import VisitorWiring, visitor_line

# Stable across restarts, so a remembered value can be read back after a new deployment.
BROWSER_STORAGE_KEY = "aigc-studio-session-keys"
# BrowserState's own scrambling key, sent to every browser (Gradio puts it in /config): not a
# secret, and fixed so a stored value survives restarts. What it scrambles is already sealed.
BROWSER_STATE_OBFUSCATION = "aigc-studio-sealed-keys"
# What the browser keeps when nothing is remembered. Not empty: Gradio's BrowserState does not
# write a falsy value, and the earlier value must be overwritten.
FORGOTTEN = "-"
NOT_CHECKED = tr("en", "not_checked")
REACH_TIMEOUT_S = 3.0
# Where each remote provider is reached (its declaration's Settings attributes); the first
# address is the one checked.
PROVIDER_ADDRESSES: dict[str, tuple[str, ...]] = {
    declared.name: tuple(address.setting for address in declared.addresses) for declared in REMOTE
}

# The English texts, for callers and tests that read them; the page shows i18n(key).
INTRO = LABELS_EN["set_intro"]
REQUIRE_USER_KEYS = LABELS_EN["set_require_user_keys"]
SANDBOX = LABELS_EN["set_sandbox"]
REMEMBER_OFF = LABELS_EN["set_remember_off"]
REMEMBER_ON = LABELS_EN["set_remember_on"]


def browser_secret(services: StudioServices) -> str | None:
    secret = services.settings.studio_browser_secret
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value or None


def key_vault(services: StudioServices) -> KeyVault | None:
    """What seals remembered keys, or None when remembering is off (no STUDIO_BROWSER_SECRET)."""
    secret = browser_secret(services)
    return KeyVault(secret) if secret is not None else None


def mode_key(services: StudioServices) -> str:
    """The label key of the line saying whose studio this is."""
    return "set_mode_public" if services.settings.public_mode else "set_mode_private"


def notice_key(services: StudioServices) -> str | None:
    """The label key of the notice at the top of the tab, if the server's mode needs one."""
    settings = services.settings
    if settings.studio_sandbox:
        return "set_sandbox"
    if settings.studio_require_user_keys:
        return "set_require_user_keys"
    return None


def notice(services: StudioServices) -> str:
    key = notice_key(services)
    return LABELS_EN[key] if key else ""


def provider_addresses(services: StudioServices, name: str) -> list[str]:
    settings = services.settings
    found = [getattr(settings, attribute, None) for attribute in PROVIDER_ADDRESSES.get(name, ())]
    return [display_url(url) for url in found if isinstance(url, str) and url.strip()]


def _serves(services: StudioServices, name: str, lang: Lang = DEFAULT_LANG) -> str:
    provider = services.registry.get(name)
    if provider is None:
        return ""
    names = [capability_name(capability, lang) for capability in sorted(provider.capabilities)]
    return ("、" if lang == "zh" else ", ").join(names)


def serves_line(services: StudioServices, name: str) -> Any:
    """ "serves …" under a provider's name: translated when the table has this provider."""
    key = f"set_serves_{name}"
    return i18n(key) if key in LABELS_EN else f"serves {_serves(services, name)}"


def key_state_text(state: KeyState, lang: Lang = DEFAULT_LANG) -> str:
    """Where a provider's keys come from, in words; a partial session names what it lacks."""
    missing = ", ".join(key_name(field, lang) for field in state.missing)
    return tr(lang, f"key_state_{state.source}", missing=missing)


def reach_text(result: Reachability | None, lang: Lang = DEFAULT_LANG) -> str:
    """What the reachability check found, as a sentence (the page draws the icon)."""
    if result is None:
        return tr(lang, "no_address")
    if result.reachable:
        return tr(lang, "reach_ok_line", status=result.status, ms=f"{result.elapsed_ms:.0f}")
    return tr(lang, "reach_fail_line", detail=render(result.detail, lang))


def status_rows(
    services: StudioServices,
    keys: Mapping[str, str] | None,
    reach: Mapping[str, Reachability | None] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> list[list[str]]:
    """One row per remote provider: where its keys come from, its address (never a key)."""
    unlocked = set(unlocked_providers(services, keys))
    rows: list[list[str]] = []
    for name in remote_providers(services):
        provider = services.registry.get(name)
        addresses = provider_addresses(services, name)
        reachable = tr(lang, "not_checked") if reach is None else reach_text(reach.get(name), lang)
        badge = services.registry.badge(name)
        rows.append(
            [
                provider.label if provider is not None else name,
                _serves(services, name, lang),
                key_state_text(provider_key_state(services, name, keys), lang),
                badge if lang == "en" else label(lang, f"badge_{badge}"),
                "\n".join(addresses) or tr(lang, "not_set"),
                tr(lang, "yes") if name in unlocked else tr(lang, "no"),
                reachable,
            ]
        )
    return rows


# One card per provider: its facts as a list of name and value, which wraps at phone width.
PROVIDERS_CSS = """
.pv-grid { display: grid; gap: 12px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); }
.pv-card { min-width: 0; padding: 10px 12px; border: 1px solid var(--border-color-primary);
  border-radius: 10px; background: var(--block-background-fill); }
.pv-card h3 { margin: 0 0 6px; font-size: 15px; }
.pv-card dl { display: grid; grid-template-columns: minmax(90px, max-content) minmax(0, 1fr);
  gap: 4px 10px; margin: 0; font-size: 13px; }
.pv-card dt { color: var(--body-text-color-subdued); }
.pv-card dd { margin: 0; min-width: 0; overflow-wrap: anywhere; white-space: pre-line; }
.pv-dot { display: inline-block; width: 9px; height: 9px; margin-right: 6px;
  border-radius: 50%; background: #9ca3af; vertical-align: baseline; }
.pv-dot.pv-yes { background: #16a34a; }
.pv-dot.pv-no { background: #dc2626; }
"""


# Page-wide (gr.HTML puts `head` in the document's head): a key's environment variable, shown
# under its name, wraps on a phone instead of being cut.
KEY_BOX_CSS = """
[id^="settings-key-"] .info-text { overflow-wrap: anywhere; }
"""


def _reach_class(reach: Mapping[str, Reachability | None] | None, name: str) -> str:
    result = reach.get(name) if reach is not None else None
    if result is None:
        return "pv-dot"
    return "pv-dot pv-yes" if result.reachable else "pv-dot pv-no"


def status_html(
    services: StudioServices,
    keys: Mapping[str, str] | None,
    reach: Mapping[str, Reachability | None] | None = None,
    lang: Lang = DEFAULT_LANG,
) -> str:
    """`status_rows` as one card per provider, the facts named in `lang`; the reachability
    result has a coloured dot (no emoji) and wraps like any text."""
    names = headers(lang, "status_headers")
    cards = []
    rows = status_rows(services, keys, reach, lang)
    for name, row in zip(remote_providers(services), rows, strict=True):
        facts = [
            f"<dt>{escape(title)}</dt><dd>{escape(value)}</dd>"
            for title, value in zip(names[1:-1], row[1:-1], strict=True)
        ]
        dot = f'<span class="{_reach_class(reach, name)}"></span>'
        facts.append(f"<dt>{escape(names[-1])}</dt><dd>{dot}{escape(row[-1])}</dd>")
        cards.append(
            f'<section class="pv-card" data-provider="{escape(name)}">'
            f"<h3>{escape(row[0])}</h3><dl>{''.join(facts)}</dl></section>"
        )
    return f'<div class="pv-grid">{"".join(cards)}</div>'


async def check_reachability(
    services: StudioServices, timeout_s: float = REACH_TIMEOUT_S
) -> dict[str, Reachability | None]:
    """A GET to each remote provider's main address, all at once, with no key sent."""
    urls: dict[str, str | None] = {}
    for name in remote_providers(services):
        attributes = PROVIDER_ADDRESSES.get(name, ())
        url = getattr(services.settings, attributes[0], None) if attributes else None
        urls[name] = url if isinstance(url, str) and url.strip() else None
    return await check_all(urls, timeout_s=timeout_s)


def keys_summary(
    services: StudioServices, keys: Mapping[str, str] | None, lang: Lang = DEFAULT_LANG
) -> str:
    """Which keys this session holds, by what they are (never their values)."""
    held = clean_keys(services, keys)
    if not held:
        return tr(lang, "keys_none")
    order = [field for _, field in key_fields(services)]
    names = ", ".join(key_name(name, lang) for name in order if name in held)
    return tr(lang, "keys_saved", names=names)


@dataclass(frozen=True)
class KeyChange:
    """The result of Save, Clear or a restore: the State's new value, the BrowserState's new
    value (a sealed blob or FORGOTTEN; None: leave it as it is, or remembering is off) and a
    sentence for the user."""

    keys: dict[str, str]
    remembered: str | None
    message: str


def save_keys(
    services: StudioServices,
    current: Mapping[str, str] | None,
    names: Sequence[str],
    values: Sequence[str | None],
    remember: bool,
    lang: Lang = DEFAULT_LANG,
) -> KeyChange:
    """A refused key (core/keys.py) is not saved and is named in the message; the other
    keys of the same save are."""
    keys = merge_keys(services, current, names, values)
    vault = key_vault(services)
    remembered: str | None = None
    if vault is not None:
        remembered = vault.seal(keys) if remember and keys else FORGOTTEN
    refusals = [
        tr(lang, "key_refused", field=key_name(name, lang), min=MIN_KEY_CHARS)
        for name, _ in refused_keys(services, names, values)
    ]
    message = keys_summary(services, keys, lang)
    if remembered not in (None, FORGOTTEN):
        message += tr(lang, "keys_remembered")
    return KeyChange(keys, remembered, "\n\n".join([*refusals, message]))


def clear_keys(services: StudioServices, lang: Lang = DEFAULT_LANG) -> KeyChange:
    remembered = FORGOTTEN if key_vault(services) is not None else None
    return KeyChange({}, remembered, tr(lang, "keys_cleared"))


def restore_keys(services: StudioServices, stored: object, lang: Lang = DEFAULT_LANG) -> KeyChange:
    """What a page load does with the blob this browser keeps: the keys it seals (unknown
    names and refused keys dropped). A value this server cannot open (altered, another
    server's) is overwritten with FORGOTTEN; an empty one is left alone, since a browser
    sends the default while its BrowserState has not read localStorage yet."""
    vault = key_vault(services)
    opened = vault.open(stored) if vault is not None else None
    keys = clean_keys(services, opened)
    message = keys_summary(services, keys, lang)
    if keys:
        message += tr(lang, "keys_restored")
    if vault is None or opened is not None or not stored:
        return KeyChange(keys, None, message)
    return KeyChange(keys, FORGOTTEN, message)


def offer_session_keys(
    services: StudioServices,
    request: gr.Request | None,
    keys: Mapping[str, str],
    lang: Lang = DEFAULT_LANG,
) -> str:
    """Resume this visitor's jobs that wait for these keys; a sentence when some did."""
    if not keys:
        return ""
    owner = visitor_of(services, request).id
    resumed = services.jobs.offer_keys(owner, session_credentials(keys))
    if not resumed:
        return ""
    key = "keys_resumed_one" if len(resumed) == 1 else "keys_resumed_many"
    return tr(lang, key, count=len(resumed))


def _render_on_the_page(component: gr.components.Component) -> None:
    """Render `component` as a child of the page itself, not of the tab being built: a tab's
    components are mounted in the browser only once the tab is opened, and the page-load event
    would read a BrowserState inside one before it has read localStorage."""
    root = Context.root_block
    if root is None:
        raise RuntimeError("settings.build() must be called inside a gr.Blocks context")
    parent = Context.block
    Context.block = root
    try:
        component.render()
    finally:
        Context.block = parent


def build(
    services: StudioServices, session_keys: gr.State, wiring: VisitorWiring | None = None
) -> None:
    """The Settings tab. With `wiring` (tabs/visitor.py), remembered keys are restored once the
    page's visitor is known, so the jobs waiting for those keys are found."""
    fields = key_fields(services)
    names = [field for _, field in fields]
    secret = browser_secret(services)
    with gr.Tab(i18n("tab_settings"), id="settings") as tab:
        gr.Markdown(i18n("set_intro"), elem_id="settings-intro")
        gr.Markdown(i18n(mode_key(services)), elem_id="settings-mode")
        who = gr.Markdown("", elem_id="settings-visitor")
        top = notice_key(services)
        gr.Markdown(i18n(top) if top else "", visible=bool(top), elem_id="settings-notice")
        boxes: list[gr.Textbox] = []
        for name in remote_providers(services):
            provider = services.registry.get(name)
            title = provider.label if provider is not None else name
            with gr.Group(elem_id=f"settings-{name}"):
                gr.Markdown(f"**{title}** · {serves_line(services, name)}")
                with gr.Row():
                    for provider_name, field in fields:
                        if provider_name == name:
                            boxes.append(
                                gr.Textbox(
                                    label=key_label(field),
                                    info=field,  # the environment variable, for operators
                                    type="password",
                                    placeholder=i18n("set_key_placeholder"),
                                    max_length=1000,
                                    elem_id=f"settings-key-{field.lower().replace('_', '-')}",
                                )
                            )
                if name == "vidu":
                    address = display_url(services.settings.vidu_base_url)
                    gr.Markdown(
                        f"{i18n('set_vidu_url')} `{address}`"
                        if services.settings.vidu_base_url and address
                        else i18n("set_vidu_url_unset")
                    )
        remember = gr.Checkbox(
            label=i18n("set_remember"),
            value=False,
            interactive=secret is not None,
            elem_id="settings-remember",
        )
        gr.Markdown(
            i18n("set_remember_on" if secret is not None else "set_remember_off"),
            elem_id="settings-remember-note",
        )
        with gr.Row():
            save = gr.Button(i18n("set_save"), variant="primary", elem_id="settings-save")
            clear = gr.Button(i18n("set_clear"), elem_id="settings-clear")
        summary = gr.Markdown(i18n("set_no_keys"), elem_id="settings-keys")

        gr.Markdown(i18n("set_providers"), elem_id="settings-providers-title")
        table = gr.HTML(
            status_html(services, {}),
            css_template=PROVIDERS_CSS,
            js_on_load=None,
            head=f"<style>{KEY_BOX_CSS}</style>",
            apply_default_css=False,
            elem_id="settings-providers",
        )
        check = gr.Button(i18n("set_check"), size="sm", elem_id="settings-check")
        gr.Markdown(i18n("set_check_note"), elem_id="settings-check-note")
        # Never STUDIO_BROWSER_SECRET here: a BrowserState's secret is sent to the browser.
        remembered = (
            gr.BrowserState(
                "",
                storage_key=BROWSER_STORAGE_KEY,
                secret=BROWSER_STATE_OBFUSCATION,
                render=False,
            )
            if secret is not None
            else None
        )
    if remembered is not None:
        _render_on_the_page(remembered)

    private: dict[str, Any] = {"api_visibility": "private"}
    with_browser = [remembered] if remembered is not None else []

    def outputs_of(change: KeyChange, keys: Mapping[str, str], lang: Lang) -> tuple[Any, ...]:
        stored = [change.remembered] if remembered is not None else []
        return (change.keys, *stored, change.message, status_html(services, keys, lang=lang))

    def on_save(current: dict[str, str] | None, keep: bool, *values: str) -> tuple[Any, ...]:
        # *values: no gr.Request parameter can follow; request_lang() reads Gradio's current one.
        request = LocalContext.request.get(None)
        lang = request_lang(request)
        change = save_keys(services, current, names, values, bool(keep), lang)
        resumed = offer_session_keys(services, request, change.keys, lang)
        if resumed:
            change = replace(change, message=change.message + resumed)
        return (*outputs_of(change, change.keys, lang), *("" for _ in boxes))

    def on_clear(request: gr.Request | None = None) -> tuple[Any, ...]:
        lang = request_lang(request)
        change = clear_keys(services, lang)
        return (*outputs_of(change, change.keys, lang), False, *("" for _ in boxes))

    key_outputs = [session_keys, *with_browser, summary, table]
    save.click(on_save, [session_keys, remember, *boxes], [*key_outputs, *boxes], **private)
    clear.click(on_clear, None, [*key_outputs, remember, *boxes], **private)

    async def on_check(keys: dict[str, str] | None, request: gr.Request | None = None) -> str:
        reach = await check_reachability(services)
        return status_html(services, keys, reach, request_lang(request))

    def on_open(keys: dict[str, str] | None, request: gr.Request | None = None) -> str:
        return status_html(services, keys, lang=request_lang(request))

    check.click(on_check, session_keys, table, api_visibility="private")
    tab.select(on_open, session_keys, table, **private)

    if remembered is not None:

        def on_load(stored: object, request: gr.Request | None = None) -> tuple[Any, ...]:
            lang = request_lang(request)
            change = restore_keys(services, stored, lang)
            message = change.message + offer_session_keys(services, request, change.keys, lang)
            return (
                change.keys,
                change.remembered if change.remembered is not None else gr.update(),
                bool(change.keys),
                message,
                status_html(services, change.keys, lang=lang),
            )

        restore_outputs = [session_keys, remembered, remember, summary, table]
        if wiring is not None:
            wiring.registered.then(on_load, remembered, restore_outputs, **private)
        else:
            root = Context.root_block
            if root is None:
                raise RuntimeError("settings.build() must be called inside a gr.Blocks context")
            # The tab has no Blocks object of its own; the Blocks being built is the page to hook.
            root.load(on_load, remembered, restore_outputs, **private)

    if wiring is not None:

        def on_visitor(token: object, request: gr.Request | None = None) -> str:
            return visitor_line(services, token, request_lang(request))

        wiring.registered.then(on_visitor, wiring.token, who, **private)
