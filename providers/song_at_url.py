"""The length of a song at a URL, fetched through the guarded fetcher (core/fetch.py).

A range request asks for the file's head; providers/audio_length.py reads the length from the
headers there and names any other bytes it needs (an Ogg file's last page, an MP3 frame after
a large ID3 tag), which a further range request fetches. A server that ignores Range sends the
whole file, capped like an upload, which is then measured from its headers or, failing that,
decoded the way an uploaded file is (core.media.audio_seconds).

One deadline (the policy's) covers every request; cancelling the caller (Stop) ends the fetch
at once. The fetched bytes are deleted before this returns.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.fetch import FetchError, FetchPolicy, fetch_to_file, shown_url
from core.media import audio_seconds, sniff_file
from core.messages import Message, msg
from providers.audio_length import (
    LengthUnknown,
    NeedBytes,
    Spans,
    UnknownReason,
    song_seconds,
)

# Enough for every header but an MP3's behind a large ID3 tag (cover art): then one more range.
HEAD_BYTES = 256 * 1024
MAX_REQUESTS = 4
# The formats audio_length reads: those of an uploaded song.
FORMATS: tuple[str, ...] = ("mp3", "wav", "flac", "ogg")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)
_WHY: dict[UnknownReason, Message] = {
    "not_audio": msg("song_url_not_audio", formats=", ".join(FORMATS)),
    "no_length": msg("song_url_no_length"),
}


class Unmeasured(Exception):
    """The length could not be read; `why` says so in a phrase a user can act on."""

    def __init__(self, why: Message) -> None:
        self.why = why
        super().__init__(str(why))


@dataclass(frozen=True)
class FileBytes:
    """A fetched file on disk, as audio_length's ByteSource."""

    path: Path
    total: int

    def read(self, offset: int, size: int) -> bytes:
        if offset < 0:
            offset = max(0, self.total + offset)
        with self.path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(size)


async def measure(url: str, policy: FetchPolicy, folder: Path) -> float:
    """The song's length in seconds, or Unmeasured."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        async with asyncio.timeout(policy.deadline_s):
            return await _measure(url, policy, folder)
    except TimeoutError:
        seconds = f"{policy.deadline_s:g}"
        raise Unmeasured(msg("fetch_deadline", url=shown_url(url), seconds=seconds)) from None


async def _measure(url: str, policy: FetchPolicy, folder: Path) -> float:
    spans = Spans()
    first, size = 0, HEAD_BYTES
    for number in range(MAX_REQUESTS):
        target = folder / f"range-{number}"
        try:
            response = await _fetch(url, target, policy, f"bytes={first}-{first + size - 1}")
            if response.status_code != 206:
                return await asyncio.to_thread(_whole_file_seconds, target)
            start, total = _content_range(response, first)
            spans.total = spans.total or total
            with target.open("rb") as got:  # only what was asked: a server may send more
                spans.add(start, got.read(first + size - start))
        finally:
            target.unlink(missing_ok=True)
        try:
            return song_seconds(spans)
        except NeedBytes as need:
            first, size = need.offset, need.size
        except LengthUnknown as unknown:
            raise Unmeasured(_WHY[unknown.reason]) from None
    raise Unmeasured(_WHY["no_length"])


async def _fetch(url: str, target: Path, policy: FetchPolicy, wanted: str) -> httpx.Response:
    """One GET through the guarded fetcher, asking for the byte range `wanted`."""
    # The fetcher builds its requests on this client, so they carry its headers; identity, as a
    # byte range of compressed content is not a range of the file.
    headers = {"Range": wanted, "Accept-Encoding": "identity"}
    async with httpx.AsyncClient(headers=headers) as client:
        try:
            response = await fetch_to_file(url, target, policy, client=client)
        except FetchError as error:
            raise Unmeasured(error.message) from None
    if response.status_code >= 400:
        status = response.status_code
        raise Unmeasured(msg("source_http_status", url=shown_url(url), status=status))
    return response


def _content_range(response: httpx.Response, asked: int) -> tuple[int, int | None]:
    """Where a 206 answer's bytes start, and the file's size when the server says."""
    found = _CONTENT_RANGE.search(response.headers.get("content-range", ""))
    if found is None:
        return asked, None
    total = found.group(3)
    return int(found.group(1)), None if total == "*" else int(total)


def _whole_file_seconds(path: Path) -> float:
    """A whole file's length: from its headers, else decoded as an uploaded song is."""
    if sniff_file(path) not in FORMATS:
        raise Unmeasured(_WHY["not_audio"])
    try:
        return song_seconds(FileBytes(path, path.stat().st_size))
    except LengthUnknown:
        pass
    try:
        seconds = audio_seconds(path)
    except Exception:  # decoders raise a zoo of types (EOFError, OSError...) on damage
        raise Unmeasured(_WHY["no_length"]) from None
    if not seconds > 0:
        raise Unmeasured(_WHY["no_length"])
    return seconds
