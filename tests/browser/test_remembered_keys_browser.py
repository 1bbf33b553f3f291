""" "Remember in this browser" in a real browser: localStorage holds only what the server sealed,
a reload restores the keys, Clear forgets them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tabs.settings import BROWSER_STORAGE_KEY
from tests.browser.conftest import new_context, open_studio

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

BROWSER_SECRET = "browser-secret-for-the-browser-test-7c1e"
SUNO_KEY = "suno-key-typed-in-the-browser-42"


@pytest.fixture(scope="module")
def remembering_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    from tests.studio_server import launch_studio

    running = launch_studio(
        tmp_path_factory.mktemp("remember-browser"), studio_browser_secret=BROWSER_SECRET
    )
    try:
        yield running
    finally:
        running.close()


def _settings(page: Page) -> None:
    page.get_by_role("tab", name="Settings", exact=True).click()


def _stored(page: Page) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", BROWSER_STORAGE_KEY)


def test_remembered_keys_survive_a_reload_and_clear_forgets_them(
    browser: Browser, remembering_studio: RunningStudio
) -> None:
    from playwright.sync_api import expect

    context = new_context(browser, "en-US")
    try:
        page = open_studio(context, remembering_studio.url)
        _settings(page)
        page.locator("#settings-key-suno-api-key input").fill(SUNO_KEY)
        page.locator("#settings-remember input").check()
        page.locator("#settings-save").click()
        expect(page.locator("#settings-keys")).to_contain_text("Remembered in this browser")
        stored = _stored(page)
        assert stored
        assert SUNO_KEY not in stored
        assert BROWSER_SECRET not in page.content()

        page.reload()
        _settings(page)
        summary = page.locator("#settings-keys")
        expect(summary).to_contain_text("Suno API key")  # a key by what it is
        expect(summary).to_contain_text("Restored from this browser")
        expect(page.locator("#settings-remember input")).to_be_checked()

        page.locator("#settings-clear").click()
        expect(summary).to_contain_text("Session keys cleared")
        page.reload()
        _settings(page)
        expect(page.locator("#settings-keys")).to_contain_text("No session keys saved")
        expect(page.locator("#settings-remember input")).not_to_be_checked()
    finally:
        context.close()
