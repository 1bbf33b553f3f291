"""Real-browser fixtures: Debian's chromium driven by Playwright, one context per test.

Debian's /usr/bin/chromium is used on purpose (never `playwright install`): CI installs it with
apt. Without it a developer's plain `pytest` skips these tests; under CI (CI set) that is an
error, so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

    from tests.studio_server import RunningStudio

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
RENDER_TIMEOUT_MS = 30_000
LOCAL_URLS = ("http://127.0.0.1", "http://localhost", "data:", "blob:")
# Gradio's own progress (its overlay's text, timer and ETA bar, an upload's bar, the frame it
# draws over a busy output) that can be seen inside `root`, each named by its class and its
# block, so a failure says where. A hidden tracker (show_progress="hidden") stays laid out at
# opacity 0 and still fills in its text while its event waits: only what is visible counts.
GRADIO_PROGRESS_JS = """(root) => [...root.querySelectorAll(
    '.progress-text, .eta-bar, .progress-bar, [data-testid="status-tracker"]')]
  .filter((el) => !el.closest('.hide') && el.getClientRects().length > 0
    && el.checkVisibility({opacityProperty: true, visibilityProperty: true}))
  .map((el) => {
    const block = el.closest('.block');
    return el.className + ' in ' + (block ? block.id || block.className : 'the page');
  })"""


def missing(reason: str) -> None:
    """Fail under CI, skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error)", pytrace=False)
    pytest.skip(reason)


# Package scope, not session: while Playwright's sync driver lives it holds an asyncio loop on
# the main thread, and async tests elsewhere (pytest-asyncio) could not start theirs.
@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -r requirements-dev.txt")
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # launch() gives chromium a fresh temporary profile of its own (it refuses --user-data-dir),
    # and every test gets a new context: nothing is cached or remembered between tests.
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield launched
    finally:
        launched.close()


def new_context(browser: Browser, locale: str) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORT, locale=locale)  # type: ignore[arg-type]
    # Only the studio itself may be reached: a font or script from the internet would make
    # the page wait on a network this machine may not have.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(LOCAL_URLS) else route.abort()
        ),
    )
    return context


def open_studio(context: BrowserContext, url: str) -> Page:
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.goto(url)
    expect(page.locator("#ttm-generate")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    return page


@pytest.fixture
def page(browser: Browser, studio: RunningStudio) -> Iterator[Page]:
    """The studio open in an English browser."""
    context = new_context(browser, "en-US")
    try:
        yield open_studio(context, studio.url)
    finally:
        context.close()


@pytest.fixture
def zh_page(browser: Browser, studio: RunningStudio) -> Iterator[Page]:
    """The studio open in a browser whose language is Simplified Chinese."""
    context = new_context(browser, "zh-CN")
    try:
        yield open_studio(context, studio.url)
    finally:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as a test artefact (artifacts/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def panel(page: Page, marker: str) -> Locator:
    """The tab panel holding the element with id `marker` (labels repeat across tabs)."""
    return page.get_by_role("tabpanel").filter(has=page.locator(f"#{marker}"))


def set_number(scope: Locator, label: str, value: float) -> None:
    """Type into the number box of a slider or number field, then leave it so Gradio reads it."""
    box = scope.get_by_label(f"number input for {label}")
    box.fill(str(value))
    box.press("Tab")
