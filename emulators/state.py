"""Shared, scriptable state of the emulators: faults, call counts, keys, tasks, callbacks.

Tests (in the main thread) and the server (in its own thread) touch this object at the same
time, so every mutable collection a test can reach is guarded by a lock.
"""

from __future__ import annotations

import asyncio
import fnmatch
import secrets
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ProviderName = Literal["imgopen", "tencent", "suno", "vidu"]
PROVIDERS: tuple[ProviderName, ...] = ("imgopen", "tencent", "suno", "vidu")
FaultKind = Literal["status", "hang", "malformed", "drop", "envelope"]

# The creation id of Vidu's page example works out of the box (docs/providers.md#emulators).
SEED_CREATION_ID = "2370483030340581"


@dataclass
class Fault:
    """One scripted misbehaviour, matched against incoming calls.

    `path` is relative to the provider's base URL (no `/suno` etc. prefix) and may be a glob
    (`"/vidu/v1/tasks/*"`); `"*"` matches every call of the provider, file downloads included.
    """

    provider: ProviderName
    path: str
    kind: FaultKind = "status"
    status: int = 500
    times: int = 1
    retry_after: float | None = None
    method: str = "*"
    action: str | None = None
    hang_seconds: float = 30.0

    def matches(self, provider: str, method: str, path: str, action: str | None) -> bool:
        if self.times <= 0 or provider != self.provider:
            return False
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        if self.action is not None and self.action != action:
            return False
        return self.path == "*" or fnmatch.fnmatchcase(path, self.path)


@dataclass
class TaskFailure:
    """A scripted failure waiting for the provider's next created task."""

    reason: str | None = None


class FaultBook:
    """The faults, failing tasks, expired results and unknown Vidu creations to play."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._task_failures: dict[str, list[TaskFailure]] = {p: [] for p in PROVIDERS}
        self._expired: set[str] = set()
        self._unknown_creations: set[str] = set()

    def add(self, fault: Fault) -> Fault:
        if fault.provider not in PROVIDERS:
            raise ValueError(f"unknown provider {fault.provider!r}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, provider: str, method: str, path: str, action: str | None) -> Fault | None:
        """The first fault matching this call, with one of its `times` used up."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(provider, method, path, action):
                    fault.times -= 1
                    return fault
        return None

    def wants_action(self, provider: str) -> bool:
        """Whether some live fault filters on a body `action` (so the body must be read)."""
        with self._lock:
            return any(f.provider == provider and f.action and f.times > 0 for f in self._faults)

    def fail_tasks(self, provider: ProviderName, times: int = 1, reason: str | None = None) -> None:
        """The next `times` tasks created on `provider` end failed (`reason` as the message)."""
        if provider not in PROVIDERS:
            raise ValueError(f"unknown provider {provider!r}")
        with self._lock:
            self._task_failures[provider].extend(TaskFailure(reason) for _ in range(times))

    def take_task_failure(self, provider: str) -> TaskFailure | None:
        with self._lock:
            queue = self._task_failures.get(provider, [])
            return queue.pop(0) if queue else None

    def expire_results(self, provider: ProviderName) -> None:
        """From now on the provider's result and preview file URLs answer 403."""
        with self._lock:
            self._expired.add(provider)

    def results_expired(self, provider: str) -> bool:
        with self._lock:
            return provider in self._expired

    def vidu_unknown_creation(self, creation_id: str) -> None:
        """Make Vidu refuse this (otherwise acceptable, all-digit) creation id."""
        with self._lock:
            self._unknown_creations.add(creation_id)

    def is_unknown_creation(self, creation_id: str) -> bool:
        with self._lock:
            return creation_id in self._unknown_creations

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            for queue in self._task_failures.values():
                queue.clear()
            self._expired.clear()
            self._unknown_creations.clear()


@dataclass
class CallRecord:
    provider: str
    method: str
    path: str
    # None while the call is in flight; 0 when no HTTP answer was given (drop, abandoned hang).
    status: int | None = None


class CallLog:
    """Every call the emulator received, recorded when it arrives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[CallRecord] = []

    def record(self, provider: str, method: str, path: str) -> CallRecord:
        entry = CallRecord(provider, method.upper(), path)
        with self._lock:
            self._records.append(entry)
        return entry

    def count(self, provider: str, method: str = "*", path: str = "*") -> int:
        with self._lock:
            return sum(
                1
                for r in self._records
                if r.provider == provider
                and (method == "*" or r.method == method.upper())
                and (path == "*" or fnmatch.fnmatchcase(r.path, path))
            )

    def all(self) -> list[tuple[str, str, str, int | None]]:
        with self._lock:
            return [(r.provider, r.method, r.path, r.status) for r in self._records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


@dataclass
class EmulatorKeys:
    """The credentials the emulators accept; anything else gets the provider's auth error."""

    imgopen_access_key_id: str = "sandbox-imgopen-id"
    imgopen_access_key_secret: str = "sandbox-imgopen-secret"
    tencent_secret_id: str = "sandbox-tencent-id"
    tencent_secret_key: str = "sandbox-tencent-key"
    suno_api_key: str = "sandbox-suno-key"
    vidu_api_key: str = "sandbox-vidu-key"


@dataclass
class CallbackAttempt:
    """One delivery attempt of a provider callback."""

    provider: str
    url: str
    payload: Any
    status: int | None  # HTTP status of the reply; None when the request itself failed
    ok: bool  # whether the provider's own rule counts the delivery as done
    attempt: int  # 1 for the first delivery, 2 for the first retry, ...
    error: str | None = None


@dataclass
class SinkReply:
    status: int = 200
    body: Any = field(default_factory=lambda: {"code": "200", "msg": "success"})


class CallbackSink:
    """A built-in callback receiver at `POST /_emulator/sink/{key}` (for tests and demos).

    Replies `{"code": "200"}` (which satisfies every provider) unless replies were scripted.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: dict[str, list[Any]] = {}
        self._scripts: dict[str, list[SinkReply]] = {}

    def script(self, key: str, replies: list[tuple[int, Any]]) -> None:
        """The next replies of this sink, in order: (HTTP status, JSON body or raw text)."""
        with self._lock:
            self._scripts[key] = [SinkReply(status, body) for status, body in replies]

    def receive(self, key: str, payload: Any) -> SinkReply:
        with self._lock:
            self._received.setdefault(key, []).append(payload)
            script = self._scripts.get(key)
            return script.pop(0) if script else SinkReply()

    def received(self, key: str) -> list[Any]:
        with self._lock:
            return list(self._received.get(key, []))

    def clear(self) -> None:
        with self._lock:
            self._received.clear()
            self._scripts.clear()


@dataclass
class ViduCreation:
    """A creation Vidu can upscale: a known video, or one made up on first use."""

    creation_id: str
    video_path: Path | None = None


class EmulatorState:
    """Everything the four emulators share; `build_app(state)` serves it."""

    def __init__(
        self,
        data_dir: Path,
        *,
        task_seconds: float = 1.0,
        rate_limit: bool = True,
        keys: EmulatorKeys | None = None,
        callback_delay_scale: float = 1.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.faults = FaultBook()
        self.calls = CallLog()
        self.keys = keys or EmulatorKeys()
        self.sink = CallbackSink()
        self.task_seconds = task_seconds
        # Length of made-up music (Tencent songs, the part Suno adds) and videos: short by
        # default, the emulators test contracts, not taste.
        self.music_seconds = 4.0
        self.video_seconds = 1.0
        # Img Open: a `progress` percent is undocumented; off unless a test wants one.
        self.imgopen_progress_field = False
        # Img Open `temporaryImageDto` shape: {"image_url": url} or {"image_base64": b64 png}.
        self.imgopen_preview_style: Literal["url", "base64"] = "url"
        # Suno: the "complete" callback arrives twice (the docs warn callbacks may repeat).
        self.suno_duplicate_callbacks = True
        # Suno: 20 calls per 10 s per key (code 430).
        self.suno_rate_limit = rate_limit
        self.suno_rate_limit_calls = 20
        self.suno_rate_limit_window_s = 10.0
        # Callback retry delays are multiplied by this (tests use ~0.01).
        self.callback_delay_scale = callback_delay_scale
        self.callback_max_retries = 3
        self.callback_timeout_s = 5.0
        self._callbacks_lock = threading.Lock()
        self._callbacks: list[CallbackAttempt] = []
        # Per-provider task tables, owned by the provider modules.
        self.tasks: dict[str, dict[str, Any]] = {p: {} for p in PROVIDERS}
        self.suno_uploads: dict[str, Path] = {}
        self.vidu_creations: dict[str, ViduCreation] = {
            SEED_CREATION_ID: ViduCreation(SEED_CREATION_ID)
        }
        self._background: set[asyncio.Task[Any]] = set()

    @property
    def callbacks_sent(self) -> list[CallbackAttempt]:
        with self._callbacks_lock:
            return list(self._callbacks)

    def record_callback(self, attempt: CallbackAttempt) -> None:
        with self._callbacks_lock:
            self._callbacks.append(attempt)

    def vidu_add_creation(self, video_path: Path | None = None) -> str:
        """Register a creation Vidu knows (a given video, or one made up) and return its id."""
        creation_id = str(10**15 + secrets.randbelow(9 * 10**15))
        self.vidu_creations[creation_id] = ViduCreation(
            creation_id, Path(video_path) if video_path is not None else None
        )
        return creation_id

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a task runner in the server's loop, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def provider_dir(self, provider: str) -> Path:
        path = self.data_dir / provider
        path.mkdir(parents=True, exist_ok=True)
        return path
