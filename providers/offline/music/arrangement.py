"""From a MusicPlan and a length to a list of timed note and drum events.

The piece is laid on a 4/4 grid: an intro bar, verse (A) and chorus (B) blocks of four bars,
then a final tonic chord that rings to the end. Harmony follows the plan's progression (with a
dominant forced into the bar before the final chord, so every piece closes with a cadence);
the melody is built from two-bar motifs (rhythm + contour) that repeat with variation and are
snapped to chord tones on strong beats; bass, accompaniment and drums follow genre patterns.
Strong beats always carry the loudest onsets, so the tempo is audible even without drums.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from providers.offline.music.music import MusicPlan

BEATS_PER_BAR = 4

SCALES: dict[tuple[str, str], tuple[int, ...]] = {
    ("diatonic", "major"): (0, 2, 4, 5, 7, 9, 11),
    ("diatonic", "minor"): (0, 2, 3, 5, 7, 8, 10),
    ("pentatonic", "major"): (0, 2, 4, 7, 9),
    ("pentatonic", "minor"): (0, 3, 5, 7, 10),
}

SUSTAINED = frozenset(
    {"strings", "cello", "pad", "flute", "dizi", "erhu", "brass", "organ", "voice", "synth"}
)


class Event(NamedTuple):
    start: float  # seconds
    dur: float  # seconds held (the instrument adds its own release)
    pitch: int  # MIDI note; -1 for drums
    vel: float  # 0–1
    inst: str  # instrument or drum name
    pan: float  # offset added to the instrument's own position


@dataclass(frozen=True)
class Chord:
    symbol: str
    root: int  # semitones above the tonic
    pcs: tuple[int, ...]  # chord tones, semitones above the tonic (mod 12), root first


_NUMERALS = {"I": 0, "II": 2, "III": 4, "IV": 5, "V": 7, "VI": 9, "VII": 11}
_CHORD_RE = re.compile(r"^(b|#)?(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(maj7|ø7|°|7|sus4)?$")


def parse_chord(symbol: str) -> Chord:
    """Roman numeral relative to the major scale of the tonic: 'vi', 'bVII', 'V7', 'iiø7' …"""
    match = _CHORD_RE.match(symbol)
    if match is None:
        raise ValueError(f"not a chord symbol: {symbol!r}")
    accidental, numeral, suffix = match.groups()
    root = _NUMERALS[numeral.upper()] + {"b": -1, "#": 1, None: 0}[accidental]
    minor = numeral.islower()
    if suffix == "°":
        intervals: tuple[int, ...] = (0, 3, 6)
    elif suffix == "ø7":
        intervals = (0, 3, 6, 10)
    elif suffix == "maj7":
        intervals = (0, 3, 7, 11) if minor else (0, 4, 7, 11)
    elif suffix == "7":
        intervals = (0, 3, 7, 10) if minor else (0, 4, 7, 10)
    elif suffix == "sus4":
        intervals = (0, 5, 7)
    else:
        intervals = (0, 3, 7) if minor else (0, 4, 7)
    return Chord(symbol, root % 12, tuple((root + i) % 12 for i in intervals))


def dominant_for(plan: MusicPlan) -> Chord:
    sevenths = any(sym.endswith("7") for sym in plan.progression)
    return parse_chord("V7" if sevenths else "V")


def tonic_chord(plan: MusicPlan) -> Chord:
    return parse_chord("I" if plan.mode == "major" else "i")


@dataclass(frozen=True)
class Timeline:
    """Where things are in time: beats, bars, sections, chords and the final chord."""

    seconds: float
    spb: float  # seconds per beat
    swing: float  # where a swung offbeat eighth lands within its beat (0.5 = straight)
    body_beats: int  # beats before the final chord
    sections: tuple[str, ...]  # per bar: "I" intro, "A" verse, "B" chorus
    chords: tuple[Chord, ...]  # per bar
    final: Chord

    @property
    def bars(self) -> int:
        return len(self.chords)

    @property
    def final_start(self) -> float:
        return self.time(self.body_beats)

    def time(self, beat: float) -> float:
        whole = math.floor(beat + 1e-9)
        frac = beat - whole
        if self.swing != 0.5 and frac > 1e-9:
            frac = (
                frac * 2.0 * self.swing
                if frac <= 0.5
                else self.swing + (frac - 0.5) * 2.0 * (1.0 - self.swing)
            )
        return (whole + frac) * self.spb

    def chord_at(self, beat: float) -> Chord:
        if beat >= self.body_beats - 1e-9:
            return self.final
        return self.chords[min(int(beat // BEATS_PER_BAR), self.bars - 1)]

    def section_at(self, beat: float) -> str:
        if beat >= self.body_beats - 1e-9 or self.bars == 0:
            return "B"
        return self.sections[min(int(beat // BEATS_PER_BAR), self.bars - 1)]


def ending_seconds(seconds: float) -> float:
    """How long the final chord should ring for a piece of this length."""
    return float(np.clip(0.15 * seconds, 0.5, 2.5))


def make_timeline(plan: MusicPlan, seconds: float) -> Timeline:
    spb = 60.0 / plan.tempo_bpm
    tail = ending_seconds(seconds)
    usable_beats = max(0, math.floor((seconds - tail) / spb + 1e-9))
    # Land the final chord on a bar or half-bar line when that costs little time.
    body = usable_beats - usable_beats % 2 if usable_beats >= 6 else usable_beats
    bars = math.ceil(body / BEATS_PER_BAR)
    sections = _sections(bars)
    progression = [parse_chord(sym) for sym in plan.progression]
    rhythm = max(1, plan.harmonic_rhythm)
    chords = [progression[(bar // rhythm) % len(progression)] for bar in range(bars)]
    if bars >= 2 and chords[-1].root not in (5, 7, 2, 11):
        chords[-1] = dominant_for(plan)
    if bars >= 3 and not any(chord.root in (5, 2) for chord in chords):
        # Without a subdominant chord, I–V–vi–iii music is equally in the dominant's key.
        chords[-2] = parse_chord("IV" if plan.mode == "major" else "iv")
    return Timeline(
        seconds=seconds,
        spb=spb,
        swing=plan.swing if plan.swing > 0 else 0.5,
        body_beats=body,
        sections=tuple(sections),
        chords=tuple(chords),
        final=tonic_chord(plan),
    )


def _sections(bars: int) -> list[str]:
    if bars < 4:
        return ["A"] * bars
    intro = 1 if bars >= 6 else 0
    if bars >= 24:
        intro = 2
    out = ["I"] * intro
    block = 0
    while len(out) < bars:
        letter = "A" if block % 2 == 0 else "B"
        if bars - intro >= 16 and block >= 2:
            letter = "B" if block % 3 != 0 else "A"
        out.extend([letter] * min(4, bars - len(out)))
        block += 1
    return out


# ---------------------------------------------------------------- pitch helpers


class Pitches:
    """Scale degrees ↔ MIDI for the plan's key, with the minor mode's raised seventh over V."""

    def __init__(self, plan: MusicPlan) -> None:
        self.tonic = plan.tonic
        self.mode = plan.mode
        self.scale = SCALES[(plan.scale_kind, plan.mode)]
        self.size = len(self.scale)
        centre = 60 + plan.tonic
        self.tonic_midi = centre - 12 if centre > 66 else centre

    def midi(self, degree: int, chord: Chord | None = None, base: int | None = None) -> int:
        octave, index = divmod(degree, self.size)
        pc = self.scale[index]
        if self.mode == "minor" and chord is not None and pc == 10 and 11 in chord.pcs:
            pc = 11
        return (self.tonic_midi if base is None else base) + 12 * octave + pc

    def degree_near(self, midi: float) -> int:
        best = 0
        best_distance = 1e9
        rough = round((midi - self.tonic_midi) / 12.0 * self.size)
        for degree in range(rough - self.size, rough + self.size + 1):
            distance = abs(self.midi(degree) - midi)
            if distance < best_distance:
                best, best_distance = degree, distance
        return best

    def snap_to_chord(self, degree: int, chord: Chord) -> int:
        for distance in range(0, 4):
            for candidate in (degree - distance, degree + distance):
                if (self.midi(candidate, chord) - self.tonic_midi) % 12 in chord.pcs:
                    return candidate
        return degree

    def bass_midi(self, pc: int, low: int = 36) -> int:
        return low + (self.tonic + pc - low) % 12


def voicing(
    chord: Chord, tonic: int, previous: list[int] | None, low: int = 52, high: int = 72
) -> list[int]:
    """Chord tones in [low, high], the inversion nearest the previous voicing."""
    pcs = [(tonic + pc) % 12 for pc in chord.pcs]
    candidates: list[list[int]] = []
    for rotation in range(len(pcs)):
        order = pcs[rotation:] + pcs[:rotation]
        for start in range(low, low + 12):
            if start % 12 != order[0]:
                continue
            notes = [start]
            for pc in order[1:]:
                nxt = notes[-1] + 1
                while nxt % 12 != pc:
                    nxt += 1
                notes.append(nxt)
            if notes[-1] <= high:
                candidates.append(notes)
    if not candidates:
        base = low + (pcs[0] - low) % 12
        return [base + (pc - pcs[0]) % 12 for pc in pcs]
    target = previous if previous else [(low + high) // 2] * len(pcs)
    centre = sum(target) / len(target)

    def cost(notes: list[int]) -> float:
        if len(notes) == len(target):
            return float(sum(abs(a - b) for a, b in zip(notes, target, strict=True)))
        return abs(sum(notes) / len(notes) - centre) * len(notes)

    return min(candidates, key=cost)


# ---------------------------------------------------------------- the arranger


class Arranger:
    """Builds every part's events for one plan and length; randomness only from `rng`."""

    def __init__(self, plan: MusicPlan, seconds: float) -> None:
        self.plan = plan
        self.tl = make_timeline(plan, seconds)
        self.rng = np.random.default_rng([plan.seed & 0xFFFFFFFF, 0xA11A, plan.variant])
        self.pitches = Pitches(plan)
        self.events: list[Event] = []
        self.energy = {"I": 0.72, "A": 0.85, "B": 1.0}
        # At slow tempi loud offbeat eighths sound (and measure) like a beat twice as fast:
        # keep them clearly below the beats there.
        self.offbeat = float(np.interp(plan.tempo_bpm, [70.0, 100.0], [0.55, 1.0]))

    # -- output helpers

    def _add(
        self,
        beat: float,
        beats: float,
        pitch: int,
        vel: float,
        inst: str,
        pan: float = 0.0,
        humanise: bool = True,
    ) -> None:
        start = self.tl.time(beat)
        end = self.tl.time(beat + beats)
        if humanise:
            start += float(np.clip(self.rng.normal(0.0, 0.003), -0.008, 0.008))
            vel *= float(1.0 + np.clip(self.rng.normal(0.0, 0.04), -0.1, 0.1))
        start = max(0.0, start)
        self.events.append(Event(start, max(0.03, end - start), int(pitch), float(vel), inst, pan))

    def _hit(self, beat: float, kind: str, vel: float) -> None:
        self.events.append(Event(self.tl.time(beat), 0.0, -1, float(vel), kind, 0.0))

    def build(self) -> list[Event]:
        plan = self.plan
        if self.tl.body_beats > 0:
            self._melody()
            if plan.comp:
                self._comp()
            if plan.harmony:
                self._harmony()
            if plan.bass:
                self._bass()
            if plan.drums:
                self._drums()
            if plan.counter:
                self._counter()
        self._ending()
        self.events.sort(key=lambda e: (e.start, e.inst, e.pitch))
        return self.events

    # -- melody

    def _motif(self, density: float) -> tuple[list[tuple[float, float]], list[int]]:
        rng = self.rng
        cells: list[tuple[tuple[float, ...], float, float]] = [
            ((1.0,), 3.0, 1.2),
            ((0.5, 0.5), 0.6, 3.0),
            ((2.0,), 2.5, 0.3),
            ((1.5, 0.5), 1.0, 1.4),
            ((0.75, 0.25), 0.1, 1.0),
            ((0.5, 0.25, 0.25), 0.05, 0.9),
            ((0.25, 0.25, 0.5), 0.05, 0.9),
            ((0.5, 1.0, 0.5), 0.2, 1.2),
        ]
        rhythm: list[tuple[float, float]] = []
        pos = float(rng.choice([0.0, 0.0, 0.0, 0.5, 1.0]))
        total = 2.0 * BEATS_PER_BAR
        while pos < total - 1e-9:
            remaining = total - pos
            if remaining <= 2.0 + 1e-9:
                held = remaining - 0.5 if remaining >= 1.5 and rng.random() < 0.5 else remaining
                rhythm.append((pos, held))
                break
            fitting = [c for c in cells if sum(c[0]) <= remaining - 1.0 + 1e-9]
            weights = np.array([lo * (1 - density) + hi * density for _, lo, hi in fitting])
            cell = fitting[int(rng.choice(len(fitting), p=weights / weights.sum()))][0]
            for dur in cell:
                rhythm.append((pos, dur))
                pos += dur
        contour = [0]
        last_step = 0
        for i in range(1, len(rhythm)):
            if abs(last_step) >= 3:
                step = -int(np.sign(last_step))
            else:
                rising = i < 0.6 * len(rhythm)
                steps = [-3, -2, -1, 0, 1, 2, 3, 4]
                probs = [0.04, 0.1, 0.26, 0.1, 0.26, 0.12, 0.07, 0.05]
                if not rising:
                    probs = probs[::-1]
                step = int(rng.choice(steps, p=probs))
            value = contour[-1] + step
            if not -4 <= value <= 6:
                step = -step
                value = contour[-1] + step
            contour.append(value)
            last_step = step
        return rhythm, contour

    def _melody(self) -> None:
        plan, tl, rng, p = self.plan, self.tl, self.rng, self.pitches
        lead = plan.lead
        first_bar = tl.sections.count("I") if tl.bars >= 6 else 0
        start_beat = first_bar * BEATS_PER_BAR
        low, high = p.tonic_midi - 5, p.tonic_midi + 16
        motifs: dict[str, tuple[list[tuple[float, float]], list[int]]] = {}
        uses: dict[str, int] = {}
        previous = p.degree_near(p.tonic_midi + 4)
        variation = 0.1 + 0.5 * plan.detail
        ornament = 0.3 * plan.detail
        notes: list[tuple[float, float, int, float]] = []  # beat, beats, degree, vel
        phrase = 0
        beat0 = float(start_beat)
        while beat0 < tl.body_beats - 1e-9:
            section = tl.section_at(beat0)
            letter = (
                ("a" if phrase % 2 == 0 else "b")
                if section != "B"
                else ("c" if phrase % 2 == 0 else "d")
            )
            if letter not in motifs:
                density = plan.density + (0.15 if section == "B" else 0.0)
                # Slow pieces get fewer short notes, or their pulse reads as double time.
                density *= float(np.interp(plan.tempo_bpm, [60.0, 90.0], [0.5, 1.0]))
                density = float(np.clip(density, 0.0, 1.0))
                motifs[letter] = self._motif(density)
            rhythm, contour = motifs[letter]
            count = uses.get(letter, 0)
            uses[letter] = count + 1
            # Verses circle the third (the tonic for pentatonic tunes, whose third would
            # otherwise sound like a tonic of its own); choruses climb to the upper tonic.
            verse_home = 0 if plan.scale_kind == "pentatonic" else 4
            home = p.degree_near(p.tonic_midi + (12 if section == "B" else verse_home))
            chord0 = tl.chord_at(beat0 + rhythm[0][0])
            start = p.snap_to_chord(round(0.5 * previous + 0.5 * home), chord0)
            closing = phrase % 2 == 1
            phrase_notes: list[tuple[float, float, int, float]] = []
            for i, ((onset, dur), offset) in enumerate(zip(rhythm, contour, strict=True)):
                beat = beat0 + onset
                if beat >= tl.body_beats - 1e-9:
                    break
                dur = min(dur, tl.body_beats - beat)
                degree = start + offset
                if count and 0 < i < len(rhythm) - 1 and rng.random() < variation:
                    degree += int(rng.choice([-1, 1]))
                chord = tl.chord_at(beat)
                strong = abs(beat % 2.0) < 1e-9 or dur >= 1.5
                if strong:
                    degree = p.snap_to_chord(degree, chord)
                if i == len(rhythm) - 1 and closing and chord.root == 0:
                    degree = min(
                        (degree - degree % p.size, degree - degree % p.size + p.size),
                        key=lambda d, deg=degree: abs(d - deg),
                    )
                metric = 1.0 if beat % 4 < 1e-9 else 0.9 if beat % 2 < 1e-9 else 0.82
                if beat % 1 > 1e-9:
                    metric = 0.74 * (0.5 + 0.5 * self.offbeat)
                phrase_notes.append((beat, dur, degree, metric))
            if phrase_notes:
                midis = [p.midi(d) for _, _, d, _ in phrase_notes]
                shift = 0
                if max(midis) > high:
                    shift = -p.size
                elif min(midis) < low:
                    shift = p.size
                phrase_notes = [(b, d, deg + shift, v) for b, d, deg, v in phrase_notes]
                previous = phrase_notes[-1][2]
            notes.extend(phrase_notes)
            phrase += 1
            beat0 += 2 * BEATS_PER_BAR

        legato = lead in SUSTAINED
        energy = self.energy
        for beat, dur, degree, metric in notes:
            chord = tl.chord_at(beat)
            pitch = p.midi(degree, chord)
            vel = 0.8 * metric * energy[tl.section_at(beat)]
            held = dur * (0.96 if legato else 0.9)
            if dur >= 1.0 and rng.random() < ornament:
                grace = p.midi(degree + 1, chord)
                self._add(beat, 0.25, grace, vel * 0.8, lead)
                self._add(beat + 0.25, held - 0.25, pitch, vel, lead)
            else:
                self._add(beat, held, pitch, vel, lead)
        self._last_melody_degree = notes[-1][2] if notes else previous

    # -- accompaniment

    def _comp(self) -> None:
        plan, tl, rng = self.plan, self.tl, self.rng
        inst, style = plan.comp, plan.comp_style
        assert inst is not None
        prev: list[int] | None = None
        low, high = (48, 67) if inst == "guitar" else (52, 72)
        for bar in range(tl.bars):
            beat0 = bar * BEATS_PER_BAR
            chord = tl.chords[bar]
            notes = voicing(chord, plan.tonic, prev, low, high)
            prev = notes
            energy = self.energy[tl.sections[bar]]
            end = min(beat0 + BEATS_PER_BAR, tl.body_beats)
            root_low = self.pitches.bass_midi(chord.root, 36 if style == "ballad" else 43)
            for offset, beats, pitches, vel in _comp_pattern(
                style,
                notes,
                root_low,
                rng,
                plan.density,
                self.pitches,
                chord,
                plan.tempo_bpm < 96,
                plan.tempo_bpm < 80,
            ):
                beat = beat0 + offset
                if beat >= end - 1e-9:
                    continue
                if offset % 1 > 1e-9:
                    vel *= self.offbeat
                beats = min(beats, end - beat + (0.0 if inst not in SUSTAINED else 0.1))
                for k, pitch in enumerate(pitches):
                    strum = 0.012 * k if style == "strum" else 0.0
                    spread = (k - (len(pitches) - 1) / 2) * 0.12
                    self._add(beat + strum / tl.spb, beats, pitch, vel * energy, inst, spread)

    def _harmony(self) -> None:
        plan, tl = self.plan, self.tl
        inst = plan.harmony
        assert inst is not None
        prev: list[int] | None = None
        bar = 0
        pad_everywhere = plan.detail >= 0.55 or plan.comp is None
        while bar < tl.bars:
            chord = tl.chords[bar]
            length = 1
            while bar + length < tl.bars and tl.chords[bar + length] == chord:
                length += 1
            section = tl.sections[bar]
            notes = voicing(chord, plan.tonic, prev, 55, 74)
            prev = notes
            if section == "B" or pad_everywhere:
                beat = bar * BEATS_PER_BAR
                beats = min(length * BEATS_PER_BAR, tl.body_beats - beat)
                for k, pitch in enumerate(notes):
                    self._add(
                        beat,
                        beats,
                        pitch,
                        0.55 * self.energy[section],
                        inst,
                        (k - 1) * 0.25,
                        humanise=False,
                    )
            bar += length

    def _counter(self) -> None:
        plan, tl, p = self.plan, self.tl, self.pitches
        inst = plan.counter
        assert inst is not None
        previous = p.tonic_midi - 5
        held = 0
        for bar in range(tl.bars):
            if tl.sections[bar] != "B" and plan.detail < 0.85:
                continue
            chord = tl.chords[bar]
            options = []
            for pc in chord.pcs[:3]:
                for octave in (-24, -12, 0):
                    pitch = p.tonic_midi + octave + pc
                    if p.tonic_midi - 10 <= pitch <= p.tonic_midi + 5:
                        options.append(pitch)
            if not options:
                continue
            # Move by the smallest step, but never sit on one pitch for more than two bars:
            # a held counter-line is loud enough to tilt the whole key.
            moving = [m for m in options if m != previous] if held >= 1 else options
            pitch = min(moving or options, key=lambda m: abs(m - previous))
            held = held + 1 if pitch == previous else 0
            previous = pitch
            beat = bar * BEATS_PER_BAR
            halves = 2 if plan.density > 0.55 else 1
            span = BEATS_PER_BAR / halves
            for h in range(halves):
                b = beat + h * span
                if b < tl.body_beats - 1e-9:
                    self._add(b, min(span, tl.body_beats - b), pitch, 0.4, inst, -0.3)

    def _bass(self) -> None:
        plan, tl, p = self.plan, self.tl, self.pitches
        inst, style = plan.bass, plan.bass_style
        assert inst is not None
        for bar in range(tl.bars):
            beat0 = bar * BEATS_PER_BAR
            chord = tl.chords[bar]
            nxt = tl.chords[bar + 1] if bar + 1 < tl.bars else tl.final
            root = p.bass_midi(chord.root)
            fifth = root + 7 if root + 7 <= 52 else root - 5
            if chord.root == 0:
                # Over the tonic chord the bass answers with the octave, not the fifth: a
                # fifth in the bass register pulls the ear (and any key finder) to the dominant.
                fifth = root + 12 if root + 12 <= 55 else root - 12
            energy = self.energy[tl.sections[bar]]
            end = min(beat0 + BEATS_PER_BAR, tl.body_beats)
            for offset, beats, pitch, vel in _bass_pattern(
                style, root, fifth, chord, nxt, p, self.rng
            ):
                beat = beat0 + offset
                if beat < end - 1e-9:
                    self._add(beat, min(beats, end - beat), pitch, vel * energy, inst)

    # -- drums

    def _drums(self) -> None:
        plan, tl, rng = self.plan, self.tl, self.rng
        style = plan.drums
        assert style is not None
        fills = plan.detail >= 0.3
        extra = plan.detail >= 0.6
        for bar in range(tl.bars):
            section = tl.sections[bar]
            beat0 = bar * BEATS_PER_BAR
            block_end = bar + 1 < tl.bars and tl.sections[bar + 1] != section
            fill = fills and (block_end or (bar % 4 == 3)) and bar + 1 < tl.bars
            new_section = bar == 0 or tl.sections[bar - 1] != section
            hits = _drum_pattern(style, section, plan.density, fill, rng)
            if new_section and section == "B" and plan.detail >= 0.2:
                hits.append((0.0, "crash", 0.8))
            if extra and style not in ("jazz", "chinese", "epic"):
                hits.extend((i * 0.25, "shaker", 0.5 if i % 2 else 0.7) for i in range(16))
            for offset, kind, vel in hits:
                beat = beat0 + offset
                if offset % 1 > 1e-9 and kind not in ("kick", "crash"):
                    if self.offbeat < 0.75 and kind in ("shaker", "hat", "openhat", "ride"):
                        continue  # slow pieces: cymbals and shakers keep to the beat
                    vel *= self.offbeat**2
                if beat < tl.body_beats - 1e-9:
                    self._hit(beat, kind, vel * self.energy[section])

    # -- the last chord

    def _ending(self) -> None:
        plan, tl, p = self.plan, self.tl, self.pitches
        beat = tl.body_beats
        start = tl.time(beat)
        ring = max(0.2, tl.seconds - start)
        beats = ring / tl.spb
        chord = tl.final
        last = getattr(self, "_last_melody_degree", 0)
        tonic_degree = min(
            (last - last % p.size, last - last % p.size + p.size), key=lambda d: abs(d - last)
        )
        self._add(beat, beats, p.midi(tonic_degree), 0.8, plan.lead, humanise=False)
        notes = voicing(chord, plan.tonic, None, 52, 72)
        # Root position with the root doubled: the last sound must be unmistakably the tonic.
        root_note = min(n for n in notes if (n - plan.tonic) % 12 == 0)
        third = root_note + (15 if plan.mode == "minor" else 16)
        # Root doubled and the fifth softer: the last sound must be unmistakably the tonic.
        closing = [root_note, root_note + 7, root_note + 12, third]
        levels = [0.6, 0.4, 0.6, 0.5]
        inst = plan.comp or plan.harmony or plan.lead
        for k, (pitch, level) in enumerate(zip(closing, levels, strict=True)):
            self._add(beat, beats, pitch, level, inst, (k - 1.5) * 0.15, humanise=False)
        if plan.harmony and plan.harmony != inst:
            for pitch in closing[:3]:
                self._add(beat, beats, pitch, 0.5, plan.harmony, humanise=False)
        bass = plan.bass or ("cello" if plan.comp is None else None)
        low_root = p.bass_midi(0)
        if bass:
            self._add(beat, beats, low_root, 0.85, bass, humanise=False)
        elif plan.comp:
            self._add(beat, beats, low_root, 0.7, plan.comp, humanise=False)
        if plan.drums and plan.drums != "jazz":
            self._hit(beat, "kick" if plan.drums != "epic" else "taiko", 0.9)


# ---------------------------------------------------------------- patterns


def _comp_pattern(
    style: str,
    notes: list[int],
    root_low: int,
    rng: np.random.Generator,
    density: float,
    pitches: Pitches,
    chord: Chord,
    slow: bool = False,
    very_slow: bool = False,
) -> list[tuple[float, float, list[int], float]]:
    """(beat offset in the bar, beats held, pitches, velocity) for one bar.

    `slow` (and, for arpeggios, `very_slow`) turns running eighths into one onset per beat,
    so a slow piece's pulse is not heard at twice its tempo.
    """
    out: list[tuple[float, float, list[int], float]] = []
    step = 1.0 if slow and style in ("alberti", "guzheng", "ostinato", "power", "offbeat") else 0.5
    beat_vel = (1.0, 0.78, 0.9, 0.78)
    if style == "block":
        for b in range(4):
            out.append((float(b), 0.85, notes, 0.62 * beat_vel[b]))
            if density > 0.7 and b % 2 == 1:
                out.append((b + 0.5, 0.4, notes[1:], 0.3))
    elif style == "strum":
        for offset, vel in (
            (0.0, 1.0),
            (1.0, 0.8),
            (1.5, 0.45),
            (2.5, 0.45),
            (3.0, 0.85),
            (3.5, 0.45),
        ):
            voices = notes if vel > 0.6 else notes[1:][::-1]
            out.append((offset, 0.5 if vel < 0.6 else 0.9, voices, 0.5 * vel))
    elif style in ("arpeggio", "ballad"):
        order = [root_low, *notes, notes[-1] + 12 - 12 * (notes[-1] + 12 > 79)]
        if (density >= 0.45 or style == "arpeggio") and not very_slow:
            seq = [0, 2, 3, 2, 1, 3, 2, 3]
            for i, idx in enumerate(seq):
                on_beat = i % 2 == 0
                vel = (0.62 if i == 0 else 0.5) if on_beat else 0.24
                pitch = order[min(idx if i else 0, len(order) - 1)]
                group = [pitch] if not on_beat or i else [pitch, notes[0]]
                out.append((i * 0.5, 0.5 if not on_beat else 1.0, group, vel))
        else:
            seq = [0, 1, 2, 3]
            for i, idx in enumerate(seq):
                out.append((float(i), 1.0, [order[idx]], 0.6 if i == 0 else 0.5))
    elif style == "alberti":
        low, mid, high = notes[0], notes[1], notes[-1]
        for i, pitch in enumerate((low, high, mid, high) * 2):
            if i * step < 4:
                group = [pitch, root_low + 12] if i * step in (0.0, 2.0) else [pitch]
                out.append((i * step, step, group, 0.5 if i * step % 1 == 0 else 0.26))
    elif style == "pulse":
        for b in range(4):
            pitch = notes[(b + (1 if b == 3 else 0)) % len(notes)]
            out.append(
                (
                    float(b),
                    1.0,
                    [pitch, root_low + 12] if b % 2 == 0 else [pitch, notes[0]],
                    0.62 if b == 0 else 0.55,
                )
            )
    elif style == "jazz":
        rhythms = (
            ((0.0, 1.4), (1.5, 0.4)),
            ((0.0, 0.9), (2.5, 0.9)),
            ((1.5, 0.4), (3.0, 0.9)),
            ((0.0, 0.4), (1.5, 0.4), (3.5, 0.4)),
        )
        for offset, beats in rhythms[int(rng.integers(len(rhythms)))]:
            out.append((offset, beats, notes, 0.5 if offset % 1 else 0.56))
    elif style == "lofi":
        out.append((0.0, 1.9, notes, 0.55))
        out.append((2.5, 1.4, notes, 0.45))
    elif style == "offbeat":
        for b in range(4):
            out.append((b + (0.0 if slow else 0.5), 0.35 if not slow else 0.8, notes, 0.5))
    elif style == "power":
        root = notes[0] - 12 if notes[0] - 12 >= 40 else notes[0]
        third = root + (chord.pcs[1] - chord.root) % 12 + 12
        # Power chords alone have no third, and then minor cannot be told from major.
        power = [root, root + 7, root + 12, third]
        for i in range(int(4 / step)):
            out.append((i * step, step - 0.08, power, 0.8 if i * step % 1 == 0 else 0.5))
    elif style == "ostinato":
        root = notes[0]
        third = root + (chord.pcs[1] - chord.root) % 12
        for i in range(int(4 / step)):
            pitch = root if i % 2 == 0 else (third if i % 4 == 1 else root + 7)
            out.append((i * step, step * 0.8, [pitch], 0.6 if i * step % 1 == 0 else 0.34))
    elif style == "guzheng":
        tones = {pitches.scale[i] for i in range(pitches.size)} | set(chord.pcs)
        scale_notes = [m for m in range(55, 84) if (m - pitches.tonic) % 12 in tones]
        start = min(scale_notes, key=lambda m: abs(m - notes[0]))
        idx = scale_notes.index(start)
        for i in range(int(4 / step)):
            rise = i if i < 4 else 7 - i
            pitch = scale_notes[min(idx + rise, len(scale_notes) - 1)]
            out.append((i * step, step, [pitch], 0.6 if i * step % 1 == 0 else 0.3))
    else:
        raise ValueError(f"unknown accompaniment style {style!r}")
    return out


def _bass_pattern(
    style: str,
    root: int,
    fifth: int,
    chord: Chord,
    nxt: Chord,
    pitches: Pitches,
    rng: np.random.Generator,
) -> list[tuple[float, float, int, float]]:
    if style == "pop":
        return [
            (0.0, 1.4, root, 0.9),
            (1.5, 0.5, root, 0.6),
            (2.0, 0.9, fifth, 0.8),
            (3.0, 0.9, root, 0.75),
        ]
    if style == "eighths":
        return [(i * 0.5, 0.42, root, 0.7 if i % 2 == 0 else 0.5) for i in range(8)]
    if style == "half":
        return [(0.0, 1.9, root, 0.85), (2.0, 1.9, fifth, 0.75)]
    if style == "sustain":
        return [(0.0, 3.9, root, 0.8)]
    if style == "lofi":
        return [(0.0, 1.4, root, 0.9), (2.5, 1.0, root, 0.7)]
    if style == "walking":
        target = pitches.bass_midi(nxt.root)
        third = root + (chord.pcs[1] - chord.root) % 12
        approach = target + (1 if rng.random() < 0.5 else -1)
        if abs(approach - root) > 9:
            approach = target - 1
        return [
            (0.0, 0.9, root, 0.85),
            (1.0, 0.9, third, 0.75),
            (2.0, 0.9, fifth, 0.8),
            (3.0, 0.9, approach, 0.72),
        ]
    raise ValueError(f"unknown bass style {style!r}")


def _drum_pattern(
    style: str, section: str, density: float, fill: bool, rng: np.random.Generator
) -> list[tuple[float, str, float]]:
    """(beat offset in the bar, drum, velocity) for one bar."""
    hits: list[tuple[float, str, float]] = []
    sixteenths = density > 0.75 and section == "B"
    if style in ("pop", "rock"):
        hits += [(0.0, "kick", 1.0), (2.0, "kick", 0.9), (1.0, "snare", 0.9), (3.0, "snare", 0.9)]
        if density > 0.55 or style == "rock":
            hits.append((2.5, "kick", 0.7))
        hat_level = 0.8 if style == "rock" else 0.6
        step = 0.25 if sixteenths else 0.5
        for i in range(int(4 / step)):
            pos = i * step
            vel = hat_level if pos % 1 == 0 else hat_level * (0.55 if pos % 0.5 else 0.75)
            hits.append((pos, "hat", vel))
        if section == "B" and style == "pop":
            hits.append((3.5, "openhat", 0.6))
    elif style == "four":
        hits += [(float(b), "kick", 1.0) for b in range(4)]
        hits += [(1.0, "clap", 0.85), (3.0, "clap", 0.85)]
        hits += [(b + 0.5, "openhat", 0.6) for b in range(4)]
        if sixteenths:
            hits += [(i * 0.25, "hat", 0.35) for i in range(16) if i % 2]
    elif style == "boom":
        hits += [
            (0.0, "kick", 1.0),
            (2.0, "kick", 0.75),
            (2.5, "kick", 0.8),
            (1.0, "snare", 0.85),
            (3.0, "snare", 0.85),
        ]
        hits += [(i * 0.5, "hat", 0.55 if i % 2 == 0 else 0.32) for i in range(8)]
    elif style == "jazz":
        # The ride on every beat is the time; the hi-hat's 2 and 4 stay in the background.
        hits += [(float(b), "ride", 0.95) for b in range(4)]
        hits += [(1.5, "ride", 0.35), (3.5, "ride", 0.35)]
        hits += [(1.0, "hat", 0.2), (3.0, "hat", 0.2)]
        hits += [(float(b), "kick", 0.45) for b in range(4)]
        if rng.random() < 0.5:
            hits.append((float(rng.choice([1.5, 2.5, 3.5])), "snare", 0.25))
    elif style == "soft":
        hits += [(0.0, "kick", 0.8), (2.0, "kick", 0.6), (1.0, "rim", 0.7), (3.0, "rim", 0.7)]
        hits += [(i * 0.5, "shaker", 0.7 if i % 2 == 0 else 0.4) for i in range(8)]
    elif style == "chinese":
        hits += [(0.0, "tom", 0.8), (2.0, "tom", 0.5)]
        hits += [(float(b), "woodblock", 0.8 if b % 2 == 0 else 0.6) for b in range(4)]
        if density > 0.5:
            hits += [(b + 0.5, "woodblock", 0.3) for b in range(4)]
    elif style == "epic":
        hits += [(float(b), "taiko", 1.0 if b % 2 == 0 else 0.75) for b in range(4)]
        if section == "B":
            hits += [(1.0, "snare", 0.8), (3.0, "snare", 0.8), (1.5, "tom", 0.5), (3.5, "tom", 0.5)]
    elif style == "shaker":
        hits += [(0.0, "kick", 0.6)]
        hits += [(i * 0.5, "shaker", 0.75 if i % 2 == 0 else 0.4) for i in range(8)]
    else:
        raise ValueError(f"unknown drum style {style!r}")
    if fill and style in ("pop", "rock", "boom", "four", "epic", "soft"):
        hits = [h for h in hits if h[0] < 3.0 or h[1] in ("kick", "crash")]
        kind = "tom" if style in ("rock", "epic") else "snare"
        hits += [(3.0 + i * 0.25, kind, 0.45 + 0.12 * i) for i in range(4)]
    return hits
