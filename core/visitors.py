"""Who a request comes from, so that every job, file and action belongs to someone.

A visitor is one of:
- `anon:<random>`: a browser. The studio gives it a signed token on its first page load and the
  browser keeps it (a BrowserState); each page load tells the server which session it is.
- `hf:<username>`: a person signed in with Hugging Face (a Space with `hf_oauth: true`), the same
  in every browser.
- `session:<session hash>`: an API client (one gradio_client `Client`) that brought neither.
- `call:<random>`: a caller with no session at all (an MCP tool call: Gradio's MCP server is
  stateless and sends every call through one shared client), its own visitor for that call only.

An API or MCP caller can also send the token it sees in Settings as the `X-Studio-Visitor`
header to act as that visitor. IP addresses are never used: many people share one.

Nothing here imports Gradio; the UI hands in plain values (session hash, headers, profile).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

VISITOR_HEADER = "x-studio-visitor"
# Gradio's MCP server sends every tool call through one client that carries this header.
MCP_CLIENT_HEADER = ("x-gradio-user", "mcp")
LOCAL_OWNER = "local"
_MAC_HEX = 32
_TOKEN_SEPARATOR = "~"
_SESSIONS_KEPT = 20_000

VisitorKind = Literal["anon", "hf", "session", "call", "local"]


class Visitor(BaseModel):
    """The owner of whatever a request starts or touches."""

    model_config = ConfigDict(frozen=True)

    id: str

    @property
    def kind(self) -> VisitorKind:
        prefix = self.id.partition(":")[0]
        return prefix if prefix in ("anon", "hf", "session", "call") else "local"  # type: ignore[return-value]

    @property
    def anonymous(self) -> bool:
        """Whether no account stands behind it (its jobs expire; docs: Hosting publicly)."""
        return self.kind != "hf"

    @property
    def display(self) -> str:
        """What Settings shows: the account name, or a short form of the anonymous id."""
        kind, _, rest = self.id.partition(":")
        if kind == "hf":
            return rest
        return f"{kind} {rest[:8]}"


def _mac(secret: bytes, visitor_id: str) -> str:
    return hmac.new(secret, visitor_id.encode(), hashlib.sha256).hexdigest()[:_MAC_HEX]


class VisitorDirectory:
    """Issues and checks visitor tokens and remembers which session belongs to which visitor."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, str] = OrderedDict()

    # ------------------------------------------------------------------ tokens
    def token_for(self, visitor: Visitor) -> str:
        return f"{visitor.id}{_TOKEN_SEPARATOR}{_mac(self._secret, visitor.id)}"

    def from_token(self, token: object) -> Visitor | None:
        """The visitor a token was issued for, or None for a forged or malformed one."""
        if not isinstance(token, str) or len(token) > 300:
            return None
        visitor_id, _, mac = token.strip().rpartition(_TOKEN_SEPARATOR)
        if not visitor_id or len(mac) != _MAC_HEX:
            return None
        if not hmac.compare_digest(_mac(self._secret, visitor_id), mac):
            return None
        return Visitor(id=visitor_id)

    @staticmethod
    def new_anonymous() -> Visitor:
        return Visitor(id=f"anon:{secrets.token_hex(16)}")

    # ------------------------------------------------------------------ sessions
    def register(self, session_hash: str | None, visitor: Visitor) -> str | None:
        """Bind a page's session to its visitor. Returns the owner id the session's jobs had
        until now (`session:<hash>`), for the caller to hand them over, or None."""
        if not session_hash:
            return None
        with self._lock:
            self._sessions[session_hash] = visitor.id
            self._sessions.move_to_end(session_hash)
            while len(self._sessions) > _SESSIONS_KEPT:
                self._sessions.popitem(last=False)
        return f"session:{session_hash}"

    def identify(
        self,
        session_hash: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> Visitor:
        """The visitor behind a request (see the module's docstring for the order)."""
        lowered = {name.lower(): value for name, value in (headers or {}).items()}
        claimed = self.from_token(lowered.get(VISITOR_HEADER))
        if claimed is not None:
            return claimed
        if lowered.get(MCP_CLIENT_HEADER[0]) == MCP_CLIENT_HEADER[1]:
            return Visitor(id=f"call:{secrets.token_hex(16)}")
        if session_hash:
            with self._lock:
                known = self._sessions.get(session_hash)
            return Visitor(id=known or f"session:{session_hash}")
        return Visitor(id=f"call:{secrets.token_hex(16)}")


def signed_in_visitor(oauth_info: Mapping[str, object] | None) -> Visitor | None:
    """The Hugging Face account in a Gradio OAuth session (`request.session["oauth_info"]`)."""
    if not oauth_info:
        return None
    userinfo = oauth_info.get("userinfo")
    if not isinstance(userinfo, Mapping):
        return None
    name = userinfo.get("preferred_username") or userinfo.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    return Visitor(id=f"hf:{name.strip()}")
