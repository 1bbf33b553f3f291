"""A job's provider calls as data: every HTTP exchange, keys masked, large bodies cut.

The transcript is written beside the job's files (`transcript.json`), zipped with them, and
shown in the run card and History as an API inspector. With STUDIO_RECORD the same model, with
whole bodies and the result files beside it, is a replay fixture (emulators/replay.py). Who
captures the exchanges is core/recording.py; this module only says what one looks like.

Keys are masked twice: by value (the job's keys and the server's, wherever they appear: URLs,
headers, bodies) and by name (any header, query parameter or JSON field whose name contains one
of SECRET_NAME_PARTS), so a key the studio does not know of is masked too.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, ValidationError

from core.redact import MASK

TRANSCRIPT_NAME = "transcript.json"
TRANSCRIPT_VERSION = 1
# The transcript keeps this much of a body (JSON as text, or text); a fixture keeps it whole.
BODY_LIMIT = 4 * 1024
# Answers up to this size are read whole, so their secret-named fields are masked before the
# cut to BODY_LIMIT; a longer JSON answer is kept as its size only (it cannot be masked).
PARSE_LIMIT = 256 * 1024
# A long job polls hundreds of times: the transcript keeps its first calls (the create, the
# first answers) and its latest ones (the end), and counts those left out in between.
KEEP_FIRST = 20
KEEP_LAST = 80
SECRET_NAME_PARTS: tuple[str, ...] = (
    "authorization",
    "secret",
    "key",
    "token",
    "password",
    "cookie",
)

# What the call was: the create call (sent once, may be billed), any other call to the
# provider, or a result or preview file fetched by the studio.
Role = Literal["create", "call", "download"]
# Masks values: a Redactor's scrub_data with the job's keys (core/redact.py).
Scrub = Callable[[Any], Any]


class Body(BaseModel):
    """A request's or an answer's body as kept: its JSON, else its text, else only its size."""

    # Bytes received or sent (an answer's after its content encoding is undone, except `file`).
    size: int = 0
    content_type: str = ""
    # The JSON value, when the body is JSON and kept whole.
    data: Any = None
    # Otherwise its text; only its beginning when `cut`.
    text: str | None = None
    cut: bool = False
    # Not text (a media file, an upload): only its size is kept in a transcript.
    binary: bool = False
    # Fixtures only: the bytes are in this file, relative to the fixture's folder, still in
    # `content_encoding` when the answer was streamed with one.
    file: str | None = None
    content_encoding: str = ""


class Exchange(BaseModel):
    """One HTTP request and its answer (or the error that came instead)."""

    # Order of sending within the job, from 1; gaps are calls left out (KEEP_FIRST, KEEP_LAST).
    n: int
    role: Role = "call"
    # Which try of a call that is repeated on failure (core/http.py).
    attempt: int = 1
    # When it was sent (epoch seconds) and how long until its answer had been read.
    at: float
    ms: float
    method: str
    url: str
    status: int | None = None
    # The exception's name when no answer came ("ReadTimeout", "cancelled").
    error: str | None = None
    request_headers: dict[str, str] = Field(default_factory=dict)
    request_body: Body | None = None
    response_headers: dict[str, str] = Field(default_factory=dict)
    response_body: Body | None = None


class Transcript(BaseModel):
    """Every provider call of one job, in order of sending."""

    version: int = TRANSCRIPT_VERSION
    job_id: str
    provider: str
    capability: str
    # The provider's address settings when the job ran (env name → URL): a replay of a fixture
    # prints them pointed at itself.
    addresses: dict[str, str] = Field(default_factory=dict)
    # Where the answers come from, for a fixture written by hand (an API page's examples).
    note: str = ""
    # Calls made; those not in `exchanges` were left out in the middle of a long job.
    total: int = 0
    exchanges: list[Exchange] = Field(default_factory=list)


def is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_NAME_PARTS)


def _mask_scalars(value: Any) -> Any:
    # Under a secret name every scalar goes, but the shape stays readable.
    if isinstance(value, dict):
        return {k: _mask_scalars(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_scalars(item) for item in value]
    if value is None or isinstance(value, bool):
        return value
    return MASK


def mask_named(value: Any) -> Any:
    """A JSON-like value with the contents of every field named like a secret masked."""
    if isinstance(value, dict):
        return {
            k: _mask_scalars(v) if is_secret_name(str(k)) else mask_named(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_named(item) for item in value]
    return value


def mask_headers(headers: Iterable[tuple[str, str]], scrub: Scrub) -> dict[str, str]:
    """Headers by lower-case name (repeats joined), secret ones masked by name and value."""
    kept: dict[str, str] = {}
    for name, value in headers:
        name = name.lower()
        shown = MASK if is_secret_name(name) else str(scrub(value))
        kept[name] = f"{kept[name]}, {shown}" if name in kept else shown
    return kept


def mask_url(url: str, scrub: Scrub) -> str:
    """The URL with query parameters named like secrets masked, and every key value."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return str(scrub(url))
    items = parsed.params.multi_items()
    if any(is_secret_name(name) for name, _ in items):
        masked = [(name, MASK if is_secret_name(name) else value) for name, value in items]
        url = str(parsed.copy_with(params=masked))
    return str(scrub(url))


def _decoded(content: bytes, *, complete: bool) -> str | None:
    """The bytes as UTF-8 text, or None when they are not text (a NUL, or invalid UTF-8)."""
    if b"\x00" in content[:4096]:
        return None
    try:
        # Incremental, so that a beginning cut inside a character still counts as text.
        return codecs.getincrementaldecoder("utf-8")().decode(content, final=complete)
    except UnicodeDecodeError:
        return None


def _looks_like_json(content_type: str, text: str) -> bool:
    return "json" in content_type or text.lstrip()[:1] in ("{", "[")


def shape_body(
    content: bytes,
    content_type: str,
    scrub: Scrub,
    *,
    limit: int | None = BODY_LIMIT,
    complete: bool = True,
    size: int | None = None,
) -> Body:
    """A body as the transcript keeps it: masked JSON, else masked text, else its size.

    `complete` False: `content` is only the beginning of a body of `size` bytes. `limit` None
    keeps the body whole (fixtures).
    """
    size = len(content) if size is None else size
    body = Body(size=size, content_type=content_type)
    if not content:
        return body
    text = _decoded(content, complete=complete)
    if text is None:
        return body.model_copy(update={"binary": True})
    cut = not complete
    if not complete and _looks_like_json(content_type.lower(), text):
        return body.model_copy(update={"cut": True})
    if complete and _looks_like_json(content_type.lower(), text):
        try:
            data = mask_named(scrub(json.loads(text)))
        except ValueError:
            pass
        else:
            whole = json.dumps(data, ensure_ascii=False)
            if limit is None or len(whole) <= limit:
                return body.model_copy(update={"data": data})
            text, cut = whole, True
    else:
        text = str(scrub(text))
    if limit is not None and len(text) > limit:
        text, cut = text[:limit], True
    return body.model_copy(update={"text": text, "cut": cut})


def read_transcript(path: Path) -> Transcript | None:
    """The transcript in `path`, or None when there is none (or it cannot be read)."""
    try:
        return Transcript.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None


def write_transcript(path: Path, transcript: Transcript) -> None:
    """Replace the file at once: a reader never sees half a transcript."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    # Defaults left out keep it readable; the version stays, for whoever reads it later.
    data = {
        "version": transcript.version,
        **transcript.model_dump(mode="json", exclude_defaults=True),
    }
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(partial, path)


def transcript_of(folder: Path) -> Transcript | None:
    """The transcript of the job whose files are in `folder`, if it has one."""
    return read_transcript(folder / TRANSCRIPT_NAME)


def keep_window(exchanges: list[Exchange]) -> list[Exchange]:
    """The exchanges a transcript keeps: the first KEEP_FIRST and the last KEEP_LAST."""
    ordered = sorted(exchanges, key=lambda exchange: exchange.n)
    if len(ordered) <= KEEP_FIRST + KEEP_LAST:
        return ordered
    return ordered[:KEEP_FIRST] + ordered[-KEEP_LAST:]
