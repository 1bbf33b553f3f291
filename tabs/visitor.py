"""Each page load tells the server whose session it is (core/visitors.py).

The browser keeps the visitor token the studio gave it (a BrowserState in localStorage). On every
page load a private event sends it back; the server checks its signature, binds the page's
session to that visitor, and hands over any job the session started before the binding (a click
faster than the page load). A person signed in with Hugging Face is their account instead, and
jobs their browser made anonymously become the account's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import gradio as gr

from core.visitors import Visitor, signed_in_visitor
from tabs.i18n import DEFAULT_LANG, Lang, tr
from tabs.services import StudioServices, session_of

# Stable across restarts, so a browser keeps its jobs after a new deployment.
VISITOR_STORAGE_KEY = "aigc-studio-visitor"
# Not a secret: the token is signed by the server; BrowserState's own encryption key is sent to
# every browser anyway (Gradio sends it in /config).
_STORAGE_OBFUSCATION = "aigc-studio"


def sign_in_enabled() -> bool:
    """Hugging Face sets OAUTH_CLIENT_ID on a Space whose README says `hf_oauth: true`."""
    return bool(os.environ.get("OAUTH_CLIENT_ID"))


@dataclass(frozen=True)
class Registration:
    visitor: Visitor
    # What the browser keeps: the anonymous visitor's token (kept even while signed in, so
    # signing out finds the browser's own jobs again).
    browser_token: str


def register_visitor(
    services: StudioServices,
    stored_token: object,
    session_hash: str | None,
    profile: object | None = None,
) -> Registration:
    """Bind `session_hash` to its visitor and return who that is."""
    directory = services.visitors
    browser = directory.from_token(stored_token)
    if browser is None or browser.kind != "anon":
        browser = directory.new_anonymous()
    account = signed_in_visitor({"userinfo": profile}) if profile else None
    visitor = account or browser
    earlier = directory.register(session_hash, visitor)
    if earlier is not None:
        services.store.set_owner(earlier, visitor.id)
    if account is not None:
        services.store.set_owner(browser.id, account.id)
    return Registration(visitor=visitor, browser_token=directory.token_for(browser))


@dataclass(frozen=True)
class VisitorWiring:
    """The browser's token and the page-load event that registers it: what must know the
    visitor on load (restoring remembered keys) runs `.then` of `registered`."""

    token: gr.BrowserState
    registered: Any


def build(services: StudioServices) -> VisitorWiring:
    """The BrowserState holding this browser's token, registered on every page load."""
    stored = gr.BrowserState("", storage_key=VISITOR_STORAGE_KEY, secret=_STORAGE_OBFUSCATION)
    if sign_in_enabled():
        # Gradio adds its sign-in routes and session cookie when the page has a LoginButton.
        gr.LoginButton(size="sm", elem_id="studio-sign-in")

    def on_load(
        token: str | None,
        request: gr.Request,
        profile: gr.OAuthProfile | None = None,
    ) -> str:
        return register_visitor(services, token, session_of(request), profile).browser_token

    root = gr.context.Context.root_block
    if root is None:
        raise RuntimeError("visitor.build() must be called inside a gr.Blocks context")
    registered = root.load(on_load, stored, stored, api_visibility="private", queue=False)
    return VisitorWiring(token=stored, registered=registered)


def visitor_line(services: StudioServices, token: object, lang: Lang = DEFAULT_LANG) -> str:
    """Settings' sentence on who this browser is here, with the header an API or MCP client
    sends to act as the same visitor; empty on one's own machine."""
    if not services.settings.public_mode:
        return ""
    visitor = services.visitors.from_token(token)
    if visitor is None:
        return ""
    return tr(
        lang,
        "visitor_line",
        visitor=visitor.display,
        token=services.visitors.token_for(visitor),
    )
