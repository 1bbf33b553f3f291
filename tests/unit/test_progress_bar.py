"""The one status a tab shows (tabs/progress_bar.py): percent, step, elapsed time and ETA from
the provider's own figures, or estimated from the usual duration, and drawn without emoji."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.events import Cancelled, Failed, Output, Queued, Running, Succeeded
from core.messages import msg
from core.store import JobStore
from tabs.progress_bar import (
    BUSY_CLASS,
    ESTIMATE_CAP,
    Progress,
    estimate,
    progress_of,
    render,
    usual_duration,
)

RENDERING = msg("music_rendering", done="3.0", total="6.0")


def test_the_providers_figures_come_first() -> None:
    assert estimate(Running(percent=40, eta_s=30), 20, usual_s=600) == (40, 30, False)
    assert estimate(Running(percent=140), 20, None) == (100, None, False)


def test_an_eta_alone_gives_the_share_of_time_done() -> None:
    percent, left, estimated = estimate(Running(eta_s=30), 10, usual_s=None)
    assert (percent, left, estimated) == (25, 30, True)


def test_no_figures_are_estimated_from_the_usual_duration() -> None:
    assert estimate(Running(), 30, usual_s=120) == (25, 90, True)
    # Past the usual time the bar waits below the end and says nothing of time left.
    assert estimate(Running(), 200, usual_s=120) == (ESTIMATE_CAP, None, True)
    # Nothing known: the bar runs without a value.
    assert estimate(Running(), 30, usual_s=None) == (None, None, False)


def test_the_usual_duration_is_the_median_of_that_providers_finished_jobs(
    tmp_path: Path,
) -> None:
    store = JobStore(tmp_path / "jobs.db")
    try:
        assert usual_duration(store, "suno", "extend_music") is None
        now = time.time()
        spans = {"a": 40.0, "b": 60.0, "c": 100.0}
        for job_id, span in spans.items():
            store.create(job_id, "extend_music", "suno", {}, tmp_path, created_at=now - span)
            store.update_state(job_id, "succeeded")
        # Neither a failed job, another provider nor another capability counts.
        store.create("d", "extend_music", "suno", {}, tmp_path, created_at=now - 900)
        store.update_state("d", "failed")
        store.create("e", "extend_music", "offline", {}, tmp_path, created_at=now - 900)
        store.update_state("e", "succeeded")
        store.create("f", "text_to_music", "suno", {}, tmp_path, created_at=now - 900)
        store.update_state("f", "succeeded")
        assert usual_duration(store, "suno", "extend_music") == pytest.approx(60, abs=1)
    finally:
        store.close()


def test_a_remote_job_without_figures_says_its_estimate(tmp_path: Path) -> None:
    progress = progress_of(Running(), 30, "en", usual_s=120)
    assert progress == Progress(
        "running",
        "Running",
        "30 s elapsed · about 1 min 30 s left · estimated from the usual 2 min 00 s",
        25,
        estimated=True,
    )
    late = progress_of(Running(message=RENDERING), 200, "zh", usual_s=120)
    assert late.headline == "已渲染 3.0 / 6.0 秒"
    assert late.times == "已用时 3 分 20 秒 · 比通常的 2 分 00 秒 更久"


def test_each_end_is_said_in_its_own_words(tmp_path: Path) -> None:
    out = Output(path=tmp_path / "a.mp3", kind="audio")
    assert progress_of(Succeeded(outputs=[out]), 5).headline == "Done in 5 s — 1 file"
    stopped = progress_of(Cancelled(outputs=[out, out, out]), 5, "en")
    assert (stopped.state, stopped.headline) == ("cancelled", "Stopped after 5 s — 3 files kept")
    assert not stopped.busy
    failed = progress_of(Failed(message="Quota exceeded."), 5, "zh")
    assert (failed.state, failed.headline) == ("failed", "失败：Quota exceeded.")
    assert (
        progress_of(Queued(position=3), 2).headline == "Queued — position 3 in line · 2 s waiting"
    )


def test_the_page_draws_one_bar_and_an_icon_not_an_emoji() -> None:
    running = render(progress_of(Running(percent=42.4, message=RENDERING, eta_s=8), 6))
    assert BUSY_CLASS in running
    assert running.count("<progress") == 1
    assert 'value="42.4"' in running
    assert ">42%<" in running
    assert "<svg" in running
    assert "\n\n" not in running  # one HTML block: Markdown leaves it as it is
    assert all(ord(char) < 0x2190 or char in "—·…" for char in running), running
    unknown = render(progress_of(Running(), 6))
    assert "<progress" in unknown
    assert "value=" not in unknown
    estimated = render(progress_of(Running(), 30, usual_s=120))
    assert ">~25%<" in estimated
    done = render(progress_of(Succeeded(outputs=[]), 6))
    assert BUSY_CLASS not in done
    assert "<progress" not in done


def test_what_a_provider_writes_is_shown_as_text() -> None:
    shown = render(progress_of(Running(message="<img src=x onerror=alert(1)> costs $5"), 1))
    assert "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "$" not in shown  # a dollar would start a formula in Gradio's Markdown
