"""The demo tour (issue 11): every capability tab as someone demoing the studio uses it.

In English at 1400×1000 and in Chinese at 390×844 (a phone), each tab is opened fresh and run
with its defaults, only its required input filled (the example assets for files). While it runs
there is exactly one progress bar on the page, the studio's, and none of Gradio's overlay; on a
phone the status is in view after Generate; Generate and Stop swap and swap back; no output
ever shows an upload affordance or an empty box. A long offline job (many songs from a
picture) stopped midway keeps the songs already made, lists them as results and says so
calmly: no error anywhere. Screenshots of each state go to artifacts/screenshots/demo/
(git-ignored).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tabs.example_assets import SHORT_SONG, SUNNY_FIELD, TINY_CLIP
from tabs.i18n import Lang, label
from tests.browser.conftest import GRADIO_PROGRESS_JS, SCREENSHOTS, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "demo"
JOB_TIMEOUT_MS = 120_000
RENDER_TIMEOUT_MS = 30_000
# Songs asked of the stopped job, and how many are written before Stop is pressed.
MANY_SONGS = 20
STOP_AFTER_SONGS = 2
# Who stops the long job, per setting: the tab's Stop, or History's Cancel (another tab's,
# which must not pop an error in the tab that started the job).
STOPPED_BY = {
    "en-wide": "the tab's Stop",
    "zh-wide": "History's Cancel",
    "en-phone": "History's Cancel",
    "zh-phone": "the tab's Stop",
}


@dataclass(frozen=True)
class Setting:
    """A browser as a demo meets it: its language and its screen."""

    name: str
    locale: str
    lang: Lang
    width: int
    height: int

    @property
    def phone(self) -> bool:
        return self.width < 640


SETTINGS = [
    Setting("en-wide", "en-US", "en", 1400, 1000),
    Setting("zh-wide", "zh-CN", "zh", 1400, 1000),
    Setting("en-phone", "en-US", "en", 390, 844),
    Setting("zh-phone", "zh-CN", "zh", 390, 844),
]


def _upload(element: str, path: Any, shown: str) -> Callable[[Page], None]:
    """Upload `path` into the input `element`; done when the input shows it (`shown`)."""

    def fill(page: Page) -> None:
        from playwright.sync_api import expect

        page.locator(f"#{element} input[type=file]").set_input_files(str(path))
        expect(page.locator(f"#{element} {shown}").first).to_be_attached()

    return fill


def _type(element: str, text: str) -> Callable[[Page], None]:
    def fill(page: Page) -> None:
        page.locator(f"#{element} textarea").fill(text)

    return fill


PICTURE = _upload("itm-image", SUNNY_FIELD, "img")


@dataclass(frozen=True)
class Tour:
    """One capability tab and its only required inputs."""

    capability: str
    prefix: str
    fills: tuple[Callable[[Page], None], ...]
    # Its defaults run long enough (a 30 s song) to be seen running, however fast the machine.
    seen_running: bool = False


TOURS = [
    Tour(
        "text_to_music",
        "ttm",
        (_type("ttm-prompt", "calm lofi piano in A minor, 80 bpm"),),
        seen_running=True,
    ),
    Tour("image_to_music", "itm", (PICTURE,), seen_running=True),
    Tour(
        "extend_music",
        "ext",
        (_upload("ext-audio", SHORT_SONG, "audio"), _type("ext-prompt", "a brighter chorus")),
    ),
    Tour("text_to_image", "tti", (_type("tti-prompt", "a red apple on a blue table"),)),
    Tour("video_upscale", "vup", (_upload("vup-video", TINY_CLIP, "video"),)),
]

# Everything on the page that is an upload affordance or an empty box, inside the results
# column of the tab whose status is `prefix`-status (only rendered, visible elements count).
_OUTPUT_PROBLEMS_JS = """(prefix) => {
  const status = document.getElementById(prefix + '-status');
  const column = status && status.closest('.column');
  if (!column) return ['no results column'];
  const seen = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const found = [];
  const marks = {
    'input[type=file]': 'an upload input',
    '[data-testid="upload-button"]': 'an upload button',
    '.label-clear-button': 'a remove (×) button on a file',
    '[aria-label="Empty value"]': 'an empty box',
  };
  for (const [selector, what] of Object.entries(marks)) {
    for (const el of column.querySelectorAll(selector)) {
      const block = el.closest('.block') || el;
      if (seen(block)) found.push(what + ' in ' + (block.id || block.className));
    }
  }
  const text = column.innerText;
  for (const words of ['Drop Media Here', 'Click to Upload', 'Drop File Here', 'Drop Image Here']) {
    if (text.includes(words)) found.push('"' + words + '"');
  }
  return found;
}"""

# Progress bars, ours and Gradio's: its overlay (text, timer, ETA bar) or the "generating"
# frame it draws over an output (a status tracker not hidden), visible ones.
_PROGRESS_JS = f"""() => {{
  const seen = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const visible = (selector) => [...document.querySelectorAll(selector)].filter(seen);
  return {{
    busy: visible('.studio-busy').length > 0,
    ours: visible('progress.studio-bar').length,
    gradio: ({GRADIO_PROGRESS_JS})(document),
  }};
}}"""

# Players and pictures in the results column.
_RESULTS_JS = """(prefix) => {
  const column = document.getElementById(prefix + '-status').closest('.column');
  return column.querySelectorAll('audio, video, img').length;
}"""

_IN_VIEW_JS = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  // Its first line on screen (a scrolled-to element may sit a fraction of a pixel above 0).
  return box.top > -4 && box.top + 24 < window.innerHeight;
}"""


# ---------------------------------------------------------------------------- helpers
@pytest.fixture(params=SETTINGS, ids=[s.name for s in SETTINGS])
def setting(request: pytest.FixtureRequest) -> Setting:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def context(browser: Browser, setting: Setting) -> Iterator[BrowserContext]:
    made = new_context(browser, setting.locale)
    try:
        yield made
    finally:
        made.close()


def open_tab(context: BrowserContext, url: str, setting: Setting, capability: str) -> Page:
    """A fresh page at the setting's size, on the tab of `capability`."""
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)
    page.set_viewport_size({"width": setting.width, "height": setting.height})
    page.goto(url)
    tab = page.get_by_role("tab", name=label(setting.lang, f"tab_{capability}"), exact=True)
    # Every tab is reachable as it is: none hides in an overflow menu, on a phone too.
    expect(tab).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page


def shot(page: Page, setting: Setting, name: str, state: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{setting.name}-{name}-{state}.png"), full_page=True)


def output_problems(page: Page, prefix: str) -> list[str]:
    return page.evaluate(_OUTPUT_PROBLEMS_JS, prefix)  # type: ignore[no-any-return]


def no_error_shown(page: Page) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".toast-body")).to_have_count(0)
    expect(page.locator(".studio-failed")).to_have_count(0)


def generate(page: Page, prefix: str) -> Locator:
    """Press Generate; the status once it says the job is under way."""
    from playwright.sync_api import expect

    page.locator(f"#{prefix}-generate").click()
    status = page.locator(f"#{prefix}-status")
    expect(status.locator(".studio-status")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    return status


# ---------------------------------------------------------------------------- the tour
@pytest.mark.parametrize("tour", TOURS, ids=[t.prefix for t in TOURS])
def test_each_tab_runs_with_its_defaults(
    context: BrowserContext, studio: RunningStudio, setting: Setting, tour: Tour
) -> None:
    from playwright.sync_api import expect

    page = open_tab(context, studio.url, setting, tour.capability)
    prefix = tour.prefix
    stop = page.locator(f"#{prefix}-stop")
    go = page.locator(f"#{prefix}-generate")
    expect(stop).to_be_hidden()  # nothing to stop yet
    assert output_problems(page, prefix) == []
    shot(page, setting, prefix, "1-fresh")
    for fill in tour.fills:
        fill(page)
    status = generate(page, prefix)
    bars = page.evaluate(_PROGRESS_JS)  # one look: the shortest defaults may be done already
    assert bars["busy"] or not tour.seen_running, "the job was never seen running"
    if bars["busy"]:
        assert (bars["ours"], bars["gradio"]) == (1, []), bars
        if setting.phone:  # Generate brought the status into view (a smooth scroll)
            page.wait_for_function(_IN_VIEW_JS, arg=f"{prefix}-status", timeout=5_000)
        shot(page, setting, prefix, "2-running")
    expect(status.locator(".studio-succeeded")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    # The status was brought into view (on a wide screen it was there already).
    page.wait_for_function(_IN_VIEW_JS, arg=f"{prefix}-status", timeout=5_000)
    expect(go).to_be_visible()
    expect(stop).to_be_hidden()
    no_error_shown(page)
    assert page.evaluate(_PROGRESS_JS)["gradio"] == []
    assert output_problems(page, prefix) == []
    # The results are there, and the preview gave way to them.
    page.wait_for_function(f"(prefix) => ({_RESULTS_JS})(prefix) > 0", arg=prefix, timeout=10_000)
    expect(page.locator(f"#{prefix}-preview")).to_have_count(0)
    shot(page, setting, prefix, "3-done")


def test_a_stopped_job_keeps_its_songs_calmly(
    context: BrowserContext, studio: RunningStudio, setting: Setting
) -> None:
    """Many songs from a picture, stopped once a few are written (by the tab's Stop, or from
    History): they stay, listed as results; the status says so without any error."""
    from playwright.sync_api import expect

    page = open_tab(context, studio.url, setting, "image_to_music")
    PICTURE(page)
    songs = page.locator("#itm-songs input[type=number]")
    songs.fill(str(MANY_SONGS))
    songs.press("Tab")
    status = generate(page, "itm")
    bar = status.locator("progress.studio-bar")
    # Each song is an equal share of the bar: past STOP_AFTER_SONGS shares, they are written.
    wanted = 100.0 * (STOP_AFTER_SONGS + 0.3) / MANY_SONGS
    deadline = time.monotonic() + JOB_TIMEOUT_MS / 1000
    while float(bar.get_attribute("value") or 0) < wanted:
        assert time.monotonic() < deadline, "the songs never came"
        time.sleep(0.1)
    assert page.evaluate(_PROGRESS_JS) == {"busy": True, "ours": 1, "gradio": []}
    # While it runs, Stop stands where Generate was.
    expect(page.locator("#itm-stop")).to_be_visible()
    expect(page.locator("#itm-generate")).to_be_hidden()
    shot(page, setting, "itm-many", "1-running")
    (running,) = studio.studio.services.store.list(capability="image_to_music", limit=1)
    if STOPPED_BY[setting.name] == "History's Cancel":
        assert studio.studio.services.jobs.cancel(running.id)  # what History's Cancel does
    else:
        page.locator("#itm-stop").click()
    stopped = status.locator(".studio-cancelled")
    expect(stopped).to_be_visible(timeout=JOB_TIMEOUT_MS)
    record = studio.studio.services.store.get(running.id)
    assert record is not None
    assert record.state == "cancelled"
    kept = len(record.outputs)
    assert STOP_AFTER_SONGS <= kept < MANY_SONGS, kept
    # Said calmly: how many were kept, in the page's language; no error, no toast.
    stopped_words = "Stopped" if setting.lang == "en" else "已停止"
    expect(stopped).to_contain_text(stopped_words)
    expect(stopped).to_contain_text(re.compile(rf"\b{kept}\b"))
    no_error_shown(page)
    expect(page.locator("#itm-generate")).to_be_visible()
    expect(page.locator("#itm-stop")).to_be_hidden()
    # The kept songs are the results: a card each, with a player and a download link.
    cards = page.locator("#itm-extras .studio-track")
    expect(cards).to_have_count(kept, timeout=10_000)
    expect(cards.locator("audio")).to_have_count(kept)
    names = cards.locator("a[download]").evaluate_all("links => links.map(a => a.download)")
    assert names == [o.path.name for o in record.outputs]
    assert output_problems(page, "itm") == []
    shot(page, setting, "itm-many", "2-stopped")
