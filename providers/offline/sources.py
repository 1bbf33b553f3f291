"""Input files for offline tasks: the uploaded file, or one fetched from a URL the visitor gave.

The fetch happens on the job's event loop before the engine is queued (providers/offline/
provider.py), never in an engine's worker thread: a slow URL holds no worker, and Stop cancels
it at once. The fetched file then stands in for an upload and meets every check an upload
meets (`as_upload`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from core.errors import InvalidRequest
from core.fetch import FetchError, FetchPolicy, fetch_to_file, shown_url
from core.media import UploadLimits, safe_name
from core.messages import Message, msg
from core.requests import Capability, StudioRequest, build_request


@dataclass(frozen=True)
class UrlSource:
    """A request field holding a URL, and the file field its content stands in for."""

    url_field: str
    file_field: str
    progress: Message


URL_SOURCES: dict[Capability, UrlSource] = {
    "image_to_music": UrlSource("image_url", "image", msg("engine_fetching_image")),
    "extend_music": UrlSource("upload_url", "audio", msg("engine_fetching_song")),
}


def url_to_fetch(request: StudioRequest) -> tuple[UrlSource, str] | None:
    """The URL the server must fetch before the engine can run, if the request has one."""
    source = URL_SOURCES.get(request.capability)
    if source is None or getattr(request, source.file_field) is not None:
        return None
    url = getattr(request, source.url_field)
    return None if url is None else (source, url)


async def fetch_source(source: UrlSource, url: str, directory: Path, policy: FetchPolicy) -> Path:
    """The visitor's URL fetched under `policy` into `directory` (its content is checked by
    `as_upload`)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / safe_name(url, default=source.url_field)
    try:
        response = await fetch_to_file(url, target, policy)
    except FetchError as error:
        raise InvalidRequest(source.url_field, error.message) from None
    if response.status_code >= 400:
        status = response.status_code
        raise InvalidRequest(
            source.url_field, msg("source_http_status", url=shown_url(url), status=status)
        )
    return target


def as_upload(
    request: StudioRequest, source: UrlSource, path: Path, limits: UploadLimits
) -> StudioRequest:
    """The request validated again with the fetched file as its upload, under the same caps
    (format, size, pixels, a song's length); a refusal names the URL field, and the URL stays
    in the request for the record."""
    url = getattr(request, source.url_field)
    values = {**request.model_dump(), source.file_field: path, source.url_field: None}
    try:
        checked = build_request(request.capability, limits=limits, **values)
    except InvalidRequest as error:
        field = source.url_field if error.field == source.file_field else error.field
        raise InvalidRequest(field, error.message) from None
    return checked.model_copy(update={source.url_field: url})


def content_seed(path: Path, *salts: str) -> int:
    """A seed derived from a file's bytes (and any text), so the same input gives the same result."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    for salt in salts:
        digest.update(salt.encode())
    return int.from_bytes(digest.digest()[:4], "big")
