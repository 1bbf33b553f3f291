"""Who a request comes from (core/visitors.py) and which input files are a visitor's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.errors import InvalidRequest
from core.ownership import check_own_files
from core.store import JobStore
from core.visitors import Visitor, VisitorDirectory, signed_in_visitor

SECRET = b"test-secret"


@pytest.fixture
def directory() -> VisitorDirectory:
    return VisitorDirectory(SECRET)


def test_a_token_names_its_visitor_and_a_changed_one_nobody(directory: VisitorDirectory) -> None:
    visitor = directory.new_anonymous()
    token = directory.token_for(visitor)
    assert directory.from_token(token) == visitor
    flipped = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert directory.from_token(flipped) is None
    other_server = VisitorDirectory(b"another secret")
    assert other_server.from_token(token) is None
    # Claiming another id with the same signature fails too.
    assert directory.from_token("anon:someone~" + token.rpartition("~")[2]) is None
    for junk in (None, 42, "", "~", "x" * 400, "anon:x~short"):
        assert directory.from_token(junk) is None


def test_identify_prefers_a_signed_header_then_the_page_binding_then_the_session(
    directory: VisitorDirectory,
) -> None:
    browser = directory.new_anonymous()
    assert directory.identify("s1").id == "session:s1"
    directory.register("s1", browser)
    assert directory.identify("s1") == browser
    signed = Visitor(id="hf:alice")
    header = {"X-Studio-Visitor": directory.token_for(signed)}
    assert directory.identify("s1", header) == signed
    assert directory.identify("s2", {"X-Studio-Visitor": "forged~" + "0" * 32}).id == "session:s2"


def test_every_mcp_call_and_every_sessionless_call_is_a_visitor_of_its_own(
    directory: VisitorDirectory,
) -> None:
    mcp = {"x-gradio-user": "mcp"}
    first = directory.identify("shared-mcp-session", mcp)
    second = directory.identify("shared-mcp-session", mcp)
    assert first.kind == second.kind == "call"
    assert first != second
    assert directory.identify(None) != directory.identify(None)


def test_signed_in_profile_is_the_account() -> None:
    assert signed_in_visitor({"userinfo": {"preferred_username": "alice"}}) == Visitor(
        id="hf:alice"
    )
    assert signed_in_visitor(None) is None
    assert signed_in_visitor({"userinfo": {"preferred_username": "  "}}) is None
    assert Visitor(id="hf:alice").anonymous is False
    assert Visitor(id="anon:abc").anonymous is True


def _settings(tmp_path: Path) -> Settings:
    return Settings(studio_data_dir=tmp_path, studio_public=True, _env_file=None)  # type: ignore[call-arg]


def test_input_files_from_the_data_folder_must_be_the_visitors_own(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    store = JobStore(settings.db_path)
    folder = settings.outputs_dir / "2026-11-30" / ("a" * 32)
    folder.mkdir(parents=True)
    song = folder / "song.wav"
    song.write_bytes(b"RIFF")
    store.create("a" * 32, "text_to_music", "offline", {}, folder, owner="anon:alice")
    check_own_files(settings, store, "anon:alice", {"audio": str(song)})
    with pytest.raises(InvalidRequest) as refused:
        check_own_files(settings, store, "anon:bob", {"audio": str(song)})
    assert refused.value.field == "audio"
    secret = settings.studio_data_dir / "visitor.secret"
    with pytest.raises(InvalidRequest):
        check_own_files(settings, store, "anon:alice", {"image": str(secret)})
    # Uploads (outside the data folder) and plain text are not files of the studio's.
    check_own_files(settings, store, "anon:bob", {"audio": "/tmp/gradio/upload/x.wav"})
    check_own_files(settings, store, "anon:bob", {"prompt": "data/outputs/x"})
    store.close()


def test_page_load_binds_the_session_and_signing_in_takes_the_browsers_jobs(
    tmp_path: Path,
) -> None:
    from types import SimpleNamespace

    from tabs.visitor import register_visitor

    store = JobStore(tmp_path / "jobs.sqlite3")
    services: Any = SimpleNamespace(visitors=VisitorDirectory(SECRET), store=store)
    # A click faster than the page load: the job first belongs to the bare session.
    store.create("early", "text_to_music", "offline", {}, tmp_path, owner="session:page1")
    first = register_visitor(services, None, "page1")
    assert first.visitor.kind == "anon"
    assert store.get("early", owner=first.visitor.id) is not None
    # The same browser later: the token it kept names the same visitor.
    again = register_visitor(services, first.browser_token, "page2")
    assert again.visitor == first.visitor
    assert services.visitors.identify("page2") == first.visitor
    # A forged token is a new anonymous visitor, never someone else.
    forged = register_visitor(services, first.browser_token[:-2] + "00", "page3")
    assert forged.visitor != first.visitor
    # Signing in: the account owns what this browser made.
    signed = register_visitor(
        services, first.browser_token, "page4", {"preferred_username": "alice"}
    )
    assert signed.visitor.id == "hf:alice"
    assert signed.browser_token == first.browser_token
    assert store.get("early", owner="hf:alice") is not None
    store.close()
