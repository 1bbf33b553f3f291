"""Visitors' keys on a shared server: one visitor's key never touches another's job, a job
started with a visitor's keys never runs on the server's, and a remembered key is readable by
this server only.

- Redaction is per job: B's odd "keys" (`", "`, "HTTP Request", "HTTP/1.0") leave A's messages,
  sidecars and log lines as they were, while A's own key is masked in all of A's texts.
- A visitor-key job found unfinished at start-up waits for its owner's key (an emulator behind
  a recorder shows no request at all, and none ever with the server's key), resumes when the
  owner offers it, and fails with a sentence when the wait runs out, also across restarts.
- The blob a browser keeps for "remember my keys" opens with nothing found in /config, the page
  or the API description (BrowserState's own secret included), and opens on the server.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import emulators.testing
from core.config import Settings
from core.events import Cancelled, Event, Failed, Running, Succeeded
from core.jobs import WAITING_FOR_KEY_MESSAGE, JobManager
from core.key_vault import KeyVault
from core.keys import MIN_KEY_CHARS, key_problem, usable_key
from core.messages import msg
from core.provider import Artifact, JobContext, TaskHandle, TaskState, TaskStatus
from core.redact import MASK, RedactingFilter, Redactor
from core.requests import Capability, StudioRequest, TextToMusicRequest
from core.store import JobStore
from emulators.state import EmulatorKeys
from emulators.testing import EmulatorServer
from providers import imgopen
from tabs import settings as settings_tab
from tabs.keys import key_name
from tests.adapter_fixtures import make_settings
from tests.local_http import Script, serve
from tests.private_events import call_fn, outputs
from tests.studio_server import RunningStudio, launch_studio

log = logging.getLogger("tests.key_safety")

A_KEY = "canary-A-7f3a9c21"
# The JSON-breaker from the issue: the four characters `", "`.
JSON_BREAKER = '", "'
NOTE = 'a, b; "x", "y", an HTTP Request over HTTP/1.0'
KEY_FIELD = "TALK_KEY"
REQUEST = TextToMusicRequest(prompt="calm piano", seconds=5, seed=5)

VISITOR_ID = "visitor-imgopen-id-4d1f"
VISITOR_SECRET = "visitor-imgopen-secret-90ab"
SERVER_ID = "server-imgopen-id-SHOULD-NOT-TRAVEL"
SERVER_SECRET = "server-imgopen-secret-SHOULD-NOT-TRAVEL"
VISITOR_CREDENTIALS = {
    "IMGOPEN_ACCESS_KEY_ID": SecretStr(VISITOR_ID),
    "IMGOPEN_ACCESS_KEY_SECRET": SecretStr(VISITOR_SECRET),
}
BROWSER_SECRET = "browser-secret-kept-on-the-server-5b7e0c1d9a"


# ---------------------------------------------------------------------------- the key rule
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (JSON_BREAKER, "short"),
        (", ", "short"),
        ("short", "short"),
        ("-------- ,,,,", "no_letters"),
        ("        ", "no_letters"),
        ("HTTP Request", "spaces"),
        ("sk-live 1234567", "spaces"),
        ("HTTP/1.1", None),
        (A_KEY, None),
    ],
)
def test_the_key_rule(value: str, problem: str | None) -> None:
    assert key_problem(value) == problem
    assert usable_key(value) is (problem is None)
    assert key_problem("k" * (MIN_KEY_CHARS - 1)) == "short"
    assert key_problem("k" * MIN_KEY_CHARS) is None


def test_the_redactor_never_takes_a_refused_key() -> None:
    redactor = Redactor()
    redactor.add([JSON_BREAKER, "HTTP Request", "short", SecretStr("-------- ,,,,"), None])
    text = 'HTTP Request: POST http://x/a, b "HTTP/1.1 200 OK" ["a", "b"]'
    assert redactor.scrub(text) == text
    assert redactor.scrub(text, [JSON_BREAKER, "HTTP Request"]) == text
    redactor.add([SecretStr(f"  {A_KEY}\n")])  # trimmed, as adapters send it
    assert redactor.scrub(f"key={A_KEY}") == f"key={MASK}"
    data = {NOTE: [f"x {A_KEY}", 3, None], "n": 1.5}
    assert redactor.scrub_data(data, [JSON_BREAKER]) == {NOTE: [f"x {MASK}", 3, None], "n": 1.5}


def test_settings_say_which_mode_is_on() -> None:
    public = SimpleNamespace(settings=Settings(_env_file=None, studio_public=True))  # type: ignore[call-arg]
    private = SimpleNamespace(settings=Settings(_env_file=None))  # type: ignore[call-arg]
    assert settings_tab.mode_key(public) == "set_mode_public"  # type: ignore[arg-type]
    assert settings_tab.mode_key(private) == "set_mode_private"  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- two visitors
class TalkativeProvider:
    """A provider that makes a real HTTP call per status (httpx logs it inside the job's task),
    logs its key carelessly, and echoes it into its error or its result's metadata."""

    name = "talkative"
    label = "Talkative"
    capabilities: frozenset[Capability] = frozenset({"text_to_music"})
    resubmit_safe = False
    credential_fields = (KEY_FIELD,)

    def __init__(self, base_url: str, *, fail: bool) -> None:
        self.base_url = base_url
        self.fail = fail

    @staticmethod
    def _key(ctx: JobContext) -> str:
        key = ctx.credential(KEY_FIELD)
        assert key is not None
        return key.get_secret_value()

    def check(self, request: StudioRequest) -> None:
        return None

    async def submit(self, ctx: JobContext, request: StudioRequest) -> TaskHandle:
        log.info("creating a task for job %s with key %s", ctx.job_id, self._key(ctx))
        return TaskHandle(task_id=f"task-{ctx.job_id}")

    async def status(self, ctx: JobContext, handle: TaskHandle) -> TaskStatus:
        async with httpx.AsyncClient(timeout=10) as client:
            await client.get(f"{self.base_url}/status/{ctx.job_id}")
        key = self._key(ctx)
        if self.fail:
            return TaskStatus(state=TaskState.FAILED, error=f"Refused {key}: {NOTE}")
        path = ctx.work_dir / "song.wav"
        path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt ")
        metadata = {"note": NOTE, "echo": f"key={key}", "list": [NOTE, key], NOTE: key}
        artifact = Artifact(kind="audio", name="song.wav", path=path, metadata=metadata)
        return TaskStatus(state=TaskState.SUCCEEDED, outputs=[artifact])

    async def cancel(self, ctx: JobContext, handle: TaskHandle) -> None:
        return None

    def poll_delay(self, elapsed_s: float, eta_s: float | None = None) -> float:
        return 0.01

    async def aclose(self) -> None:
        return None


class Lines(logging.Handler):
    """What a server log would hold: every record after the app's redacting filter."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__(logging.INFO)
        self.addFilter(RedactingFilter(redactor))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(studio_data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def store(settings: Settings) -> Iterator[JobStore]:
    store = JobStore(settings.db_path)
    yield store
    store.close()


@pytest.fixture
def server_log() -> Iterator[Callable[[Redactor], Lines]]:
    made: list[Lines] = []
    levels = {name: logging.getLogger(name).level for name in ("httpx", log.name)}

    def attach(redactor: Redactor) -> Lines:
        handler = Lines(redactor)
        logging.getLogger().addHandler(handler)
        made.append(handler)
        return handler

    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        yield attach
    finally:
        for handler in made:
            logging.getLogger().removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


def sidecar_of(event: Event) -> dict[str, Any]:
    assert isinstance(event, Succeeded), event
    path = event.outputs[0].path
    return json.loads(path.with_name(path.name + ".json").read_text("utf-8"))


@pytest.mark.parametrize("b_key", [JSON_BREAKER, "HTTP Request", "HTTP/1.0", '{"job_id"'])
async def test_one_visitors_key_changes_nothing_in_anothers_job(
    settings: Settings,
    store: JobStore,
    server_log: Callable[[Redactor], Lines],
    b_key: str,
) -> None:
    """B's value got past the Settings check (it cannot: the rule refuses the first two).
    "HTTP/1.0" is a valid key that a process-wide redactor would mask in every log line, and
    `{"job_id"` a valid one that masking the serialized sidecar would turn into broken JSON."""
    redactor = Redactor()
    redactor.add(["server-own-key-0123456789"])
    lines = server_log(redactor)
    with serve(Script()) as base:
        providers = {
            "a_fail": TalkativeProvider(base, fail=True),
            "a_ok": TalkativeProvider(base, fail=False),
            "b_fail": TalkativeProvider(base, fail=True),
            "b_ok": TalkativeProvider(base, fail=False),
        }
        jobs = JobManager(store, settings, lambda _name: None, redactor=redactor)
        try:
            ids = {
                name: jobs.submit(
                    provider,
                    REQUEST,
                    credentials={KEY_FIELD: SecretStr(A_KEY if name[0] == "a" else b_key)},
                    owner=f"anon:{name[0]}",
                )
                for name, provider in providers.items()
            }
            ends = {
                name: (await asyncio.wait_for(collect(jobs.events(job_id)), 20))[-1]
                for name, job_id in ids.items()
            }
        finally:
            jobs.close()

    # A's texts: A's key masked, everything else exactly as the provider wrote it.
    assert ends["a_fail"] == Failed(message=f"Refused {MASK}: {NOTE}", retryable=False)
    record = store.get(ids["a_fail"])
    assert record is not None
    assert record.message == f"Refused {MASK}: {NOTE}"
    assert sidecar_of(ends["a_ok"])["note"] == NOTE
    assert sidecar_of(ends["a_ok"])["echo"] == f"key={MASK}"
    assert sidecar_of(ends["a_ok"])["list"] == [NOTE, MASK]
    assert sidecar_of(ends["a_ok"])[NOTE] == MASK
    assert sidecar_of(ends["a_ok"])["params"]["prompt"] == "calm piano"
    # B's sidecar is valid JSON too, whatever B's key looks like.
    assert sidecar_of(ends["b_ok"])["note"] in (NOTE, NOTE.replace(b_key, MASK))

    a_lines = [line for line in lines.lines if ids["a_fail"] in line or ids["a_ok"] in line]
    a_http = [line for line in a_lines if line.startswith("HTTP Request: GET ")]
    assert len(a_http) >= 2, lines.lines
    for line in a_http:
        assert re.fullmatch(
            r'HTTP Request: GET http://127\.0\.0\.1:\d+/status/\w+ "HTTP/1\.0 404 Not Found"', line
        ), line
    for name in ("a_fail", "a_ok"):
        assert f"creating a task for job {ids[name]} with key {MASK}" in a_lines
    # A's key is in no line at all, and in none of B's texts.
    assert not [line for line in lines.lines if A_KEY in line]
    for name in ("b_fail", "b_ok"):
        assert A_KEY not in json.dumps(ends[name].model_dump(mode="json"))
    assert A_KEY not in json.dumps(sidecar_of(ends["b_ok"]))
    assert A_KEY.encode() not in settings.db_path.read_bytes()
    # B's own key, when it is one the rule accepts, is masked in B's texts.
    if usable_key(b_key):
        b_line = f"creating a task for job {ids['b_ok']} with key {MASK}"
        assert b_line in lines.lines
        assert sidecar_of(ends["b_ok"])["echo"] == f"key={MASK}"


# ---------------------------------------------------------------------------- resume waits
class Recorder:
    """ASGI middleware in front of the emulators: every request's path, headers and body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = [scope["method"], scope["path"], scope["query_string"].decode("latin-1")]
        head += [f"{k.decode('latin-1')}: {v.decode('latin-1')}" for k, v in scope["headers"]]
        index = len(self.requests)
        self.requests.append("\n".join(head))

        async def recording_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.requests[index] += "\n" + message.get("body", b"").decode("latin-1")
            return message

        await self.app(scope, recording_receive, send)

    def carrying(self, *values: str) -> list[str]:
        return [r for r in self.requests if any(value in r for value in values)]


@pytest.fixture
def recorded_emulator(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[EmulatorServer, Recorder]]:
    recorders: list[Recorder] = []
    build = emulators.testing.build_app

    def recorded(state: Any) -> Recorder:
        recorder = Recorder(build(state))
        recorders.append(recorder)
        return recorder

    monkeypatch.setattr(emulators.testing, "build_app", recorded)
    with EmulatorServer(task_seconds=2.0) as emu:
        # The emulator accepts the visitor's keys only: a call with the server's would fail.
        emu.state.keys = EmulatorKeys(
            imgopen_access_key_id=VISITOR_ID, imgopen_access_key_secret=VISITOR_SECRET
        )
        yield emu, recorders[0]


def server_settings(emu: EmulatorServer, tmp_path: Path, **overrides: Any) -> Settings:
    return make_settings(
        emu,
        tmp_path / "data",
        imgopen_access_key_id=SERVER_ID,
        imgopen_access_key_secret=SERVER_SECRET,
        **overrides,
    )


def wait_until(what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def settled_call_count(emu: EmulatorServer, quiet_s: float = 0.5) -> int:
    """The emulator's call count once it has stopped changing.

    A stopped manager cancels its poll on the client side, but a status call already sent
    still reaches the emulator and is logged after the stop (seen in a clean-clone CI run).
    """
    count = len(emu.state.calls.all())
    quiet_until = time.monotonic() + quiet_s
    while time.monotonic() < quiet_until:
        time.sleep(0.02)
        now = len(emu.state.calls.all())
        if now != count:
            count, quiet_until = now, time.monotonic() + quiet_s
    return count


def manager_for(settings: Settings, store: JobStore) -> tuple[JobManager, Any]:
    provider = imgopen.create(settings)
    return JobManager(store, settings, {provider.name: provider}.get), provider


def start_visitor_job(settings: Settings, store: JobStore, owner: str) -> str:
    """A visitor-key Img Open job whose task exists on the emulator, left unfinished by a stop."""
    jobs, provider = manager_for(settings, store)
    try:
        job_id = jobs.submit(provider, REQUEST, credentials=VISITOR_CREDENTIALS, owner=owner)
        wait_until("the task id in the store", lambda: (r := store.get(job_id)) and r.task)
    finally:
        jobs.close()
    return job_id


async def test_a_resumed_visitor_job_waits_for_its_owner_and_never_uses_server_keys(
    recorded_emulator: tuple[EmulatorServer, Recorder], tmp_path: Path
) -> None:
    emu, recorder = recorded_emulator
    settings = server_settings(emu, tmp_path)
    store = JobStore(settings.db_path)
    try:
        job_id = start_visitor_job(settings, store, "anon:alice")
        assert recorder.carrying(VISITOR_ID), "the recorder saw the visitor's create call"
        calls_at_stop = settled_call_count(emu)

        jobs, _ = manager_for(settings, store)  # the restart
        try:
            assert jobs.resume_unfinished() == [job_id]
            record = store.get(job_id)
            assert record is not None
            assert record.state == "running"
            assert record.message == str(WAITING_FOR_KEY_MESSAGE)
            assert record.message_text == WAITING_FOR_KEY_MESSAGE
            assert record.waiting_since is not None
            latest = jobs.latest(job_id)
            assert isinstance(latest, Running)
            assert latest.message == WAITING_FOR_KEY_MESSAGE
            # Nothing goes to the provider while the job waits (a generous look).
            await asyncio.sleep(1.5)
            assert len(emu.state.calls.all()) == calls_at_stop

            # Someone else's keys, or the owner's with a key missing, start nothing.
            assert jobs.offer_keys("anon:mallory", VISITOR_CREDENTIALS) == []
            assert jobs.offer_keys("", VISITOR_CREDENTIALS) == []
            partial = {"IMGOPEN_ACCESS_KEY_ID": VISITOR_CREDENTIALS["IMGOPEN_ACCESS_KEY_ID"]}
            assert jobs.offer_keys("anon:alice", partial) == []
            assert jobs.offer_keys("anon:alice", VISITOR_CREDENTIALS) == [job_id]
            assert jobs.offer_keys("anon:alice", VISITOR_CREDENTIALS) == []  # idempotent
            events = await asyncio.wait_for(collect(jobs.events(job_id)), 30)
        finally:
            jobs.close()
        assert isinstance(events[-1], Succeeded), events[-1]
        final = store.get(job_id)
        assert final is not None
        assert final.state == "succeeded"
        assert final.waiting_since is None
        assert len(emu.state.calls.all()) > calls_at_stop  # it did poll, with the visitor's key
        assert emu.state.calls.count("imgopen", "POST", "*/vocal/text2music") == 1
    finally:
        store.close()
    assert recorder.requests
    assert recorder.carrying(SERVER_ID, SERVER_SECRET) == []


async def test_a_visitor_job_whose_owner_never_returns_fails_saying_why(
    recorded_emulator: tuple[EmulatorServer, Recorder], tmp_path: Path
) -> None:
    emu, recorder = recorded_emulator
    settings = server_settings(emu, tmp_path)
    expired = msg("job_key_wait_expired", hours="24")
    assert str(expired) == (
        "Your key was not offered again within 24 hours after the restart, so the job was "
        "stopped; its provider task may still finish on the provider's side."
    )
    store = JobStore(settings.db_path)
    try:
        at_start = start_visitor_job(settings, store, "anon:bob")
        while_up = start_visitor_job(settings, store, "anon:carol")
        survives = start_visitor_job(settings, store, "anon:dave")
        calls_at_stop = settled_call_count(emu)
        day = settings.studio_user_key_wait_hours * 3600
        store.set_waiting(at_start, time.time() - day - 60)  # ran out while the app was down
        store.set_waiting(while_up, time.time() - day + 3.0)  # runs out in a few seconds
        began = time.time() - 3600.0
        store.set_waiting(survives, began)

        jobs, _ = manager_for(settings, store)
        try:
            assert sorted(jobs.resume_unfinished()) == sorted([while_up, survives])
            gone = store.get(at_start)
            assert gone is not None
            assert gone.state == "failed"
            assert gone.message == str(expired)
            assert gone.message_text == expired
            events = await asyncio.wait_for(collect(jobs.events(while_up)), 30)
            assert events[-1] == Failed(message=expired, retryable=True)
            assert jobs.offer_keys("anon:carol", VISITOR_CREDENTIALS) == []  # too late
        finally:
            jobs.close()
        # A further restart keeps counting from when the wait began.
        waiting = store.get(survives)
        assert waiting is not None
        assert waiting.state == "running"
        assert waiting.waiting_since == pytest.approx(began)
        again, _ = manager_for(settings, store)
        try:
            assert again.resume_unfinished() == [survives]
            record = store.get(survives)
            assert record is not None
            assert record.waiting_since == pytest.approx(began)
        finally:
            again.close()
        # A visitor-key job that was stopped while waiting is cancelled without any call.
        third, _ = manager_for(settings, store)
        try:
            third.resume_unfinished()
            assert third.cancel(survives)
            stopped = await asyncio.wait_for(collect(third.events(survives)), 10)
            assert stopped[-1] == Cancelled()
        finally:
            third.close()
        assert len(emu.state.calls.all()) == calls_at_stop
    finally:
        store.close()
    assert recorder.carrying(SERVER_ID, SERVER_SECRET) == []


# ---------------------------------------------------------------------------- through the app
def settings_event(running: RunningStudio, name: str) -> int:
    """The Settings tab's own event `name` (the visitor registration has an on_load too)."""
    for index, block_fn in running.studio.demo.fns.items():
        if getattr(block_fn.fn, "__name__", None) != name:
            continue
        storage = [getattr(block, "storage_key", None) for block in block_fn.inputs]
        if name != "on_load" or settings_tab.BROWSER_STORAGE_KEY in storage:
            return int(index)
    raise KeyError(name)


def run_event(running: RunningStudio, name: str, data: list[Any], session: str) -> list[Any]:
    return outputs(call_fn(running.url, settings_event(running, name), data, session))


def save_data(running: RunningStudio, remember: bool, **typed: str) -> list[Any]:
    names = [field for _, field in settings_tab.key_fields(running.studio.services)]
    return [None, remember, *(typed.get(name, "") for name in names)]


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        try:
            inner = json.loads(value)
        except ValueError:
            return
        if not isinstance(inner, str):
            yield from strings_in(inner)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif value is not None:
        yield str(value)


def candidates(texts: list[str]) -> set[str]:
    """Every string a browser receives that could be taken for a key."""
    found: set[str] = set()
    for text in texts:
        try:
            found.update(strings_in(json.loads(text)))
        except ValueError:
            found.add(text)
        found.update(re.findall(r"[A-Za-z0-9_\-+/=.:~]{4,}", text))
        found.update(re.findall(r"\"([^\"]{1,200})\"", text))
        found.update(re.findall(r"'([^']{1,200})'", text))
    return {value for value in found if value.strip()}


def opens(candidate: str, blob: str) -> bool:
    """Whether `candidate`, used the ways a key could be, opens the blob."""
    if KeyVault(candidate).open(blob) is not None:
        return True
    token = blob.removeprefix("v1.").encode()
    keys = [hashlib.sha256(candidate.encode()).digest()]
    with contextlib.suppress(ValueError):
        keys.append(base64.urlsafe_b64decode(candidate.encode() + b"=="))
    for raw in keys:
        if len(raw) != 32:
            continue
        try:
            Fernet(base64.urlsafe_b64encode(raw)).decrypt(token)
        except InvalidToken:
            continue
        return True
    return False


def test_remembered_keys_resume_after_a_restart_and_open_only_on_the_server(
    recorded_emulator: tuple[EmulatorServer, Recorder], tmp_path: Path
) -> None:
    emu, recorder = recorded_emulator
    overrides = {
        "imgopen_base_url": f"{emu.base_url}/imgopen",
        "imgopen_access_key_id": SERVER_ID,
        "imgopen_access_key_secret": SERVER_SECRET,
        "studio_browser_secret": BROWSER_SECRET,
    }
    data = tmp_path / "data"
    keys = {"IMGOPEN_ACCESS_KEY_ID": VISITOR_ID, "IMGOPEN_ACCESS_KEY_SECRET": VISITOR_SECRET}
    alice, bob, mallory = (secrets.token_hex(8) for _ in range(3))

    first = launch_studio(data, **overrides)
    try:
        # Alice saves her keys and asks this browser to remember them.
        saved = run_event(first, "on_save", save_data(first, True, **keys), alice)
        blob = saved[1]
        services = first.studio.services
        provider = services.registry.get("imgopen")
        assert provider is not None
        ids = [
            services.jobs.submit(
                provider,
                REQUEST,
                credentials=VISITOR_CREDENTIALS,
                owner=f"session:{session}",
            )
            for session in (alice, bob)
        ]
        store = services.store
        wait_until("both tasks created", lambda: all(store.get(i).task for i in ids))  # type: ignore[union-attr]
    finally:
        first.close()

    second = launch_studio(data, **overrides)
    try:
        store = second.studio.services.store
        for job_id in ids:
            record = store.get(job_id)
            assert record is not None
            assert record.message_text == WAITING_FOR_KEY_MESSAGE
        # Mallory types the odd values: refused by name, and nothing resumes.
        refused = run_event(
            second,
            "on_save",
            save_data(
                second,
                False,
                IMGOPEN_ACCESS_KEY_ID=JSON_BREAKER,
                IMGOPEN_ACCESS_KEY_SECRET="HTTP Request",
            ),
            mallory,
        )
        for env_name in ("IMGOPEN_ACCESS_KEY_ID", "IMGOPEN_ACCESS_KEY_SECRET"):
            assert f"{key_name(env_name, 'en')} was not saved" in refused[2], refused[2]
        # Alice comes back: the page load opens her blob and resumes her job.
        loaded = run_event(second, "on_load", [blob], alice)
        assert loaded[1] == {"__type__": "update"}  # the blob stays as it is
        assert "running again" in loaded[3]
        # Bob types his keys again: Save resumes his.
        again = run_event(second, "on_save", save_data(second, False, **keys), bob)
        assert "running again" in again[2]
        for job_id in ids:
            wait_until("the resumed job to end", lambda j=job_id: store.get(j).finished)  # type: ignore[union-attr]
            record = store.get(job_id)
            assert record is not None
            assert record.state == "succeeded", record.message
            sidecar = record.outputs[0].path.with_name(record.outputs[0].path.name + ".json")
            assert json.loads(sidecar.read_text("utf-8"))["job_id"] == job_id

        # Nothing the browser receives opens the blob.
        texts = [
            httpx.get(f"{second.url}/config", timeout=10).text,
            httpx.get(f"{second.url}/", timeout=10).text,
            httpx.get(f"{second.url}/gradio_api/info", timeout=10).text,
        ]
        config = json.loads(texts[0])
        stores = [c["props"] for c in config["components"] if c["type"] == "browserstate"]
        own_secrets = [s["secret"] for s in stores]
        assert settings_tab.BROWSER_STATE_OBFUSCATION in own_secrets
        found = candidates(texts) | set(own_secrets)
        assert len(found) > 200, len(found)
        assert BROWSER_SECRET not in "".join(texts)
        assert not [c for c in found if opens(c, blob)]
        assert KeyVault(BROWSER_SECRET).open(blob) == keys
        assert VISITOR_SECRET not in blob
    finally:
        second.close()
    assert recorder.carrying(VISITOR_ID)
    assert recorder.carrying(SERVER_ID, SERVER_SECRET) == []
