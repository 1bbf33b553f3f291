"""Settings tab: a session's own provider keys, and the state of every provider.

Keys typed here go into the `session_keys` gr.State (server memory) through private events only:
a private event is neither public API nor recorded in the browser's run history (GRADIO6-NOTES
§1, §5). The key boxes are emptied after saving, so the values do not stay in the page either.
"Remember in this browser" is opt-in and needs STUDIO_BROWSER_SECRET.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import gradio as gr
from gradio.context import Context

from core.reachability import Reachability, check_all, display_url
from tabs.common import StudioServices
from tabs.keys import (
    clean_keys,
    key_fields,
    merge_keys,
    provider_key_state,
    remote_providers,
    unlocked_providers,
)

# Stable across restarts, so a remembered value can be read back after a new deployment.
BROWSER_STORAGE_KEY = "aigc-studio-session-keys"
STATUS_HEADERS = ["Provider", "Serves", "Keys", "Mode", "Address", "In your pickers", "Reachable"]
NOT_CHECKED = "— (press Check)"
REACH_TIMEOUT_S = 3.0
# Where each remote provider is reached; the first address is the one checked.
PROVIDER_ADDRESSES: dict[str, tuple[str, ...]] = {
    "imgopen": ("imgopen_base_url",),
    "tencent": ("tencent_mmlab_url", "tencent_mmlab_output_base_url"),
    "suno": ("suno_base_url", "suno_upload_base_url"),
    "vidu": ("vidu_base_url",),
}

INTRO = (
    "Keys you save here are kept **in this server's memory for your browser session only**: "
    "they are used for your jobs, never shown again, never written to the job history, and "
    "gone when you close the tab (unless you ask this browser to remember them). A blank box "
    "keeps the key saved before; **Clear** forgets them all."
)
REQUIRE_USER_KEYS = (
    "🔑 **This studio asks every visitor to bring their own keys.** The server's own keys are "
    "not used for your jobs: a remote provider appears in the tabs' pickers once you save its "
    "keys here. **Offline** always works without a key."
)
SANDBOX = (
    "🧪 **Sandbox mode**: every remote provider is the built-in emulator running on this "
    "server, with dummy keys. Keys saved here are sent only to those emulators."
)
REMEMBER_OFF = (
    "Remembering keys in this browser is **off** on this server. To enable it, the operator "
    "sets `STUDIO_BROWSER_SECRET` (a long random string) in the environment or `.env` and "
    "restarts the app."
)
REMEMBER_ON = (
    "⚠️ With **Remember in this browser**, the keys are stored in this browser's localStorage, "
    "scrambled with a secret that the page itself receives. That is **obfuscation, not "
    "encryption**: anyone who can use this browser profile (or run a script on this page) can "
    "read them back. Use it only on your own device; **Clear** removes them from the browser too."
)


def browser_secret(services: StudioServices) -> str | None:
    secret = services.settings.studio_browser_secret
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value or None


def notice(services: StudioServices) -> str:
    settings = services.settings
    if settings.studio_sandbox:
        return SANDBOX
    if settings.studio_require_user_keys:
        return REQUIRE_USER_KEYS
    return ""


def provider_addresses(services: StudioServices, name: str) -> list[str]:
    settings = services.settings
    found = [getattr(settings, attribute, None) for attribute in PROVIDER_ADDRESSES.get(name, ())]
    return [display_url(url) for url in found if isinstance(url, str) and url.strip()]


def _serves(services: StudioServices, name: str) -> str:
    provider = services.registry.get(name)
    return ", ".join(sorted(provider.capabilities)) if provider is not None else ""


def status_rows(
    services: StudioServices,
    keys: Mapping[str, str] | None,
    reach: Mapping[str, Reachability | None] | None = None,
) -> list[list[str]]:
    """One row per remote provider: where its keys come from, its address (never a key)."""
    unlocked = set(unlocked_providers(services, keys))
    rows: list[list[str]] = []
    for name in remote_providers(services):
        provider = services.registry.get(name)
        addresses = provider_addresses(services, name)
        if reach is None:
            reachable = NOT_CHECKED
        else:
            result = reach.get(name)
            reachable = result.summary() if result is not None else "no address set"
        rows.append(
            [
                provider.label if provider is not None else name,
                _serves(services, name),
                provider_key_state(services, name, keys),
                services.registry.badge(name),
                "\n".join(addresses) or "not set",
                "yes" if name in unlocked else "no",
                reachable,
            ]
        )
    return rows


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


def keys_summary(services: StudioServices, keys: Mapping[str, str] | None) -> str:
    """Which keys this session holds, by name only."""
    held = clean_keys(services, keys)
    if not held:
        return "No session keys saved."
    names = ", ".join(f"`{name}`" for name in sorted(held))
    return f"🔐 Session keys saved: {names}."


@dataclass(frozen=True)
class KeyChange:
    """The result of Save, Clear or a restore: the State's new value, the BrowserState's new
    value (None: leave it alone) and a sentence for the user."""

    keys: dict[str, str]
    remembered: dict[str, str] | None
    message: str


def save_keys(
    services: StudioServices,
    current: Mapping[str, str] | None,
    names: Sequence[str],
    values: Sequence[str | None],
    remember: bool,
) -> KeyChange:
    keys = merge_keys(services, current, names, values)
    can_remember = browser_secret(services) is not None
    remembered = dict(keys) if remember and can_remember else {}
    message = keys_summary(services, keys)
    if remembered:
        message += " Remembered in this browser."
    return KeyChange(keys, remembered if can_remember else None, message)


def clear_keys(services: StudioServices) -> KeyChange:
    can_remember = browser_secret(services) is not None
    return KeyChange({}, {} if can_remember else None, "Session keys cleared.")


def restore_keys(services: StudioServices, remembered: Mapping[str, Any] | None) -> KeyChange:
    """What a page load does with the keys this browser remembered (unknown names dropped)."""
    keys = clean_keys(services, remembered if isinstance(remembered, Mapping) else None)
    message = keys_summary(services, keys)
    if keys:
        message += " Restored from this browser."
    return KeyChange(keys, None, message)


def build(services: StudioServices, session_keys: gr.State) -> None:
    fields = key_fields(services)
    names = [field for _, field in fields]
    secret = browser_secret(services)
    with gr.Tab("Settings", id="settings") as tab:
        gr.Markdown("## Your provider keys\n" + INTRO)
        top = notice(services)
        gr.Markdown(top, visible=bool(top), elem_id="settings-notice")
        boxes: list[gr.Textbox] = []
        for name in remote_providers(services):
            provider = services.registry.get(name)
            label = provider.label if provider is not None else name
            with gr.Group():
                gr.Markdown(f"**{label}** · serves {_serves(services, name)}")
                with gr.Row():
                    for provider_name, field in fields:
                        if provider_name == name:
                            boxes.append(
                                gr.Textbox(
                                    label=field,
                                    type="password",
                                    placeholder="paste your key",
                                    max_length=1000,
                                )
                            )
                if name == "vidu":
                    address = display_url(services.settings.vidu_base_url) or "not set"
                    gr.Markdown(
                        f"VIDU_BASE_URL (a server setting): `{address}`"
                        + ("" if services.settings.vidu_base_url else " — Vidu stays off.")
                    )
        remember = gr.Checkbox(
            label="Remember in this browser",
            value=False,
            interactive=secret is not None,
            elem_id="settings-remember",
        )
        gr.Markdown(REMEMBER_ON if secret is not None else REMEMBER_OFF)
        with gr.Row():
            save = gr.Button("Save keys", variant="primary", elem_id="settings-save")
            clear = gr.Button("Clear keys", elem_id="settings-clear")
        summary = gr.Markdown(keys_summary(services, {}), elem_id="settings-keys")

        gr.Markdown("## Providers")
        table = gr.Dataframe(
            value=status_rows(services, {}),
            headers=STATUS_HEADERS,
            interactive=False,
            wrap=True,
            elem_id="settings-providers",
        )
        check = gr.Button("Check reachability", size="sm", elem_id="settings-check")
        gr.Markdown(
            "The check sends one request without any key to each provider's address: any "
            "answer (even an error page) means the network path works."
        )
        remembered = (
            gr.BrowserState({}, storage_key=BROWSER_STORAGE_KEY, secret=secret)
            if secret is not None
            else None
        )

    private: dict[str, Any] = {"api_visibility": "private"}
    with_browser = [remembered] if remembered is not None else []

    def outputs_of(change: KeyChange, keys: Mapping[str, str]) -> tuple[Any, ...]:
        stored = [change.remembered] if remembered is not None else []
        return (change.keys, *stored, change.message, status_rows(services, keys))

    def on_save(current: dict[str, str] | None, keep: bool, *values: str) -> tuple[Any, ...]:
        change = save_keys(services, current, names, values, bool(keep))
        return (*outputs_of(change, change.keys), *("" for _ in boxes))

    def on_clear() -> tuple[Any, ...]:
        change = clear_keys(services)
        return (*outputs_of(change, change.keys), False, *("" for _ in boxes))

    key_outputs = [session_keys, *with_browser, summary, table]
    save.click(on_save, [session_keys, remember, *boxes], [*key_outputs, *boxes], **private)
    clear.click(on_clear, None, [*key_outputs, remember, *boxes], **private)

    async def on_check(keys: dict[str, str] | None) -> list[list[str]]:
        return status_rows(services, keys, await check_reachability(services))

    check.click(on_check, session_keys, table, api_visibility="private")
    tab.select(partial(status_rows, services), session_keys, table, **private)

    if remembered is not None:

        def on_load(stored: dict[str, Any] | None) -> tuple[Any, ...]:
            change = restore_keys(services, stored)
            return (
                change.keys,
                bool(change.keys),
                change.message,
                status_rows(services, change.keys),
            )

        root = Context.root_block
        if root is None:
            raise RuntimeError("settings.build() must be called inside a gr.Blocks context")
        # The tab has no Blocks object of its own; the Blocks being built is the page to hook.
        root.load(on_load, remembered, [session_keys, remember, summary, table], **private)
