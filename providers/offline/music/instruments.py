"""Instrument and drum synthesis for the offline music engine: numpy only, one note at a time.

Every voice is rendered as a whole vector (additive partials, FM, or Karplus–Strong run one
period per numpy step), never with a per-sample Python loop. A `Synth` caches each
(instrument, pitch, held duration) it has rendered at velocity 1, because a piece repeats its
chords and motifs: most notes after the first bars come from the cache and only cost a scaled add.
All randomness (pluck excitation, breath, drum noise) comes from generators seeded from the
piece's seed and the note itself, so a render is bit-for-bit repeatable.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
from scipy import signal

SAMPLE_RATE = 44100
TWO_PI = np.float32(2.0 * np.pi)
_DUR_QUANTUM_S = 0.01  # held durations are rounded to 10 ms so repeated notes share a cache entry


@dataclass(frozen=True)
class Mix:
    """Where an instrument sits in the mix: level, stereo position (-1 … 1), reverb send."""

    level: float
    pan: float
    send: float


# Levels were set by ear and by measuring each instrument's RMS at velocity 1.
MIX: dict[str, Mix] = {
    "piano": Mix(0.50, 0.0, 0.30),
    "epiano": Mix(0.50, 0.0, 0.25),
    "strings": Mix(0.30, 0.0, 0.45),
    "cello": Mix(0.34, -0.15, 0.40),
    "pad": Mix(0.26, 0.0, 0.55),
    "synth": Mix(0.28, 0.0, 0.30),
    "synthbass": Mix(0.40, 0.0, 0.05),
    "bass": Mix(0.52, 0.0, 0.05),
    "upright": Mix(0.6, 0.0, 0.08),
    "guitar": Mix(0.55, 0.0, 0.25),
    "guzheng": Mix(0.55, 0.0, 0.40),
    "harp": Mix(0.55, 0.0, 0.45),
    "flute": Mix(0.38, 0.0, 0.40),
    "dizi": Mix(0.38, 0.0, 0.45),
    "erhu": Mix(0.32, 0.0, 0.45),
    "bells": Mix(0.36, 0.0, 0.45),
    "brass": Mix(0.28, 0.0, 0.40),
    "organ": Mix(0.26, 0.0, 0.30),
    "voice": Mix(0.36, 0.0, 0.45),
}

DRUM_MIX: dict[str, Mix] = {
    "kick": Mix(0.80, 0.0, 0.03),
    "snare": Mix(0.46, 0.05, 0.18),
    "hat": Mix(0.20, 0.30, 0.06),
    "openhat": Mix(0.16, 0.30, 0.10),
    "ride": Mix(0.2, -0.30, 0.12),
    "clap": Mix(0.40, -0.05, 0.22),
    "rim": Mix(0.32, -0.10, 0.15),
    "shaker": Mix(0.12, 0.35, 0.08),
    "woodblock": Mix(0.34, 0.20, 0.25),
    "tom": Mix(0.55, -0.20, 0.25),
    "taiko": Mix(0.80, 0.0, 0.30),
    "crash": Mix(0.20, -0.25, 0.25),
}

INSTRUMENT_NAMES: frozenset[str] = frozenset(MIX)
DRUM_NAMES: frozenset[str] = frozenset(DRUM_MIX)

_T_CACHE: list[np.ndarray] = [np.zeros(0, dtype=np.float32)]


def _time(n: int, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Seconds 0 … (n-1)/sr as float32 (one shared, growing array)."""
    if sr != SAMPLE_RATE:
        return (np.arange(n, dtype=np.float64) / sr).astype(np.float32)
    if len(_T_CACHE[0]) < n:
        _T_CACHE[0] = (np.arange(max(n, 8 * SAMPLE_RATE), dtype=np.float64) / SAMPLE_RATE).astype(
            np.float32
        )
    return _T_CACHE[0][:n]


def midi_to_hz(pitch: float) -> float:
    return float(440.0 * 2.0 ** ((pitch - 69.0) / 12.0))


def _envelope(n_hold: int, n_total: int, attack_s: float, release_s: float) -> np.ndarray:
    """Attack ramp, hold, then a smooth release after the note is let go."""
    env = np.ones(n_total, dtype=np.float32)
    n_att = max(1, min(int(attack_s * SAMPLE_RATE), n_total))
    env[:n_att] = np.linspace(0.0, 1.0, n_att, dtype=np.float32) ** 1.5
    n_rel = n_total - n_hold
    if n_rel > 0:
        env[n_hold:] *= np.exp(-np.linspace(0.0, 7.0, n_rel, dtype=np.float32))
    return env


def _vibrato_phase(
    f: float, t: np.ndarray, rate_hz: float, depth: float, delay_s: float, scoop: float = 0.0
) -> np.ndarray:
    """Phase in cycles of a tone with delayed vibrato and an optional scoop into the pitch.

    The frequency deviation is integrated in closed form so no cumulative sum is needed.
    """
    omega = 2.0 * np.pi * rate_hz
    ramp = np.clip((t - delay_s) / 0.35, 0.0, 1.0)
    cycles = f * (t + ramp * depth * (1.0 - np.cos(omega * t)) / omega)
    if scoop:
        tau = 0.05
        cycles -= f * scoop * tau * (1.0 - np.exp(-t / tau))
    return cycles.astype(np.float32)


def _additive(
    cycles: np.ndarray,
    t: np.ndarray,
    ratios: list[float],
    amps: list[float],
    decays: list[float] | None,
    f0: float,
    nyquist_guard: float = 16000.0,
) -> np.ndarray:
    out = np.zeros_like(t)
    base = TWO_PI * cycles
    for i, (ratio, amp) in enumerate(zip(ratios, amps, strict=True)):
        if f0 * ratio >= nyquist_guard or amp <= 0.0:
            continue
        partial = np.sin(base * np.float32(ratio))
        if decays is not None and decays[i] > 0.0:
            partial *= np.exp(t * np.float32(-decays[i]))
        out += np.float32(amp) * partial
    return out


def _saw_amps(
    f: float, top_hz: float, tilt: float, max_k: int = 16
) -> tuple[list[float], list[float]]:
    k_max = int(max(1, min(max_k, top_hz // f)))
    ratios = [float(k) for k in range(1, k_max + 1)]
    amps = [1.0 / k**tilt for k in range(1, k_max + 1)]
    return ratios, amps


def _one_pole_lowpass(x: np.ndarray, cutoff_hz: float) -> np.ndarray:
    a = float(np.exp(-2.0 * np.pi * cutoff_hz / SAMPLE_RATE))
    return signal.lfilter([1.0 - a], [1.0, -a], x).astype(np.float32)


def _karplus(
    f: float, n: int, decay_s: float, brightness: float, rng: np.random.Generator
) -> np.ndarray:
    """Plucked string: a noise burst circulating in a damped delay line, one period per step.

    The loop runs at an integer period, so the result is resampled to the exact pitch.
    """
    period = SAMPLE_RATE / f
    delay = max(2, round(period - 0.5))
    actual_period = delay + 0.5
    # Reading the loop `actual_period / period` samples per output sample restores the pitch.
    ratio = actual_period / period
    n_loop = int(np.ceil(n * ratio)) + delay + 2
    burst = rng.standard_normal(delay + 1).astype(np.float32)
    burst = _one_pole_lowpass(burst, 800.0 + 9000.0 * brightness)
    burst -= burst.mean()
    burst /= float(np.max(np.abs(burst))) + 1e-9
    loss = float(10.0 ** (-3.0 * actual_period / (decay_s * SAMPLE_RATE)))
    y = np.zeros(n_loop, dtype=np.float32)
    y[: delay + 1] = burst
    half_loss = np.float32(0.5 * loss)
    i = delay + 1
    while i < n_loop:
        j = min(i + delay, n_loop)
        y[i:j] = half_loss * (y[i - delay : j - delay] + y[i - delay - 1 : j - delay - 1])
        i = j
    positions = np.arange(n, dtype=np.float64) * ratio
    return np.interp(positions, np.arange(n_loop), y).astype(np.float32)


class Synth:
    """Renders notes and drum hits for one piece; caches what it has rendered.

    Toms and taiko are tuned to the piece's tonic, as a drummer tunes a kit to the song:
    a tom's strong fundamental would otherwise add a stray pitch to every fill.
    """

    def __init__(self, seed: int, tonic: int = 0) -> None:
        self._seed = int(seed) & 0xFFFFFFFF
        self._tonic = int(tonic) % 12
        self._notes: dict[tuple[str, int, int], np.ndarray] = {}
        self._drums: dict[str, np.ndarray] = {}

    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng([self._seed, *key])

    def note(self, instrument: str, pitch: int, hold_s: float) -> np.ndarray:
        """Mono float32 note at velocity 1, including its release tail (read-only)."""
        steps = max(1, round(hold_s / _DUR_QUANTUM_S))
        key = (instrument, int(pitch), steps)
        cached = self._notes.get(key)
        if cached is None:
            render = _RENDERERS.get(instrument)
            if render is None:
                raise ValueError(f"unknown instrument {instrument!r}")
            # crc32, not hash(): str hashes change between processes and would break repeatability.
            rng = self._rng(zlib.crc32(instrument.encode()), int(pitch), steps)
            cached = render(midi_to_hz(pitch), steps * _DUR_QUANTUM_S, rng)
            cached.setflags(write=False)
            self._notes[key] = cached
        return cached

    def drum(self, kind: str) -> np.ndarray:
        cached = self._drums.get(kind)
        if cached is None:
            render = _DRUMS.get(kind)
            if render is None:
                raise ValueError(f"unknown drum {kind!r}")
            rng = self._rng(0xD7, sorted(_DRUMS).index(kind))
            if kind == "tom":
                cached = _tom(rng, _tuned(self._tonic, 100.0))
            elif kind == "taiko":
                cached = _taiko(rng, _tuned(self._tonic, 52.0))
            else:
                cached = render(rng)
            cached.setflags(write=False)
            self._drums[kind] = cached
        return cached


# ---------------------------------------------------------------- pitched instruments


def _piano(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    ring = min(hold, 3.0 + 200.0 / f)
    n_hold = int(ring * SAMPLE_RATE)
    n = n_hold + int(0.18 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    k_max = int(max(2, min(10, 9000.0 // f)))
    stiffness = 2.5e-4
    ratios = [k * float(np.sqrt(1.0 + stiffness * k * k)) for k in range(1, k_max + 1)]
    amps = [(1.0 / k**1.25) * (1.0 if k < 4 else 0.8) for k in range(1, k_max + 1)]
    base_decay = 0.7 + f / 450.0
    decays = [base_decay * (1.0 + 0.55 * (k - 1)) for k in range(1, k_max + 1)]
    tone = _additive(cycles, t, ratios, amps, decays, f)
    # A second, slightly detuned string on the low partials gives the piano's slow beating.
    tone += _additive(cycles * np.float32(1.0007), t, ratios[:2], [0.35, 0.15], decays[:2], f)
    thump = rng.standard_normal(int(0.006 * SAMPLE_RATE)).astype(np.float32)
    thump = _one_pole_lowpass(thump, 1800.0) * np.float32(0.25)
    tone[: len(thump)] += thump * np.linspace(1, 0, len(thump), dtype=np.float32)
    return tone * _envelope(n_hold, n, 0.002, 0.18)


def _epiano(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    ring = min(hold, 2.5 + 120.0 / f)
    n_hold = int(ring * SAMPLE_RATE)
    n = n_hold + int(0.15 * SAMPLE_RATE)
    t = _time(n)
    phase = TWO_PI * np.float32(f) * t
    index = np.float32(1.4) * np.exp(t * np.float32(-5.0))
    tone = np.sin(phase + index * np.sin(phase)) * np.exp(t * np.float32(-(0.8 + f / 700.0)))
    if f * 7.0 < 15000.0:
        tone += np.float32(0.06) * np.sin(phase * np.float32(7.0)) * np.exp(t * np.float32(-30.0))
    tone *= np.float32(1.0) + np.float32(0.05) * np.sin(TWO_PI * np.float32(4.5) * t)
    return (tone * _envelope(n_hold, n, 0.003, 0.15)).astype(np.float32)


def _bowed(
    f: float,
    hold: float,
    *,
    tilt: float,
    top_hz: float,
    attack: float,
    release: float,
    vibrato: float,
    detune: float,
    scoop: float = 0.0,
) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(release * SAMPLE_RATE)
    t = _time(n)
    ratios, amps = _saw_amps(f, top_hz, tilt)
    cycles = _vibrato_phase(f, t, 5.5, vibrato, 0.25, scoop)
    tone = _additive(cycles, t, ratios, amps, None, f)
    if detune:
        tone += _additive(cycles * np.float32(1.0 + detune), t, ratios, amps, None, f)
        tone *= np.float32(0.6)
    return tone * _envelope(n_hold, n, min(attack, 0.4 * hold + 0.02), release)


def _strings(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _bowed(
        f, hold, tilt=1.15, top_hz=6500.0, attack=0.18, release=0.35, vibrato=0.0025, detune=0.004
    )


def _cello(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _bowed(
        f, hold, tilt=1.3, top_hz=3500.0, attack=0.12, release=0.3, vibrato=0.002, detune=0.0
    )


def _erhu(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _bowed(
        f,
        hold,
        tilt=1.05,
        top_hz=7000.0,
        attack=0.07,
        release=0.15,
        vibrato=0.007,
        detune=0.0,
        scoop=0.05,
    )


def _brass(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.15 * SAMPLE_RATE)
    t = _time(n)
    cycles = _vibrato_phase(f, t, 5.0, 0.002, 0.3)
    ratios, amps = _saw_amps(f, 7000.0, 1.0, 12)
    tone = np.zeros_like(t)
    for ratio, amp in zip(ratios, amps, strict=True):
        # Upper partials open later: the brassy "blat" at the start of each note.
        opening = np.float32(1.0) - np.exp(t * np.float32(-1.0 / (0.012 + 0.01 * ratio)))
        tone += np.float32(amp) * np.sin(TWO_PI * cycles * np.float32(ratio)) * opening
    return tone * _envelope(n_hold, n, 0.03, 0.15)


def _pad(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.7 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    ratios = [1.0, 2.0, 3.0, 5.0]
    amps = [1.0, 0.25, 0.12, 0.04]
    tone = _additive(cycles, t, ratios, amps, None, f)
    tone += _additive(cycles * np.float32(1.005), t, ratios, amps, None, f)
    tone += _additive(cycles * np.float32(0.995), t, ratios[:2], amps[:2], None, f)
    return tone * np.float32(0.45) * _envelope(n_hold, n, min(0.5, 0.5 * hold), 0.7)


def _synth(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.1 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    ratios, amps = _saw_amps(f, 9000.0, 1.0, 14)
    decays = [0.4 * r for r in ratios]
    tone = _additive(cycles, t, ratios, amps, decays, f)
    tone += _additive(cycles * np.float32(1.006), t, ratios, amps, decays, f)
    return tone * np.float32(0.55) * _envelope(n_hold, n, 0.006, 0.1)


def _synthbass(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.05 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    ratios, amps = _saw_amps(f, 4000.0, 1.0, 12)
    decays = [0.0] + [3.0 + 4.0 * r for r in ratios[1:]]
    return _additive(cycles, t, ratios, amps, decays, f) * _envelope(n_hold, n, 0.003, 0.05)


def _bass(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(min(hold, 3.0) * SAMPLE_RATE)
    n = n_hold + int(0.06 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    ratios = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    amps = [1.0, 0.55, 0.3, 0.16, 0.08, 0.05]
    decays = [0.6 + 1.6 * (k - 1) for k in range(1, 7)]
    return _additive(cycles, t, ratios, amps, decays, f) * _envelope(n_hold, n, 0.004, 0.06)


def _upright(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(min(hold, 2.5) * SAMPLE_RATE)
    n = n_hold + int(0.08 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    ratios = [1.0, 2.0, 3.0, 4.0, 5.0]
    amps = [1.0, 0.5, 0.22, 0.1, 0.05]
    decays = [1.4 + 3.0 * (k - 1) for k in range(1, 6)]
    return _additive(cycles, t, ratios, amps, decays, f) * _envelope(n_hold, n, 0.006, 0.08)


def _plucked(
    f: float, hold: float, rng: np.random.Generator, decay_s: float, brightness: float, tail: float
) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(tail * SAMPLE_RATE)
    tone = _karplus(f, n, decay_s, brightness, rng)
    return tone * _envelope(n_hold, n, 0.001, tail)


def _guitar(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _plucked(f, min(hold, 3.0), rng, 2.2 + 150.0 / f, 0.45, 0.12)


def _guzheng(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _plucked(f, min(hold + 0.6, 3.5), rng, 3.0 + 200.0 / f, 0.75, 0.3)


def _harp(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _plucked(f, min(hold + 0.8, 3.5), rng, 3.5 + 200.0 / f, 0.35, 0.4)


def _flute_like(
    f: float, hold: float, rng: np.random.Generator, amps: list[float], vibrato: float, scoop: float
) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.12 * SAMPLE_RATE)
    t = _time(n)
    cycles = _vibrato_phase(f, t, 5.0, vibrato, 0.22, scoop)
    tone = _additive(cycles, t, [float(k) for k in range(1, len(amps) + 1)], amps, None, f)
    breath = _one_pole_lowpass(rng.standard_normal(n).astype(np.float32), 4000.0)
    breath -= _one_pole_lowpass(breath, 900.0)
    # Mostly a chiff at the start; a faint breath under the held note.
    tone += np.float32(0.3) * breath * (np.float32(0.12) + np.exp(t * np.float32(-25.0)))
    return tone * _envelope(n_hold, n, 0.05, 0.12)


def _flute(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    return _flute_like(f, hold, rng, [1.0, 0.28, 0.1, 0.04], 0.004, 0.0)


def _dizi(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    amps = [1.0, 0.45, 0.22, 0.12, 0.08, 0.06, 0.05, 0.04, 0.03]  # the membrane's buzz
    return _flute_like(f, hold, rng, amps, 0.006, 0.035)


def _bells(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    ring = min(1.2 + hold, 3.0)
    n = int(ring * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    # Mostly harmonic (a celesta / music box) with one faint inharmonic shimmer partial:
    # a real glockenspiel's 2.76 and 5.4 partials would smear the key.
    ratios = [1.0, 2.0, 3.0, 4.0, 5.43]
    amps = [1.0, 0.3, 0.12, 0.06, 0.04]
    decays = [1.6 + f / 1500.0, 3.0, 5.0, 7.0, 12.0]
    tone = _additive(cycles, t, ratios, amps, decays, f)
    return tone * _envelope(n, n, 0.001, 0.0)


def _organ(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.06 * SAMPLE_RATE)
    t = _time(n)
    cycles = (np.float32(f) * t).astype(np.float32)
    tone = _additive(cycles, t, [0.5, 1.0, 2.0, 3.0, 4.0], [0.45, 1.0, 0.55, 0.3, 0.18], None, f)
    tone *= np.float32(1.0) + np.float32(0.08) * np.sin(TWO_PI * np.float32(6.2) * t)
    return tone * np.float32(0.6) * _envelope(n_hold, n, 0.01, 0.06)


_VOWEL_AH = ((730.0, 90.0, 1.0), (1090.0, 110.0, 0.5), (2440.0, 160.0, 0.25))


def _voice(f: float, hold: float, rng: np.random.Generator) -> np.ndarray:
    """A wordless sung "ah": harmonics shaped by the vowel's formants, with vibrato."""
    n_hold = int(hold * SAMPLE_RATE)
    n = n_hold + int(0.2 * SAMPLE_RATE)
    t = _time(n)
    cycles = _vibrato_phase(f, t, 5.4, 0.006, 0.3, 0.02)
    k_max = int(max(1, min(24, 5000.0 // f)))
    ratios = [float(k) for k in range(1, k_max + 1)]
    amps = []
    for k in ratios:
        hz = k * f
        formant = sum(g / (1.0 + ((hz - c) / bw) ** 2) for c, bw, g in _VOWEL_AH)
        amps.append((0.15 + formant) / k**0.6)
    tone = _additive(cycles, t, ratios, amps, None, f)
    breath = _one_pole_lowpass(rng.standard_normal(n).astype(np.float32), 3000.0)
    tone += np.float32(0.08) * breath
    return tone * np.float32(0.7) * _envelope(n_hold, n, 0.08, 0.2)


_RENDERERS = {
    "piano": _piano,
    "epiano": _epiano,
    "strings": _strings,
    "cello": _cello,
    "erhu": _erhu,
    "brass": _brass,
    "pad": _pad,
    "synth": _synth,
    "synthbass": _synthbass,
    "bass": _bass,
    "upright": _upright,
    "guitar": _guitar,
    "guzheng": _guzheng,
    "harp": _harp,
    "flute": _flute,
    "dizi": _dizi,
    "bells": _bells,
    "organ": _organ,
    "voice": _voice,
}

# ---------------------------------------------------------------- drums


def _noise(rng: np.random.Generator, seconds: float) -> np.ndarray:
    return rng.standard_normal(int(seconds * SAMPLE_RATE)).astype(np.float32)


def _band(x: np.ndarray, low: float | None, high: float | None) -> np.ndarray:
    if low and high:
        sos = signal.butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    elif low:
        sos = signal.butter(2, low, btype="highpass", fs=SAMPLE_RATE, output="sos")
    else:
        sos = signal.butter(2, high, btype="lowpass", fs=SAMPLE_RATE, output="sos")
    return signal.sosfilt(sos, x).astype(np.float32)


def _decay(n: int, seconds: float) -> np.ndarray:
    return np.exp(_time(n) * np.float32(-1.0 / seconds))


def _sweep(start_hz: float, end_hz: float, tau: float, seconds: float) -> np.ndarray:
    """Sine whose pitch falls exponentially from start to end (kick, toms)."""
    t = _time(int(seconds * SAMPLE_RATE))
    cycles = end_hz * t + (start_hz - end_hz) * tau * (1.0 - np.exp(-t / tau))
    return np.sin(TWO_PI * cycles.astype(np.float32))


def _normalised(x: np.ndarray) -> np.ndarray:
    return (x / (float(np.max(np.abs(x))) + 1e-9)).astype(np.float32)


def _kick(rng: np.random.Generator) -> np.ndarray:
    body = _sweep(150.0, 48.0, 0.04, 0.45)
    body *= _decay(len(body), 0.22)
    click = _band(_noise(rng, 0.004), 1500.0, None)
    body[: len(click)] += 0.3 * click
    return _normalised(body)


def _snare(rng: np.random.Generator) -> np.ndarray:
    n = int(0.28 * SAMPLE_RATE)
    t = _time(n)
    tone = (np.sin(TWO_PI * 185.0 * t) + 0.5 * np.sin(TWO_PI * 330.0 * t)) * _decay(n, 0.05)
    rattle = _band(_noise(rng, 0.28), 1800.0, 9000.0) * _decay(n, 0.09)
    return _normalised(0.6 * tone + 1.2 * rattle)


def _hat(rng: np.random.Generator) -> np.ndarray:
    noise = _band(_noise(rng, 0.09), 7000.0, None)
    return _normalised(noise * _decay(len(noise), 0.022))


def _openhat(rng: np.random.Generator) -> np.ndarray:
    noise = _band(_noise(rng, 0.45), 6500.0, None)
    return _normalised(noise * _decay(len(noise), 0.14))


def _metal(rng: np.random.Generator, seconds: float, tau: float, low: float) -> np.ndarray:
    n = int(seconds * SAMPLE_RATE)
    t = _time(n)
    ratios = (2.0, 3.0, 4.16, 5.43, 6.79, 8.21)
    tone = sum(np.sign(np.sin(TWO_PI * 310.0 * r * t)) for r in ratios)
    mix = 0.5 * np.asarray(tone, dtype=np.float32) + _noise(rng, seconds)
    # Steep high-pass: the square partials' low tones would otherwise add stray pitches.
    sos = signal.butter(4, low, btype="highpass", fs=SAMPLE_RATE, output="sos")
    return _normalised(signal.sosfilt(sos, mix).astype(np.float32) * _decay(n, tau))


def _ride(rng: np.random.Generator) -> np.ndarray:
    return _metal(rng, 1.0, 0.35, 5000.0)


def _crash(rng: np.random.Generator) -> np.ndarray:
    return _metal(rng, 2.0, 0.7, 3500.0)


def _clap(rng: np.random.Generator) -> np.ndarray:
    n = int(0.25 * SAMPLE_RATE)
    burst = _band(_noise(rng, 0.25), 900.0, 3500.0)
    env = np.zeros(n, dtype=np.float32)
    for offset in (0.0, 0.009, 0.018):
        start = int(offset * SAMPLE_RATE)
        env[start:] += _decay(n - start, 0.006 if offset < 0.018 else 0.06)
    return _normalised(burst * env)


def _rim(rng: np.random.Generator) -> np.ndarray:
    n = int(0.08 * SAMPLE_RATE)
    t = _time(n)
    tone = np.sin(TWO_PI * 1700.0 * t) + 0.6 * np.sin(TWO_PI * 820.0 * t)
    return _normalised(tone * _decay(n, 0.012) + 0.2 * _band(_noise(rng, 0.08), 2000.0, None))


def _shaker(rng: np.random.Generator) -> np.ndarray:
    n = int(0.1 * SAMPLE_RATE)
    t = _time(n)
    env = (1.0 - np.exp(-t / 0.008)) * _decay(n, 0.025)
    return _normalised(_band(_noise(rng, 0.1), 5000.0, 12000.0) * env)


def _woodblock(rng: np.random.Generator) -> np.ndarray:
    n = int(0.12 * SAMPLE_RATE)
    t = _time(n)
    tone = np.sin(TWO_PI * 1150.0 * t) + 0.4 * np.sin(TWO_PI * 2630.0 * t)
    return _normalised(tone * _decay(n, 0.03))


def _tuned(tonic: int, lowest_hz: float) -> float:
    """The tonic's frequency in the octave starting at `lowest_hz`."""
    hz = midi_to_hz(tonic)
    while hz >= lowest_hz * 2.0:
        hz /= 2.0
    while hz < lowest_hz:
        hz *= 2.0
    return hz


def _tom(rng: np.random.Generator, pitch_hz: float = 110.0) -> np.ndarray:
    body = _sweep(pitch_hz * 1.8, pitch_hz, 0.06, 0.5) * _decay(int(0.5 * SAMPLE_RATE), 0.16)
    return _normalised(
        body + 0.1 * _band(_noise(rng, 0.5), 300.0, 3000.0) * _decay(len(body), 0.03)
    )


def _taiko(rng: np.random.Generator, pitch_hz: float = 62.0) -> np.ndarray:
    body = _sweep(pitch_hz * 1.8, pitch_hz, 0.08, 0.9) * _decay(int(0.9 * SAMPLE_RATE), 0.3)
    skin = _band(_noise(rng, 0.9), 150.0, 1500.0) * _decay(len(body), 0.04)
    return _normalised(body + 0.4 * skin)


_DRUMS = {
    "kick": _kick,
    "snare": _snare,
    "hat": _hat,
    "openhat": _openhat,
    "ride": _ride,
    "crash": _crash,
    "clap": _clap,
    "rim": _rim,
    "shaker": _shaker,
    "woodblock": _woodblock,
    "tom": _tom,
    "taiko": _taiko,
}


def reverb_impulse(seconds: float, seed: int) -> np.ndarray:
    """Stereo (n, 2) impulse response of a room: decorrelated decaying noise, darker as it fades.

    Its energy is normalised to 1 per channel so the send level alone sets the wet amount.
    """
    seconds = float(np.clip(seconds, 0.3, 4.0))
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0xBE7B])
    n = int(seconds * SAMPLE_RATE)
    t = _time(n)
    predelay = int(0.018 * SAMPLE_RATE)
    channels = []
    for _ in range(2):
        noise = rng.standard_normal(n).astype(np.float32)
        dark = _one_pole_lowpass(noise, 2500.0)
        bright = noise - _one_pole_lowpass(noise, 2500.0)
        tail = dark * np.exp(t * np.float32(-6.9 / seconds)) + bright * np.exp(
            t * np.float32(-6.9 / (0.45 * seconds))
        )
        tail = np.concatenate([np.zeros(predelay, dtype=np.float32), tail[: n - predelay]])
        tail /= float(np.sqrt(np.sum(tail.astype(np.float64) ** 2))) + 1e-9
        channels.append(tail)
    return np.stack(channels, axis=1).astype(np.float32)
