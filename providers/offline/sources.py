"""Input files for offline tasks: the uploaded file, or one fetched from a URL the user gave."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx

from core.errors import InvalidRequest
from core.media import require_format, safe_name

MAX_FETCH_BYTES = 200_000_000
FETCH_TIMEOUT_S = 30.0


def fetch_to(url: str, directory: Path, field: str, allowed: tuple[str, ...]) -> Path:
    """Download `url` (in the engine's worker thread) and check its content."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / safe_name(url, default=field)
    try:
        with httpx.stream("GET", url, timeout=FETCH_TIMEOUT_S, follow_redirects=True) as answer:
            if answer.status_code >= 400:
                raise InvalidRequest(field, f"{url[:80]} answered HTTP {answer.status_code}")
            size = 0
            with target.open("wb") as handle:
                for chunk in answer.iter_bytes(1 << 16):
                    size += len(chunk)
                    if size > MAX_FETCH_BYTES:
                        raise InvalidRequest(field, f"{url[:80]} is over 200 MB")
                    handle.write(chunk)
    except httpx.HTTPError:
        raise InvalidRequest(field, f"{url[:80]} could not be fetched from this machine") from None
    require_format(target, field, allowed)
    return target


def content_seed(path: Path, *salts: str) -> int:
    """A seed derived from a file's bytes (and any text), so the same input gives the same result."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    for salt in salts:
        digest.update(salt.encode())
    return int.from_bytes(digest.digest()[:4], "big")
