"""History in a real browser: a gallery of cards that follows its jobs, and a detail that shows
only what a job has, in English and Chinese, on a desktop and on a phone."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import GRADIO_PROGRESS_JS, SCREENSHOTS, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "history"
JOB_TIMEOUT_S = 120
FLIP_TIMEOUT_MS = 30_000
# (browser locale, width, height); the page's words in that language.
LAYOUTS = [("en-US", 1400, 1000), ("zh-CN", 1400, 1000), ("en-US", 390, 844), ("zh-CN", 390, 844)]
WORDS = {
    "en-US": {
        "tab": "History",
        "done": "Done",
        "queued": "Queued",
        "running": "Running",
        "prompt": "Prompt",
        "state": "State",
    },
    "zh-CN": {
        "tab": "历史记录",
        "done": "完成",
        "queued": "排队中",
        "running": "运行中",
        "prompt": "提示词",
        "state": "状态",
    },
}
IMAGES = 6


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    """One engine worker, so a test can hold a job in line while the page looks at it."""
    from tests.studio_server import launch_studio

    running = launch_studio(tmp_path_factory.mktemp("history-browser"), studio_offline_workers=1)
    try:
        yield running
    finally:
        running.close()


def _submit(studio: RunningStudio, capability: str, **values: object) -> str:
    from core.requests import build_request

    services = studio.studio.services
    chosen = services.registry.resolve(capability, "offline")  # type: ignore[arg-type]
    return services.jobs.submit(chosen, build_request(capability, **values))  # type: ignore[arg-type]


def _wait(studio: RunningStudio, job_id: str) -> None:
    store = studio.studio.services.store
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while not store.get(job_id).finished:  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"{job_id} did not finish"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def ended(studio: RunningStudio) -> dict[str, str]:
    """Two offline jobs that ended: pictures (six of them) and a song."""
    jobs = {
        "image": _submit(
            studio,
            "text_to_image",
            prompt="a red apple on a blue table",
            width=256,
            height=192,
            steps=10,
            n_iter=IMAGES,
            seed=3,
        ),
        "music": _submit(
            studio,
            "text_to_music",
            prompt="calm lofi piano in A minor, 80 bpm",
            seconds=3,
            steps=10,
            cfg=3.0,
            seed=7,
        ),
    }
    for job_id in jobs.values():
        _wait(studio, job_id)
    return jobs


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _card(page: Page, job_id: str) -> Locator:
    return page.locator(f'#history-table [data-job="{job_id}"]')


def _fits(page: Page, width: int) -> None:
    """Nothing wider than the window: no sideways scrolling, every card inside."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    rights = page.locator("#history-table .hc-card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect().right)"
    )
    assert rights
    assert max(rights) <= width, rights


def _visible(page: Page, elem_id: str) -> bool:
    return page.locator(f"#{elem_id}").is_visible()


@pytest.mark.parametrize(("locale", "width", "height"), LAYOUTS)
def test_history_shows_cards_opens_a_job_and_follows_it_to_its_end(
    browser: Browser,
    studio: RunningStudio,
    ended: dict[str, str],
    locale: str,
    width: int,
    height: int,
) -> None:
    from playwright.sync_api import expect

    words = WORDS[locale]
    name = f"{locale[:2]}-{width}"
    services = studio.studio.services
    gate = threading.Event()
    # The one engine worker is held: the new job waits in line ("queued") until the gate opens.
    blocker = services.registry.offline._pool.submit(lambda: gate.wait(JOB_TIMEOUT_S), "held")
    context = new_context(browser, locale)
    try:
        waiting = _submit(
            studio,
            "text_to_music",
            prompt=f"a slow waltz {name}",
            seconds=2,
            steps=10,
            cfg=3.0,
            seed=5,
        )
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.goto(studio.url)
        expect(page.locator("#ttm-generate")).to_be_visible(timeout=30_000)
        page.get_by_role("tab", name=words["tab"], exact=True).click()

        # The gallery: a card per job, a picture for the pictures, a song's icon and length.
        image_card, music_card = _card(page, ended["image"]), _card(page, ended["music"])
        expect(image_card).to_be_visible()
        expect(image_card.locator(".hc-thumb img")).to_have_attribute(
            "src", re.compile(r"^data:image/webp;base64,")
        )
        expect(image_card).to_contain_text(f"×{IMAGES}")
        expect(music_card.locator(".hc-badge")).to_contain_text("0:03")
        expect(music_card).to_contain_text(words["done"])
        expect(_card(page, waiting)).to_have_attribute("data-state", "queued")
        expect(_card(page, waiting)).to_contain_text(words["queued"])
        assert "text_to_music" not in page.locator("#history-table").inner_text()
        _fits(page, width)
        _shot(page, f"{name}-cards")

        # The pictures: a gallery and a short file list, no empty song or video box.
        image_card.click()
        expect(page.locator("#history-heading")).to_contain_text(ended["image"])
        expect(page.locator("#history-gallery")).to_be_visible()
        assert not _visible(page, "history-audio")
        assert not _visible(page, "history-video")
        rows = page.locator("#history-files tr.file")
        expect(rows).to_have_count(4)
        page.locator("#history-show-all").click()
        expect(rows).to_have_count(IMAGES)
        expect(page.locator("#history-files .label-clear-button").first).to_be_hidden()
        # An ended job: Watch and Cancel are off, Delete and Share are on.
        expect(page.locator("#history-watch-button")).to_be_disabled()
        expect(page.locator("#history-cancel")).to_be_disabled()
        expect(page.locator("#history-delete")).to_be_enabled()
        expect(page.locator("#history-share")).to_be_enabled()
        settings = page.locator("#history-settings")
        expect(settings).to_contain_text(words["prompt"])
        _shot(page, f"{name}-pictures")

        # The song: one player, no pictures, no video, no one-line file list.
        music_card.click()
        expect(page.locator("#history-heading")).to_contain_text(ended["music"])
        expect(page.locator("#history-audio")).to_be_visible()
        assert not _visible(page, "history-gallery")
        assert not _visible(page, "history-video")
        assert not _visible(page, "history-files")
        page.locator("#history-detail").get_by_text(
            "Events" if locale == "en-US" else "事件", exact=True
        ).click()
        expect(page.locator("#history-events")).to_contain_text(words["state"])
        expect(page.locator("#history-events")).to_contain_text(words["done"])
        _shot(page, f"{name}-song")

        # The waiting job: open it, then let it run; card and detail turn to done unasked.
        _card(page, waiting).click()
        heading = page.locator("#history-heading")
        expect(heading).to_contain_text(waiting)
        expect(heading).to_contain_text(words["queued"])
        expect(page.locator("#history-watch-button")).to_be_enabled()
        expect(page.locator("#history-cancel")).to_be_enabled()
        expect(page.locator("#history-delete")).to_be_disabled()
        # Watching it draws the tabs' status bar, not Gradio's overlay.
        page.locator("#history-watch-button").click()
        watched = page.locator("#history-watch .studio-status")
        expect(watched).to_contain_text(words["queued"])
        expect(page.locator("#history-watch .studio-bar")).to_be_visible()
        watch_block = f"(id) => ({GRADIO_PROGRESS_JS})(document.getElementById(id))"
        assert page.evaluate(watch_block, "history-watch") == []
        _shot(page, f"{name}-queued")
        gate.set()
        expect(_card(page, waiting)).to_have_attribute(
            "data-state", "succeeded", timeout=FLIP_TIMEOUT_MS
        )
        expect(_card(page, waiting)).to_contain_text(words["done"])
        expect(heading).to_contain_text(words["done"], timeout=FLIP_TIMEOUT_MS)
        expect(page.locator("#history-watch-button")).to_be_disabled()
        expect(page.locator("#history-cancel")).to_be_disabled()
        expect(page.locator("#history-audio")).to_be_visible()
        expect(page.locator("#history-watch .studio-succeeded")).to_contain_text(words["done"])
        expect(page.locator("#history-watch .studio-bar")).to_have_count(0)
        # Opening another job ends the watch and takes its bar away.
        music_card.click()
        expect(page.locator("#history-heading")).to_contain_text(ended["music"])
        expect(page.locator("#history-watch .studio-status")).to_have_count(0)

        # Plain words throughout: no ids of capabilities or states, no server folder.
        panel = page.get_by_role("tabpanel").inner_text()
        for raw in ("text_to_music", "text_to_image", "succeeded", "(offline)"):
            assert raw not in panel, raw
        assert str(Path(studio.settings.studio_data_dir)) not in panel
        _fits(page, width)
        _shot(page, f"{name}-done")
    finally:
        gate.set()
        blocker.result(timeout=JOB_TIMEOUT_S)
        context.close()
