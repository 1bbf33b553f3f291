"""Provider callbacks against the launched app (sandbox mode: the emulators call back for real).

A forged token, or a real one for a job the app never had, is refused (403) before anything
happens. A valid one answers what the provider counts as delivered and wakes the job's poller
at once; repeating it changes nothing but an extra status call.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client import handle_file

import providers.imgopen
import providers.suno
from core.callbacks import CallbackSigner
from core.store import JobRecord
from providers.declarations import Polling
from tests.studio_server import RunningStudio, sandbox_studio

STATUS_PATH = "*/queryTaskInfo"
SUNO_STATUS_PATH = "/api/v1/generate/record-info"
# Slow fixed schedules for the wake-up tests: a look between two of theirs can only come from
# a callback (the declared schedules look every 0.25 s at first).
IMGOPEN_POLL_S = 2.5
SUNO_POLL_S = 3.0


@pytest.fixture
def slow_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    # The adapters read their schedule at each look, so the running sandbox follows this.
    monkeypatch.setattr(providers.imgopen.ImgOpenProvider, "polling", Polling(IMGOPEN_POLL_S))
    monkeypatch.setattr(providers.suno.SunoProvider, "polling", Polling(SUNO_POLL_S))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    with sandbox_studio(tmp_path_factory.mktemp("callbacks")) as running:
        yield running


def signer_of(sandbox: RunningStudio) -> CallbackSigner:
    signer = sandbox.studio.services.jobs.callbacks
    assert signer is not None
    return signer


def state_of(sandbox: RunningStudio) -> Any:
    assert sandbox.studio.sandbox is not None
    return sandbox.studio.sandbox.state


def post(sandbox: RunningStudio, provider: str, token: str, body: Any = None) -> httpx.Response:
    return httpx.post(
        f"{sandbox.url}/callbacks/{provider}/{token}",
        json=body if body is not None else {"code": 200, "msg": "success"},
        timeout=10,
    )


def wait_for(what: str, check: Callable[[], Any], timeout: float, step: float = 0.01) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def new_job(sandbox: RunningStudio, capability: str, provider: str, known: set[str]) -> JobRecord:
    def find() -> JobRecord | None:
        for record in sandbox.studio.services.store.list(capability=capability, provider=provider):
            if record.id not in known and record.task is not None:
                return record
        return None

    return wait_for(f"a new {provider} job with a task", find, 30)


def job_ids(sandbox: RunningStudio) -> set[str]:
    return {record.id for record in sandbox.studio.services.store.list(limit=1000)}


def test_forged_tokens_are_refused(sandbox: RunningStudio, downloads: Path) -> None:
    # A real job, so that forgeries can name a job that exists.
    sandbox.client(downloads).predict(
        prompt="x", seconds=1, steps=10, provider="offline", api_name="/text_to_music"
    )
    job_id = next(iter(job_ids(sandbox)))
    real = signer_of(sandbox).token("imgopen", job_id)
    mac = real.rpartition(".")[2]
    other_secret = hmac.new(b"not-the-secret", job_id.encode(), hashlib.sha256).hexdigest()[:32]
    forgeries = [
        "garbage",
        f"{job_id}.{'0' * 32}",
        f"{job_id}.{other_secret}",
        f"{job_id}.{mac[:-1]}",  # truncated
        f"{job_id}.{mac[:-1]}{'0' if mac[-1] != '0' else '1'}",  # one digit off
        f"{job_id[:-1]}x.{mac}",  # the MAC of another job id
        f".{mac}",
        job_id,
    ]
    for provider in ("imgopen", "tencent", "suno"):
        for token in forgeries:
            response = post(sandbox, provider, token)
            assert response.status_code == 403, (provider, token, response.text)
            assert "code" in response.json()
    # The real token for the same job is accepted: the refusals above were about the MAC.
    assert post(sandbox, "imgopen", real).status_code == 200
    # ...on the path of the provider it was made for only.
    for provider in ("suno", "tencent", "vidu"):
        assert post(sandbox, provider, real).status_code == 403, provider


def test_a_valid_token_for_an_unknown_job_is_refused(sandbox: RunningStudio) -> None:
    signer = signer_of(sandbox)
    for _ in range(3):
        token = signer.token("imgopen", uuid.uuid4().hex)
        assert signer.job_for("imgopen", token) is not None  # well signed...
        response = post(sandbox, "imgopen", token)
        assert response.status_code == 403  # ...but no such job here
    assert job_ids(sandbox).isdisjoint({signer.job_for("imgopen", token)})


def test_a_callback_wakes_the_poller_and_repeats_are_harmless(
    sandbox: RunningStudio, downloads: Path, slow_polls: None
) -> None:
    state = state_of(sandbox)
    # Long enough that the emulator's own callback (at the end) comes well after ours.
    state.task_seconds = 5.0
    known = job_ids(sandbox)
    statuses_before = state.calls.count("imgopen", "POST", STATUS_PATH)
    job = sandbox.client(downloads).submit(
        prompt="wake me up",
        seconds=2,
        steps=10,
        seed=5,
        provider="imgopen",
        api_name="/text_to_music",
    )
    record = new_job(sandbox, "text_to_music", "imgopen", known)
    token = signer_of(sandbox).token("imgopen", record.id)

    def statuses() -> int:
        return state.calls.count("imgopen", "POST", STATUS_PATH) - statuses_before

    # Status calls at ~0 and 2.5 s, then the next only 2.5 s later.
    wait_for("the second status call", lambda: statuses() >= 2, 10)
    seen = statuses()
    posted = time.monotonic()
    response = post(sandbox, "imgopen", token, {"code": 200, "msg": "ok", "data": {}})
    assert response.status_code == 200
    assert response.json()["code"] == "200"  # Img Open counts only the string "200"
    wait_for("a status call after the callback", lambda: statuses() > seen, 5)
    woke_after = time.monotonic() - posted
    assert woke_after < 1.0, f"the poller looked {woke_after:.2f} s after the callback"

    # Repeats: each one answered, none does more than a status call.
    for _ in range(5):
        again = post(sandbox, "imgopen", token, {"code": 200})
        assert again.status_code == 200
        assert again.json()["code"] == "200"
    status, _preview, _result, _seed, files = job.result(timeout=30)
    assert "Done" in status
    assert len(files) == 1
    final = sandbox.studio.services.store.get(record.id)
    assert final is not None
    assert final.state == "succeeded"
    assert len(final.outputs) == 1
    ends = [e for e in sandbox.studio.services.store.events(record.id) if e.state == "succeeded"]
    assert len(ends) == 1
    assert state.calls.count("imgopen", "POST", "*/vocal/text2music") == len(
        [r for r in sandbox.studio.services.store.list(provider="imgopen")]
    )
    # A callback for the finished job is still answered and changes nothing.
    assert post(sandbox, "imgopen", token).status_code == 200
    after = sandbox.studio.services.store.get(record.id)
    assert after is not None
    assert after.outputs == final.outputs
    assert after.updated_at == final.updated_at
    # The emulator's own callback arrived too, and was accepted by Img Open's rule.
    real = [a for a in state.callbacks_sent if a.provider == "imgopen" and token in a.url]
    assert real, state.callbacks_sent
    assert all(a.status == 200 and a.ok for a in real)


def test_real_callbacks_wake_a_suno_job_between_its_polls(
    sandbox: RunningStudio, downloads: Path, tmp_path: Path, slow_polls: None
) -> None:
    state = state_of(sandbox)
    state.task_seconds = 0.5
    song = tmp_path / "song.wav"
    t = np.arange(44100 * 2) / 44100
    sf.write(song, (0.3 * np.sin(2 * np.pi * 262 * t)).astype(np.float32), 44100)
    known = job_ids(sandbox)
    polls_before = state.calls.count("suno", "GET", SUNO_STATUS_PATH)
    status, *_ = sandbox.client(downloads).predict(
        audio=handle_file(str(song)),
        upload_url="",
        prompt="and then the drums come in",
        style="",
        title="",
        negative_tags="",
        provider="suno",
        api_name="/extend_music",
    )
    assert "Done" in status
    record = new_job(sandbox, "extend_music", "suno", known)
    assert record.state == "succeeded"
    polls = state.calls.count("suno", "GET", SUNO_STATUS_PATH) - polls_before
    # On its own schedule the job asks Suno once, then every POLL_S (3 s): over the time from
    # its first status to its end it could make at most 1 + span / POLL_S calls. More calls
    # than that means callbacks woke the poller in between (a measure that holds however
    # slowly the emulator works on a busy machine).
    events = sandbox.studio.services.store.events(record.id)
    first_status = next(e.at for e in events if e.state == "running")
    done = next(e.at for e in events if e.state == "succeeded")
    on_schedule = 1 + int((done - first_status) / SUNO_POLL_S)
    assert polls > on_schedule, f"{polls} status calls in {done - first_status:.2f} s"
    token = signer_of(sandbox).token("suno", record.id)
    delivered = [a for a in state.callbacks_sent if a.provider == "suno" and token in a.url]
    kinds = [a.payload["data"]["callbackType"] for a in delivered]
    assert kinds.count("complete") >= 2, kinds  # Suno repeats it; the job ended once
    assert all(a.status == 200 and a.ok for a in delivered), delivered
    assert len(record.outputs) == 2
    ends = [e for e in sandbox.studio.services.store.events(record.id) if e.state == "succeeded"]
    assert len(ends) == 1
