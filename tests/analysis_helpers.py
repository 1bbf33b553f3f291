"""Test-side audio analysis, written independently of providers/offline/music/audio_analysis.py.

Tempo: a spectral-flux onset envelope, its autocorrelation, and the strongest lag weighted by a
log-normal tempo prior centred on 120 bpm (the usual way to settle half/double ambiguities);
`tempo_candidates` also reports the runner-up so a failing test can say what it heard.
Key: a chroma vector (STFT magnitude folded onto the 12 pitch classes) correlated with the
Krumhansl–Kessler major and minor profiles in all 24 keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")

# Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def to_mono(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float64)
    return x.mean(axis=1) if x.ndim == 2 else x


def _stft_magnitude(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    frames = 1 + (len(x) - n_fft) // hop
    index = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    window = np.hanning(n_fft)
    return np.abs(np.fft.rfft(x[index] * window, axis=1))


def mel_filterbank(
    sr: int, n_fft: int, bands: int = 64, low_hz: float = 30.0, high_hz: float = 8000.0
) -> np.ndarray:
    """Triangular filters evenly spaced on the mel scale, shape (bands, n_fft // 2 + 1)."""

    def mel(hz: np.ndarray | float) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    edges_mel = np.linspace(mel(low_hz), mel(min(high_hz, sr / 2)), bands + 2)
    edges = 700.0 * (10.0 ** (edges_mel / 2595.0) - 1.0)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    bank = np.zeros((bands, len(freqs)))
    for i in range(bands):
        lo, centre, hi = edges[i], edges[i + 1], edges[i + 2]
        rising = (freqs - lo) / max(centre - lo, 1e-9)
        falling = (hi - freqs) / max(hi - centre, 1e-9)
        bank[i] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank


def onset_envelope(samples: np.ndarray, sr: int, hop: int = 256) -> tuple[np.ndarray, float]:
    """Half-wave rectified log-mel spectral flux per frame, and the frame rate in Hz.

    Mel bands (not raw FFT bins) so that broadband hiss and cymbals, which fill most linear
    bins, weigh no more than they do to a listener.
    """
    x = to_mono(samples)
    n_fft = 2048
    mag = _stft_magnitude(x, n_fft, hop)
    mel_energy = (mag**2) @ mel_filterbank(sr, n_fft).T
    logmel = 10.0 * np.log10(mel_energy + 1e-10)
    logmel = np.maximum(logmel, logmel.max() - 80.0)
    flux = np.maximum(np.diff(logmel, axis=0), 0.0).mean(axis=1)
    flux = np.concatenate([[0.0], flux])
    # Remove the slowly varying part so loudness swells do not read as pulses.
    width = max(1, round(0.4 * sr / hop))
    kernel = np.ones(width) / width
    flux = np.maximum(flux - np.convolve(flux, kernel, mode="same"), 0.0)
    return flux, sr / hop


@dataclass(frozen=True)
class TempoEstimate:
    bpm: float
    runner_up_bpm: float
    strength: float  # weighted autocorrelation at the winning lag relative to lag 0


def estimate_tempo(
    samples: np.ndarray, sr: int, low_bpm: float = 40.0, high_bpm: float = 240.0
) -> TempoEstimate:
    env, rate = onset_envelope(samples, sr)
    env = env - env.mean()
    n = len(env)
    spectrum = np.fft.rfft(env, 2 * n)
    ac = np.fft.irfft(np.abs(spectrum) ** 2)[:n]
    ac /= ac[0] + 1e-12
    min_lag = int(np.floor(60.0 * rate / high_bpm))
    max_lag = min(n - 2, int(np.ceil(60.0 * rate / low_bpm)))
    lags = np.arange(min_lag, max_lag + 1)
    bpms = 60.0 * rate / lags
    prior = np.exp(-0.5 * (np.log2(bpms / 120.0) / 1.0) ** 2)
    weighted = ac[lags] * prior
    # Local maxima only, so one broad peak cannot be both winner and runner-up.
    peaks = [
        i
        for i in range(1, len(lags) - 1)
        if weighted[i] >= weighted[i - 1] and weighted[i] >= weighted[i + 1]
    ]
    if not peaks:
        peaks = [int(np.argmax(weighted))]
    peaks.sort(key=lambda i: -weighted[i])
    best = peaks[0]
    lag = float(lags[best])
    if 0 < best < len(lags) - 1:  # parabolic interpolation for sub-frame precision
        a, b, c = ac[lags[best] - 1], ac[lags[best]], ac[lags[best] + 1]
        denominator = a - 2.0 * b + c
        if denominator < 0:
            lag += 0.5 * (a - c) / denominator
    runner = peaks[1] if len(peaks) > 1 else best
    return TempoEstimate(
        bpm=60.0 * rate / lag,
        runner_up_bpm=float(bpms[runner]),
        strength=float(weighted[best]),
    )


def chroma(
    samples: np.ndarray, sr: int, low_hz: float = 55.0, high_hz: float = 2000.0
) -> np.ndarray:
    """Spectral magnitude per pitch class (C = 0) over the whole signal, normalised to sum 1."""
    x = to_mono(samples)
    # Long (0.74 s at 44.1 kHz) windows: the Hann main lobe stays within a semitone at 55 Hz.
    n_fft = 32768
    mag = _stft_magnitude(x, n_fft, n_fft // 4)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    keep = (freqs >= low_hz) & (freqs <= high_hz)
    pcs = np.round(12.0 * np.log2(freqs[keep] / 440.0)).astype(int) % 12
    pcs = (pcs + 9) % 12  # A = 9
    energy = mag[:, keep].sum(axis=0)
    out = np.bincount(pcs, weights=energy, minlength=12)
    return out / (out.sum() + 1e-12)


@dataclass(frozen=True)
class KeyEstimate:
    tonic: int
    mode: str
    correlation: float
    runner_up: str

    @property
    def name(self) -> str:
        return f"{PITCH_NAMES[self.tonic]} {self.mode}"


def estimate_key(samples: np.ndarray, sr: int) -> KeyEstimate:
    profile = chroma(samples, sr)
    scores: list[tuple[float, int, str]] = []
    for tonic in range(12):
        for mode, template in (("major", KK_MAJOR), ("minor", KK_MINOR)):
            rotated = np.roll(template, tonic)
            scores.append((float(np.corrcoef(profile, rotated)[0, 1]), tonic, mode))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    return KeyEstimate(
        tonic=best[1],
        mode=best[2],
        correlation=best[0],
        runner_up=f"{PITCH_NAMES[second[1]]} {second[2]}",
    )


def rms_dbfs(samples: np.ndarray) -> float:
    x = np.asarray(samples, dtype=np.float64)
    return float(20.0 * np.log10(np.sqrt(np.mean(x**2)) + 1e-12))


def tempo_close(measured: float, wanted: float, tolerance: float = 0.04) -> bool:
    return abs(measured - wanted) <= tolerance * wanted
