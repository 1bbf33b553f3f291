"""Offline text-to-music: a prompt, a seed, cfg and steps become a planned, rendered piece.

`plan_music` reads the prompt (providers.offline.music.prompt_words) and decides everything about
the piece: tempo, key, mode, genre, mood, chord progression, instruments and their roles,
density. `render_music` turns a plan into stereo float32 audio at 44.1 kHz, section by section,
reporting progress with the audio made so far.

What the request parameters mean here:

- ``seed`` chooses whatever the prompt leaves open (key when none is named, the progression,
  the melody, the instruments a genre allows …) through one seeded generator: the same prompt,
  seed, cfg and steps give bit-identical audio; another seed gives another piece.
- ``cfg`` (1–15) is how strictly the prompt's words override the seed's own choices. At 15 a
  mood word pins the tempo within ±3 % of the mood's tempo and the named instruments are the
  only melodic ones; at 1 the tempo may wander ±18 %, the mood's usual mode may flip, and the
  seed adds instruments of its own. Words that state a fact — "80 bpm", "A minor", "G大调",
  "每分钟100拍" — are honoured exactly at any cfg.
- ``steps`` (10–100) is arrangement detail: more steps add layers (a sustained pad, then a
  counter-melody, then extra percussion), drum fills, more variation between repeats of a motif
  and more ornaments in the melody. Fewer steps give a plainer, sparser arrangement.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import fft as sp_fft
from scipy import signal

from core.messages import Text, msg
from providers.offline.cancel import EngineCancelled
from providers.offline.music.arrangement import Arranger, Event
from providers.offline.music.instruments import (
    DRUM_MIX,
    DRUM_NAMES,
    MIX,
    SAMPLE_RATE,
    Mix,
    Synth,
    reverb_impulse,
)
from providers.offline.music.prompt_words import (
    PromptWords,
    key_name,
    parse_prompt,
)

__all__ = [
    "SAMPLE_RATE",
    "EngineCancelled",
    "MusicPlan",
    "ProgressCallback",
    "plan_from_words",
    "plan_music",
    "render_music",
]

ProgressCallback = Callable[[float, Text, "np.ndarray | None"], None]
PEAK_LIMIT = 0.98
MASTER_GAIN = 0.55
TARGET_RMS_DBFS = -17.0
REVERB_SCALE = 2.2


@dataclass(frozen=True)
class GenreProfile:
    tempo: tuple[float, float]
    density: float
    major: tuple[tuple[str, ...], ...]
    minor: tuple[tuple[str, ...], ...]
    leads: tuple[str, ...]
    comps: tuple[tuple[str, str], ...]  # (instrument, accompaniment style)
    harmony: tuple[str, ...]
    bass: tuple[str, str] | None  # (instrument, bass style)
    drums: str | None
    counters: tuple[str, ...]
    mood: str
    major_odds: float = 0.6
    scale: str = "diatonic"
    swing: float = 0.0
    reverb: tuple[float, float] = (0.25, 1.6)  # (send scale, room seconds)
    harmonic_rhythm: int = 1
    lofi: bool = False


GENRES: dict[str, GenreProfile] = {
    "pop": GenreProfile(
        tempo=(96, 128), density=0.55,
        major=(("I", "V", "vi", "IV"), ("I", "vi", "IV", "V"), ("I", "IV", "vi", "V"),
               ("I", "IV", "I", "V")),
        minor=(("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVI", "V"), ("i", "bVII", "bVI", "V")),
        leads=("piano", "synth", "bells", "guitar", "flute"),
        comps=(("piano", "block"), ("guitar", "strum")),
        harmony=("pad", "strings"), bass=("bass", "pop"), drums="pop",
        counters=("strings", "cello"), mood="happy", major_odds=0.75, reverb=(0.22, 1.4),
    ),
    "rock": GenreProfile(
        tempo=(108, 148), density=0.7,
        major=(("I", "bVII", "IV", "I"), ("I", "IV", "V", "IV"), ("I", "V", "vi", "IV")),
        minor=(("i", "bVII", "bVI", "i"), ("i", "bVI", "bVII", "i"), ("i", "iv", "i", "V")),
        leads=("synth", "organ", "brass"),
        comps=(("guitar", "power"),),
        harmony=("organ", "pad"), bass=("bass", "eighths"), drums="rock",
        counters=("strings",), mood="energetic", major_odds=0.55, reverb=(0.15, 1.2),
    ),
    "jazz": GenreProfile(
        tempo=(84, 132), density=0.5,
        major=(("ii7", "V7", "Imaj7", "Imaj7"), ("Imaj7", "vi7", "ii7", "V7"),
               ("Imaj7", "IVmaj7", "iii7", "vi7")),
        minor=(("i7", "iv7", "V7", "i7"), ("iiø7", "V7", "i7", "i7")),
        leads=("epiano", "piano", "flute", "brass"),
        comps=(("epiano", "jazz"), ("piano", "jazz")),
        harmony=("pad",), bass=("upright", "walking"), drums="jazz",
        counters=("flute", "brass"), mood="lazy", major_odds=0.65, swing=0.64,
        reverb=(0.2, 1.6),
    ),
    "classical": GenreProfile(
        tempo=(72, 112), density=0.5,
        major=(("I", "IV", "V", "I"), ("I", "vi", "IV", "V"), ("I", "ii", "V", "I"),
               ("I", "V", "vi", "iii", "IV", "I", "IV", "V")),
        minor=(("i", "iv", "V", "i"), ("i", "bVI", "iv", "V"), ("i", "iv", "bVII", "bIII")),
        leads=("strings", "flute", "piano"),
        comps=(("piano", "alberti"), ("harp", "arpeggio")),
        harmony=("strings",), bass=("cello", "half"), drums=None,
        counters=("cello", "flute"), mood="calm", major_odds=0.6, reverb=(0.32, 2.2),
    ),
    "lofi": GenreProfile(
        tempo=(70, 90), density=0.45,
        major=(("Imaj7", "vi7", "ii7", "V7"), ("Imaj7", "IVmaj7", "iii7", "vi7"),
               ("IVmaj7", "V7", "iii7", "vi7")),
        minor=(("i7", "iv7", "bVIImaj7", "bIIImaj7"), ("i7", "bVImaj7", "iv7", "V7")),
        leads=("epiano", "piano", "guitar", "bells"),
        comps=(("epiano", "lofi"), ("piano", "lofi")),
        harmony=("pad",), bass=("bass", "lofi"), drums="boom",
        counters=("flute",), mood="lazy", major_odds=0.6, swing=0.58, reverb=(0.18, 1.0),
        lofi=True,
    ),
    "ambient": GenreProfile(
        tempo=(66, 88), density=0.25,
        major=(("I", "IV"), ("I", "vi", "IV", "I"), ("Imaj7", "IVmaj7")),
        minor=(("i", "bVI"), ("i", "iv", "bVI", "i")),
        leads=("bells", "pad", "piano", "flute"),
        comps=(("piano", "pulse"), ("bells", "pulse"), ("harp", "pulse")),
        harmony=("pad",), bass=("pad", "sustain"), drums=None,
        counters=("strings",), mood="calm", major_odds=0.6, reverb=(0.45, 3.0),
        harmonic_rhythm=2,
    ),
    "electronic": GenreProfile(
        tempo=(118, 132), density=0.7,
        major=(("vi", "IV", "I", "V"), ("I", "V", "vi", "IV"), ("I", "IV", "V", "IV")),
        minor=(("i", "bVI", "bIII", "bVII"), ("i", "bVI", "bVII", "i"), ("i", "iv", "bVI", "V")),
        leads=("synth", "bells"),
        comps=(("synth", "offbeat"), ("piano", "offbeat")),
        harmony=("pad",), bass=("synthbass", "eighths"), drums="four",
        counters=("pad",), mood="energetic", major_odds=0.5, reverb=(0.2, 1.5),
    ),
    "chinese": GenreProfile(
        tempo=(72, 104), density=0.5,
        major=(("I", "vi", "IV", "V"), ("I", "IV", "V", "I"), ("I", "iii", "IV", "V"),
               ("I", "V", "vi", "iii", "IV", "I", "IV", "V")),
        minor=(("i", "bVII", "iv", "i"), ("i", "bVI", "bVII", "i"), ("i", "iv", "bVII", "V")),
        leads=("dizi", "erhu", "guzheng", "flute"),
        comps=(("guzheng", "guzheng"), ("harp", "guzheng")),
        harmony=("strings", "pad"), bass=("cello", "half"), drums="chinese",
        counters=("erhu", "dizi"), mood="calm", major_odds=0.6, scale="pentatonic",
        reverb=(0.35, 2.2),
    ),
    "cinematic": GenreProfile(
        tempo=(84, 110), density=0.6,
        major=(("I", "bVI", "bVII", "I"), ("I", "V", "vi", "IV"), ("I", "iii", "IV", "V")),
        minor=(("i", "bVI", "bIII", "bVII"), ("i", "bVI", "iv", "V"), ("i", "iv", "bVI", "V")),
        leads=("brass", "strings", "voice"),
        comps=(("strings", "ostinato"), ("piano", "ostinato")),
        harmony=("strings", "brass", "pad"), bass=("cello", "half"), drums="epic",
        counters=("brass", "strings"), mood="epic", major_odds=0.4, reverb=(0.35, 2.5),
    ),
    "soft": GenreProfile(
        tempo=(72, 96), density=0.4,
        major=(("I", "V", "vi", "iii", "IV", "I", "IV", "V"), ("I", "vi", "IV", "V"),
               ("I", "IV", "I", "V")),
        minor=(("i", "bVI", "iv", "V"), ("i", "iv", "bVII", "bIII"), ("i", "iv", "V", "i")),
        leads=("piano", "flute", "strings"),
        comps=(("piano", "arpeggio"), ("guitar", "arpeggio"), ("harp", "arpeggio")),
        harmony=("strings", "pad"), bass=("bass", "half"), drums="soft",
        counters=("cello", "flute"), mood="calm", major_odds=0.7, reverb=(0.3, 2.0),
    ),
    "folk": GenreProfile(
        tempo=(88, 116), density=0.55,
        major=(("I", "IV", "I", "V"), ("I", "V", "vi", "IV"), ("I", "IV", "V", "I")),
        minor=(("i", "bVII", "bVI", "V"), ("i", "iv", "i", "V")),
        leads=("flute", "guitar", "voice"),
        comps=(("guitar", "strum"),),
        harmony=("strings",), bass=("bass", "half"), drums="soft",
        counters=("strings", "flute"), mood="warm", major_odds=0.7, reverb=(0.2, 1.2),
    ),
    "piano": GenreProfile(
        tempo=(66, 96), density=0.45,
        major=(("I", "V", "vi", "IV"), ("I", "vi", "IV", "V"), ("I", "IV", "V", "I")),
        minor=(("i", "iv", "V", "i"), ("i", "bVI", "iv", "V"), ("i", "bVII", "bVI", "V")),
        leads=("piano",),
        comps=(("piano", "ballad"),),
        harmony=("strings",), bass=None, drums=None,
        counters=("strings", "cello"), mood="romantic", major_odds=0.55, reverb=(0.28, 1.8),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class MoodProfile:
    tempo: float
    major: bool
    density: float  # added to the genre's density
    genres: tuple[str, ...]


MOODS: dict[str, MoodProfile] = {
    "happy": MoodProfile(124, True, 0.1, ("pop", "folk", "electronic")),
    "sad": MoodProfile(70, False, -0.15, ("piano", "soft", "classical")),
    "calm": MoodProfile(72, True, -0.2, ("ambient", "piano", "soft")),
    "epic": MoodProfile(100, False, 0.1, ("cinematic", "classical")),
    "dark": MoodProfile(84, False, 0.0, ("cinematic", "ambient", "electronic")),
    "scary": MoodProfile(78, False, -0.05, ("cinematic", "ambient")),
    "romantic": MoodProfile(84, True, -0.05, ("soft", "piano", "jazz")),
    "energetic": MoodProfile(136, True, 0.2, ("electronic", "rock", "pop")),
    "lazy": MoodProfile(80, True, -0.1, ("lofi", "jazz")),
    "playful": MoodProfile(118, True, 0.05, ("pop", "folk")),
    "warm": MoodProfile(92, True, 0.0, ("soft", "folk", "jazz")),
    "angry": MoodProfile(148, False, 0.25, ("rock", "electronic")),
}

# Which genre an instrument suggests when the prompt names no genre and no mood.
_INSTRUMENT_GENRES: dict[str, str] = {
    "piano": "piano",
    "epiano": "lofi",
    "strings": "classical",
    "guitar": "folk",
    "flute": "classical",
    "dizi": "chinese",
    "guzheng": "chinese",
    "erhu": "chinese",
    "bells": "ambient",
    "pad": "ambient",
    "synth": "electronic",
    "harp": "classical",
    "brass": "cinematic",
    "organ": "rock",
    "voice": "pop",
    "drums": "pop",
    "bass": "pop",
}

_MELODIC = (
    "piano",
    "epiano",
    "strings",
    "guitar",
    "flute",
    "dizi",
    "guzheng",
    "erhu",
    "bells",
    "pad",
    "synth",
    "harp",
    "brass",
    "organ",
    "voice",
)
_COMP_STYLE_FOR = {
    "piano": "block",
    "epiano": "block",
    "guitar": "strum",
    "guzheng": "guzheng",
    "harp": "arpeggio",
    "strings": "ostinato",
    "synth": "offbeat",
    "bells": "pulse",
    "organ": "block",
}
_KEYS_MAJOR = (0, 7, 2, 5, 9, 4, 10, 3)
_KEYS_MINOR = (9, 4, 2, 0, 7, 5, 11, 6)


@dataclass(frozen=True)
class MusicPlan:
    """Everything decided about a piece before a single sample is made."""

    prompt: str
    seed: int
    cfg: float
    steps: int
    tempo_bpm: float
    tonic: int  # pitch class 0–11 (0 = C)
    mode: str  # "major" | "minor"
    genre: str
    mood: str
    progression: tuple[str, ...]  # Roman numerals relative to the tonic's major scale
    lead: str
    comp: str | None
    comp_style: str
    harmony: str | None
    bass: str | None
    bass_style: str
    drums: str | None  # drum pattern style, None = no drums
    counter: str | None
    density: float  # 0–1: how many notes per bar
    detail: float  # 0–1, from steps
    strictness: float  # 0–1, from cfg
    scale_kind: str = "diatonic"
    swing: float = 0.0
    harmonic_rhythm: int = 1
    reverb_send: float = 0.25
    room_seconds: float = 1.6
    lofi: bool = False
    variant: int = 0
    choices: tuple[tuple[str, str], ...] = field(default=())  # what decided each item

    @property
    def instruments(self) -> tuple[str, ...]:
        names = [self.lead, self.comp, self.harmony, self.bass, self.counter]
        out = tuple(dict.fromkeys(n for n in names if n))
        return (*out, "drums") if self.drums else out

    @property
    def key_name(self) -> str:
        return key_name(self.tonic, self.mode)

    @property
    def chord_progression(self) -> tuple[str, ...]:
        return self.progression

    def describe(self) -> dict[str, Any]:
        """Plain metadata for sidecar files and the UI."""
        data = asdict(self)
        data.pop("choices")
        data["key"] = self.key_name
        data["instruments"] = list(self.instruments)
        data["progression"] = list(self.progression)
        data["decided_by"] = dict(self.choices)
        data["sample_rate"] = SAMPLE_RATE
        return data


def _strictness(cfg: float) -> float:
    return float(np.clip((cfg - 1.0) / 14.0, 0.0, 1.0))


def _detail(steps: int) -> float:
    return float(np.clip((steps - 10) / 90.0, 0.0, 1.0))


def _pick(rng: np.random.Generator, options: tuple[Any, ...] | list[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def plan_music(prompt: str, seed: int, cfg: float, steps: int) -> MusicPlan:
    """Read the prompt and decide the whole piece (see the module docstring for seed/cfg/steps)."""
    return plan_from_words(parse_prompt(prompt), prompt=prompt, seed=seed, cfg=cfg, steps=steps)


def plan_from_words(
    words: PromptWords,
    *,
    prompt: str,
    seed: int,
    cfg: float,
    steps: int,
    variant: int = 0,
) -> MusicPlan:
    """Decide a piece from already-parsed words; `variant` picks another piece of the same kind.

    The image and extend engines build their PromptWords themselves (from a picture, or from
    the analysed source song) and call this directly.
    """
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0x5EED, int(variant)])
    # Choices that `variant` rotates start from a draw that ignores the variant, so variants
    # 0, 1, 2 … of one seed step through different progressions and instruments.
    base = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0xBA5E])
    rotation = [int(v) for v in base.integers(0, 1 << 16, size=3)]
    strict = _strictness(cfg)
    loose = 1.0 - strict
    detail = _detail(steps)
    choices: dict[str, str] = {}

    # Genre, then mood: what the prompt says, else what the other one suggests, else the seed.
    named = [i for i in (words.instruments or ()) if i in _MELODIC]
    if words.genre:
        genre, choices["genre"] = words.genre, "prompt"
    elif words.mood:
        suggestions = MOODS[words.mood].genres
        if named and any(_INSTRUMENT_GENRES.get(named[0]) == g for g in suggestions):
            genre = _INSTRUMENT_GENRES[named[0]]
        elif named == ["piano"]:
            genre = "piano"
        else:
            genre = _pick(rng, suggestions)
        choices["genre"] = "mood"
    elif named:
        genre, choices["genre"] = _INSTRUMENT_GENRES[named[0]], "instruments"
    else:
        genre, choices["genre"] = _pick(rng, sorted(GENRES)), "seed"
    profile = GENRES[genre]
    if words.mood:
        mood, choices["mood"] = words.mood, "prompt"
    else:
        mood, choices["mood"] = profile.mood, "genre"
    mood_profile = MOODS[mood]

    # Mode and key: stated facts always win.
    if words.mode:
        mode, choices["mode"] = words.mode, "prompt"
    elif words.mood:
        usual = "major" if mood_profile.major else "minor"
        flip = rng.random() < 0.3 * loose
        mode = ({"major": "minor", "minor": "major"}[usual]) if flip else usual
        choices["mode"] = "seed" if flip else "mood"
    else:
        mode = "major" if rng.random() < profile.major_odds else "minor"
        choices["mode"] = "seed"
    if words.tonic is not None:
        tonic, choices["key"] = words.tonic % 12, "prompt"
    else:
        tonic = int(_pick(rng, _KEYS_MAJOR if mode == "major" else _KEYS_MINOR))
        choices["key"] = "seed"

    # Tempo: stated bpm exactly; otherwise the mood (or genre) tempo with cfg-dependent jitter.
    if words.tempo_bpm is not None:
        tempo, choices["tempo"] = float(words.tempo_bpm), "prompt"
    else:
        low, high = profile.tempo
        centre = mood_profile.tempo if words.mood else (low + high) / 2.0
        centre = float(np.clip(centre, low * 0.85, high * 1.1))
        if words.pace == "slow":
            centre *= 0.8
        elif words.pace == "fast":
            centre *= 1.22
        spread = 0.03 + 0.15 * loose
        tempo = centre * (1.0 + rng.uniform(-spread, spread))
        # Past ~150 bpm a backbeat is felt (and measured) at half time: keep derived tempi below.
        tempo = float(np.clip(round(tempo), 56.0, 150.0))
        choices["tempo"] = "mood" if words.mood else "genre"

    density = profile.density + (mood_profile.density if words.mood else 0.0)
    if words.pace == "fast":
        density += 0.1
    density = float(np.clip(density + rng.uniform(-0.08, 0.08) * (0.5 + loose), 0.1, 0.95))

    progressions = profile.major if mode == "major" else profile.minor
    progression = progressions[(rotation[0] + variant) % len(progressions)]

    lead, comp, comp_style, harmony, bass, bass_style, drums, counter = _instruments(
        words, profile, genre, mood, rng, strict, detail, variant, rotation, choices
    )
    swing = profile.swing
    if drums is None and swing:
        swing = 0.0  # without a drummer, swung eighths blur the beat more than they add

    reverb_send, room = profile.reverb
    if mood in ("calm", "sad", "romantic", "scary"):
        reverb_send *= 1.2
    return MusicPlan(
        prompt=prompt,
        seed=int(seed),
        cfg=float(cfg),
        steps=int(steps),
        tempo_bpm=tempo,
        tonic=tonic,
        mode=mode,
        genre=genre,
        mood=mood,
        progression=tuple(progression),
        lead=lead,
        comp=comp,
        comp_style=comp_style,
        harmony=harmony,
        bass=bass,
        bass_style=bass_style,
        drums=drums,
        counter=counter,
        density=density,
        detail=detail,
        strictness=strict,
        scale_kind=profile.scale,
        swing=swing,
        harmonic_rhythm=profile.harmonic_rhythm if tempo > 60 else 1,
        reverb_send=reverb_send,
        room_seconds=room,
        lofi=profile.lofi,
        variant=int(variant),
        choices=tuple(sorted(choices.items())),
    )


def _instruments(
    words: PromptWords,
    profile: GenreProfile,
    genre: str,
    mood: str,
    rng: np.random.Generator,
    strict: float,
    detail: float,
    variant: int,
    rotation: list[int],
    choices: dict[str, str],
) -> tuple[str, str | None, str, str | None, str | None, str, str | None, str | None]:
    loose = 1.0 - strict
    named = [i for i in (words.instruments or ()) if i in _MELODIC]
    excluded = set(words.excluded or ())

    def fallback(options: tuple[str, ...]) -> str:
        allowed = [o for o in options if o not in excluded] or list(options)
        return allowed[(rotation[1] + variant) % len(allowed)]

    # Lead: the first named melodic instrument; otherwise the genre's usual (the seed may roam).
    if named:
        lead, choices["lead"] = named[0], "prompt"
    else:
        pool = profile.leads
        if rng.random() < 0.35 * loose and variant == 0:
            pool = tuple(dict.fromkeys((*pool, "piano", "flute", "strings", "bells", "guitar")))
        lead, choices["lead"] = fallback(pool), "seed"

    # Accompaniment: a second named instrument that can accompany, else the genre's.
    comp_inst, comp_style = profile.comps[(rotation[2] + variant) % len(profile.comps)]
    for name in named[1:]:
        if name in _COMP_STYLE_FOR:
            comp_inst = name
            comp_style = comp_style if name == profile.comps[0][0] else _COMP_STYLE_FOR[name]
            break
    else:
        if named == ["piano"] and genre in ("piano", "soft", "classical"):
            comp_inst, comp_style = "piano", "ballad" if genre == "piano" else comp_style
    if comp_inst == lead and not named[1:]:
        # The same instrument playing tune and accompaniment blurs both; take another if any.
        others = [c for c in profile.comps if c[0] != lead]
        if others:
            comp_inst, comp_style = others[(rotation[2] + variant) % len(others)]
    comp: str | None = comp_inst
    if comp in excluded:
        comp = None

    # With strict cfg and named instruments, the seed adds nothing the prompt did not ask for.
    only_named = bool(named) and rng.random() < strict
    harmony: str | None = None
    wants_harmony = detail >= 0.3 or comp is None or profile.drums is None
    if wants_harmony and profile.harmony:
        harmony = profile.harmony[int(rng.integers(len(profile.harmony)))]
    for name in named[1:]:
        if name in ("strings", "pad", "organ", "brass") and name != comp:
            harmony = name
    if only_named and harmony not in named:
        harmony = None
    if harmony in excluded:
        harmony = None
    if harmony == "pad" and lead == "pad":
        harmony = "strings"

    bass: str | None
    bass_style: str
    if profile.bass is None:
        bass, bass_style = None, "half"
    else:
        bass, bass_style = profile.bass
    if "bass" in (words.instruments or ()) and bass is None:
        bass, bass_style = "bass", "half"
    if bass == "cello" and only_named and "strings" not in named:
        bass, bass_style = None, "half"
    if bass and ("bass" in excluded):
        bass = None

    drums = profile.drums
    if (
        mood in ("calm", "sad")
        and drums in ("pop", "rock", "four", "boom")
        and (words.instruments is None or "drums" not in words.instruments)
    ):
        drums = "soft"
    if "drums" in (words.instruments or ()) and drums is None:
        drums = "soft" if genre in ("piano", "classical", "ambient", "soft") else "pop"
    if drums is None and genre == "ambient" and detail >= 0.6:
        drums = "shaker"
    if "drums" in excluded:
        drums = None
    if only_named and "drums" not in (words.instruments or ()) and genre in ("piano", "soft"):
        drums = None

    counter: str | None = None
    if detail >= 0.6 and profile.counters:
        counter = profile.counters[int(rng.integers(len(profile.counters)))]
        if counter == lead:
            counter = next((c for c in profile.counters if c != lead), None)
        if only_named and counter not in named:
            counter = None
    if counter in excluded:
        counter = None
    if loose > 0.5 and harmony is None and rng.random() < 0.4 * loose and profile.harmony:
        harmony = profile.harmony[0] if profile.harmony[0] not in excluded else None
        choices["harmony"] = "seed"
    return lead, comp, comp_style, harmony, bass, bass_style, drums, counter


# ---------------------------------------------------------------- rendering


def _pan_gains(pan: float) -> tuple[float, float]:
    angle = (float(np.clip(pan, -1.0, 1.0)) + 1.0) * np.pi / 4.0
    return math.cos(angle), math.sin(angle)


def _soft_limit(x: np.ndarray) -> np.ndarray:
    """Identity below 0.8; above, a tanh knee that never reaches PEAK_LIMIT."""
    knee = np.float32(0.8)
    room = np.float32(PEAK_LIMIT - 0.8 - 1e-4)
    magnitude = np.abs(x)
    over = magnitude > knee
    if not np.any(over):
        return x
    out = x.copy()
    out[over] = np.sign(x[over]) * (knee + room * np.tanh((magnitude[over] - knee) / room))
    return out


class _Reverb:
    """FFT convolution with a stereo room response, overlap-add in fixed blocks.

    Fixed blocks mean the room's spectrum is computed once per piece, whatever the chunks.
    """

    BLOCK = 1 << 16

    def __init__(self, seconds: float, seed: int) -> None:
        self.ir = reverb_impulse(seconds, seed)
        self._size = sp_fft.next_fast_len(self.BLOCK + len(self.ir) - 1, real=True)
        self._spectrum = sp_fft.rfft(self.ir, self._size, axis=0)

    def apply(self, send: np.ndarray) -> np.ndarray:
        out = np.zeros((len(send) + len(self.ir) - 1, 2), dtype=np.float32)
        for start in range(0, len(send), self.BLOCK):
            block = send[start : start + self.BLOCK]
            wet = sp_fft.irfft(
                sp_fft.rfft(block, self._size)[:, None] * self._spectrum, self._size, axis=0
            )
            length = min(len(block) + len(self.ir) - 1, len(out) - start)
            out[start : start + length] += wet[:length]
        return out


def _chunk_edges(n: int, seconds: float) -> list[int]:
    """Ends of at least 10 equal chunks (one per ~3 s for long pieces)."""
    count = max(10, math.ceil(seconds / 3.0))
    edges = [round(n * (k + 1) / count) for k in range(count)]
    edges[-1] = n
    return sorted(set(edges))


def render_music(
    plan: MusicPlan,
    seconds: float,
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> np.ndarray:
    """Render `plan` to (round(seconds·44100), 2) float32, peak ≤ 0.98.

    `on_progress(fraction, message, partial)` is called at least 10 times with a strictly
    increasing fraction ending at 1.0; `partial` is the finished audio so far (a read-only view
    that later calls never change). `should_stop()` is polled between chunks; when it returns
    True, EngineCancelled is raised.
    """
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("seconds must be a positive number")
    n = round(seconds * SAMPLE_RATE)
    arranger = Arranger(plan, seconds)
    events = arranger.build()
    synth = Synth(plan.seed, plan.tonic)
    reverb = _Reverb(plan.room_seconds, plan.seed)
    tail = len(reverb.ir) + 8 * SAMPLE_RATE
    master = np.zeros((n + tail, 2), dtype=np.float32)
    out = np.zeros((n, 2), dtype=np.float32)
    fade = _fade_curve(n, seconds)
    lofi = _LofiTexture(plan.seed) if plan.lofi else None
    if lofi is not None:
        # The record's crackle stops with the music instead of outlasting the last chord.
        final_start = round(arranger.tl.final_start * SAMPLE_RATE)
        noise_env = np.ones(n, dtype=np.float32)
        ramp = np.linspace(1.0, 0.0, max(1, min(n, SAMPLE_RATE)), dtype=np.float32)
        tail_len = max(0, min(len(ramp), n - final_start))
        noise_env[final_start : final_start + tail_len] = ramp[:tail_len]
        noise_env[final_start + tail_len :] = 0.0

    if should_stop is not None and should_stop():
        raise EngineCancelled("stopped")
    gain = _master_gain(events, synth, plan.reverb_send, n)
    starts = [min(n - 1, round(e.start * SAMPLE_RATE)) for e in events]
    edges = _chunk_edges(n, seconds)
    index = 0
    done = 0
    for k, edge in enumerate(edges):
        if should_stop is not None and should_stop():
            raise EngineCancelled("stopped")
        chunk_start = done
        chunk_events: list[tuple[int, Event]] = []
        while index < len(events) and (starts[index] < edge or k == len(edges) - 1):
            chunk_events.append((starts[index], events[index]))
            index += 1
        if chunk_events:
            _mix_events(chunk_events, chunk_start, synth, master, reverb, plan.reverb_send)
        block = master[done:edge] * np.float32(gain)
        if lofi is not None:
            block = lofi.process(block, done, noise_env[done:edge])
        block *= fade[done:edge, None]
        out[done:edge] = _soft_limit(block)
        done = edge
        if on_progress is not None:
            # About a third of the work (synthesising each distinct note) is done up front.
            fraction = 1.0 if k == len(edges) - 1 else 0.3 + 0.7 * (k + 1) / len(edges)
            view = out[:done]
            view.flags.writeable = False
            step = msg("music_rendering", done=f"{done / SAMPLE_RATE:.1f}", total=f"{seconds:.1f}")
            on_progress(fraction, step, view)
    np.nan_to_num(out, copy=False)
    return out


def _wave_and_mix(event: Event, synth: Synth) -> tuple[np.ndarray, Mix]:
    if event.inst in DRUM_NAMES:
        return synth.drum(event.inst), DRUM_MIX[event.inst]
    return synth.note(event.inst, event.pitch, event.dur), MIX[event.inst]


def _master_gain(events: list[Event], synth: Synth, send_scale: float, n: int) -> float:
    """Gain that brings the mix to TARGET_RMS_DBFS, from the energy of every note.

    Notes overlap mostly incoherently, so their energies add; this renders (and caches)
    every distinct note once, which the mixing would have done anyway.
    """
    energies: dict[int, float] = {}
    total = 0.0
    wet_scale = (send_scale * REVERB_SCALE) ** 2
    for event in events:
        wave, mix = _wave_and_mix(event, synth)
        energy = energies.get(id(wave))
        if energy is None:
            energy = float(np.dot(wave, wave))
            energies[id(wave)] = energy
        gain = (mix.level * event.vel) ** 2
        total += gain * energy * (0.5 + wet_scale * mix.send**2)
    if total <= 0.0:
        return MASTER_GAIN
    rms = np.sqrt(total / n)
    wanted = 10.0 ** (TARGET_RMS_DBFS / 20.0) / rms
    return float(np.clip(wanted, 0.25 * MASTER_GAIN, 4.0 * MASTER_GAIN))


def _fade_curve(n: int, seconds: float) -> np.ndarray:
    """Gain 1, then a smooth fade to silence over the last part of the final chord."""
    fade = np.ones(n, dtype=np.float32)
    length = min(n, int(min(2.2, max(0.3, 0.13 * seconds)) * SAMPLE_RATE))
    if length > 1:
        x = np.linspace(0.0, 1.0, length, dtype=np.float32)
        fade[n - length :] = 0.5 * (1.0 + np.cos(np.pi * x))
    start = min(n, int(0.004 * SAMPLE_RATE))
    fade[:start] *= np.linspace(0.0, 1.0, start, dtype=np.float32)
    return fade


def _mix_events(
    chunk_events: list[tuple[int, Event]],
    chunk_start: int,
    synth: Synth,
    master: np.ndarray,
    reverb: _Reverb,
    send_scale: float,
) -> None:
    longest = 0
    rendered: list[tuple[int, np.ndarray, float, float, float]] = []
    for start, event in chunk_events:
        wave, mix = _wave_and_mix(event, synth)
        gain = mix.level * event.vel
        rendered.append((start, wave, gain, mix.pan + event.pan, mix.send))
        longest = max(longest, start - chunk_start + len(wave))
    send = np.zeros(longest, dtype=np.float32)
    limit = len(master)
    for start, wave, gain, pan, send_level in rendered:
        end = min(start + len(wave), limit)
        piece = wave[: end - start]
        left, right = _pan_gains(pan)
        master[start:end, 0] += piece * np.float32(gain * left)
        master[start:end, 1] += piece * np.float32(gain * right)
        offset = start - chunk_start
        send[offset : offset + len(piece)] += piece * np.float32(gain * send_level)
    wet = reverb.apply(send * np.float32(send_scale * REVERB_SCALE))
    end = min(chunk_start + len(wet), limit)
    master[chunk_start:end] += wet[: end - chunk_start]


class _LofiTexture:
    """Low-pass "tape" tone plus vinyl crackle, run causally so chunks join seamlessly."""

    def __init__(self, seed: int) -> None:
        self._sos = signal.butter(2, 5200.0, btype="lowpass", fs=SAMPLE_RATE, output="sos")
        self._state = np.zeros((self._sos.shape[0], 2, 2))
        self._seed = int(seed) & 0xFFFFFFFF

    def process(self, block: np.ndarray, offset: int, noise_gain: np.ndarray) -> np.ndarray:
        filtered, self._state = signal.sosfilt(self._sos, block, axis=0, zi=self._state)
        rng = np.random.default_rng([self._seed, 0x71C, offset])
        crackle = np.zeros(len(block), dtype=np.float32)
        pops = rng.random(len(block)) < 6.0 / SAMPLE_RATE
        crackle[pops] = rng.uniform(-0.06, 0.06, int(pops.sum())).astype(np.float32)
        hiss = rng.standard_normal(len(block)).astype(np.float32) * np.float32(0.003)
        return (filtered + ((crackle + hiss) * noise_gain)[:, None]).astype(np.float32)
