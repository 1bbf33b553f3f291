"""Offline result file names: readable in English and Chinese, safe, carrying the seed."""

from __future__ import annotations

import pytest

from core.media import safe_name
from providers.offline.naming import output_name, slug


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("悲伤的钢琴曲 c小调 每分钟70拍", "悲伤的钢琴曲-c小调-每分钟70拍"),
        ("Calm piano, rain at night!", "calm-piano-rain-at-night"),
        ("日落时的海边", "日落时的海边"),
        ("   ", "untitled"),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_slug_keeps_words_whole(prompt: str, expected: str) -> None:
    assert slug(prompt) == expected


def test_output_name_survives_safe_name_unchanged() -> None:
    name = output_name("悲伤的钢琴曲 c小调", 42, "wav", index=2)
    assert name == "悲伤的钢琴曲-c小调-42-3.wav"
    assert safe_name(name) == name


def test_slug_is_bounded() -> None:
    assert len(slug("钢琴" * 100)) <= 40
