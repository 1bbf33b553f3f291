"""Settings tab: session keys stay in server memory, no key reaches the public API or the page,
the provider table and the reachability check tell the truth."""

from __future__ import annotations

import json
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import httpx
import pytest
from gradio_client import Client

from app import Studio, build_studio
from core.config import Settings
from core.key_vault import KeyVault
from core.reachability import check, check_all, display_url
from tabs import history
from tabs import settings as settings_tab
from tabs.capabilities import SPECS
from tabs.capability_tab import CapabilityTab
from tabs.history_reuse import fill_values
from tabs.keys import merge_keys, picker_update, refresh_pickers
from tabs.picker import provider_dropdown
from tabs.services import StudioServices, session_credentials
from tests.local_http import Answer, Script, serve
from tests.private_events import call_fn
from tests.studio_server import free_port

KEY_ID = "CANARY-KEYID-7f3a9c"
KEY_SECRET = "CANARY-SECRET-b81d44"
SERVER_KEY = "CANARY-SERVER-KEY-5e02"
BROWSER_SECRET = "browser-secret-for-tests-0123456789"
PUBLIC_ENDPOINTS = {
    "/text_to_music",
    "/image_to_music",
    "/extend_music",
    "/text_to_image",
    "/video_upscale",
    "/history_list",
}


# ---------------------------------------------------------------------------- harness
@dataclass
class App:
    studio: Studio
    demo: gr.Blocks
    url: str
    session_keys: gr.State
    loaded: gr.State
    pickers: dict[str, gr.Dropdown]

    @property
    def services(self) -> StudioServices:
        return self.studio.services

    def fn_index(self, name: str) -> int:
        # A handler wired to several triggers (Open button, Enter, row select) is one function.
        found = [index for index, fn in self.demo.fns.items() if fn.name == name]
        assert found, f"no event runs {name}"
        return found[0]

    def call(self, name: str, data: list[Any], session_hash: str) -> dict[str, Any]:
        return call_fn(self.url, self.fn_index(name), data, session_hash, timeout=20)

    def state(self, session_hash: str, component: gr.State) -> Any:
        return self.demo.state_holder[session_hash][component._id]


@contextmanager
def launch_app(data_dir: Path, **overrides: Any) -> Iterator[App]:
    """The capability tabs plus History and Settings, wired the way tabs/studio.py should be."""
    settings = Settings(studio_data_dir=data_dir, _env_file=None, **overrides)  # type: ignore[call-arg]
    port = free_port()
    studio = build_studio(settings, port=port)
    services = studio.services
    with gr.Blocks() as demo:
        session_keys = gr.State({})
        loaded = gr.State(None)
        with gr.Tabs() as tabs:
            for spec in SPECS:
                CapabilityTab(services, spec).build(session_keys, None, None)
            history.build(services, session_keys, loaded=loaded, tabs=tabs)
            settings_tab.build(services, session_keys)
        # The picker refresh the lead adds to each capability tab, with a stand-in dropdown.
        with gr.Row(visible=False):
            pickers = {"text_to_music": provider_dropdown(services, "text_to_music")}

        def refresh(keys: dict[str, str] | None, current: str | None) -> Any:
            return picker_update(services, "text_to_music", keys, current)

        session_keys.change(
            refresh,
            [session_keys, pickers["text_to_music"]],
            pickers["text_to_music"],
            api_visibility="private",
        )
        # And the "Load settings" listener, with stand-ins for two text_to_music fields.
        with gr.Row(visible=False):
            filled = [gr.Textbox(label="prompt"), gr.Number(label="seed")]

        def fill(request: dict[str, Any] | None) -> tuple[Any, ...]:
            return fill_values(request, "text_to_music", ["prompt", "seed"])

        loaded.change(fill, loaded, filled, api_visibility="private")
    demo.queue()
    _, url, _ = demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **studio.launch_kwargs(),
    )
    try:
        yield App(studio, demo, url.rstrip("/"), session_keys, loaded, pickers)
    finally:
        demo.close()
        studio.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    with launch_app(
        tmp_path_factory.mktemp("settings"),
        studio_browser_secret=BROWSER_SECRET,
        suno_api_key=SERVER_KEY,
    ) as running:
        yield running


def _key_boxes(app: App) -> list[str]:
    return [field for _, field in settings_tab.key_fields(app.services)]


def _save_data(app: App, remember: bool, **typed: str) -> list[Any]:
    return [None, remember, *(typed.get(name, "") for name in _key_boxes(app))]


# ---------------------------------------------------------------------------- keys in the State
def test_saving_keys_fills_the_state_only_and_empties_the_boxes(app: App) -> None:
    session = secrets.token_hex(8)
    done = app.call(
        "on_save",
        _save_data(
            app, False, IMGOPEN_ACCESS_KEY_ID=KEY_ID, IMGOPEN_ACCESS_KEY_SECRET=f"  {KEY_SECRET} "
        ),
        session,
    )
    assert done["success"], done
    assert app.state(session, app.session_keys) == {
        "IMGOPEN_ACCESS_KEY_ID": KEY_ID,
        "IMGOPEN_ACCESS_KEY_SECRET": KEY_SECRET,
    }
    answer = json.dumps(done["output"]["data"], ensure_ascii=False)
    # Not remembered: the keys go back to the browser in no form at all.
    assert KEY_ID not in answer
    assert KEY_SECRET not in answer
    # The summary names what is held, by what each key is.
    assert "Session keys saved: Img Open access key ID, Img Open access key secret." in answer
    assert done["output"]["data"][-len(_key_boxes(app)) :] == [""] * len(_key_boxes(app))
    # The page is told the State changed, so `session_keys.change` listeners (pickers) run.
    assert app.session_keys._id in done["output"]["changed_state_ids"]

    # Another session sees nothing.
    other = secrets.token_hex(8)
    app.call("on_save", _save_data(app, False), other)
    assert app.state(other, app.session_keys) == {}

    # A blank box keeps the key saved before; Clear forgets all.
    app.call("on_save", _save_data(app, False, SUNO_API_KEY="suno-session"), session)
    assert set(app.state(session, app.session_keys)) == {
        "IMGOPEN_ACCESS_KEY_ID",
        "IMGOPEN_ACCESS_KEY_SECRET",
        "SUNO_API_KEY",
    }
    cleared = app.call("on_clear", [], session)
    assert cleared["success"], cleared
    assert app.state(session, app.session_keys) == {}


def test_saved_keys_unlock_the_provider_picker(app: App) -> None:
    session = secrets.token_hex(8)
    picker = app.fn_index("refresh")
    before = call_fn(app.url, picker, [None, "offline"], session)["output"]["data"][0]
    assert [name for _, name in before["choices"]] == ["offline"]
    app.call(
        "on_save",
        _save_data(app, False, IMGOPEN_ACCESS_KEY_ID=KEY_ID, IMGOPEN_ACCESS_KEY_SECRET=KEY_SECRET),
        session,
    )
    after = call_fn(app.url, picker, [None, "offline"], session)["output"]["data"][0]
    assert [name for _, name in after["choices"]] == ["offline", "imgopen"]
    assert after["value"] == "offline"


def test_remember_sends_only_a_sealed_blob_to_the_browser_state_slot(app: App) -> None:
    session = secrets.token_hex(8)
    done = app.call("on_save", _save_data(app, True, SUNO_API_KEY=KEY_SECRET), session)
    data = done["output"]["data"]
    # Outputs: session_keys (State: never sent), BrowserState, summary, table, boxes.
    assert data[0] is None
    blob = data[1]
    assert isinstance(blob, str)
    assert KEY_SECRET not in json.dumps(data)
    assert KeyVault(BROWSER_SECRET).open(blob) == {"SUNO_API_KEY": KEY_SECRET}
    # Unticked, or Clear: the browser's blob is overwritten with one that holds nothing.
    again = app.call("on_save", _save_data(app, False), session)["output"]["data"][1]
    cleared = app.call("on_clear", [], session)["output"]["data"][1]
    for value in (again, cleared):
        assert value == settings_tab.FORGOTTEN
        assert KeyVault(BROWSER_SECRET).open(value) is None


def test_page_load_restores_remembered_keys_dropping_unknown_names(app: App) -> None:
    session = secrets.token_hex(8)
    blob = KeyVault(BROWSER_SECRET).seal(
        {"SUNO_API_KEY": KEY_SECRET, "NOT_A_KEY": "x" * 12, "VIDU_API_KEY": "short"}
    )
    done = app.call("on_load", [blob], session)
    assert done["success"], done
    assert app.state(session, app.session_keys) == {"SUNO_API_KEY": KEY_SECRET}
    # Outputs: session_keys, BrowserState (left as it was), remember, summary, table.
    assert done["output"]["data"][1] == {"__type__": "update"}
    assert done["output"]["data"][2] is True  # "remember" ticked again
    assert KEY_SECRET not in json.dumps(done["output"]["data"])


@pytest.mark.parametrize(
    ("stored", "overwritten"),
    [
        ({"SUNO_API_KEY": KEY_SECRET}, True),  # the old, merely obfuscated format
        (json.dumps({"SUNO_API_KEY": KEY_SECRET}), True),
        (KeyVault("another-server-secret-0123456789").seal({"SUNO_API_KEY": KEY_SECRET}), True),
        # Empty: what a browser sends before its BrowserState has read localStorage.
        ("", False),
        (None, False),
    ],
)
def test_page_load_ignores_what_this_server_did_not_seal(
    app: App, stored: Any, overwritten: bool
) -> None:
    session = secrets.token_hex(8)
    done = app.call("on_load", [stored], session)
    assert done["success"], done
    assert app.state(session, app.session_keys) == {}
    kept = done["output"]["data"][1]
    assert kept == (settings_tab.FORGOTTEN if overwritten else {"__type__": "update"})
    assert done["output"]["data"][2] is False


def test_a_tampered_blob_opens_to_nothing(app: App) -> None:
    vault = KeyVault(BROWSER_SECRET)
    blob = vault.seal({"SUNO_API_KEY": KEY_SECRET})
    flipped = blob[:-6] + ("A" if blob[-6] != "A" else "B") + blob[-5:]
    for bad in (flipped, blob[:-1], blob + "x", blob.replace("v1.", "v2.", 1), blob * 400, 12):
        assert vault.open(bad) is None


def test_short_or_punctuation_keys_are_refused_by_name_and_the_others_saved(app: App) -> None:
    session = secrets.token_hex(8)
    app.call("on_save", _save_data(app, False, VIDU_API_KEY="vidu-key-kept-1234"), session)
    done = app.call(
        "on_save",
        _save_data(
            app,
            False,
            SUNO_API_KEY=", ",
            VIDU_API_KEY="HTTP Request",
            TENCENT_MMLAB_SECRET_ID="short",
            TENCENT_MMLAB_SECRET_KEY="-------- ,,,,",
            IMGOPEN_ACCESS_KEY_ID=KEY_ID,
        ),
        session,
    )
    assert done["success"], done
    # The good key of the same save is kept, the refused ones are not, and the earlier Vidu
    # key stays (a refused value does not blank it).
    assert app.state(session, app.session_keys) == {
        "VIDU_API_KEY": "vidu-key-kept-1234",
        "IMGOPEN_ACCESS_KEY_ID": KEY_ID,
    }
    summary = done["output"]["data"][2]  # after the State and the BrowserState
    for field in ("Suno API key", "Vidu API key", "Tencent SecretId", "Tencent SecretKey"):
        assert f"{field} was not saved: a key must be at least 8 characters long" in summary
    assert "Img Open access key ID was not saved" not in summary
    assert "SUNO_API_KEY" not in summary  # keys by what they are, not by environment variable
    chinese = settings_tab.save_keys(
        app.services, {}, ["SUNO_API_KEY"], [", "], False, "zh"
    ).message
    assert "Suno API 密钥 未保存：密钥至少 8 个字符" in chinese


def test_no_public_endpoint_takes_or_returns_keys(app: App, tmp_path: Path) -> None:
    info = httpx.get(f"{app.url}/gradio_api/info").json()
    assert set(info["named_endpoints"]) == PUBLIC_ENDPOINTS
    assert info["unnamed_endpoints"] == {}
    key_names = {name.lower() for name in _key_boxes(app)}
    for endpoint, spec in info["named_endpoints"].items():
        names = {p["parameter_name"].lower() for p in spec["parameters"]}
        assert not names & key_names, endpoint
        assert not any("key" in name or "secret" in name for name in names), (endpoint, names)
    client = Client(app.url, verbose=False, download_files=str(tmp_path))
    api = client.view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == PUBLIC_ENDPOINTS
    # Every event that takes a key box is private.
    boxes = {
        block._id
        for block in app.demo.blocks.values()
        if isinstance(block, gr.Textbox) and (block.elem_id or "").startswith("settings-key-")
    }
    assert len(boxes) == len(_key_boxes(app))
    for fn in app.demo.fns.values():
        if {block._id for block in fn.inputs} & boxes:
            assert fn.api_visibility == "private", fn.name


def test_config_holds_no_key_and_the_browser_state_is_explicit(app: App) -> None:
    session = secrets.token_hex(8)
    app.call("on_save", _save_data(app, True, SUNO_API_KEY=KEY_ID), session)
    page = httpx.get(f"{app.url}/config").text + httpx.get(f"{app.url}/").text
    for value in (KEY_ID, KEY_SECRET, SERVER_KEY):
        assert value not in page
    config = json.loads(httpx.get(f"{app.url}/config").text)
    stores = [
        c["props"]
        for c in config["components"]
        if c["type"] == "browserstate"
        and c["props"]["storage_key"] == settings_tab.BROWSER_STORAGE_KEY
    ]
    assert len(stores) == 1
    # BrowserState's own secret is in the page, so it must not be the server's.
    assert stores[0]["secret"] == settings_tab.BROWSER_STATE_OBFUSCATION
    assert BROWSER_SECRET not in page
    assert "only this server can open" in page
    mode = [
        c["props"] for c in config["components"] if c["props"].get("elem_id") == "settings-mode"
    ]
    assert '"key": "set_mode_private"' in mode[0]["value"]  # STUDIO_PUBLIC is not set
    assert stores[0].get("default_value") in ("", None), stores[0]


def test_provider_table_shows_sources_and_addresses_never_keys(app: App) -> None:
    services = app.services
    rows = settings_tab.status_rows(services, {"IMGOPEN_ACCESS_KEY_ID": KEY_ID})
    table = {row[0]: row for row in rows}
    assert set(table) == {"Img Open", "Tencent Multimedia Lab", "Suno", "Vidu"}
    assert table["Suno"][2] == "server key"
    assert table["Suno"][5] == "yes"
    assert table["Img Open"][2].startswith("partial session key")
    assert table["Img Open"][5] == "no"
    assert table["Vidu"][4] == "not set"
    assert table["Img Open"][4] == "https://api.zhiqite.com"
    assert all(row[6] == settings_tab.NOT_CHECKED for row in rows)
    assert KEY_ID not in json.dumps(rows)
    assert SERVER_KEY not in json.dumps(rows)


def test_keys_are_named_by_what_they_are(app: App) -> None:
    config = json.loads(httpx.get(f"{app.url}/config").text)
    boxes = {
        c["props"]["elem_id"]: c["props"]
        for c in config["components"]
        if (c["props"].get("elem_id") or "").startswith("settings-key-")
    }
    suno = boxes["settings-key-suno-api-key"]
    assert '"key": "set_key_suno_api_key"' in suno["label"]
    assert suno["info"] == "SUNO_API_KEY"  # the environment variable, as secondary information
    assert len(boxes) == len(_key_boxes(app))
    partial = settings_tab.status_rows(app.services, {"IMGOPEN_ACCESS_KEY_ID": KEY_ID}, lang="zh")
    assert partial[0][2] == "部分会话密钥（缺少 Img Open 访问密钥 Secret）"


# ---------------------------------------------------------------------------- modes
def test_without_a_browser_secret_remembering_is_off(tmp_path: Path) -> None:
    with launch_app(tmp_path) as running:
        config = json.loads(httpx.get(f"{running.url}/config").text)
        stores = [c["props"] for c in config["components"] if c["type"] == "browserstate"]
        assert settings_tab.BROWSER_STORAGE_KEY not in [s["storage_key"] for s in stores]
        remember = [
            c["props"]
            for c in config["components"]
            if c["type"] == "checkbox" and c["props"].get("elem_id") == "settings-remember"
        ]
        assert remember[0]["interactive"] is False
        assert "STUDIO_BROWSER_SECRET" in json.dumps(config)
        assert not [fn for fn in running.demo.fns.values() if fn.name == "on_load"]
        session = secrets.token_hex(8)
        done = running.call("on_save", _save_data(running, True, VIDU_API_KEY=KEY_ID), session)
        assert done["success"], done
        # Without a BrowserState the outputs are: State, summary, table, boxes.
        assert KEY_ID not in json.dumps(done["output"]["data"])


def test_require_user_keys_hides_server_keys_and_says_so(tmp_path: Path) -> None:
    with launch_app(tmp_path, studio_require_user_keys=True, suno_api_key=SERVER_KEY) as running:
        services = running.services
        config_text = httpx.get(f"{running.url}/config").text
        assert "bring their own keys" in config_text
        assert SERVER_KEY not in config_text
        # (Offline may or may not serve extend_music yet: only Suno's presence is at stake.)
        assert "suno" not in [c.name for c in services.registry.choices("extend_music")]
        row = {r[0]: r for r in settings_tab.status_rows(services, {})}["Suno"]
        assert row[2] == "server key (not used: visitors bring their own)"
        assert row[5] == "no"
        own = {"SUNO_API_KEY": "visitor-key"}
        unlocked = services.registry.choices("extend_music", session_credentials(own))
        assert "suno" in [c.name for c in unlocked]
        updates = refresh_pickers(services, own)
        assert "suno" in [name for _, name in updates["extend_music"]["choices"]]
        assert [name for _, name in updates["text_to_music"]["choices"]] == ["offline"]


def test_merge_keys_trims_drops_unknown_and_keeps_blanks(app: App) -> None:
    merged = merge_keys(
        app.services,
        {"SUNO_API_KEY": "old-suno-key", "BOGUS": "x" * 12},
        ["SUNO_API_KEY", "VIDU_API_KEY", "NOT_KNOWN"],
        ["", "  vidu-key-1234  ", "y" * 12],
    )
    assert merged == {"SUNO_API_KEY": "old-suno-key", "VIDU_API_KEY": "vidu-key-1234"}


# ---------------------------------------------------------------------------- reachability
def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _silent_server() -> Iterator[str]:
    """Accepts connections (the kernel's backlog does) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


async def test_any_http_answer_is_reachable_and_refused_is_not() -> None:
    script = Script(answers={"/api": [Answer(status=401, body=b"no key")]})
    with serve(script) as base:
        found = await check(f"{base}/api", timeout_s=2.0)
        assert found.reachable
        assert found.status == 401
        assert script.calls == {"/api": 1}
        missing = await check(f"{base}/nothing", timeout_s=2.0)
        assert missing.reachable
        assert missing.status == 404
    refused = await check(f"http://127.0.0.1:{_unused_port()}/", timeout_s=2.0)
    assert not refused.reachable
    assert refused.status is None
    assert "connection failed" in str(refused.detail)
    assert not (await check("ftp://example.invalid/")).reachable


async def test_a_silent_server_times_out() -> None:
    with _silent_server() as base:
        result = await check(base, timeout_s=0.3)
    assert not result.reachable
    assert "within 0.3 s" in str(result.detail)
    assert result.elapsed_ms < 2000


async def test_check_all_runs_every_address_and_skips_unset_ones() -> None:
    with serve(Script()) as base:
        results = await check_all(
            {"up": base, "down": f"http://127.0.0.1:{_unused_port()}", "unset": None},
            timeout_s=2.0,
        )
    up, down = results["up"], results["down"]
    assert up is not None
    assert up.reachable
    assert down is not None
    assert not down.reachable
    assert results["unset"] is None


async def test_provider_check_uses_the_configured_addresses(tmp_path: Path) -> None:
    script = Script()
    with serve(script) as base:
        studio = build_studio(
            Settings(  # type: ignore[call-arg]
                studio_data_dir=tmp_path,
                _env_file=None,
                imgopen_base_url=f"{base}/imgopen",
                suno_base_url=f"http://127.0.0.1:{_unused_port()}",
                tencent_mmlab_url=f"http://user:pw@127.0.0.1:{_unused_port()}/job?token=x",
            )
        )
        studio_services = studio.services
        try:
            reach = await settings_tab.check_reachability(studio_services, timeout_s=2.0)
            rows = {r[0]: r for r in settings_tab.status_rows(studio_services, {}, reach)}
        finally:
            studio.close()
    assert script.calls == {"/imgopen": 1}
    assert rows["Img Open"][6].startswith("Reachable: answered HTTP 404 in ")
    assert rows["Suno"][6].startswith("Not reachable: connection failed")
    # The page: a card per provider (readable at phone width), a dot for the result, no emoji.
    page = settings_tab.status_html(studio_services, {}, reach)
    img_open = re.search(r'<section class="pv-card" data-provider="imgopen">.*?</section>', page)
    assert img_open is not None
    assert '<span class="pv-dot pv-yes"></span>Reachable: answered HTTP 404' in img_open[0]
    assert '<span class="pv-dot pv-no"></span>Not reachable' in page
    assert not re.search(r"[\u2600-\u27bf\U0001f300-\U0001faff]", page)
    chinese = settings_tab.status_html(studio_services, {}, reach, "zh")
    assert "可连通：" in chinese
    assert "不可连通：" in chinese
    assert rows["Vidu"][6] == "no address set"
    assert "pw" not in rows["Tencent Multimedia Lab"][4]
    assert "token" not in rows["Tencent Multimedia Lab"][4]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://user:secret@api.example.com:8443/v1?key=abc#x",
            "https://api.example.com:8443/v1",
        ),
        ("http://127.0.0.1:9/", "http://127.0.0.1:9/"),
        (None, ""),
    ],
)
def test_display_url_drops_credentials(url: str | None, shown: str) -> None:
    assert display_url(url) == shown
