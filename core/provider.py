"""The Provider protocol every adapter (remote or offline) implements.

The JobManager drives a provider the same way whatever it is: `submit()` once (never retried:
a retry could bill twice), then `status()` on the provider's own schedule until the task ends.
A status names the files it produced, by URL (the JobManager downloads them at once, they
expire) or by local path (the offline engines); the JobManager moves them into the outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from core.events import MediaKind
from core.messages import Text
from core.requests import Capability, StudioRequest


class TaskState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Artifact(BaseModel):
    """A produced or preview file, either still remote (`url`) or local (`path`)."""

    model_config = ConfigDict(frozen=True)

    kind: MediaKind
    name: str
    url: str | None = None
    path: Path | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class TaskStatus(BaseModel):
    """What a provider says about a task right now, in the studio's terms."""

    state: TaskState
    queue_position: int | None = None
    percent: float | None = None
    message: Text = ""
    eta_s: float | None = None
    preview: Artifact | None = None
    outputs: list[Artifact] = Field(default_factory=list)
    error: Text | None = None
    retryable: bool = False
    # How long the provider asks us to wait before the next status call (rate limits).
    retry_after_s: float | None = None


class TaskHandle(BaseModel):
    """What `submit()` returns; stored with the job so that a restart can resume polling."""

    task_id: str
    data: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class JobContext:
    """Everything a provider may need about the job it is running, besides the request.

    `credentials` hold the session's keys when a user brought their own; adapters fall back to
    the server's settings. They are never stored or logged.
    """

    job_id: str
    work_dir: Path
    # The visitor who started the job (core/visitors.py): fair shares are counted per owner.
    owner: str = ""
    # False for a job started with a visitor's own keys: the server's keys are never used.
    server_keys: bool = True
    # Always set (Suno insists on one); `callback_reachable` says whether the outside world can
    # reach it (a public URL is configured, or the sandbox emulators run on this machine).
    callback_url: str | None = None
    callback_reachable: bool = False
    credentials: dict[str, SecretStr] = field(default_factory=dict, repr=False)
    # Maps a local file to a URL a provider can fetch, or None when the app has no public URL.
    public_url_for: Callable[[Path], str | None] = field(default=lambda _path: None, repr=False)
    # Wakes the job's poller early (e.g. an adapter's live state stream saw a change).
    wake: Callable[[], None] = field(default=lambda: None, repr=False)

    def credential(self, name: str) -> SecretStr | None:
        """The session's key called `name` (an env variable name), if the user brought one."""
        return self.credentials.get(name)


@runtime_checkable
class Provider(Protocol):
    """A source of results for one or more capabilities."""

    name: str
    label: str
    capabilities: frozenset[Capability]
    # True when starting the task again after a crash costs nothing (offline); remote tasks
    # are never re-created: their handle is resumed instead.
    resubmit_safe: bool

    def check(self, request: StudioRequest) -> None:
        """Raise InvalidRequest for what this provider cannot take (before any network call)."""
        ...

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle: ...

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus: ...

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> list[Artifact] | None:
        """Best effort: stop the task if the provider can; never raises.

        Returns the result files the task had completed before the stop (a file still being
        written is not one of them); the job keeps them as a success keeps its outputs. None
        (or empty) when there are none, or the provider cannot tell.
        """
        ...

    def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
        """Seconds to wait after a status call of a task that has run `elapsed_s`, when it is
        estimated to be done in `eta_s` (None: no estimate)."""
        ...

    async def aclose(self) -> None: ...
