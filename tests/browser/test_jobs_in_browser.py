"""Jobs started, stopped and found again from a real browser."""

from __future__ import annotations

import re
import time
import uuid
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import panel, screenshot, set_number

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

    from tests.studio_server import RunningStudio

pytestmark = pytest.mark.browser

JOB_TIMEOUT_MS = 60_000
# The status while a job is queued or running (tabs/progress_bar.py).
JOB_REPORTED = ".studio-busy"
ANY_URL = re.compile(r"^(https?://|/|blob:).+")


def unique(prompt: str) -> str:
    return f"{prompt} {uuid.uuid4().hex[:8]}"


def jobs_with_prompt(studio: RunningStudio, capability: str, prompt: str) -> list:
    found = studio.studio.services.store.list(capability=capability, limit=500)
    return [job for job in found if job.params.get("prompt") == prompt]


def test_text_to_music_plays_the_song_it_made(page: Page) -> None:
    from playwright.sync_api import expect

    tab = panel(page, "ttm-generate")
    tab.get_by_label("Prompt").fill(unique("calm lofi piano in A minor, 80 bpm"))
    set_number(tab, "Seconds", 3)
    page.locator("#ttm-generate").click()
    expect(page.locator("#ttm-status")).to_contain_text("Done", timeout=JOB_TIMEOUT_MS)
    result = page.locator("#ttm-result")
    # The download link carries the file's URL on the studio; the player holds what it fetched.
    link = result.get_by_test_id("download-link")
    expect(link).to_have_attribute("href", ANY_URL, timeout=10_000)
    href = link.get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.ok, f"{href}: HTTP {response.status}"
    assert response.headers["content-type"].startswith("audio/"), response.headers
    body = response.body()
    assert body[:4] == b"RIFF", body[:16]
    assert body[8:12] == b"WAVE", body[:16]
    # 3 s of 16-bit stereo at 44.1 kHz, give or take the header.
    assert abs(len(body) - 3 * 44_100 * 2 * 2) < 4_096, len(body)
    # The browser itself decoded the song and knows its length.
    player = result.get_by_test_id("waveform-Result").locator("audio")
    expect(player).to_have_attribute("src", ANY_URL, timeout=10_000)
    duration = player.evaluate(
        """el => el.readyState >= 1 ? el.duration
            : new Promise(ok => el.addEventListener('loadedmetadata', () => ok(el.duration)))"""
    )
    assert abs(duration - 3.0) < 0.05, duration
    screenshot(page, "en-text-to-music-done")


def test_text_to_image_shows_the_picture_in_the_gallery(page: Page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Text to image", exact=True).click()
    tab = panel(page, "tti-generate")
    tab.get_by_label("Prompt", exact=True).fill(unique("a lighthouse at dusk, oil painting"))
    set_number(tab, "Width", 256)
    set_number(tab, "Height", 192)
    set_number(tab, "Steps", 8)
    page.locator("#tti-generate").click()
    expect(page.locator("#tti-status")).to_contain_text("Done", timeout=JOB_TIMEOUT_MS)
    image = page.locator("#tti-gallery img").first
    expect(image).to_be_visible(timeout=10_000)
    size = image.evaluate(
        """img => img.complete && img.naturalWidth ? [img.naturalWidth, img.naturalHeight]
            : new Promise(ok => img.addEventListener('load',
                () => ok([img.naturalWidth, img.naturalHeight])))"""
    )
    assert size == [256, 192], size
    screenshot(page, "en-text-to-image-done")


def test_stop_cancels_a_running_job(page: Page, studio: RunningStudio) -> None:
    from playwright.sync_api import expect

    prompt = unique("epic orchestral strings, dark")
    tab = panel(page, "ttm-generate")
    tab.get_by_label("Prompt").fill(prompt)
    set_number(tab, "Seconds", 40)
    started = time.monotonic()
    page.locator("#ttm-generate").click()
    status = page.locator("#ttm-status")
    # Stop as soon as the studio reports the job (queued or running), as a person would; the
    # piece renders at ~10x real time here, so 40 s leave a few seconds to stop it in.
    expect(status.locator(JOB_REPORTED)).to_be_visible(timeout=JOB_TIMEOUT_MS)
    seen = status.inner_text()
    page.locator("#ttm-stop").click()
    stopped_after = time.monotonic() - started

    deadline = time.monotonic() + 20
    states: list[str] = []
    while time.monotonic() < deadline:
        states = [job.state for job in jobs_with_prompt(studio, "text_to_music", prompt)]
        if states and states[0] in {"succeeded", "failed", "cancelled"}:
            break
        time.sleep(0.1)
    assert states == ["cancelled"], f"{states}; Stop clicked {stopped_after:.1f} s in at {seen!r}"
    (job,) = jobs_with_prompt(studio, "text_to_music", prompt)
    assert job.outputs == []
    expect(status).not_to_contain_text("Done")
    # Said calmly, in the tab's own status: no error.
    expect(status.locator(".studio-cancelled")).to_contain_text("Stopped")
    expect(page.locator(".toast-body")).to_have_count(0)


def test_history_lists_a_finished_job(page: Page, studio: RunningStudio, downloads: Path) -> None:
    from playwright.sync_api import expect

    prompt = unique("happy pop in C major, 120 bpm")
    studio.client(downloads).predict(
        prompt=prompt, seconds=2, steps=10, cfg=7.0, seed=7, api_name="/text_to_music"
    )
    (job,) = jobs_with_prompt(studio, "text_to_music", prompt)
    assert job.state == "succeeded"

    page.get_by_role("tab", name="History", exact=True).click()
    page.get_by_role("button", name="↻ Refresh").click()
    table = page.locator("#history-table")
    expect(table).to_contain_text(job.id)
    expect(table).to_contain_text(prompt[:40])
    screenshot(page, "en-history-with-job")
