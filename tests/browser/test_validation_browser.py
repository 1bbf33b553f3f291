"""Validation as a person meets it, in English and Chinese (issue 11).

Generate stays disabled until the inputs a job cannot do without are there; a refusal is
shown at its field, named by the field's visible label in the page's language, with no toast
and no job started; a value typed past a slider's bound is moved back and the field says so;
extend a song with its own defaults and an uploaded song succeeds. Screenshots of each state go
to artifacts/screenshots/validation/ (git-ignored).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from core.errors import InvalidRequest
from core.messages import msg, render
from core.requests import build_request
from tabs.example_assets import SHORT_SONG, SUNNY_FIELD, TINY_CLIP
from tabs.i18n import Lang, label
from tabs.validation import page_refusal
from tests.browser.conftest import RENDER_TIMEOUT_MS, SCREENSHOTS, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "validation"
JOB_TIMEOUT_MS = 120_000
# Long enough for a change to reach the server and Generate to follow.
FOLLOW_MS = 10_000
CJK = re.compile(r"[\u3400-\u9fff]")
DONE = {"en": "Done", "zh": "完成"}


@dataclass(frozen=True)
class Browsing:
    page: Page
    lang: Lang
    name: str

    def label(self, key: str) -> str:
        return label(self.lang, key)

    def shot(self, state: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{self.name}-{state}.png"), full_page=True)


@pytest.fixture(params=[("en-US", "en"), ("zh-CN", "zh")], ids=["en", "zh"])
def browsing(
    browser: Browser, studio: RunningStudio, request: pytest.FixtureRequest
) -> Iterator[Browsing]:
    locale, lang = request.param
    context = new_context(browser, locale)
    try:
        page = context.new_page()
        page.set_default_timeout(RENDER_TIMEOUT_MS)
        page.goto(studio.url)
        yield Browsing(page, lang, lang)
    finally:
        context.close()


def open_tab(at: Browsing, capability: str, prefix: str) -> Locator:
    """The panel of `capability`'s tab, opened."""
    from playwright.sync_api import expect

    tab = at.page.get_by_role("tab", name=at.label(f"tab_{capability}"), exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return at.page.get_by_role("tabpanel").filter(has=at.page.locator(f"#{prefix}-generate"))


def upload(at: Browsing, element: str, path: Any, shown: str) -> None:
    from playwright.sync_api import expect

    at.page.locator(f"#{element} input[type=file]").set_input_files(str(path))
    expect(at.page.locator(f"#{element} {shown}").first).to_be_attached()


def block_of(field: Locator) -> Locator:
    """The field's own block: where Gradio shows a refusal of it, and its hint."""
    return field.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' block ')][1]")


def refusal_at(field: Locator) -> Locator:
    # Gradio marks the box itself with the same class: the sentence is the other element.
    return block_of(field).locator(".validation-error:not(input):not(textarea)")


def refusal(capability: str, values: dict[str, Any], label_key: str, lang: Lang) -> str:
    """The sentence the page must show for `values`, from the same catalog."""
    with pytest.raises(InvalidRequest) as caught:
        build_request(capability, **values)
    return page_refusal(caught.value, label_key, lang)


def jobs(studio: RunningStudio) -> int:
    return len(studio.studio.services.store.list(limit=10_000))


# ---------------------------------------------------------------------------- Generate
def test_generate_waits_for_the_required_inputs(browsing: Browsing) -> None:
    from playwright.sync_api import expect

    at = browsing
    for capability, prefix in (
        ("image_to_music", "itm"),
        ("text_to_image", "tti"),
        ("video_upscale", "vup"),
    ):
        open_tab(at, capability, prefix)
        expect(at.page.locator(f"#{prefix}-generate")).to_be_disabled()
    open_tab(at, "video_upscale", "vup")
    upload(at, "vup-video", TINY_CLIP, "video")
    expect(at.page.locator("#vup-generate")).to_be_enabled(timeout=FOLLOW_MS)

    open_tab(at, "image_to_music", "itm")
    upload(at, "itm-image", SUNNY_FIELD, "img")
    expect(at.page.locator("#itm-generate")).to_be_enabled(timeout=FOLLOW_MS)

    open_tab(at, "text_to_music", "ttm")
    go = at.page.locator("#ttm-generate")
    expect(go).to_be_disabled()
    prompt = at.page.locator("#ttm-prompt textarea")
    prompt.fill("calm piano")
    expect(go).to_be_enabled(timeout=FOLLOW_MS)
    prompt.fill("   ")  # spaces are nothing written
    expect(go).to_be_disabled(timeout=FOLLOW_MS)

    # Extend needs a song (file or URL) and, in default mode, a prompt; custom mode with an
    # instrumental needs no prompt.
    panel = open_tab(at, "extend_music", "ext")
    go = at.page.locator("#ext-generate")
    expect(go).to_be_disabled()
    upload(at, "ext-audio", SHORT_SONG, "audio")
    at.shot("1-extend-song-but-no-prompt")
    expect(go).to_be_disabled()
    at.page.locator("#ext-prompt textarea").fill("a brighter chorus")
    expect(go).to_be_enabled(timeout=FOLLOW_MS)
    at.page.locator("#ext-prompt textarea").fill("")
    expect(go).to_be_disabled(timeout=FOLLOW_MS)
    panel.get_by_label(at.label("ext_custom_mode"), exact=True).check()
    panel.get_by_label(at.label("ext_instrumental"), exact=True).check()
    expect(go).to_be_enabled(timeout=FOLLOW_MS)


# ---------------------------------------------------------------------------- refusals
def test_a_refusal_is_shown_at_its_field_by_its_label(
    browsing: Browsing, studio: RunningStudio
) -> None:
    from playwright.sync_api import expect

    at = browsing
    panel = open_tab(at, "text_to_music", "ttm")
    at.page.locator("#ttm-prompt textarea").fill("calm piano")
    seed = panel.get_by_label(at.label("seed"), exact=True)
    seed.fill("5000000000")
    seed.press("Tab")
    before = jobs(studio)
    at.page.locator("#ttm-generate").click()
    shown = refusal_at(seed)
    said = refusal("text_to_music", {"prompt": "x", "seed": 5_000_000_000}, "seed", at.lang)
    expect(shown).to_have_text(said)
    assert said.startswith(at.label("seed") + ("：" if at.lang == "zh" else ": ")), said
    if at.lang == "zh":
        assert CJK.search(said.partition("：")[2]), said
        assert not re.search(r"\b(use|is|too|the)\b", said), said  # no English sentence
    at.shot("2-seed-refused-at-its-field")
    # Nothing started, nothing popped up, and the status did not move.
    expect(at.page.locator(".toast-body")).to_have_count(0)
    expect(at.page.locator("#ttm-status")).to_contain_text(at.label("ready"))
    assert jobs(studio) == before

    # A rule of one mode, at its field: custom mode needs a style.
    panel = open_tab(at, "extend_music", "ext")
    upload(at, "ext-audio", SHORT_SONG, "audio")
    at.page.locator("#ext-prompt textarea").fill("la la la")
    panel.get_by_label(at.label("ext_custom_mode"), exact=True).check()
    at.page.locator("#ext-generate").click()
    # A textbox's name then holds the refusal too: find it by how its name starts.
    style = panel.get_by_role("textbox", name=re.compile("^" + re.escape(at.label("ext_style"))))
    said = refusal(
        "extend_music",
        {"upload_url": "https://e.com/a.mp3", "prompt": "la", "custom_mode": True},
        "ext_style",
        at.lang,
    )
    expect(refusal_at(style)).to_have_text(said)
    at.shot("3-style-refused-in-custom-mode")
    expect(at.page.locator(".toast-body")).to_have_count(0)
    assert jobs(studio) == before


# ---------------------------------------------------------------------------- typed out of range
def test_typing_past_a_bound_is_corrected_and_said(browsing: Browsing) -> None:
    from playwright.sync_api import expect

    at = browsing
    panel = open_tab(at, "text_to_music", "ttm")
    name = at.label("ttm_seconds")
    box = panel.get_by_label(f"number input for {name}")
    slider = block_of(box)
    box.fill("60")
    box.press("Tab")
    expect(box).to_have_value("50")
    said = render(msg("value_corrected", value="60", low="1", high="50", used="50"), at.lang)
    expect(slider).to_contain_text(said, timeout=FOLLOW_MS)
    at.shot("4-seconds-60-set-to-50")
    box.fill("20")
    box.press("Tab")
    expect(slider).to_contain_text(at.label("ttm_seconds_info"), timeout=FOLLOW_MS)
    expect(slider).not_to_contain_text(said)


# ---------------------------------------------------------------------------- extend's defaults
def test_extend_with_its_defaults_and_an_uploaded_song_succeeds(
    browsing: Browsing, studio: RunningStudio
) -> None:
    from playwright.sync_api import expect

    at = browsing
    panel = open_tab(at, "extend_music", "ext")
    # The number box shows 0, and its hint says what 0 means.
    continue_at = panel.get_by_label(at.label("ext_continue_at"), exact=True)
    expect(continue_at).to_have_value("0")
    expect(block_of(continue_at)).to_contain_text(at.label("ext_continue_at_info"))
    upload(at, "ext-audio", SHORT_SONG, "audio")
    prompt = f"a brighter chorus {at.lang}"
    at.page.locator("#ext-prompt textarea").fill(prompt)
    at.page.locator("#ext-generate").click()
    expect(at.page.locator("#ext-status")).to_contain_text(DONE[at.lang], timeout=JOB_TIMEOUT_MS)
    expect(at.page.locator(".toast-body")).to_have_count(0)
    expect(panel.locator(".validation-error")).to_have_count(0)
    at.shot("5-extend-defaults-done")
    job = settled(studio, "extend_music", prompt)
    assert job.state == "succeeded", job
    assert job.params["continue_at"] is None  # 0 on the page: from the end of the song


def settled(studio: RunningStudio, capability: str, prompt: str) -> Any:
    """The job with `prompt` once the store has its end (the page may say Done just before)."""
    store = studio.studio.services.store
    deadline = time.monotonic() + 10
    while True:
        (job,) = [j for j in store.list(capability=capability) if j.params["prompt"] == prompt]
        if job.state not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
