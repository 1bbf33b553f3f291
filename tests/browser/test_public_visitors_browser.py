"""Two strangers on one public studio, each in a browser of their own."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import new_context, open_studio, panel, screenshot, set_number

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

JOB_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def public_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    from tests.studio_server import launch_studio

    running = launch_studio(tmp_path_factory.mktemp("public-browser"), studio_public=True)
    try:
        yield running
    finally:
        running.close()


def _history(page: Page) -> None:
    page.get_by_role("tab", name="History", exact=True).click()
    page.get_by_role("button", name="↻ Refresh").click()


def test_each_browser_sees_only_its_own_jobs_and_keeps_them_after_a_reload(
    browser: Browser, public_studio: RunningStudio
) -> None:
    from playwright.sync_api import expect

    prompt = f"calm lofi piano in A minor, 80 bpm {uuid.uuid4().hex[:8]}"
    a_context = new_context(browser, "en-US")
    b_context = new_context(browser, "en-US")
    try:
        a = open_studio(a_context, public_studio.url)
        tab = panel(a, "ttm-generate")
        tab.get_by_label("Prompt").fill(prompt)
        set_number(tab, "Seconds", 2)
        a.locator("#ttm-generate").click()
        expect(a.locator("#ttm-status")).to_contain_text("Done", timeout=JOB_TIMEOUT_MS)
        (job,) = [
            r for r in public_studio.studio.services.store.list() if r.params["prompt"] == prompt
        ]
        assert job.owner.startswith("anon:"), job.owner

        b = open_studio(b_context, public_studio.url)
        _history(b)
        # B's table may settle after the click: wait until it has rendered, then look.
        expect(b.locator("#history-table")).to_be_visible()
        b.wait_for_timeout(1_000)
        assert job.id not in b.locator("#history-table").inner_text()
        b.locator("#history-job-id").locator("textarea, input").first.fill(job.id)
        b.locator("#history-open").click()
        expect(b.locator("#history-heading")).to_contain_text("No job with id")
        screenshot(b, "public-visitor-b-history")

        # A reloads the page: a new session, the same browser, the same jobs.
        a.reload()
        expect(a.locator("#ttm-generate")).to_be_visible()
        _history(a)
        expect(a.locator("#history-table")).to_contain_text(job.id)
        screenshot(a, "public-visitor-a-history")
    finally:
        a_context.close()
        b_context.close()


def test_the_browser_keeps_its_visitor_token_in_local_storage(
    browser: Browser, public_studio: RunningStudio
) -> None:
    from playwright.sync_api import expect

    context = new_context(browser, "en-US")
    try:
        page = open_studio(context, public_studio.url)
        expect(page.locator("#ttm-generate")).to_be_visible()
        page.wait_for_function(
            "() => Object.keys(localStorage).some(k => k.includes('aigc-studio-visitor'))"
        )
        stored = page.evaluate(
            "() => Object.entries(localStorage).filter(([k]) => k.includes('aigc-studio-visitor'))"
        )
        assert stored, "the browser keeps no visitor token"
    finally:
        context.close()


def test_settings_gives_the_token_that_reaches_the_browsers_jobs_from_python(
    browser: Browser, public_studio: RunningStudio, tmp_path: Path
) -> None:
    from gradio_client import Client
    from playwright.sync_api import expect

    prompt = f"happy jazz in F major {uuid.uuid4().hex[:8]}"
    context = new_context(browser, "en-US")
    try:
        page = open_studio(context, public_studio.url)
        tab = panel(page, "ttm-generate")
        tab.get_by_label("Prompt").fill(prompt)
        set_number(tab, "Seconds", 1)
        page.locator("#ttm-generate").click()
        expect(page.locator("#ttm-status")).to_contain_text("Done", timeout=JOB_TIMEOUT_MS)
        page.get_by_role("tab", name="Settings", exact=True).click()
        line = page.locator("#settings-visitor")
        expect(line).to_contain_text("X-Studio-Visitor:")
        token = re.search(r"X-Studio-Visitor: (\S+)", line.inner_text())
        assert token, line.inner_text()
        screenshot(page, "public-visitor-settings")
    finally:
        context.close()
    client = Client(
        public_studio.url,
        verbose=False,
        download_files=str(tmp_path),
        headers={"X-Studio-Visitor": token.group(1)},
    )
    rows = client.predict("all", "all", "all", 50, 0, api_name="/history_list")
    assert prompt in {row["params"]["prompt"] for row in rows}
    stranger = Client(public_studio.url, verbose=False, download_files=str(tmp_path))
    rows = stranger.predict("all", "all", "all", 50, 0, api_name="/history_list")
    assert prompt not in {row["params"]["prompt"] for row in rows}
