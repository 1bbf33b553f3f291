"""Transcripts: masking, body shaping, the recording client, the inspector view, the replay."""

from __future__ import annotations

import asyncio
import json
import zipfile
from pathlib import Path

import httpx
import pytest

from core.events import Output
from core.fetch import FetchPolicy
from core.http import send_with_retry
from core.media import download
from core.recording import (
    RecordingClient,
    TranscriptRecorder,
    flush_recorder,
    noted,
    use_recorder,
)
from core.redact import Redactor
from core.store import JobRecord
from core.transcript import (
    BODY_LIMIT,
    KEEP_FIRST,
    KEEP_LAST,
    PARSE_LIMIT,
    TRANSCRIPT_NAME,
    Body,
    Exchange,
    Transcript,
    keep_window,
    mask_headers,
    mask_named,
    mask_url,
    read_transcript,
    shape_body,
    write_transcript,
)
from emulators.replay import Replay
from tabs.run_card import transcript_markdown, zip_outputs
from tests.local_http import Answer, Script, serve

CANARY = "canary-TRANSCRIPT-key-9d1e"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def scrub(value: object) -> object:
    return Redactor().scrub_data(value, (CANARY,))


# ------------------------------------------------------------------------------ masking
def test_fields_named_like_secrets_are_masked_and_keep_their_shape() -> None:
    value = {
        "secretKey": CANARY,
        "api_keys": [CANARY, {"deep": 1}],
        "auth": {"refresh_token": "abc", "ok": True},
        "prompt": "a fox",
        "list": [{"password": "p"}],
    }
    masked = mask_named(value)
    assert masked["secretKey"] == "***"
    assert masked["api_keys"] == ["***", {"deep": "***"}]
    assert masked["auth"] == {"refresh_token": "***", "ok": True}
    assert masked["prompt"] == "a fox"
    assert masked["list"] == [{"password": "***"}]


def test_urls_and_headers_are_masked_by_name_and_by_value() -> None:
    url = f"https://cdn.example/a/{CANARY}/x.mp4?Expires=1&Key-Pair-Id=abc&q={CANARY}"
    shown = mask_url(url, scrub)
    assert CANARY not in shown
    assert "Expires=1" in shown
    assert "Key-Pair-Id=%2A%2A%2A" in shown or "Key-Pair-Id=***" in shown
    headers = mask_headers(
        [
            ("Authorization", f"Bearer {CANARY}"),
            ("X-Trace", f"id {CANARY}"),
            ("Set-Cookie", "session=1"),
            ("Accept", "a"),
            ("Accept", "b"),
        ],
        scrub,
    )
    assert headers == {
        "authorization": "***",
        "x-trace": "id ***",
        "set-cookie": "***",
        "accept": "a, b",
    }


# ------------------------------------------------------------------------------ bodies
def test_a_json_body_is_kept_masked_and_a_large_one_is_cut_with_its_size() -> None:
    small = json.dumps({"secretId": "x", "echo": CANARY, "n": 1}).encode()
    body = shape_body(small, "application/json", scrub)
    assert body.data == {"secretId": "***", "echo": "***", "n": 1}
    assert body.size == len(small)
    large = json.dumps({"items": ["é" * 100] * 200, "key": CANARY}).encode()
    cut = shape_body(large, "application/json", scrub)
    assert cut.cut
    assert cut.data is None
    assert cut.text is not None
    assert len(cut.text) == BODY_LIMIT
    assert cut.size == len(large)
    assert CANARY not in cut.text
    whole = shape_body(large, "application/json", scrub, limit=None)
    assert not whole.cut
    assert whole.data["key"] == "***"


def test_binary_text_and_partial_bodies() -> None:
    binary = shape_body(PNG, "image/png", scrub)
    assert binary.binary
    assert binary.text is None
    assert binary.size == len(PNG)
    text = shape_body(f"error: {CANARY}".encode(), "text/plain", scrub)
    assert text.text == "error: ***"
    # The beginning of a streamed answer, cut inside a two-byte character: still text.
    head = ("data: {}\n\n" + "é" * 10).encode()[:-1]
    partial = shape_body(head, "text/event-stream", scrub, complete=False, size=5000)
    assert partial.cut
    assert partial.size == 5000
    assert partial.text is not None
    assert partial.text.startswith("data: {}")
    assert shape_body(b"", "", scrub) == Body()


# ------------------------------------------------------------------------------ the file
def test_a_long_job_keeps_its_first_and_latest_calls(tmp_path: Path) -> None:
    calls = [
        Exchange(n=n, at=float(n), ms=1.0, method="GET", url="http://x/") for n in range(1, 401)
    ]
    kept = keep_window(list(reversed(calls)))
    assert len(kept) == KEEP_FIRST + KEEP_LAST
    assert [e.n for e in kept[:2]] == [1, 2]
    assert kept[-1].n == 400
    assert kept[KEEP_FIRST].n == 400 - KEEP_LAST + 1
    transcript = Transcript(job_id="j", provider="p", capability="c", total=400, exchanges=kept)
    path = tmp_path / TRANSCRIPT_NAME
    write_transcript(path, transcript)
    assert read_transcript(path) == transcript
    assert json.loads(path.read_text())["version"] == 1
    assert read_transcript(tmp_path / "missing.json") is None
    path.write_text("{not json")
    assert read_transcript(path) is None


# ------------------------------------------------------------------------------ recording
def _recorder(tmp_path: Path, fixture: bool = False) -> TranscriptRecorder:
    head = Transcript(job_id="job-1", provider="suno", capability="extend_music")
    return TranscriptRecorder(
        tmp_path / "out" / TRANSCRIPT_NAME, head, scrub, tmp_path / "fixture" if fixture else None
    )


async def test_the_client_records_each_exchange_of_the_job_sending_it(tmp_path: Path) -> None:
    script = Script(
        answers={
            "/status?id=1": [
                Answer(status=503, times=1),
                Answer(body=json.dumps({"state": "done", "echo": CANARY}).encode(),
                       headers={"Content-Type": "application/json"}),
            ],
            "/file.png": [Answer(body=PNG, headers={"Content-Type": "image/png"})],
        }
    )  # fmt: skip
    recorder = _recorder(tmp_path, fixture=True)
    with serve(script) as base:
        async with RecordingClient(role="call") as client:
            await client.get(f"{base}/outside")  # outside any job: not recorded

            async def job() -> None:
                use_recorder(recorder)
                headers = {"Authorization": f"Bearer {CANARY}"}
                await send_with_retry(
                    client, "GET", f"{base}/status?id=1", headers=headers, sleep=_no_wait
                )
                with noted(role="create"):
                    await client.get(f"{base}/missing")
                policy = FetchPolicy(allow_private=True, max_bytes=1_000_000)
                await download(client, f"{base}/file.png", tmp_path / "got", "r.png", "image",
                               policy=policy)  # fmt: skip
                flush_recorder()  # as the job manager does at the job's end

            await asyncio.create_task(job())
    saved = read_transcript(tmp_path / "out" / TRANSCRIPT_NAME)
    assert saved is not None
    assert saved.total == 4
    assert [(e.n, e.status, e.attempt, e.role) for e in saved.exchanges] == [
        (1, 503, 1, "call"),
        (2, 200, 2, "call"),
        (3, 404, 1, "create"),
        (4, 200, 1, "call"),
    ]
    assert saved.exchanges[1].response_body is not None
    assert saved.exchanges[1].response_body.data == {"state": "done", "echo": "***"}
    assert saved.exchanges[1].request_headers["authorization"] == "***"
    # The guarded fetcher connects to the checked address and names the host in Host.
    assert saved.exchanges[3].url == f"{base}/file.png"
    assert saved.exchanges[3].response_body is not None
    assert saved.exchanges[3].response_body.binary
    assert saved.exchanges[3].response_body.size == len(PNG)
    assert CANARY not in (tmp_path / "out" / TRANSCRIPT_NAME).read_text()
    # The fixture keeps the file's bytes beside it.
    fixture = read_transcript(tmp_path / "fixture" / TRANSCRIPT_NAME)
    assert fixture is not None
    kept = fixture.exchanges[3].response_body
    assert kept is not None
    assert kept.file is not None
    assert (tmp_path / "fixture" / kept.file).read_bytes() == PNG


async def test_a_large_answer_is_masked_by_name_before_it_is_cut(tmp_path: Path) -> None:
    """Over the kept 4 KiB, an answer is still read whole to mask its secret-named fields; one
    too large to read whole keeps its size only."""
    padding = "x" * (2 * BODY_LIMIT)
    large = json.dumps({"data": {"upload_token": "tok-not-a-known-key", "pad": padding}})
    huge = json.dumps({"upload_token": "tok-not-a-known-key", "pad": "x" * PARSE_LIMIT})
    json_headers = {"Content-Type": "application/json"}
    script = Script(
        answers={
            "/large": [Answer(body=large.encode(), headers=json_headers)],
            "/huge": [Answer(body=huge.encode(), headers=json_headers)],
        }
    )
    recorder = _recorder(tmp_path)
    with serve(script) as base:
        async with RecordingClient(role="call") as client:

            async def job() -> None:
                use_recorder(recorder)
                await client.get(f"{base}/large")
                await client.get(f"{base}/huge")
                flush_recorder()

            await asyncio.create_task(job())
    text = (tmp_path / "out" / TRANSCRIPT_NAME).read_text()
    assert "tok-not-a-known-key" not in text
    saved = read_transcript(tmp_path / "out" / TRANSCRIPT_NAME)
    assert saved is not None
    kept, too_large = (e.response_body for e in saved.exchanges)
    assert kept is not None
    assert kept.cut
    assert kept.text is not None
    assert len(kept.text) == BODY_LIMIT
    assert '"upload_token": "***"' in kept.text
    assert too_large is not None
    assert (too_large.cut, too_large.text, too_large.size) == (True, None, len(huge))


async def test_status_calls_in_a_burst_are_written_once_then_at_the_end(tmp_path: Path) -> None:
    """The writes run on the loop all jobs share: a poll does not rewrite the file each time."""
    script = Script(answers={"/status": [Answer(body=b"{}")]})
    recorder = _recorder(tmp_path)
    path = tmp_path / "out" / TRANSCRIPT_NAME
    counts: list[int] = []
    with serve(script) as base:
        async with RecordingClient(role="call") as client:

            async def job() -> None:
                use_recorder(recorder)
                for _ in range(5):
                    await client.get(f"{base}/status")
                    saved = read_transcript(path)
                    counts.append(saved.total if saved is not None else 0)
                flush_recorder()

            await asyncio.create_task(job())
    assert counts == [1, 1, 1, 1, 1]  # the first at once, the rest within WRITE_EVERY_S
    saved = read_transcript(path)
    assert saved is not None
    assert saved.total == 5


async def test_a_call_that_gets_no_answer_is_recorded_with_its_error(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)

    async def job() -> None:
        use_recorder(recorder)
        async with RecordingClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get("http://127.0.0.1:9/never")  # nothing listens on port 9

    await asyncio.create_task(job())
    saved = read_transcript(tmp_path / "out" / TRANSCRIPT_NAME)
    assert saved is not None
    assert saved.exchanges[0].status is None
    assert saved.exchanges[0].error == "ConnectError"


async def _no_wait(_seconds: float) -> None:
    return None


# ------------------------------------------------------------------------------ the view
def _record(
    tmp_path: Path, provider: str = "suno", outputs: list[Output] | None = None
) -> JobRecord:
    return JobRecord(
        id="job-1",
        capability="extend_music",
        provider=provider,
        params={},
        state="failed",
        outputs=outputs or [],
        output_dir=tmp_path,
        created_at=0.0,
        updated_at=0.0,
    )


def test_the_inspector_lists_each_call_and_folds_its_bodies(tmp_path: Path) -> None:
    tricky = "```\n</details><script>alert(1)</script>"
    exchanges = [
        Exchange(
            n=n, at=100.0 + n, ms=12.3, method="POST", url=f"https://api.example/x?<b>={n}",
            status=200 if n != 2 else None, error="ReadTimeout" if n == 2 else None,
            role="create" if n == 1 else "call", attempt=2 if n == 3 else 1,
            response_body=Body(size=40, data={"said": tricky}) if n != 2 else None,
        )
        for n in (1, 2, 3, 60)
    ]  # fmt: skip
    write_transcript(
        tmp_path / TRANSCRIPT_NAME,
        Transcript(job_id="job-1", provider="suno", capability="extend_music", total=60,
                   exchanges=exchanges),
    )  # fmt: skip
    card = transcript_markdown(_record(tmp_path))
    assert "**Provider calls** (60," in card
    assert card.count("<details>") == 4
    assert "#1 · <b>POST</b> https://api.example/x → <b>200</b>" in card
    assert "create (sent once)" in card
    assert "no answer (ReadTimeout)" in card
    assert "try 2" in card
    assert "+2.0 s" in card
    assert "⋯ 56 calls in between are not shown" in card
    assert "````json" in card  # a fence longer than the answer's own backticks
    assert "与提供方的通信" in transcript_markdown(_record(tmp_path), "zh")


def test_jobs_without_a_transcript(tmp_path: Path) -> None:
    assert transcript_markdown(_record(tmp_path, "offline")) == ""
    assert "No record of this job's provider calls" in transcript_markdown(_record(tmp_path))


def test_download_all_holds_the_transcript_even_of_a_job_without_files(tmp_path: Path) -> None:
    assert zip_outputs(_record(tmp_path)) is None
    write_transcript(
        tmp_path / TRANSCRIPT_NAME, Transcript(job_id="job-1", provider="suno", capability="c")
    )
    archive = zip_outputs(_record(tmp_path))
    assert archive is not None
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == [TRANSCRIPT_NAME]


# ------------------------------------------------------------------------------ replay
def test_the_replay_hands_out_answers_in_order_and_repeats_the_last(tmp_path: Path) -> None:
    api, bare, cdn = "http://127.0.0.1:8080", "http://127.0.0.1", "https://cdn.example"

    def answer(n: int, url: str, body: Body) -> Exchange:
        return Exchange(n=n, at=0.0, ms=1.0, method="GET", url=url, status=200, response_body=body)

    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodies" / "5.bin").write_bytes(PNG)
    fixture = Transcript(
        job_id="j", provider="suno", capability="extend_music",
        addresses={"SUNO_BASE_URL": f"{api}/suno"},
        exchanges=[
            answer(1, f"{api}/suno/task?id=1", Body(data={"state": "running"})),
            Exchange(n=2, at=0.0, ms=1.0, method="GET", url=f"{api}/suno/task", error="ReadTimeout"),
            answer(3, f"{api}/suno/task?id=1", Body(data={"state": "done", "url": f"{cdn}/a.png"})),
            answer(4, f"{bare}/other", Body(data={})),
            answer(5, f"{cdn}/a.png", Body(binary=True, file="bodies/5.bin")),
        ],
    )  # fmt: skip
    replay = Replay(fixture, tmp_path, "http://127.0.0.1:9999")
    assert replay.origins == [api, bare, cdn]
    assert replay.env()["SUNO_BASE_URL"] == "http://127.0.0.1:9999/o0/suno"
    assert replay.env()["SUNO_API_KEY"]
    # An origin is replaced only where it ends: http://127.0.0.1 is not http://127.0.0.1:8080.
    assert replay.replay_url(f"{api}/x {bare}/y") == (
        "http://127.0.0.1:9999/o0/x http://127.0.0.1:9999/o1/y"
    )
    assert replay.replay_url("http://127.0.0.1:8081/z") == "http://127.0.0.1:8081/z"
    assert replay.recorded_url("http://127.0.0.1:9999/o2/a.png") == f"{cdn}/a.png"
    bodies = [json.loads(replay.answer("GET", "/o0/suno/task").body) for _ in range(3)]
    assert bodies == [
        {"state": "running"},
        {"state": "done", "url": "http://127.0.0.1:9999/o2/a.png"},
        {"state": "done", "url": "http://127.0.0.1:9999/o2/a.png"},
    ]
    assert replay.answer("GET", "/o2/a.png").body == PNG
    assert replay.answer("POST", "/o0/suno/task").status_code == 404
    assert replay.answer("GET", "/o7/suno/task").status_code == 404
    assert replay.unserved() == ["GET /o1/other #1"]
