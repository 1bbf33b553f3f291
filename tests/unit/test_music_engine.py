"""The offline text-to-music engine: what the prompt asks for must be measurable in the audio."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from providers.offline.music.arrangement import Arranger
from providers.offline.music.music import (
    SAMPLE_RATE,
    EngineCancelled,
    plan_music,
    render_music,
)
from providers.offline.music.prompt_words import parse_prompt
from tests.analysis_helpers import PITCH_NAMES, chroma, estimate_key, estimate_tempo, rms_dbfs

SR = SAMPLE_RATE


@pytest.mark.parametrize(
    ("prompt", "tempo", "tonic", "mode", "mood", "genre", "instruments"),
    [
        ("upbeat pop in G major at 120 bpm", 120, 7, "major", "happy", "pop", None),
        ("sad piano in A minor, 70 bpm", 70, 9, "minor", "sad", None, ("piano",)),
        ("Epic orchestral piece, Bb minor, 100BPM", 100, 10, "minor", "epic", "classical", None),
        ("F# major jazz with rhodes, no drums", None, 6, "major", None, "jazz", ("epiano",)),
        ("欢快的流行歌 G大调 每分钟120拍", 120, 7, "major", "happy", "pop", None),
        ("悲伤的钢琴曲 c小调 每分钟80拍", 80, 0, "minor", "sad", "piano", ("piano",)),
        (
            "安静的国风 降B大调 古筝 笛子 一百拍",
            100,
            10,
            "major",
            "calm",
            "chinese",
            ("guzheng", "dizi"),
        ),
        ("A小调 史诗 弦乐 速度90", 90, 9, "minor", "epic", None, ("strings",)),
        ("lofi chill beats", None, None, None, "lazy", "lofi", ("drums",)),
        ("something nice", None, None, None, None, None, None),
    ],
)
def test_prompt_words_read_english_and_chinese(
    prompt: str,
    tempo: float | None,
    tonic: int | None,
    mode: str | None,
    mood: str | None,
    genre: str | None,
    instruments: tuple[str, ...] | None,
) -> None:
    words = parse_prompt(prompt)
    assert words.tempo_bpm == tempo
    assert words.tonic == tonic
    assert words.mode == mode
    assert words.mood == mood
    assert words.genre == genre
    assert words.instruments == instruments


def test_prompt_words_negation_pace_and_clamping() -> None:
    words = parse_prompt("slow calm piano without drums, 300 bpm")
    assert words.excluded == ("drums",)
    assert words.pace == "slow"
    assert words.tempo_bpm == 240.0  # clamped to the engine's range
    assert parse_prompt("不要鼓的安静钢琴").excluded == ("drums",)
    assert parse_prompt("I am happy").tonic is None  # "am" is not A minor


def test_same_seed_same_samples_other_seed_other_piece() -> None:
    plan = plan_music("dreamy jazz with flute", seed=7, cfg=7.0, steps=50)
    first = render_music(plan, 6.0)
    again = render_music(plan_music("dreamy jazz with flute", seed=7, cfg=7.0, steps=50), 6.0)
    other = render_music(plan_music("dreamy jazz with flute", seed=8, cfg=7.0, steps=50), 6.0)
    assert np.array_equal(first, again)
    assert first.shape == other.shape
    assert not np.allclose(first, other, atol=1e-3)


ASKED = [
    ("upbeat pop in G major at 120 bpm", 120.0, 7, "major"),
    ("sad piano in A minor, 70 bpm", 70.0, 9, "minor"),
    ("欢快的流行歌 G大调 每分钟120拍", 120.0, 7, "major"),
    ("悲伤的钢琴曲 c小调 每分钟80拍", 80.0, 0, "minor"),
    ("epic cinematic strings in D minor, 96 bpm", 96.0, 2, "minor"),
    ("lofi hip hop in F major at 84 bpm", 84.0, 5, "major"),
    ("energetic electronic dance track in E minor, 128 BPM", 128.0, 4, "minor"),
    ("国风 古筝 笛子 D大调 每分钟90拍", 90.0, 2, "major"),
    ("calm ambient in C major, 72 bpm", 72.0, 0, "major"),
    ("swing jazz in Bb major at 112 bpm", 112.0, 10, "major"),
]


@pytest.mark.parametrize(("prompt", "tempo", "tonic", "mode"), ASKED)
def test_asked_tempo_and_key_are_measured_in_the_audio(
    prompt: str, tempo: float, tonic: int, mode: str
) -> None:
    plan = plan_music(prompt, seed=2024, cfg=7.0, steps=50)
    audio = render_music(plan, 15.0)
    measured = estimate_tempo(audio, SR)
    assert abs(measured.bpm - tempo) <= 0.04 * tempo, (
        f"{prompt!r}: measured {measured.bpm:.1f} bpm (runner-up {measured.runner_up_bpm:.1f}), "
        f"asked {tempo}"
    )
    key = estimate_key(audio, SR)
    assert (key.tonic, key.mode) == (tonic, mode), (
        f"{prompt!r}: measured {key.name} (runner-up {key.runner_up}), "
        f"asked {PITCH_NAMES[tonic]} {mode}"
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mood_words_move_the_tempo(seed: int) -> None:
    sad = plan_music("a sad song", seed=seed, cfg=7.0, steps=40)
    happy = plan_music("a happy song", seed=seed, cfg=7.0, steps=40)
    assert sad.tempo_bpm < happy.tempo_bpm
    assert sad.mode == "minor" or happy.mode == "major"
    sad_bpm = estimate_tempo(render_music(sad, 12.0), SR).bpm
    happy_bpm = estimate_tempo(render_music(happy, 12.0), SR).bpm
    assert sad_bpm < happy_bpm, f"sad measured {sad_bpm:.1f} bpm, happy {happy_bpm:.1f} bpm"


def test_cfg_sets_how_far_the_seed_may_wander() -> None:
    def tempos(cfg: float) -> list[float]:
        return [plan_music("romantic", seed=s, cfg=cfg, steps=50).tempo_bpm for s in range(40)]

    strict, loose = tempos(15.0), tempos(1.0)
    assert np.ptp(loose) > np.ptp(strict)
    assert max(abs(t - 84.0) for t in strict) <= 0.03 * 84.0 + 0.5
    for cfg in (1.0, 7.0, 15.0):
        plan = plan_music("calm music in F# minor at 133 bpm", seed=5, cfg=cfg, steps=50)
        assert (plan.tempo_bpm, plan.tonic, plan.mode) == (133.0, 6, "minor")


def test_strict_cfg_keeps_to_the_named_instruments() -> None:
    for seed in range(5):
        plan = plan_music("sad piano", seed=seed, cfg=15.0, steps=50)
        assert set(plan.instruments) == {"piano"}


def test_more_steps_means_more_arrangement() -> None:
    counts = {}
    for steps in (10, 100):
        plan = plan_music("happy pop", seed=3, cfg=7.0, steps=steps)
        counts[steps] = (len(plan.instruments), len(Arranger(plan, 20.0).build()))
    assert counts[100][0] > counts[10][0]
    assert counts[100][1] > counts[10][1]


@pytest.mark.parametrize(
    "prompt",
    ["angry rock at 150 bpm", "epic cinematic", "sad piano", "dark electronic", "lofi"],
)
def test_output_shape_level_and_no_clipping(prompt: str) -> None:
    seconds = 7.3
    audio = render_music(plan_music(prompt, seed=11, cfg=7.0, steps=80), seconds)
    assert audio.shape == (round(seconds * SR), 2)
    assert audio.dtype == np.float32
    assert np.isfinite(audio).all()
    assert np.abs(audio).max() <= 0.98
    assert -24.0 < rms_dbfs(audio) < -10.0
    # Not a mono copy: instruments are spread across the stereo field.
    assert not np.allclose(audio[:, 0], audio[:, 1])


@pytest.mark.parametrize(
    "prompt",
    ["upbeat pop in G major at 120 bpm", "sad piano in A minor", "国风 c小调", "jazz in Eb major"],
)
def test_the_piece_ends_on_its_tonic(prompt: str) -> None:
    plan = plan_music(prompt, seed=4, cfg=7.0, steps=50)
    audio = render_music(plan, 12.0)
    last_second = chroma(audio[-SR:], SR)
    assert int(np.argmax(last_second)) == plan.tonic
    # …and fades out rather than stopping dead.
    assert np.abs(audio[-100:]).max() < 0.01


def test_very_short_pieces_still_render() -> None:
    for seconds in (1.0, 2.5):
        audio = render_music(plan_music("happy", seed=1, cfg=7.0, steps=50), seconds)
        assert audio.shape == (round(seconds * SR), 2)
        assert np.abs(audio).max() > 0.01


def test_progress_reports_the_piece_so_far() -> None:
    calls: list[tuple[float, str, np.ndarray | None]] = []
    plan = plan_music("folk song with guitar", seed=9, cfg=7.0, steps=50)
    audio = render_music(plan, 9.0, on_progress=lambda f, m, p: calls.append((f, m, p)))
    fractions = [f for f, _, _ in calls]
    assert len(calls) >= 10
    assert all(b > a for a, b in itertools.pairwise(fractions))
    assert fractions[-1] == 1.0
    lengths = [len(p) for _, _, p in calls if p is not None]
    assert lengths == sorted(lengths)
    assert lengths[0] > 0
    for _, message, partial in calls:
        assert message
        assert partial is not None
        assert partial.dtype == np.float32
        assert np.array_equal(partial, audio[: len(partial)])
    assert calls[-1][2] is not None
    assert len(calls[-1][2]) == len(audio)


def test_should_stop_cancels_between_chunks() -> None:
    plan = plan_music("pop", seed=1, cfg=7.0, steps=50)
    seen: list[float] = []
    with pytest.raises(EngineCancelled):
        render_music(
            plan,
            10.0,
            on_progress=lambda f, m, p: seen.append(f),
            should_stop=lambda: len(seen) >= 3,
        )
    assert len(seen) == 3
    with pytest.raises(EngineCancelled):
        render_music(plan, 10.0, should_stop=lambda: True)


def test_plan_describes_itself() -> None:
    plan = plan_music("romantic jazz in Eb major with piano", seed=42, cfg=9.5, steps=64)
    info = plan.describe()
    json.dumps(info)
    assert info["key"] == "Eb major"
    assert info["genre"] == "jazz"
    assert info["seed"] == 42
    assert info["steps"] == 64
    assert info["cfg"] == 9.5
    assert "piano" in info["instruments"]
    assert info["decided_by"]["key"] == "prompt"
    assert plan.chord_progression == tuple(info["progression"])
    assert 0 <= plan.tonic <= 11
    assert plan.mode in ("major", "minor")
    assert 0.0 <= plan.density <= 1.0
