"""History tab: listing and filters, one job's detail, watching, reloading settings, deleting."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import httpx
import pytest
import soundfile as sf
from gradio_client import Client

from app import build_studio
from core.config import Settings
from core.events import Output
from core.history import PAGE_SIZE, list_jobs
from core.jobs import JobManager
from core.requests import CAPABILITIES, build_request
from core.store import JobRecord
from tabs import history_jobs, history_reuse
from tabs.example_assets import SUNNY_FIELD, TINY_CLIP
from tabs.history_cards import PICTURED_CARDS, PROMPT_CHARS, cards_html, subject
from tabs.history_layout import FILES_SHOWN
from tabs.job_stream import JobView
from tabs.services import StudioServices
from tests.e2e.test_settings_tab import App, launch_app
from tests.private_events import call_fn

PROMPT = "calm piano in A minor, 80 bpm"
_ALL = ["all", "all", "all"]  # the History filters


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    with launch_app(tmp_path_factory.mktemp("history")) as running:
        yield running


@pytest.fixture
def services(tmp_path: Path) -> Iterator[StudioServices]:
    """A studio of its own (empty store) for tests that count rows."""
    studio = build_studio(Settings(studio_data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    try:
        yield studio.services
    finally:
        studio.close()


def _submit(services: StudioServices, seconds: float = 1, prompt: str = PROMPT) -> str:
    request = build_request(
        "text_to_music", prompt=prompt, seconds=seconds, steps=10, cfg=3.0, seed=7
    )
    return services.jobs.submit(services.registry.resolve("text_to_music", "offline"), request)


async def _finish(services: StudioServices, job_id: str) -> list[JobView]:
    return [step async for step in history_jobs.watch_job(services, job_id)]


def _insert(
    services: StudioServices, job_id: str, capability: str, provider: str, at: float, state: str
) -> None:
    services.store.create(
        job_id,
        capability,
        provider,
        {"prompt": f"prompt of {job_id}", "seconds": 5.0, "seed": 3},
        services.settings.outputs_dir / "2020-01-01" / job_id,
        created_at=at,
    )
    if state != "queued":
        services.store.update_state(job_id, state, message=f"{state} message")  # type: ignore[arg-type]


def _card(cards: str, job_id: str) -> str:
    """One card of the gallery's HTML."""
    found = re.search(rf'<button[^>]*data-job="{job_id}".*?</button>', cards)
    assert found, job_id
    return found[0]


# ---------------------------------------------------------------------------- listing
def test_list_is_newest_first_and_filters_combine(services: StudioServices) -> None:
    base = time.time() - 1000
    plan = [
        ("a1", "text_to_music", "offline", "succeeded"),
        ("a2", "text_to_image", "offline", "failed"),
        ("a3", "text_to_music", "imgopen", "succeeded"),
        ("a4", "video_upscale", "vidu", "running"),
        ("a5", "text_to_music", "offline", "cancelled"),
    ]
    for offset, (job_id, capability, provider, state) in enumerate(plan):
        _insert(services, job_id, capability, provider, base + offset * 10, state)
    store = services.store
    assert [r.id for r in list_jobs(store)] == ["a5", "a4", "a3", "a2", "a1"]
    music = list_jobs(store, capability="text_to_music")
    assert [r.id for r in music] == ["a5", "a3", "a1"]
    assert [r.id for r in list_jobs(store, "text_to_music", "offline")] == ["a5", "a1"]
    assert [r.id for r in list_jobs(store, "all", "all", "succeeded")] == ["a3", "a1"]
    assert [r.id for r in list_jobs(store, "text_to_image", "all", "succeeded")] == []
    # Paging: "load more" grows the limit; the API pages with an offset.
    assert [r.id for r in list_jobs(store, limit=2)] == ["a5", "a4"]
    assert [r.id for r in list_jobs(store, limit=2, offset=2)] == ["a3", "a2"]

    # The gallery: a card per job, newest first, in plain names.
    cards = cards_html(list_jobs(store), now=base + 100)
    assert re.findall(r'data-job="(\w+)"', cards) == ["a5", "a4", "a3", "a2", "a1"]
    a4 = _card(cards, "a4")
    assert "Video upscale · Vidu" in a4
    assert 'data-state="running"' in a4
    assert ">Running</span>" in a4
    assert "video_upscale" not in cards
    assert ">Stopped</span>" in _card(cards, "a5")  # a cancelled job, said calmly
    assert "<svg" in a4  # the state's icon is drawn, not an emoji
    assert history_jobs.duration_text(store.get("a4"), now=base + 100).endswith("so far")
    chinese = cards_html(list_jobs(store), lang="zh", now=base + 100)
    assert "视频超分 · Vidu" in chinese
    assert ">运行中</span>" in chinese
    assert ">已停止</span>" in chinese

    listed = history_jobs.history_json(store, state="failed")
    assert [job["id"] for job in listed] == ["a2"]
    assert listed[0]["message"] == "failed message"
    assert listed[0]["params"]["provider"] == "offline"


def test_subject_is_short_and_names_the_source() -> None:
    from core.store import JobRecord

    record = JobRecord(
        id="x",
        capability="video_upscale",
        provider="offline",
        params={"video": "/data/outputs/d/x/inputs/clip.mp4", "scale": 3, "duration": 4},
        state="succeeded",
        output_dir=Path("/nowhere"),
        created_at=0,
        updated_at=0,
    )
    assert subject(record) == "clip.mp4"
    long = record.model_copy(
        update={"capability": "text_to_image", "params": {"prompt": "word " * 100}}
    )
    assert len(subject(long)) <= PROMPT_CHARS
    assert subject(long).endswith("…")
    # A prompt is text, not a path: a "/" in it is kept.
    slash = record.model_copy(
        update={"capability": "text_to_music", "params": {"prompt": "rock/pop"}}
    )
    assert subject(slash) == "rock/pop"


# ---------------------------------------------------------------------------- one job
async def test_watch_follows_a_running_job_to_its_files(services: StudioServices) -> None:
    job_id = _submit(services, seconds=1)
    steps = await _finish(services, job_id)
    assert len(steps) >= 3, [s.status for s in steps]
    assert all(step.outputs is None for step in steps[:-1])
    assert any("%" in step.status for step in steps[:-1])
    last = steps[-1]
    assert "Done" in last.status
    assert last.outputs is not None
    assert last.first("audio") is not None
    info = sf.info(last.first("audio"))
    assert abs(info.frames / info.samplerate - 1.0) < 0.01
    assert last.files() == [last.first("audio")]

    detail = history_jobs.job_detail(services, f"  {job_id.upper()} ")
    assert detail is not None
    assert detail.record.state == "succeeded"
    states = [event[1] for event in detail.events]
    assert states[0] == "queued"
    assert "running" in states
    assert states[-1] == "succeeded"
    assert detail.events[-1][2] == 100.0
    assert detail.first("audio") == last.first("audio")
    assert detail.payload == {
        "prompt": PROMPT,
        "seconds": 1.0,
        "steps": 10,
        "cfg": 3.0,
        "seed": 7,
        "provider": "offline",
    }
    heading = detail.heading()
    assert "Text to music" in heading
    assert "text_to_music" not in heading
    assert "Done" in heading
    assert job_id in heading
    assert "- **Prompt**: calm piano in A minor, 80 bpm" in detail.settings()
    assert "- **Seconds**: 1" in detail.settings()
    table = detail.events_table("zh")
    assert table.startswith("| 时间 | 状态 | 进度 | 消息 |")
    assert "| 完成 | 100% |" in table
    assert "succeeded" not in table


async def test_stopping_the_watch_leaves_the_job_running(services: StudioServices) -> None:
    job_id = _submit(services, seconds=5)
    watching = history_jobs.watch_job(services, job_id)
    first = await anext(watching)
    assert "Done" not in first.status
    await watching.aclose()  # what Stop watching (a cancel of the event) amounts to
    steps = await _finish(services, job_id)
    assert "Done" in steps[-1].status
    assert services.store.get(job_id).state == "succeeded"  # type: ignore[union-attr]


async def test_watch_after_a_restart_shows_the_stored_end(services: StudioServices) -> None:
    job_id = _submit(services)
    await _finish(services, job_id)
    # A new JobManager on the same store knows nothing live: what a restart looks like.
    restarted = JobManager(services.store, services.settings, services.registry.get)
    try:
        again = dataclasses.replace(services, jobs=restarted)
        steps = await _finish(again, job_id)
    finally:
        restarted.close()
    assert len(steps) == 1
    assert "Done" in steps[0].status
    assert steps[0].outputs is not None
    assert Path(steps[0].files()[0]).is_file()
    unknown = await _finish(again, "0" * 32)
    assert [s.status for s in unknown] == [f"No job with id `{'0' * 32}`."]


def test_detail_counts_missing_files(services: StudioServices, tmp_path: Path) -> None:
    _insert(services, "m1", "text_to_image", "offline", time.time(), "succeeded")
    present = tmp_path / "there.png"
    present.write_bytes(b"\x89PNG")
    outputs = [
        Output(path=present, kind="image"),
        Output(path=tmp_path / "gone.png", kind="image"),
    ]
    services.store.update_state("m1", "succeeded", outputs=outputs)
    detail = history_jobs.job_detail(services, "m1")
    assert detail is not None
    assert detail.files("image") == [str(present)]
    assert "1 output file is no longer on disk." in detail.heading()
    assert history_jobs.job_detail(services, "nope") is None


# ---------------------------------------------------------------------------- load settings
@pytest.mark.parametrize("capability", CAPABILITIES)
def test_payload_names_are_the_public_api_parameters(app: App, capability: str) -> None:
    info = httpx.get(f"{app.url}/gradio_api/info").json()
    names = [p["parameter_name"] for p in info["named_endpoints"][f"/{capability}"]["parameters"]]
    from core.store import JobRecord

    record = JobRecord(
        id="p",
        capability=capability,
        provider="offline",
        params={},
        state="succeeded",
        output_dir=Path("/nowhere"),
        created_at=0,
        updated_at=0,
    )
    payload = history_reuse.load_settings_payload(record)
    assert sorted(payload) == sorted(names)


def test_payload_gives_text_fields_empty_strings_and_fills_by_name() -> None:
    from core.store import JobRecord

    record = JobRecord(
        id="e",
        capability="extend_music",
        provider="suno",
        params={
            "audio": "/data/in.mp3",
            "upload_url": None,
            "prompt": "more",
            "vocal_gender": None,
            "continue_at": None,
            "source_seconds": 12.5,
        },
        state="succeeded",
        output_dir=Path("/nowhere"),
        created_at=0,
        updated_at=0,
    )
    payload = history_reuse.load_settings_payload(record)
    assert payload["upload_url"] == ""
    assert payload["vocal_gender"] == ""
    assert payload["continue_at"] is None
    assert payload["audio"] == "/data/in.mp3"
    assert payload["model"] == "V4_5"  # the default where the record has none
    assert "source_seconds" not in payload
    request = history_reuse.load_request(record)
    values = history_reuse.fill_values(request, "extend_music", ["prompt", "provider", "nothing"])
    assert values[:2] == ("more", "suno")
    assert isinstance(values[2], type(gr.skip()))
    elsewhere = history_reuse.fill_values(request, "text_to_music", ["prompt"])
    assert isinstance(elsewhere[0], type(gr.skip()))


# ---------------------------------------------------------------------------- delete and cancel
async def test_delete_refuses_a_running_job_until_cancelled(services: StudioServices) -> None:
    job_id = _submit(services, seconds=30)
    deleted, message = history_jobs.delete_job(services, job_id, confirmed=True)
    assert not deleted
    assert "Cancel job" in message
    assert services.store.get(job_id) is not None
    statuses: list[str] = []
    async for step in history_jobs.watch_job(services, job_id):
        statuses.append(step.status)
        if len(statuses) == 1:
            # Once the job has started (the manager cannot cancel a job before its task exists).
            await asyncio.sleep(0.1)
            assert "Cancelling" in history_jobs.cancel_job(services, job_id)
    assert "Stopped" in statuses[-1]
    assert services.store.get(job_id).state == "cancelled"  # type: ignore[union-attr]
    assert "nothing to cancel" in history_jobs.cancel_job(services, job_id)
    deleted, _ = history_jobs.delete_job(services, job_id, confirmed=True)
    assert deleted
    assert services.store.get(job_id) is None


async def test_delete_needs_confirmation_and_removes_rows_and_files(
    services: StudioServices,
) -> None:
    keep = _submit(services, prompt="keep me")
    gone = _submit(services)
    await _finish(services, keep)
    await _finish(services, gone)
    record = services.store.get(gone)
    assert record is not None
    files = [output.path for output in record.outputs]
    assert files
    assert all(path.is_file() for path in files)

    deleted, message = history_jobs.delete_job(services, gone, confirmed=False)
    assert not deleted
    assert "Tick" in message
    assert all(path.is_file() for path in files)

    deleted, message = history_jobs.delete_job(services, gone, confirmed=True)
    assert deleted
    assert "Deleted" in message
    assert services.store.get(gone) is None
    assert services.store.events(gone) == []
    assert not record.output_dir.exists()
    assert not any(path.exists() for path in files)
    # The other job, in the same day's folder, is untouched.
    kept = services.store.get(keep)
    assert kept is not None
    assert all(output.path.is_file() for output in kept.outputs)
    assert [r.id for r in list_jobs(services.store)] == [keep]
    assert history_jobs.delete_job(services, gone, confirmed=True) == (
        False,
        f"No job with id `{gone}`.",
    )


def test_delete_never_touches_a_folder_outside_the_outputs(
    services: StudioServices, tmp_path: Path
) -> None:
    outside = tmp_path.parent / f"outside-{secrets.token_hex(4)}" / "evil"
    outside.mkdir(parents=True)
    (outside / "precious.txt").write_text("keep")
    services.store.create("evil", "text_to_music", "offline", {}, outside, created_at=time.time())
    services.store.update_state("evil", "failed", message="x")
    deleted, _ = history_jobs.delete_job(services, "evil", confirmed=True)
    assert deleted
    assert (outside / "precious.txt").read_text() == "keep"


# ---------------------------------------------------------------------------- through the page
def _wait(services: StudioServices, job_id: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not services.store.get(job_id).finished:  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"{job_id} did not finish"
        time.sleep(0.05)


def _timer(app: App) -> int:
    """The History timer's id (its outputs have no elem_id)."""
    (timer,) = [b for b in app.demo.blocks.values() if isinstance(b, gr.Timer)]
    return timer._id


def _by_id(app: App, name: str, message: dict[str, Any]) -> dict[str, Any]:
    """An event's outputs keyed by each component's elem_id (else its Gradio id)."""
    assert message["success"], message
    outputs = app.demo.fns[app.fn_index(name)].outputs
    data = message["output"]["data"]
    return {block.elem_id or block._id: value for block, value in zip(outputs, data, strict=True)}


def test_open_a_job_in_the_page_serves_its_files(app: App, tmp_path: Path) -> None:
    services = app.services
    job_id = _submit(services)
    _wait(services, job_id)
    session = secrets.token_hex(8)
    shown = _by_id(app, "show", app.call("show", [job_id], session))
    assert job_id in shown["history-heading"]
    assert shown["history-params"]["prompt"] == PROMPT
    assert "| Done | 100% |" in shown["history-events"]
    audio = shown["history-audio"]
    assert audio["visible"] is True
    served = httpx.get(audio["value"]["url"])
    assert served.status_code == 200
    assert served.content[:4] == b"RIFF"
    # Only the media the job has: no empty video, pictures or file list (one file: its player).
    assert shown["history-video"]["visible"] is False
    assert shown["history-gallery"]["visible"] is False
    assert shown["history-files"]["visible"] is False
    assert shown["history-show-all"]["visible"] is False
    # An ended job: nothing to watch or cancel; it can be reused, shared and deleted.
    for ended_off in ("history-watch-button", "history-stop-watch", "history-cancel"):
        assert shown[ended_off]["interactive"] is False, ended_off
    for ended_on in ("history-load", "history-share", "history-revoke", "history-delete"):
        assert shown[ended_on]["interactive"] is True, ended_on

    loaded = app.call("load_settings", [job_id], session)
    message, in_state, switch = loaded["output"]["data"]
    assert in_state is None  # a State: kept on the server, its change announced
    assert app.loaded._id in loaded["output"]["changed_state_ids"]
    request = app.state(session, app.loaded)
    assert request["capability"] == "text_to_music"
    assert request["params"]["seed"] == 7
    assert switch["selected"] == "text_to_music"
    assert "loaded into **Text to music**" in message
    filled = app.call("fill", [None], session)["output"]["data"]
    assert filled == [PROMPT, 7]

    client = Client(app.url, verbose=False, download_files=str(tmp_path))
    listed: list[dict[str, Any]] = client.predict(
        "text_to_music", "offline", "succeeded", 5, 0, api_name="/history_list"
    )
    assert job_id in [job["id"] for job in listed]
    assert all(job["state"] == "succeeded" for job in listed)
    # The API keeps the machine names: they are what a caller filters by.
    assert {job["capability"] for job in listed} == {"text_to_music"}


def test_many_files_are_listed_a_few_at_a_time(app: App) -> None:
    services = app.services
    request = build_request(
        "text_to_image", prompt="a red apple", width=64, height=64, steps=10, n_iter=6, seed=2
    )
    job_id = services.jobs.submit(services.registry.resolve("text_to_image", "offline"), request)
    _wait(services, job_id)
    session = secrets.token_hex(8)
    shown = _by_id(app, "show", app.call("show", [job_id], session))
    assert shown["history-gallery"]["visible"] is True
    assert len(shown["history-gallery"]["value"]) == 6
    assert shown["history-audio"]["visible"] is False
    assert len(shown["history-files"]["value"]) == FILES_SHOWN
    more = shown["history-show-all"]
    assert more["visible"] is True
    assert more["value"] == "Show all 6 files"
    everything = _by_id(app, "all_files", app.call("all_files", [job_id], session))
    assert len(everything["history-files"]["value"]) == 6
    assert everything["history-show-all"]["visible"] is False


def test_deleting_from_the_page_closes_the_detail_and_drops_the_card(app: App) -> None:
    services = app.services
    job_id = _submit(services, prompt="to be deleted")
    _wait(services, job_id)
    session = secrets.token_hex(8)
    app.call("show", [job_id], session)
    removed = _by_id(app, "remove", app.call("remove", [job_id, True, *_ALL, 50], session))
    assert removed["history-notice"].startswith(f"Deleted job `{job_id}`")
    assert f'data-job="{job_id}"' not in removed["history-table"]
    assert removed["history-heading"] == "Deleted."
    assert removed["history-detail"]["visible"] is False
    assert removed["history-delete"]["interactive"] is False
    assert services.store.get(job_id) is None


def test_an_open_job_and_its_card_follow_it_to_its_end(tmp_path: Path) -> None:
    """Queued, then done, with no click: the timer's tick redraws the card and the detail."""
    with launch_app(tmp_path, studio_offline_workers=1) as running:
        services = running.services
        gate = threading.Event()
        # The one engine worker is held, so the job waits in line until the gate opens.
        blocker = services.registry.offline._pool.submit(lambda: gate.wait(60), "blocker")
        try:
            job_id = _submit(services)
            session = secrets.token_hex(8)
            listed = _by_id(running, "first_page", running.call("first_page", _ALL, session))
            assert 'data-state="queued"' in _card(listed["history-table"], job_id)
            assert listed[_timer(running)]["active"] is True
            shown = _by_id(running, "show", running.call("show", [job_id], session))
            assert "Queued" in shown["history-heading"]
            for live_on in ("history-watch-button", "history-stop-watch", "history-cancel"):
                assert shown[live_on]["interactive"] is True, live_on
            for live_off in ("history-load", "history-share", "history-delete"):
                assert shown[live_off]["interactive"] is False, live_off

            tick = [*_ALL, PAGE_SIZE, None, job_id, None]  # States come from the session
            waiting = _by_id(running, "tick", running.call("tick", tick, session))
            assert "value" not in waiting["history-table"]  # nothing changed: nothing sent
            assert "Queued" in waiting["history-heading"]
            assert "value" not in waiting["history-audio"]
            assert waiting[_timer(running)]["active"] is True
        finally:
            gate.set()
            blocker.result(timeout=10)
        _wait(services, job_id)
        ended = _by_id(running, "tick", running.call("tick", tick, session))
        assert 'data-state="succeeded"' in _card(ended["history-table"], job_id)
        assert "Done" in ended["history-heading"]
        assert ended["history-audio"]["visible"] is True
        assert ended["history-watch-button"]["interactive"] is False
        assert ended["history-delete"]["interactive"] is True
        assert ended[_timer(running)]["active"] is False


def test_the_detail_speaks_the_browsers_language_and_names_no_server_path(app: App) -> None:
    services = app.services
    request = build_request("image_to_music", image=str(SUNNY_FIELD), song_quantity=1)
    job_id = services.jobs.submit(services.registry.resolve("image_to_music", "offline"), request)
    _wait(services, job_id, timeout_s=120)
    record = services.store.get(job_id)
    assert record is not None
    assert str(services.settings.studio_data_dir) in record.params["image"]  # the job's copy
    message = call_fn(
        app.url,
        app.fn_index("show"),
        [job_id],
        secrets.token_hex(8),
        headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    shown = _by_id(app, "show", message)
    heading = shown["history-heading"]
    assert "图生音乐" in heading
    assert "离线" in heading
    assert "完成" in heading
    # (the Markdown escape of "_": the page shows sunny_field.png)
    assert "- **图片**: sunny\\_field.png" in shown["history-settings"]
    assert "| 时间 | 状态 | 进度 | 消息 |" in shown["history-events"]
    assert "succeeded" not in shown["history-events"]
    text = json.dumps(
        {k: shown[k] for k in ("history-heading", "history-settings", "history-events")},
        ensure_ascii=False,
    )
    assert str(services.settings.studio_data_dir) not in text
    assert str(services.settings.studio_data_dir) not in json.dumps(shown["history-params"])
    # The card of a song made from a picture shows the picture, with the song's length.
    card = _card(cards_html([record]), job_id)
    assert '<img src="data:image/webp;base64,' in card
    assert "0:30" in card


def test_a_video_card_shows_its_first_frame(tmp_path: Path) -> None:
    from core.store import JobRecord

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(TINY_CLIP.read_bytes())
    record = JobRecord(
        id="v1",
        capability="video_upscale",
        provider="offline",
        params={"video": str(clip), "scale": 2},
        state="succeeded",
        outputs=[Output(path=clip, kind="video")],
        output_dir=tmp_path,
        created_at=0,
        updated_at=0,
    )
    card = _card(cards_html([record]), "v1")
    assert '<img src="data:image/webp;base64,' in card
    assert "clip.mp4" in card  # the source by its name
    gone = record.model_copy(update={"outputs": [Output(path=tmp_path / "x.mp4", kind="video")]})
    assert "<img" not in _card(cards_html([gone]), "v1")  # a missing file: the medium's icon


def test_a_card_shows_a_prompt_as_text() -> None:
    from core.store import JobRecord

    record = JobRecord(
        id="x1",
        capability="text_to_image",
        provider="offline",
        params={"prompt": "<img src=x onerror=alert(1)> {{value}} ${value}"},
        state="failed",
        output_dir=Path("/nowhere"),
        created_at=0,
        updated_at=0,
    )
    card = cards_html([record])
    assert "<img src=x" not in card
    assert "{{" not in card
    assert "${" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;" in card


def test_only_the_first_page_of_cards_carries_thumbnails(tmp_path: Path) -> None:
    """Load more goes up to 500 cards: past the first page, the medium's icon stands in."""
    picture = SUNNY_FIELD
    record = JobRecord(
        id="a" * 32,
        capability="text_to_image",
        provider="offline",
        state="succeeded",
        created_at=0.0,
        updated_at=0.0,
        params={},
        outputs=[Output(kind="image", path=picture)],
        output_dir=tmp_path,
    )
    html = cards_html([record] * (PICTURED_CARDS + 3))
    assert html.count("<img ") == PICTURED_CARDS
    assert html.count('class="hc-card"') == PICTURED_CARDS + 3
