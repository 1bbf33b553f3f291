"""A song's length from its headers (providers/audio_length.py): whole files and partial reads."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile as sf

from providers.audio_length import (
    MIN_READ,
    OGG_TAIL,
    LengthUnknown,
    NeedBytes,
    Spans,
    WholeFile,
    song_seconds,
)

# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding, stereo: 417-byte frames.
CBR_HEADER = b"\xff\xfb\x90\x00"
CBR_FRAME = CBR_HEADER + bytes(417 - 4)


def encoded(
    seconds: float, rate: int, fmt: str, subtype: str | None = None, *, noise: bool = False
) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    samples = np.random.default_rng(1).uniform(-0.5, 0.5, t.size) if noise else np.sin(t * 1e3)
    buffer = io.BytesIO()
    # A second at a time: libsndfile 1.2's Vorbis encoder crashes on one long write.
    with sf.SoundFile(buffer, "w", rate, 1, format=fmt, subtype=subtype) as song:
        for start in range(0, samples.size, rate):
            song.write(0.4 * samples[start : start + rate])
    return buffer.getvalue()


def id3(frames: bytes, *, size: int | None = None) -> bytes:
    """An ID3v2.3 tag holding `frames`, padded to `size` bytes of body if given."""
    body = frames + bytes(max(0, (size or 0) - len(frames)))
    syncsafe = bytes((len(body) >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + syncsafe + body


def text_frame(name: bytes, text: str) -> bytes:
    payload = b"\x00" + text.encode("latin-1")
    return name + struct.pack(">I", len(payload)) + b"\x00\x00" + payload


def wav_header(data_size: int, *, rate: int = 8000, extra_chunk: bytes = b"") -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate, 1, 8)  # 8-bit mono: a byte per sample
    return (
        b"RIFF"
        + struct.pack("<I", (4 + 24 + len(extra_chunk) + 8 + data_size) & 0xFFFFFFFF)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", 16)
        + fmt
        + extra_chunk
        + b"data"
        + struct.pack("<I", data_size)
    )


def measured_in_ranges(data: bytes) -> tuple[float, int]:
    """The length read the way song_at_url reads it (head first, then what is asked for),
    and how many reads it took."""
    spans = Spans(total=len(data))
    spans.add(0, data[:MIN_READ])
    for reads in range(1, 6):
        try:
            return song_seconds(spans), reads
        except NeedBytes as need:
            spans.add(need.offset, data[need.offset : need.offset + need.size])
    raise AssertionError("too many reads")


@pytest.mark.parametrize(
    ("fmt", "subtype", "rate"),
    [
        ("WAV", "PCM_16", 22050),
        ("WAV", "FLOAT", 44100),
        ("FLAC", "PCM_16", 22050),
        ("OGG", "VORBIS", 22050),
        ("OGG", "OPUS", 48000),
        ("MP3", "MPEG_LAYER_III", 22050),
        ("MP3", "MPEG_LAYER_III", 44100),
    ],
)
def test_real_files_measure_as_the_decoder_does(fmt: str, subtype: str, rate: int) -> None:
    data = encoded(3.5, rate, fmt, subtype)
    expected = sf.info(io.BytesIO(data)).duration
    assert song_seconds(WholeFile(data)) == pytest.approx(expected, abs=0.002)
    assert measured_in_ranges(data)[0] == pytest.approx(expected, abs=0.002)


def test_a_long_wav_needs_only_its_head() -> None:
    data = wav_header(9 * 60 * 8000) + bytes(9 * 60 * 8000)
    spans = Spans(total=len(data))
    spans.add(0, data[:64])
    assert song_seconds(spans) == pytest.approx(540.0)


def test_wav_chunks_before_data_and_streamed_sizes() -> None:
    listed = wav_header(16000, extra_chunk=b"LIST" + struct.pack("<I", 5) + b"abcde\x00")
    assert song_seconds(WholeFile(listed + bytes(16000))) == pytest.approx(2.0)
    # Written as a stream (size unknown), or cut short: what is really there counts.
    for unknown_size in (0, 0xFFFFFFFF):
        streamed = wav_header(unknown_size) + bytes(8000)
        assert song_seconds(WholeFile(streamed)) == pytest.approx(1.0)
    cut = wav_header(80000) + bytes(4000)
    assert song_seconds(WholeFile(cut)) == pytest.approx(0.5)


def test_an_ogg_file_is_read_at_both_ends() -> None:
    data = encoded(60.0, 22050, "OGG", "VORBIS", noise=True)
    assert len(data) > MIN_READ + OGG_TAIL  # else the head alone would hold the last page
    spans = Spans(total=len(data))
    spans.add(0, data[:MIN_READ])
    with pytest.raises(NeedBytes) as need:
        song_seconds(spans)
    assert need.value.offset == len(data) - OGG_TAIL
    seconds, reads = measured_in_ranges(data)
    assert seconds == pytest.approx(60.0, abs=0.002)
    assert reads == 2


def test_an_ogg_file_of_unknown_size_has_no_length() -> None:
    data = encoded(60.0, 22050, "OGG", "VORBIS", noise=True)
    spans = Spans(total=None)
    spans.add(0, data[:MIN_READ])
    with pytest.raises(LengthUnknown) as unknown:
        song_seconds(spans)
    assert unknown.value.reason == "no_length"


def test_constant_bit_rate_mp3_without_a_xing_frame() -> None:
    data = CBR_FRAME * 500
    assert song_seconds(WholeFile(data)) == pytest.approx(500 * 417 * 8 / 128_000)
    # Junk between the ID3 tag and the first frame is skipped.
    tagged = id3(text_frame(b"TIT2", "song")) + b"\x00\xff\x00" + data
    assert song_seconds(WholeFile(tagged)) == pytest.approx(500 * 417 * 8 / 128_000)


def test_id3_tlen_is_used_when_no_frame_counts() -> None:
    data = id3(text_frame(b"TIT2", "song") + text_frame(b"TLEN", "123456")) + CBR_FRAME * 10
    assert song_seconds(WholeFile(data)) == pytest.approx(123.456)


def test_a_vbri_frame_gives_the_frame_count() -> None:
    first = bytearray(CBR_FRAME)
    first[36:54] = b"VBRI" + struct.pack(">HHHII", 1, 0, 75, 0, 1000)
    data = bytes(first) + CBR_FRAME * 5
    assert song_seconds(WholeFile(data)) == pytest.approx(1000 * 1152 / 44100)


def test_a_large_id3_tag_costs_one_more_read() -> None:
    art = b"APIC" + struct.pack(">I", 300_000) + b"\x00\x00" + bytes(300_000)
    data = id3(art) + encoded(2.0, 44100, "MP3")
    seconds, reads = measured_in_ranges(data)
    assert seconds == pytest.approx(2.0, abs=0.002)
    assert reads == 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, not a song" * 100,
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    ],
)
def test_what_is_not_a_song(data: bytes) -> None:
    with pytest.raises(LengthUnknown) as unknown:
        song_seconds(WholeFile(data))
    assert unknown.value.reason == "not_audio"


@pytest.mark.parametrize(
    "data",
    [
        b"fLaC" + b"\x80\x00\x00\x22" + bytes(34),  # STREAMINFO with no rate nor sample count
        b"RIFF\x00\x00\x00\x00WAVEdata\x10\x00\x00\x00" + bytes(16),  # data before fmt
        id3(text_frame(b"TIT2", "no audio after the tag")),
        b"OggS" + bytes(23),  # a page header and nothing else
    ],
)
def test_songs_whose_headers_do_not_say(data: bytes) -> None:
    with pytest.raises(LengthUnknown):
        song_seconds(WholeFile(data))


class CountingFile(WholeFile):
    """A whole file that counts its reads (each is a file read on the server)."""

    reads = 0

    def read(self, offset: int, size: int) -> bytes:
        self.reads += 1
        return super().read(offset, size)


def test_a_crafted_wav_of_empty_chunks_is_given_up_after_a_bounded_walk() -> None:
    # 5 MB of 8-byte chunks of size 0 and no "data": each was one read, a minute of CPU at 50 MB.
    data = b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"junk" + bytes(4) * 2 * 655_360
    source = CountingFile(data)
    with pytest.raises(LengthUnknown) as unknown:
        song_seconds(source)
    assert unknown.value.reason == "no_length"
    assert source.reads <= 300


def test_stacked_id3_tags_are_given_up_after_a_bounded_walk() -> None:
    tag = b"ID3\x04\x00\x00" + bytes(4)  # an empty tag, 10 bytes
    source = CountingFile(tag * 500_000 + CBR_FRAME * 10)
    with pytest.raises(LengthUnknown):
        song_seconds(source)
    assert source.reads <= 300
