"""Every tab renders in a real browser, in English and in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# (tab title, an element only that tab has, screenshot name)
TABS = [
    ("Text to music", "#ttm-status", "text-to-music"),
    ("Image to music", "#itm-generate", "image-to-music"),
    ("Extend a song", "#ext-generate", "extend-a-song"),
    ("Text to image", "#tti-generate", "text-to-image"),
    ("Video upscale", "#vup-generate", "video-upscale"),
    ("History", "#history-table", "history"),
    ("Settings", "#settings-save", "settings"),
]
# The titles the i18n table gives these tabs in Simplified Chinese, in the same order.
# What Gradio shows where a translatable label reached the page untranslated.
RAW_I18N = "__i18n__"
TABS_ZH = ["文生音乐", "图生音乐", "续写歌曲", "文生图", "视频超分", "历史记录", "设置"]


def test_each_tab_renders_its_controls(page: Page) -> None:
    from playwright.sync_api import expect

    titles = page.get_by_role("tab").all_inner_texts()
    assert [t.strip() for t in titles] == [title for title, _, _ in TABS]
    for title, marker, name in TABS:
        page.get_by_role("tab", name=title, exact=True).click()
        expect(page.get_by_role("tab", name=title, exact=True)).to_have_attribute(
            "aria-selected", "true"
        )
        expect(page.locator(marker)).to_be_visible()
        # Only the chosen tab's panel is shown, and every label in it made it through i18n.
        expect(page.get_by_role("tabpanel")).to_have_count(1)
        expect(page.get_by_role("tabpanel")).not_to_contain_text(RAW_I18N)
        shot = screenshot(page, f"en-{name}")
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def test_a_chinese_browser_sees_chinese_labels(zh_page: Page) -> None:
    from playwright.sync_api import expect

    titles = [t.strip() for t in zh_page.get_by_role("tab").all_inner_texts()]
    assert titles == TABS_ZH
    for title, (_, marker, name) in zip(TABS_ZH, TABS, strict=True):
        zh_page.get_by_role("tab", name=title, exact=True).click()
        expect(zh_page.locator(marker)).to_be_visible()
        expect(zh_page.get_by_role("tabpanel")).not_to_contain_text(RAW_I18N)
        if name in {"text-to-music", "history"}:
            screenshot(zh_page, f"zh-{name}")
    # Gradio's own footer follows the browser language too.
    expect(zh_page.locator("footer")).not_to_contain_text("Built with Gradio")
