"""tabs/validation.py's pure parts: where a refusal is shown, how it is named, what a slider's
hint says after a typed value was moved back."""

from __future__ import annotations

import pytest
from gradio.i18n import I18nData

from core.errors import InvalidRequest
from core.messages import msg
from core.requests import build_request
from tabs.capabilities import SPECS
from tabs.i18n import label
from tabs.validation import PROVIDER, correction_note, page_refusal, shown_at

HINT = I18nData("ttm_seconds_info")


@pytest.mark.parametrize(
    ("value", "lang", "said"),
    [
        (60, "en", "60 is outside 1 to 50, so it was set to 50."),
        (0.5, "en", "0.5 is outside 1 to 50, so it was set to 1."),
        (60.0, "zh", "60 超出了 1 到 50 的范围，已改为 50。"),
    ],
)
def test_a_value_moved_back_is_said_in_the_hint(value: float, lang: str, said: str) -> None:
    assert correction_note(value, 1, 50, HINT, lang) == said  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [1, 50, 20.5, None, "abc", True])
def test_otherwise_the_hint_is_the_fields_own(value: object) -> None:
    assert correction_note(value, 1, 50, HINT, "en") is HINT
    assert correction_note(value, 1, 50, None, "en") == ""


@pytest.mark.parametrize(
    ("capability", "field", "provider", "at"),
    [
        ("text_to_music", "seed", "offline", "seed"),
        ("extend_music", "style", "offline", "style"),
        # The one of two sources the provider's tab shows.
        ("video_upscale", "video", "offline", "video"),
        ("video_upscale", "video", "vidu", "creation_id"),
        ("video_upscale", "creation_id", "offline", "video"),
        # No input of its own: the picker.
        ("text_to_music", "capability", "offline", PROVIDER),
        ("extend_music", "source_seconds", "offline", PROVIDER),
        # Suno's own fields are hidden for offline.
        ("extend_music", "style_weight", "offline", PROVIDER),
        ("extend_music", "style_weight", "suno", "style_weight"),
    ],
)
def test_a_refusal_is_shown_where_the_page_shows_its_field(
    capability: str, field: str, provider: str, at: str
) -> None:
    (spec,) = [s for s in SPECS if s.capability == capability]
    assert shown_at(spec, field, provider) == at


def test_a_refusal_is_named_by_the_label_in_the_pages_language() -> None:
    with pytest.raises(InvalidRequest) as caught:
        build_request("text_to_music", prompt="")
    assert page_refusal(caught.value, "prompt", "en") == (
        "Prompt: write at least 1 character (up to 2000)."
    )
    assert (
        page_refusal(caught.value, "prompt", "zh")
        == "提示词：请至少输入 1 个字符（最多 2000 个）。"
    )
    # Without a label (nothing on the page names it), the API name.
    assert page_refusal(caught.value, None, "en").startswith("prompt: ")


def test_the_providers_own_name_follows_in_brackets() -> None:
    refused = InvalidRequest("continue_at", msg("required"), provider_field="continueAt")
    assert page_refusal(refused, "ext_continue_at", "en") == (
        f"{label('en', 'ext_continue_at')} (continueAt): this is required."
    )
