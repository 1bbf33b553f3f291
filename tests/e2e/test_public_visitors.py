"""Public mode with several visitors: each visitor's jobs are their own.

Two gradio_client sessions (A and B), direct calls of History's private events as an attacker
would make them, an MCP session, visitor tokens in a header, and read-only share links.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.visitors import Visitor
from tests.e2e.test_mcp import mcp_session, texts
from tests.private_events import call_event, outputs
from tests.studio_server import RunningStudio, launch_studio

PROMPT = "calm piano in A minor, 80 bpm"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    running = launch_studio(tmp_path_factory.mktemp("public"), studio_public=True)
    try:
        yield running
    finally:
        running.close()


def _make_song(client: Any, prompt: str) -> None:
    client.predict(prompt=prompt, seconds=1, steps=10, cfg=3.0, seed=5, api_name="/text_to_music")


def _history(client: Any) -> list[dict[str, Any]]:
    return client.predict(
        "all", "all", "all", 100, 0, api_name="/history_list"
    )  # positional: capability, provider, state, limit, offset


@pytest.fixture(scope="module")
def a_job(public: RunningStudio, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A's finished job, and A's client (its own session)."""
    client = public.client(tmp_path_factory.mktemp("a-downloads"))
    prompt = f"{PROMPT} {uuid.uuid4().hex[:6]}"
    _make_song(client, prompt)
    (job,) = [row for row in _history(client) if row["params"]["prompt"] == prompt]
    return {"client": client, "id": job["id"], "prompt": prompt}


def test_public_mode_is_on(public: RunningStudio) -> None:
    assert public.settings.public_mode


def test_each_visitor_lists_only_their_own_jobs(
    public: RunningStudio, a_job: dict[str, Any], downloads: Path
) -> None:
    b = public.client(downloads)
    _make_song(b, "b's own song")
    b_rows = _history(b)
    assert [row["params"]["prompt"] for row in b_rows] == ["b's own song"]
    assert a_job["id"] not in {row["id"] for row in b_rows}
    a_rows = _history(a_job["client"])
    assert a_job["id"] in {row["id"] for row in a_rows}
    assert "b's own song" not in {row["params"]["prompt"] for row in a_rows}


def test_history_answers_show_no_server_path(public: RunningStudio, a_job: dict[str, Any]) -> None:
    text = json.dumps(_history(a_job["client"]))
    assert str(public.settings.studio_data_dir.resolve()) not in text
    assert str(public.settings.studio_data_dir) not in text


@pytest.mark.parametrize(
    ("event", "extra"),
    [
        ("show", []),
        ("cancel_chosen", []),
        ("load_settings", []),
        ("share_chosen", []),
        ("revoke_chosen", []),
        ("remove", [True, "all", "all", "all", 50]),
    ],
)
def test_another_visitor_calling_private_events_with_a_job_id_finds_no_job(
    public: RunningStudio, a_job: dict[str, Any], event: str, extra: list[Any]
) -> None:
    message = call_event(
        public.url, public.studio.demo, event, [a_job["id"], *extra], uuid.uuid4().hex[:11]
    )
    first = outputs(message)[0]
    shown = first if isinstance(first, str) else json.dumps(first)
    assert f"No job with id `{a_job['id']}`" in shown, shown
    record = public.studio.services.store.get(a_job["id"])
    assert record is not None
    assert record.state == "succeeded"
    assert all(output.path.is_file() for output in record.outputs)
    assert public.studio.services.store.shared_token(a_job["id"]) is None


def test_another_visitor_cannot_watch_a_job(public: RunningStudio, a_job: dict[str, Any]) -> None:
    message = call_event(
        public.url, public.studio.demo, "follow", [a_job["id"]], uuid.uuid4().hex[:11]
    )
    status, *media = outputs(message)
    assert f"No job with id `{a_job['id']}`" in status
    # Nothing but "leave as is" for the media outputs: no file of A's reaches B.
    assert all(not item or item == {"__type__": "update"} for item in media), media


def test_the_owner_can_act_on_their_job_through_the_same_events(
    public: RunningStudio, a_job: dict[str, Any]
) -> None:
    session = a_job["client"].session_hash
    message = call_event(public.url, public.studio.demo, "show", [a_job["id"]], session)
    heading = outputs(message)[0]
    assert "No job" not in heading
    assert a_job["id"] in heading


def test_share_link_shows_one_job_read_only_until_revoked(
    public: RunningStudio, a_job: dict[str, Any]
) -> None:
    session = a_job["client"].session_hash
    demo = public.studio.demo
    made = outputs(call_event(public.url, demo, "share_chosen", [a_job["id"]], session))[0]
    link = next(word for word in made.split() if "/share/" in word)
    path = "/share/" + link.split("/share/")[1]
    with httpx.Client(base_url=public.url, timeout=30) as stranger:
        page = stranger.get(path)
        assert page.status_code == 200
        assert a_job["prompt"] in page.text
        assert str(public.settings.studio_data_dir.resolve()) not in page.text
        song = stranger.get(f"{path}/files/0")
        assert song.status_code == 200
        assert song.content[:4] == b"RIFF"
        assert stranger.get(f"{path}/files/7").status_code == 404
        revoked = outputs(call_event(public.url, demo, "revoke_chosen", [a_job["id"]], session))
        assert "no longer works" in revoked[0]
        assert stranger.get(path).status_code == 404
        assert stranger.get(f"{path}/files/0").status_code == 404
        assert stranger.get("/share/not-a-token").status_code == 404


def test_a_visitor_token_in_a_header_is_that_visitor_in_any_client(
    public: RunningStudio, tmp_path: Path
) -> None:
    from gradio_client import Client

    visitor = Visitor(id=f"anon:{uuid.uuid4().hex}")
    token = public.studio.services.visitors.token_for(visitor)
    first = Client(
        public.url, verbose=False, download_files=str(tmp_path), headers={"X-Studio-Visitor": token}
    )
    _make_song(first, "made with a token")
    second = Client(
        public.url, verbose=False, download_files=str(tmp_path), headers={"X-Studio-Visitor": token}
    )
    assert [row["params"]["prompt"] for row in _history(second)] == ["made with a token"]
    forged = Client(
        public.url,
        verbose=False,
        download_files=str(tmp_path),
        headers={"X-Studio-Visitor": token[:-1] + ("0" if token[-1] != "0" else "1")},
    )
    assert _history(forged) == []
    (record,) = public.studio.services.store.list(owner=visitor.id)
    assert record.params["prompt"] == "made with a token"


async def test_an_mcp_caller_sees_none_of_the_visitors_jobs(
    public: RunningStudio, a_job: dict[str, Any]
) -> None:
    async with mcp_session(public) as session:
        listed = await session.call_tool("history_list", {"limit": 500})
        made = await session.call_tool(
            "text_to_music", {"prompt": "an agent's song", "seconds": 1, "provider": "offline"}
        )
    assert not made.isError, texts(made)
    assert a_job["id"] not in " ".join(texts(listed))
    assert a_job["prompt"] not in " ".join(texts(listed))
    # The agent's job is its own: no visitor sees it.
    agent_jobs = [
        r for r in public.studio.services.store.list() if r.params["prompt"] == "an agent's song"
    ]
    assert len(agent_jobs) == 1
    assert agent_jobs[0].owner.startswith("call:")
    assert "an agent's song" not in {row["params"]["prompt"] for row in _history(a_job["client"])}


def test_knowing_a_job_id_does_not_open_its_files(
    public: RunningStudio, a_job: dict[str, Any]
) -> None:
    record = public.studio.services.store.get(a_job["id"])
    assert record is not None
    song = record.outputs[0].path
    day = record.output_dir.parent
    guessed = day / a_job["id"] / song.name  # everything a stranger could know or guess
    with httpx.Client(base_url=public.url, timeout=30) as stranger:
        assert stranger.get(f"/gradio_api/file={guessed}").status_code in (403, 404)
        # The owner's own URL (with the folder's random part) does work.
        assert stranger.get(f"/gradio_api/file={song}").status_code == 200
