"""A song's length from its headers, read from as few of its bytes as possible (pure).

The formats are those an uploaded song may have (mp3, wav, flac, ogg). What each needs:

- WAV: the `fmt ` chunk's byte rate and the `data` chunk's size, near the start;
- FLAC: STREAMINFO's sample rate and sample count, the first metadata block;
- MP3: the first frame's Xing/Info or VBRI frame count (less LAME's encoder delay and padding),
  else ID3v2's TLEN, else (constant bit rate) the file's size over the first frame's bit rate;
- Ogg (Vorbis, Opus, FLAC): the sample rate in the first page, and the last page's granule
  position, at the end of the file.

`song_seconds` reads through a `ByteSource`; when the bytes it needs have not been fetched it
raises `NeedBytes` naming them, so that a caller can fetch just that range and ask again.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Literal, Protocol

UnknownReason = Literal["not_audio", "no_length"]

# What one extra fetch asks for at least: a few round trips at most, whatever is missing.
MIN_READ = 64 * 1024
# Chunks, tags or tag frames walked before giving up: real files have a handful before the
# audio, and a crafted one must not keep a worker walking megabytes 8 bytes at a time.
MAX_WALK = 256
# Ogg pages are at most 27 + 255 + 255 * 255 bytes: the last page starts within this of the end.
OGG_TAIL = 2 * 65_307
# Junk or padding tolerated between an ID3 tag and the first MP3 frame.
MP3_SYNC_SCAN = 64 * 1024

_MPEG_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
# kbit/s by (MPEG-1?, layer) and bit-rate index 1..14 (0 is "free format", 15 invalid).
_BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


class NeedBytes(Exception):
    """The parser needs `size` bytes at `offset` (negative: counted from the end)."""

    def __init__(self, offset: int, size: int) -> None:
        self.offset = offset
        self.size = size
        super().__init__(f"need {size} bytes at {offset}")


class LengthUnknown(Exception):
    """The song's length cannot be told: it is not one of the formats, or its headers do not
    say (`reason`)."""

    def __init__(self, reason: UnknownReason) -> None:
        self.reason = reason
        super().__init__(reason)


class ByteSource(Protocol):
    """Some of a file's bytes; `total` is its size when known."""

    @property
    def total(self) -> int | None: ...

    def read(self, offset: int, size: int) -> bytes:
        """Up to `size` bytes at `offset` (fewer only at the end of the file), or NeedBytes."""
        ...


@dataclass
class Spans:
    """The parts of a file fetched so far (range answers), as a ByteSource."""

    total: int | None = None
    pieces: list[tuple[int, bytes]] = field(default_factory=list)

    def add(self, start: int, data: bytes) -> None:
        self.pieces.append((start, data))

    def read(self, offset: int, size: int) -> bytes:
        if offset < 0:
            if self.total is None:
                raise LengthUnknown("no_length")  # the end cannot be found without the size
            offset = max(0, self.total + offset)
        end = offset + size if self.total is None else min(offset + size, self.total)
        for start, data in self.pieces:
            if start <= offset and end <= start + len(data):
                return data[offset - start : end - start]
        if self.total is not None and offset >= self.total:
            return b""
        raise NeedBytes(offset, max(size, MIN_READ))


@dataclass(frozen=True)
class WholeFile:
    """A file held whole, as a ByteSource (unit tests, and a server that ignores Range)."""

    data: bytes

    @property
    def total(self) -> int:
        return len(self.data)

    def read(self, offset: int, size: int) -> bytes:
        if offset < 0:
            offset = max(0, len(self.data) + offset)
        return self.data[offset : offset + size]


def song_seconds(source: ByteSource) -> float:
    """The song's length in seconds; LengthUnknown, or NeedBytes for bytes not fetched yet."""
    head = source.read(0, 12)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        seconds = _wav_seconds(source)
    elif head.startswith(b"OggS"):
        seconds = _ogg_seconds(source)
    else:
        start = _after_id3(source)
        mark = source.read(start, 4)
        if mark == b"fLaC":
            seconds = _flac_seconds(source, start)
        elif start > 0 or (len(mark) >= 2 and mark[0] == 0xFF and mark[1] & 0xE0 == 0xE0):
            # After an ID3 tag, junk may come before the first frame: _first_frame looks.
            seconds = _mp3_seconds(source, start)
        else:
            raise LengthUnknown("not_audio")
    if not seconds > 0:
        raise LengthUnknown("no_length")
    return seconds


# --- WAV ----------------------------------------------------------------------------------


def _wav_seconds(source: ByteSource) -> float:
    offset, byte_rate = 12, 0
    for _ in range(MAX_WALK):
        header = source.read(offset, 8)
        if len(header) < 8:
            raise LengthUnknown("no_length")
        chunk, size = header[:4], struct.unpack("<I", header[4:])[0]
        if chunk == b"fmt ":
            fmt = source.read(offset + 8, 16)
            if len(fmt) < 16:
                raise LengthUnknown("no_length")
            _, _, rate, byte_rate, align = struct.unpack("<HHIIH", fmt[:14])
            byte_rate = byte_rate or rate * align
        elif chunk == b"data":
            if not byte_rate:
                raise LengthUnknown("no_length")
            data_start = offset + 8
            # A file written as a stream leaves the size 0 or 0xFFFFFFFF; a cut file is shorter
            # than it says: what is really there counts.
            if source.total is not None and (
                size in (0, 0xFFFFFFFF) or data_start + size > source.total
            ):
                size = source.total - data_start
            return size / byte_rate
        offset += 8 + size + (size & 1)
    raise LengthUnknown("no_length")


# --- FLAC ---------------------------------------------------------------------------------


def _flac_seconds(source: ByteSource, start: int) -> float:
    block = source.read(start + 4, 4 + 34)
    if len(block) < 38 or block[0] & 0x7F != 0:  # STREAMINFO must come first
        raise LengthUnknown("no_length")
    return _streaminfo_seconds(block[4:])


def _streaminfo_seconds(info: bytes) -> float:
    packed = int.from_bytes(info[10:18], "big")
    rate = packed >> 44
    samples = packed & ((1 << 36) - 1)
    if not rate or not samples:
        raise LengthUnknown("no_length")
    return samples / rate


# --- Ogg ----------------------------------------------------------------------------------


def _ogg_seconds(source: ByteSource) -> float:
    first = source.read(0, 27)
    if len(first) < 27:
        raise LengthUnknown("no_length")
    serial = first[14:18]
    segments = first[26]
    packet = source.read(27 + segments, 80)
    if packet.startswith(b"\x01vorbis") and len(packet) >= 16:
        rate, skip = struct.unpack("<I", packet[12:16])[0], 0
    elif packet.startswith(b"OpusHead") and len(packet) >= 12:
        rate, skip = 48000, struct.unpack("<H", packet[10:12])[0]
    elif packet.startswith(b"\x7fFLAC") and packet[9:13] == b"fLaC" and len(packet) >= 51:
        info = packet[17:51]
        rate, skip = int.from_bytes(info[10:13], "big") >> 4, 0
    else:
        raise LengthUnknown("not_audio")
    if not rate:
        raise LengthUnknown("no_length")
    granule = _last_granule(source.read(-OGG_TAIL, OGG_TAIL), serial)
    return (granule - skip) / rate


def _last_granule(tail: bytes, serial: bytes) -> int:
    """The granule position of the stream's last page found in `tail` (its final bytes)."""
    at = len(tail)
    while (at := tail.rfind(b"OggS", 0, at)) >= 0:
        page = tail[at : at + 27]
        if len(page) == 27 and page[4] == 0 and page[14:18] == serial:
            granule = struct.unpack("<q", page[6:14])[0]
            if granule > 0:
                return granule
    raise LengthUnknown("no_length")


# --- MP3 ----------------------------------------------------------------------------------


def _after_id3(source: ByteSource) -> int:
    """Where the audio starts: after any ID3v2 tags (0 when there are none)."""
    offset = 0
    for _ in range(MAX_WALK):
        header = source.read(offset, 10)
        if len(header) < 10 or not header.startswith(b"ID3"):
            return offset
        size = _syncsafe(header[6:10])
        offset += 10 + size + (10 if header[5] & 0x10 else 0)
    raise LengthUnknown("no_length")


def _syncsafe(data: bytes) -> int:
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
    return value


def _tlen_seconds(source: ByteSource) -> float | None:
    """ID3v2.3/2.4's TLEN (the length in milliseconds), when the first tag has one."""
    header = source.read(0, 10)
    version = header[3] if header.startswith(b"ID3") else 0
    if version not in (3, 4) or header[5] & 0x80:  # unsynchronised tags are not worth it
        return None
    end = 10 + _syncsafe(header[6:10])
    offset = 10
    for _ in range(MAX_WALK):
        if offset + 10 > end:
            return None
        frame = source.read(offset, 10)
        name = frame[:4]
        if len(frame) < 10 or not name.strip(b"\0"):
            return None
        size = _syncsafe(frame[4:8]) if version == 4 else struct.unpack(">I", frame[4:8])[0]
        if name == b"TLEN":
            text = source.read(offset + 10, min(size, 64))[1:]
            digits = text.replace(b"\0", b"").decode("latin-1").strip()
            return int(digits) / 1000 if digits.isdigit() and int(digits) > 0 else None
        offset += 10 + size
    return None


@dataclass(frozen=True)
class _Frame:
    mpeg1: bool
    layer: int
    bitrate: int  # bit/s
    rate: int
    mono: bool
    length: int

    @property
    def samples(self) -> int:
        if self.layer == 1:
            return 384
        return 1152 if self.mpeg1 or self.layer == 2 else 576


def _frame(header: bytes) -> _Frame | None:
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 3
    layer = 4 - ((header[1] >> 1) & 3)
    index, rate_index = header[2] >> 4, (header[2] >> 2) & 3
    if version == 1 or layer == 4 or index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][index - 1] * 1000
    rate = _MPEG_RATES[version][rate_index]
    padding = (header[2] >> 1) & 1
    if layer == 1:
        length = (12 * bitrate // rate + padding) * 4
    else:
        length = (144 if mpeg1 or layer == 2 else 72) * bitrate // rate + padding
    return _Frame(mpeg1, layer, bitrate, rate, header[3] >> 6 == 3, length)


def _first_frame(source: ByteSource, start: int) -> tuple[int, _Frame]:
    """The first real frame at or after `start`: a header followed by another one (or the end)."""
    window = source.read(start, MP3_SYNC_SCAN + 4)
    at = 0
    while (at := window.find(b"\xff", at)) >= 0 and at < MP3_SYNC_SCAN:
        frame = _frame(window[at : at + 4])
        if frame is not None:
            after = source.read(start + at + frame.length, 4)
            if not after or _frame(after) is not None:
                return start + at, frame
        at += 1
    raise LengthUnknown("not_audio" if start == 0 else "no_length")


def _encoder_gap(tag: bytes) -> int:
    """The samples an encoder added before and after the music (LAME's tag), else 0."""
    if len(tag) < 24 or tag[:4] not in (b"LAME", b"Lavf", b"Lavc"):
        return 0
    delay = (tag[21] << 4) | (tag[22] >> 4)
    padding = ((tag[22] & 0x0F) << 8) | tag[23]
    return delay + padding


def _mp3_seconds(source: ByteSource, start: int) -> float:
    offset, frame = _first_frame(source, start)
    side = (17 if frame.mono else 32) if frame.mpeg1 else (9 if frame.mono else 17)
    xing = source.read(offset + 4 + side, 12)
    if xing[:4] in (b"Xing", b"Info") and len(xing) == 12:
        flags, frames = struct.unpack(">II", xing[4:12])
        if flags & 1 and frames:
            # After the frame count: bytes, table of contents, quality, when flagged.
            lame_at = offset + 4 + side + 12 + 4 * bool(flags & 2) + 100 * bool(flags & 4)
            gap = _encoder_gap(source.read(lame_at + 4 * bool(flags & 8), 24))
            return (frames * frame.samples - gap) / frame.rate
    vbri = source.read(offset + 36, 18)
    if vbri.startswith(b"VBRI") and len(vbri) == 18:
        frames = struct.unpack(">I", vbri[14:18])[0]
        if frames:
            return frames * frame.samples / frame.rate
    tlen = _tlen_seconds(source)
    if tlen is not None:
        return tlen
    if source.total is None:
        raise LengthUnknown("no_length")
    # Constant bit rate (a VBR file without a Xing or VBRI frame is off by its mean rate).
    return (source.total - offset) * 8 / frame.bitrate
