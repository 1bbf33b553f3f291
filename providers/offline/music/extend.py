"""Offline extend-a-song: keep the start of an uploaded song and continue it.

The song is analysed (providers.offline.music.audio_analysis): its tempo, beat phase and key become
stated facts of the continuation's plan, while the style and prompt words steer everything
else (instruments, mood, genre). The continuation is rendered on the source's beat grid,
matched to the loudness of the source's last seconds before the join, and crossfaded in over
at most one beat, so the first `continue_at` seconds are kept sample for sample and the join
has no click. Without `instrumental`, the melody is sung by a wordless synthetic voice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import numpy as np
from scipy import signal

from core.messages import Text, msg
from providers.offline.music.audio_analysis import SongAnalysis, analyse_song, rms_dbfs
from providers.offline.music.music import (
    SAMPLE_RATE,
    EngineCancelled,
    MusicPlan,
    ProgressCallback,
    plan_from_words,
    render_music,
)
from providers.offline.music.prompt_words import parse_prompt

__all__ = ["DEFAULT_EXTENSION_S", "MAX_EXTENSION_S", "extend_song", "plan_extension"]

DEFAULT_EXTENSION_S = 30.0
MAX_EXTENSION_S = 240.0
LOUDNESS_WINDOW_S = 5.0  # the "last seconds" before the join whose loudness the continuation takes
_MAX_CROSSFADE_S = 0.5
_PEAK_LIMIT = 0.98


def _stereo(samples: np.ndarray) -> np.ndarray:
    data = np.asarray(samples)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] < 1:
        raise ValueError("audio must be shaped (n,) or (n, channels)")
    if np.issubdtype(data.dtype, np.integer):
        scale = float(np.iinfo(data.dtype).max) + 1.0
        data = data.astype(np.float64) / scale
    data = data.astype(np.float32, copy=False)
    if data.shape[1] == 1:
        return np.repeat(data, 2, axis=1)
    return np.ascontiguousarray(data[:, :2])


def _genre_for(analysis: SongAnalysis) -> str:
    if analysis.tempo_bpm >= 112:
        return "pop"
    if analysis.tempo_bpm >= 88:
        return "soft"
    return "piano" if analysis.brightness_hz < 1500 else "soft"


def _mood_for(analysis: SongAnalysis) -> str:
    if analysis.mode == "major":
        return "happy" if analysis.tempo_bpm >= 110 else "warm"
    return "sad" if analysis.tempo_bpm < 90 else "dark"


def plan_extension(
    analysis: SongAnalysis, style: str, prompt: str, seed: int, instrumental: bool
) -> MusicPlan:
    """The continuation's plan: key and tempo from the song, the rest from style and prompt."""
    text = " ".join(part for part in (style, prompt) if part and part.strip())
    words = parse_prompt(text)
    instruments = words.instruments
    if not instrumental and not any(i != "drums" and i != "bass" for i in instruments or ()):
        instruments = ("voice", *(instruments or ()))
    words = replace(
        words,
        tempo_bpm=analysis.tempo_bpm,
        tonic=analysis.tonic,
        mode=analysis.mode,  # type: ignore[arg-type]
        genre=words.genre or _genre_for(analysis),
        mood=words.mood or _mood_for(analysis),
        instruments=instruments,
    )
    return plan_from_words(words, prompt=text or "continuation", seed=seed, cfg=9.0, steps=60)


def _resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    if from_rate == to_rate:
        return audio
    ratio = Fraction(to_rate, from_rate).limit_denominator(1000)
    out = signal.resample_poly(audio, ratio.numerator, ratio.denominator, axis=0)
    return out.astype(np.float32)


def _soft_limit(x: np.ndarray) -> np.ndarray:
    knee = 0.8
    room = _PEAK_LIMIT - knee - 1e-4
    magnitude = np.abs(x)
    over = magnitude > knee
    if np.any(over):
        x = x.copy()
        x[over] = np.sign(x[over]) * (knee + room * np.tanh((magnitude[over] - knee) / room))
    return x


def extend_song(
    samples: np.ndarray,
    sr: int,
    continue_at: float,
    extra_seconds: float,
    style: str,
    prompt: str,
    seed: int,
    instrumental: bool,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, SongAnalysis]:
    """The whole extended song, (round((continue_at + extra_seconds)·sr), 2) float32 at `sr`.

    The first round(continue_at·sr) frames are the source's own (as float32 stereo; a mono
    source is copied to both channels). Progress goes to `on_progress` (partial audio is None
    until the final call, which carries the finished song); `should_stop` is polled between
    render chunks and raises EngineCancelled.
    """
    if sr <= 0:
        raise ValueError("sample rate must be positive")
    source = _stereo(samples)
    duration = len(source) / sr
    if not math.isfinite(continue_at) or continue_at <= 0:
        raise ValueError("continue_at must be greater than 0")
    if continue_at > duration + 1e-9:
        raise ValueError(
            f"continue_at ({continue_at:.2f} s) must be within the song ({duration:.2f} s)"
        )
    if not math.isfinite(extra_seconds) or not 0 < extra_seconds <= MAX_EXTENSION_S:
        raise ValueError(f"extra_seconds must be between 0 and {MAX_EXTENSION_S:.0f}")

    def report(fraction: float, message: Text, partial: np.ndarray | None = None) -> None:
        if on_progress is not None:
            on_progress(fraction, message, partial)

    if should_stop is not None and should_stop():
        raise EngineCancelled("stopped")
    keep = min(len(source), round(continue_at * sr))
    # The continuation must follow what is kept: analyse the last minute before the join.
    window_start = max(0, keep - 60 * sr)
    analysed = source[window_start:keep] if keep - window_start >= 4 * sr else source
    analysis = analyse_song(analysed, sr)
    analysis = replace(
        analysis,
        beat_offset_s=analysis.beat_offset_s + (window_start / sr if analysed is not source else 0),
        loudness_dbfs=rms_dbfs(source),
        duration_s=duration,
        channels=1 if np.asarray(samples).ndim == 1 else int(np.asarray(samples).shape[1]),
    )
    report(0.08, msg("extend_analysed", key=analysis.key_name, bpm=f"{analysis.tempo_bpm:.1f}"))
    plan = plan_extension(analysis, style, prompt, seed, instrumental)

    # Start the continuation on the source's last beat at or before the join.
    period = 60.0 / analysis.tempo_bpm
    beats_before = math.floor((continue_at - analysis.beat_offset_s) / period + 1e-9)
    grid_start = analysis.beat_offset_s + beats_before * period
    if grid_start > continue_at or grid_start < 0:
        grid_start = max(0.0, continue_at - period)
    total = continue_at + extra_seconds
    render_seconds = total - grid_start

    def inner_progress(fraction: float, message: Text, partial: np.ndarray | None) -> None:
        report(0.1 + 0.8 * fraction, message)

    generated = render_music(
        plan, render_seconds, on_progress=inner_progress, should_stop=should_stop
    )
    generated = _resample(generated, SAMPLE_RATE, sr)

    n_total = round(total * sr)
    offset = round(grid_start * sr)
    continuation = np.zeros((n_total - keep, 2), dtype=np.float32)
    usable = generated[keep - offset : keep - offset + len(continuation)]
    continuation[: len(usable)] = usable

    # Loudness: the continuation takes the loudness of the source's last seconds.
    reference = source[max(0, keep - round(LOUDNESS_WINDOW_S * sr)) : keep]
    target_db = rms_dbfs(reference)
    if target_db < -50.0:
        target_db = max(analysis.loudness_dbfs, -30.0)
    body = continuation[: max(1, min(len(continuation), round(10.0 * sr)))]
    gain = 10.0 ** ((target_db - rms_dbfs(body)) / 20.0)
    continuation = _soft_limit(continuation * np.float32(np.clip(gain, 0.05, 20.0)))

    # Equal-power crossfade from the source's own continuation into ours, at most one beat.
    fade_len = min(round(min(_MAX_CROSSFADE_S, period) * sr), len(source) - keep, len(continuation))
    if fade_len > 0:
        theta = np.linspace(0.0, np.pi / 2.0, fade_len, dtype=np.float32)[:, None]
        continuation[:fade_len] = source[keep : keep + fade_len] * np.cos(theta) + continuation[
            :fade_len
        ] * np.sin(theta)
    else:
        ramp = min(len(continuation), round(0.01 * sr))
        continuation[:ramp] *= np.linspace(0.0, 1.0, ramp, dtype=np.float32)[:, None]

    result = np.empty((n_total, 2), dtype=np.float32)
    result[:keep] = source[:keep]
    result[keep:] = continuation
    np.nan_to_num(result, copy=False)
    report(1.0, msg("engine_done"), result)
    return result, analysis
