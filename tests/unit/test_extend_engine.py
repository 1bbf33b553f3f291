"""The offline extend-a-song engine: keep the start exactly, continue in time, in key, seamlessly."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from providers.offline.music.audio_analysis import analyse_song
from providers.offline.music.extend import DEFAULT_EXTENSION_S, extend_song
from providers.offline.music.music import SAMPLE_RATE, EngineCancelled, plan_music, render_music
from tests.analysis_helpers import estimate_key, estimate_tempo, rms_dbfs

SR = SAMPLE_RATE
CONTINUE_AT = 12.0
EXTRA = 14.0


@pytest.fixture(scope="module")
def source() -> np.ndarray:
    """A 20 s song the test knows: D major, 112 bpm."""
    return render_music(plan_music("pop song with piano in D major at 112 bpm", 5, 7.0, 50), 20.0)


@pytest.fixture(scope="module")
def extended(source: np.ndarray) -> np.ndarray:
    out, _ = extend_song(
        source, SR, CONTINUE_AT, EXTRA, "acoustic folk", "a walk in the sun", 9, True
    )
    return out


def test_the_engine_hears_the_source_tempo_and_key(source: np.ndarray) -> None:
    analysis = analyse_song(source, SR)
    assert abs(analysis.tempo_bpm - 112.0) <= 0.02 * 112.0
    assert analysis.key_name == "D major"
    assert -25.0 < analysis.loudness_dbfs < -10.0
    assert analysis.channels == 2
    assert abs(analysis.duration_s - 20.0) < 1e-6
    # Beats of the source start at 0: the measured phase must sit on that grid.
    period = 60.0 / analysis.tempo_bpm
    miss = (analysis.beat_offset_s + period / 2) % period - period / 2
    assert abs(miss) < 0.03


def test_keeps_the_start_sample_exact_and_has_the_right_length(
    source: np.ndarray, extended: np.ndarray
) -> None:
    keep = round(CONTINUE_AT * SR)
    assert extended.shape == (round((CONTINUE_AT + EXTRA) * SR), 2)
    assert extended.dtype == np.float32
    assert np.array_equal(extended[:keep], source[:keep])
    assert np.isfinite(extended).all()
    assert np.abs(extended).max() <= 0.98
    # Something new follows: not silence, not a copy of the source's remainder.
    tail = extended[keep + SR : keep + 6 * SR]
    assert rms_dbfs(tail) > -35.0
    assert not np.allclose(tail, source[keep + SR : keep + 6 * SR], atol=1e-3)


def test_the_continuation_keeps_tempo_and_key(source: np.ndarray, extended: np.ndarray) -> None:
    keep = round(CONTINUE_AT * SR)
    before = source[:keep]
    after = extended[keep + SR :]
    tempo_before = estimate_tempo(before, SR).bpm
    tempo_after = estimate_tempo(after, SR).bpm
    assert abs(tempo_after - tempo_before) <= 0.04 * tempo_before, (tempo_before, tempo_after)
    key_before, key_after = estimate_key(before, SR), estimate_key(after, SR)
    assert key_after.name == key_before.name, (key_before.name, key_after.name)


def test_no_click_at_the_join(extended: np.ndarray) -> None:
    keep = round(CONTINUE_AT * SR)
    jumps = np.abs(np.diff(extended, axis=0)).max(axis=1)
    around = jumps[keep - SR // 20 : keep + SR // 2]
    elsewhere = np.concatenate([jumps[: keep - SR], jumps[keep + SR :]])
    assert around.max() <= 1.5 * np.percentile(elsewhere, 99.9)


def test_the_continuation_is_as_loud_as_the_source_before_the_join(
    source: np.ndarray, extended: np.ndarray
) -> None:
    keep = round(CONTINUE_AT * SR)
    reference = rms_dbfs(source[keep - 5 * SR : keep])
    continuation = rms_dbfs(extended[keep : keep + 10 * SR])
    assert abs(continuation - reference) <= 3.0, (reference, continuation)


def test_quiet_mono_source_at_another_rate(source: np.ndarray) -> None:
    rate = 22050
    mono = (signal.resample_poly(source.mean(axis=1), 1, 2) * 0.25).astype(np.float32)
    calls: list[float] = []
    out, analysis = extend_song(
        mono,
        rate,
        10.0,
        6.0,
        "",
        "a gentle song",
        3,
        False,
        on_progress=lambda f, m, p: calls.append(f),
    )
    keep = 10 * rate
    assert out.shape == (16 * rate, 2)
    assert np.array_equal(out[:keep, 0], mono[:keep])
    assert np.array_equal(out[:keep, 1], mono[:keep])
    assert analysis.sample_rate == rate
    assert analysis.channels == 1
    assert analysis.key_name == "D major"
    reference = rms_dbfs(mono[keep - 5 * rate : keep])
    assert abs(rms_dbfs(out[keep : keep + 5 * rate]) - reference) <= 3.0
    assert len(calls) >= 10
    assert calls == sorted(calls)
    assert calls[-1] == 1.0


def test_rejects_bad_requests_and_can_be_stopped(source: np.ndarray) -> None:
    with pytest.raises(ValueError, match="within the song"):
        extend_song(source, SR, 25.0, 10.0, "", "x", 1, True)
    with pytest.raises(ValueError, match="greater than 0"):
        extend_song(source, SR, 0.0, 10.0, "", "x", 1, True)
    with pytest.raises(ValueError, match="extra_seconds"):
        extend_song(source, SR, 5.0, 0.0, "", "x", 1, True)
    polls: list[int] = []

    def stop() -> bool:
        polls.append(1)
        return len(polls) > 4

    with pytest.raises(EngineCancelled):
        extend_song(source, SR, 5.0, 10.0, "", "x", 1, True, should_stop=stop)
    assert DEFAULT_EXTENSION_S == 30.0
