"""What the UI needs from the runtime, and who a request comes from."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import gradio as gr
from pydantic import SecretStr

from core.config import Settings
from core.jobs import JobManager
from core.store import JobStore
from core.visitors import Visitor, VisitorDirectory
from providers.registry import Registry


class RecentJobs:
    """Each browser session's latest job per tab, on the server.

    The run card and Stop need the job id, and a gr.State output would put it among the public
    endpoints' outputs (which trips Gradio 6.31's MCP tool calls).
    """

    _LIMIT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: OrderedDict[tuple[str, str], str] = OrderedDict()

    def remember(self, session: str | None, capability: str, job_id: str) -> None:
        if not session:
            return
        with self._lock:
            self._latest[(session, capability)] = job_id
            self._latest.move_to_end((session, capability))
            while len(self._latest) > self._LIMIT:
                self._latest.popitem(last=False)

    def latest(self, session: str | None, capability: str) -> str | None:
        with self._lock:
            return self._latest.get((session, capability)) if session else None


@dataclass(frozen=True)
class StudioServices:
    """What the UI needs from the runtime; built once in app.py."""

    settings: Settings
    jobs: JobManager
    registry: Registry
    store: JobStore
    visitors: VisitorDirectory
    recent: RecentJobs = field(default_factory=lambda: RecentJobs())

    def owner_scope(self, visitor: Visitor) -> str | None:
        """The owner whose jobs `visitor` may see and act on; None on one's own machine, where
        every job is the one user's."""
        return visitor.id if self.settings.public_mode else None


def session_credentials(keys: Mapping[str, str] | None) -> dict[str, SecretStr]:
    return {name: SecretStr(value) for name, value in (keys or {}).items() if value}


def session_of(request: gr.Request | None) -> str | None:
    """The browser session (or API client) a request came from."""
    return getattr(request, "session_hash", None) if request is not None else None


def visitor_of(services: StudioServices, request: gr.Request | None) -> Visitor:
    """The visitor behind a Gradio request (core/visitors.py says how it is told)."""
    headers: dict[str, str] = {}
    if request is not None:
        raw = getattr(request, "headers", None)
        if raw is not None:
            headers = {str(k): str(v) for k, v in dict(raw).items()}
    return services.visitors.identify(session_of(request), headers)
