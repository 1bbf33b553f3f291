"""What the offline engines read from their inputs: a picture's character, a song's tempo and key.

Picture features (all 0–1) steer image-to-music; song analysis steers extend-a-song, so the
continuation keeps the source's tempo, beat phase, key and loudness.

Tempo is found with a bank of comb filters over a band-wise onset envelope (the comb that
collects the most onset energy at its best phase wins, weighted by a broad tempo prior), which
also gives the beat phase. Key uses a magnitude chroma correlated with two key-profile sets
(Temperley's Kostka–Payne profiles and Krumhansl–Kessler's), summed. (The test suite measures with its own, different methods.)
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageFilter
from scipy import fft as sp_fft

from providers.offline.music.prompt_words import key_name

# ---------------------------------------------------------------- pictures


@dataclass(frozen=True)
class PictureFeatures:
    """A picture's character, each 0–1."""

    brightness: float  # mean luma
    saturation: float  # mean HSV saturation
    warmth: float  # 1 = reds/oranges/yellows dominate, 0 = blues/cyans, 0.5 = neutral
    contrast: float  # spread of luma
    busyness: float  # edge density
    hue: float  # dominant hue of the saturated pixels (0 = red, 1/3 = green, 2/3 = blue)

    def describe(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in asdict(self).items()}


def picture_features(image: Image.Image) -> PictureFeatures:
    """Measure a picture on a 128-pixel thumbnail (fast, and independent of the upload's size)."""
    thumb = image.convert("RGB")
    thumb.thumbnail((128, 128), Image.Resampling.BILINEAR)
    rgb = np.asarray(thumb, dtype=np.float32) / 255.0
    if rgb.size == 0:
        return PictureFeatures(0.5, 0.0, 0.5, 0.0, 0.0, 0.0)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    luma = 0.299 * r + 0.587 * g + 0.114 * b
    high = rgb.max(axis=2)
    low = rgb.min(axis=2)
    saturation = np.where(high > 1e-6, (high - low) / np.maximum(high, 1e-6), 0.0)

    hsv = np.asarray(thumb.convert("HSV"), dtype=np.float32) / 255.0
    hue = hsv[..., 0]
    weight = saturation * high  # vivid, lit pixels say the most about colour
    warm_mask = (hue < 70.0 / 360.0) | (hue > 320.0 / 360.0)
    cold_mask = (hue > 160.0 / 360.0) & (hue < 280.0 / 360.0)
    warm = float((weight * warm_mask).sum())
    cold = float((weight * cold_mask).sum())
    warmth = 0.5 + 0.5 * (warm - cold) / (warm + cold + 1e-6) * min(
        1.0, (warm + cold) / (0.05 * weight.size + 1e-6)
    )

    angles = hue * 2.0 * np.pi
    mean_vector = complex(
        float((weight * np.cos(angles)).sum()), float((weight * np.sin(angles)).sum())
    )
    dominant_hue = (np.angle(mean_vector) / (2.0 * np.pi)) % 1.0 if abs(mean_vector) > 1e-6 else 0.0

    edges = np.asarray(
        Image.fromarray((luma * 255).astype(np.uint8)).filter(ImageFilter.FIND_EDGES),
        dtype=np.float32,
    )[1:-1, 1:-1]
    busyness = float(np.mean(edges > 40.0)) * 2.5 if edges.size else 0.0

    return PictureFeatures(
        brightness=float(np.clip(luma.mean(), 0.0, 1.0)),
        saturation=float(np.clip(saturation.mean(), 0.0, 1.0)),
        warmth=float(np.clip(warmth, 0.0, 1.0)),
        contrast=float(np.clip(luma.std() * 2.0, 0.0, 1.0)),
        busyness=float(np.clip(busyness, 0.0, 1.0)),
        hue=float(dominant_hue),
    )


def hue_name(hue: float) -> str:
    names = ("red", "orange", "yellow", "green", "cyan", "blue", "violet", "magenta")
    bounds = (15, 45, 70, 160, 200, 255, 290, 330)
    degrees = hue * 360.0
    for name, bound in zip(names, bounds, strict=True):
        if degrees < bound:
            return name
    return "red"


# ---------------------------------------------------------------- songs

# Temperley (2007), key profiles from the Kostka–Payne corpus, tonic first.
_TEMPERLEY_MAJOR = np.array(
    [0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400]
)
_TEMPERLEY_MINOR = np.array(
    [0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330]
)


# Listeners (and annotated corpora) put most beats near 100–120 bpm; one octave either side
# is common. The prior settles the half/double ambiguity every onset periodicity has.
TEMPO_PRIOR_BPM = 115.0
TEMPO_PRIOR_OCTAVES = 1.0
_KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class SongAnalysis:
    """What the engine measured in an uploaded song."""

    tempo_bpm: float
    beat_offset_s: float  # time of the first beat; beats fall at offset + k · 60 / tempo
    tonic: int  # pitch class, 0 = C
    mode: str  # "major" | "minor"
    loudness_dbfs: float  # RMS over the whole song
    brightness_hz: float  # mean spectral centroid
    duration_s: float
    sample_rate: int
    channels: int

    @property
    def key_name(self) -> str:
        return key_name(self.tonic, self.mode)

    def describe(self) -> dict[str, Any]:
        data = asdict(self)
        data["key"] = self.key_name
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in data.items()}


def as_mono(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 2:
        return x.mean(axis=1)
    if x.ndim != 1:
        raise ValueError("audio must be shaped (n,) or (n, channels)")
    return x


def rms_dbfs(samples: np.ndarray) -> float:
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return -120.0
    return float(20.0 * np.log10(np.sqrt(np.mean(x * x)) + 1e-9))


def _frames(x: np.ndarray, size: int, hop: int) -> np.ndarray:
    if len(x) < size:
        x = np.pad(x, (0, size - len(x)))
    count = 1 + (len(x) - size) // hop
    strides = (x.strides[0] * hop, x.strides[0])
    return np.lib.stride_tricks.as_strided(x, shape=(count, size), strides=strides)


def _window_size(sr: int) -> int:
    return 1 << int(np.ceil(np.log2(sr * 0.023)))


def _onset_strength(x: np.ndarray, sr: int) -> tuple[np.ndarray, float]:
    """Sum over 12 log-spaced bands of the rise in log band energy, one value per 5 ms."""
    hop = max(1, round(sr * 0.005))
    size = _window_size(sr)
    frames = _frames(x.astype(np.float32), size, hop) * np.hanning(size).astype(np.float32)
    spectrum = np.abs(sp_fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(size, 1.0 / sr)
    edges = np.geomspace(40.0, min(10000.0, sr / 2 - 1), 13)
    band_matrix = np.stack(
        [(freqs >= lo) & (freqs < hi) for lo, hi in itertools.pairwise(edges)],
        axis=1,
    ).astype(np.float32)
    log_bands = np.log10(spectrum @ band_matrix + 1e-10)
    rise = np.maximum(np.diff(log_bands, axis=0, prepend=log_bands[:1]), 0.0).sum(axis=1)
    # Subtract a local mean so swells do not count as onsets.
    window = max(1, int(0.3 * sr / hop))
    local = np.convolve(rise, np.ones(window) / window, mode="same")
    return np.maximum(rise - local, 0.0).astype(np.float64), sr / hop


def estimate_tempo_and_phase(x: np.ndarray, sr: int) -> tuple[float, float]:
    """(bpm, time of the first beat in seconds) by comb filtering the onset envelope."""
    env, rate = _onset_strength(x, sr)
    if len(env) < rate * 2 or float(env.max()) <= 0.0:
        return 120.0, 0.0
    env = env / (env.max() + 1e-12)
    mean = float(env.mean())
    positions = np.arange(len(env), dtype=np.float64)

    def comb_score(bpm: float) -> tuple[float, float]:
        period = 60.0 * rate / bpm
        pulses = np.arange(0.0, len(env) - period, period)
        if len(pulses) < 2:
            return 0.0, 0.0
        phases = np.arange(0.0, period, 1.0)
        grid = phases[:, None] + pulses[None, :]
        # A pulse "hears" onsets within ±1 frame, as a beat is not a single sample.
        values = np.maximum.reduce([np.interp(grid + d, positions, env) for d in (-1.0, 0.0, 1.0)])
        collected = values.mean(axis=1)
        best = int(np.argmax(collected))
        return float(collected[best] - mean), float(phases[best])

    def prior(bpm: float) -> float:
        return float(np.exp(-0.5 * (np.log2(bpm / TEMPO_PRIOR_BPM) / TEMPO_PRIOR_OCTAVES) ** 2))

    coarse = np.arange(50.0, 200.0, 1.0)
    scores = [comb_score(b)[0] * prior(b) for b in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 1.5, best + 1.51, 0.05)
    fine_scores = [comb_score(b)[0] * prior(b) for b in fine]
    bpm = float(fine[int(np.argmax(fine_scores))])
    _, phase = comb_score(bpm)
    # Frames are indexed by their start, and log energy jumps as soon as an onset enters the
    # window's far end: the envelope runs about one window ahead of the sound (+2 ms, as
    # measured on click tracks at 16–48 kHz).
    lead = _window_size(sr) / sr + 0.002
    period = 60.0 / bpm
    return bpm, (phase / rate + lead) % period


def chroma_profile(x: np.ndarray, sr: int) -> np.ndarray:
    """Spectral magnitude from 65 Hz to 2.1 kHz folded onto 12 pitch classes (C = 0).

    Plain magnitude, not log-compressed: compression lifts the noise floor, which is flat
    across pitch classes and only blurs the profile.
    """
    size = 1 << int(np.ceil(np.log2(sr * 0.37)))
    mag = np.abs(np.fft.rfft(_frames(x, size, size // 2) * np.hanning(size), axis=1))
    freqs = np.fft.rfftfreq(size, 1.0 / sr)
    keep = (freqs >= 65.0) & (freqs <= 2100.0)
    pitch = 69.0 + 12.0 * np.log2(freqs[keep] / 440.0)
    classes = np.round(pitch).astype(int) % 12
    profile = np.bincount(classes, weights=mag[:, keep].sum(axis=0), minlength=12)
    return profile / (profile.sum() + 1e-12)


def estimate_key(x: np.ndarray, sr: int) -> tuple[int, str]:
    """Best of 24 keys by the summed correlation with two profile sets (Temperley; Krumhansl)."""
    profile = chroma_profile(x, sr)
    templates = {
        "major": (_TEMPERLEY_MAJOR, _KK_MAJOR),
        "minor": (_TEMPERLEY_MINOR, _KK_MINOR),
    }
    best = (-4.0, 0, "major")
    for tonic in range(12):
        for mode, pair in templates.items():
            score = sum(float(np.corrcoef(profile, np.roll(t, tonic))[0, 1]) for t in pair)
            if score > best[0]:
                best = (score, tonic, mode)
    return best[1], best[2]


def spectral_centroid(x: np.ndarray, sr: int) -> float:
    size = 2048
    spectrum = np.abs(np.fft.rfft(_frames(x, size, size) * np.hanning(size), axis=1))
    freqs = np.fft.rfftfreq(size, 1.0 / sr)
    total = spectrum.sum()
    return float((spectrum * freqs).sum() / total) if total > 0 else 0.0


def analyse_song(samples: np.ndarray, sr: int) -> SongAnalysis:
    """Tempo, beat phase, key, loudness and brightness of a song (any rate, mono or stereo)."""
    if sr <= 0:
        raise ValueError("sample rate must be positive")
    data = np.asarray(samples)
    channels = 1 if data.ndim == 1 else int(data.shape[1])
    x = as_mono(data)
    if len(x) == 0:
        raise ValueError("the song has no samples")
    bpm, offset = estimate_tempo_and_phase(x, sr)
    tonic, mode = estimate_key(x, sr)
    return SongAnalysis(
        tempo_bpm=round(bpm, 2),
        beat_offset_s=offset,
        tonic=tonic,
        mode=mode,
        loudness_dbfs=rms_dbfs(data),
        brightness_hz=spectral_centroid(x, sr),
        duration_s=len(x) / sr,
        sample_rate=int(sr),
        channels=channels,
    )
