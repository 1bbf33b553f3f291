"""Media files: content sniffing, audio read/write, output folders, sidecars, safe downloads."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import httpx
import numpy as np
import soundfile as sf
from pydantic import BaseModel, ConfigDict

from core.errors import InvalidRequest, ProviderError
from core.events import MediaKind
from core.fetch import FetchError, FetchPolicy, fetch_to_file
from core.messages import Message, msg
from core.retry import MAX_ATTEMPTS, retry_delay, should_retry

MediaFormat = Literal[
    "png", "jpeg", "webp", "gif", "wav", "mp3", "flac", "ogg", "mp4", "webm", "unknown"
]
FORMAT_KIND: dict[str, MediaKind] = {
    "png": "image",
    "jpeg": "image",
    "webp": "image",
    "gif": "image",
    "wav": "audio",
    "mp3": "audio",
    "flac": "audio",
    "ogg": "audio",
    "mp4": "video",
    "webm": "video",
}
FORMAT_SUFFIX: dict[str, str] = {"jpeg": ".jpg"}
SIDECAR_SUFFIX = ".json"
KIND_NAMES: dict[MediaKind, Message] = {
    "audio": msg("kind_audio"),
    "image": msg("kind_image"),
    "video": msg("kind_video"),
}
FOLDER_SECRET_BYTES = 8
# PIL's own decompression-bomb threshold (Image.MAX_IMAGE_PIXELS, 1 GiB of 24-bit pixels / 4):
# the pixel cap wherever no stricter one is set. Written out to keep Pillow out of start-up.
SAFE_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3


def sniff_bytes(head: bytes) -> MediaFormat:
    """The media format of a file from its first bytes (never from its name)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return "unknown"


def sniff_file(path: Path) -> MediaFormat:
    with path.open("rb") as handle:
        return sniff_bytes(handle.read(64))


class UploadLimits(BaseModel):
    """What one input file may be: the studio's caps (core/limits.py `upload_limits`).

    The defaults hold wherever no settings are at hand (a resumed job, a provider's own
    check, a fetched URL): no size cap of the studio's own, and PIL's decompression-bomb
    threshold as the pixel cap.
    """

    model_config = ConfigDict(frozen=True)

    max_bytes: int | None = None
    max_pixels: int = SAFE_IMAGE_PIXELS


def require_format(
    path: Path, field: str, allowed: tuple[str, ...], *, limits: UploadLimits | None = None
) -> MediaFormat:
    """The file's real format, or InvalidRequest naming the field and the allowed formats.

    Also refuses a file over `limits.max_bytes`, and a picture whose header does not parse or
    announces more than `limits.max_pixels` (read from the header: nothing is decoded).
    """
    limits = limits or UploadLimits()
    try:
        found_file = path.is_file()
        size = path.stat().st_size if found_file else 0
    except OSError:  # a name too long for the file system, a path through a non-directory
        found_file = False
    if not found_file:
        raise InvalidRequest(field, msg("file_not_found"))
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise InvalidRequest(
            field,
            msg(
                "file_too_big",
                name=repr(path.name),
                size=_megabytes(size),
                most=_megabytes(limits.max_bytes),
            ),
        )
    found = sniff_file(path)
    if found not in allowed:
        what = msg("format_not_media") if found == "unknown" else msg("format_named", format=found)
        raise InvalidRequest(
            field,
            msg("file_wrong_format", name=repr(path.name), what=what, allowed=", ".join(allowed)),
        )
    if FORMAT_KIND.get(found) == "image":
        _check_picture_header(path, field, limits.max_pixels)
    return found


def _megabytes(size: int) -> Message:
    if size < 1_000_000:
        return msg("size_bytes", bytes=f"{size:,}")
    return msg("size_mb", mb=f"{size / 1_000_000:,.1f}".removesuffix(".0"))


def _check_picture_header(path: Path, field: str, max_pixels: int) -> None:
    """Refuse a picture from its header alone: unreadable, or over `max_pixels`.

    `Image.open` is lazy: it parses the header and never allocates the pixels. A PNG of one
    colour compresses 12000×12000 into a few hundred KB and would decode into gigabytes.
    """
    from PIL import Image, UnidentifiedImageError  # Pillow loads only when a picture comes

    name = repr(path.name)
    limit = msg("pixels_limit", mp=f"{max_pixels / 1_000_000:.3g}", pixels=f"{max_pixels:,}")
    try:
        with Image.open(path) as picture:
            width, height = picture.size
    except Image.DecompressionBombError:
        raise InvalidRequest(
            field, msg("picture_too_many_pixels", name=name, limit=limit)
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise InvalidRequest(field, msg("picture_unreadable", name=name)) from None
    if width < 1 or height < 1:
        raise InvalidRequest(field, msg("picture_empty", name=name, width=width, height=height))
    if width * height > max_pixels:
        mp = f"{width * height / 1_000_000:.1f}"
        raise InvalidRequest(
            field,
            msg("picture_too_big", name=name, width=width, height=height, mp=mp, limit=limit),
        )


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Decoded samples as float32 (frames, channels) and the sample rate; soundfile, then PyAV."""
    try:
        samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
        return samples, int(rate)
    except (sf.LibsndfileError, RuntimeError, TypeError):
        return _read_audio_av(path)


def _read_audio_av(path: Path) -> tuple[np.ndarray, int]:
    import av  # PyAV is slow to import; only needed for formats libsndfile cannot read

    chunks: list[np.ndarray] = []
    rate = 0
    with av.open(str(path)) as container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise InvalidRequest("audio", msg("audio_no_track", name=repr(path.name)))
        resampler = av.AudioResampler(format="flt", layout="stereo")
        for frame in container.decode(stream):
            rate = frame.sample_rate
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1, 2))
    if not chunks:
        raise InvalidRequest("audio", msg("audio_nothing_decodable", name=repr(path.name)))
    return np.concatenate(chunks).astype(np.float32), int(rate)


def audio_seconds(path: Path) -> float:
    """Duration of an audio file, decoding only when the header does not say."""
    try:
        info = sf.info(str(path))
        if info.frames > 0 and info.samplerate > 0:
            return info.frames / info.samplerate
    except (sf.LibsndfileError, RuntimeError, TypeError):
        pass
    samples, rate = read_audio(path)
    return len(samples) / rate


AudioFormat = Literal["wav", "mp3", "flac"]
_SF_FORMAT: dict[str, tuple[str, str | None]] = {
    "wav": ("WAV", "PCM_16"),
    "mp3": ("MP3", None),
    "flac": ("FLAC", "PCM_16"),
}


def write_audio(
    path: Path,
    samples: np.ndarray,
    rate: int,
    *,
    metadata: dict[str, Any] | None = None,
) -> Path:
    """Write float samples; the format follows the suffix; parameters go in the comment tag."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in _SF_FORMAT:
        raise ValueError(f"unsupported audio format {fmt!r}")
    major, subtype = _SF_FORMAT[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    clipped = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    with sf.SoundFile(
        str(path), "w", samplerate=rate, channels=clipped.shape[1], format=major, subtype=subtype
    ) as handle:
        if metadata:
            # Not every container keeps every tag; the sidecar JSON is the complete record.
            try:
                handle.comment = json.dumps(metadata, ensure_ascii=False)[:2000]
                if "prompt" in metadata:
                    handle.title = str(metadata["prompt"])[:200]
                handle.software = "AIGC Studio"
            except (RuntimeError, sf.LibsndfileError):
                pass
        handle.write(clipped)
    return path


def job_output_dir(outputs_root: Path, job_id: str, created_at: float) -> Path:
    """`outputs/<date>/<job id>-<random>/`, the date being the job's creation day (local time).

    Gradio serves these files to whoever has their URL; the random part, never shown to anyone
    but the job's owner (in their own file URLs), keeps a known job id from opening its files.
    """
    day = datetime.fromtimestamp(created_at).strftime("%Y-%m-%d")
    return outputs_root / day / f"{job_id}-{secrets.token_hex(FOLDER_SECRET_BYTES)}"


def safe_name(name: str, default: str = "file") -> str:
    """A file name with no path parts and only harmless characters."""
    name = Path(name.split("?")[0].split("#")[0]).name
    name = re.sub(r"[^0-9A-Za-z._\-一-鿿]+", "_", name).strip("._")
    return name[:120] or default


def unique_path(directory: Path, name: str) -> Path:
    candidate = directory / name
    stem, suffix = candidate.stem, candidate.suffix
    counter = 1
    while candidate.exists():
        candidate = directory / f"{stem}-{counter}{suffix}"
        counter += 1
    return candidate


def write_sidecar(path: Path, metadata: dict[str, Any]) -> Path:
    """`<file>.json` beside an output, holding its parameters."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    sidecar.write_text(json.dumps(metadata, ensure_ascii=False, indent=2, default=str), "utf-8")
    return sidecar


def move_into(source: Path, directory: Path, name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = unique_path(directory, safe_name(name or source.name))
    shutil.move(str(source), target)
    return target


def _expected_kind_ok(fmt: MediaFormat, kind: MediaKind) -> bool:
    return FORMAT_KIND.get(fmt) == kind


async def download(
    client: httpx.AsyncClient,
    url: str,
    directory: Path,
    name: str,
    kind: MediaKind,
    *,
    policy: FetchPolicy,
    max_attempts: int = MAX_ATTEMPTS,
) -> Path:
    """Fetch a result URL into `directory` through the guarded fetcher (core/fetch.py).

    `policy` (FetchPolicy.for_results) says which addresses, how long and how many bytes.
    Raises ProviderError with a sentence for the user when the file cannot be had.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise ProviderError(msg("result_url_not_http", url=url[:60]))
    directory.mkdir(parents=True, exist_ok=True)
    target = unique_path(directory, safe_name(name, default=f"result.{kind}"))
    partial = target.with_name(target.name + ".part")
    limit_mb = msg("download_limit", mb=f"{policy.max_bytes / 1e6:.0f}")
    for attempt in range(1, max_attempts + 1):
        try:
            response = await fetch_to_file(url, partial, policy, client=client)
        except FetchError as error:
            if error.kind == "refused":
                raise ProviderError(msg("result_refused", reason=error.message)) from None
            if error.kind == "too_big":
                if error.declared_bytes is not None:
                    raise ProviderError(
                        msg(
                            "result_too_big_declared",
                            mb=f"{error.declared_bytes / 1e6:.0f}",
                            limit=limit_mb,
                        )
                    ) from None
                raise ProviderError(msg("result_too_big", limit=limit_mb)) from None
            if error.kind == "deadline":
                took = msg("with_setting", text=error.message, setting="STUDIO_DOWNLOAD_TIMEOUT_S")
                raise ProviderError(
                    msg("result_download_failed", reason=took), retryable=True
                ) from None
            # Unreachable: a host not found has no cause and is worth another try too.
            retry = error.cause is None or should_retry(None, error.cause)
            if attempt == max_attempts or not retry:
                raise ProviderError(msg("result_server_silent"), retryable=True) from None
            await asyncio.sleep(retry_delay(attempt))
            continue
        if response.status_code in (401, 403, 404, 410):
            raise ProviderError(msg("result_gone", status=response.status_code), retryable=False)
        if should_retry(response) and attempt < max_attempts:
            await asyncio.sleep(retry_delay(attempt, response))
            continue
        if response.status_code >= 400:
            raise ProviderError(
                msg("result_http_failed", status=response.status_code), retryable=True
            )
        break
    fmt = sniff_file(partial)
    if not _expected_kind_ok(fmt, kind):
        partial.unlink(missing_ok=True)
        raise ProviderError(msg("result_wrong_kind", kind=KIND_NAMES[kind], found=fmt))
    wanted_suffix = FORMAT_SUFFIX.get(fmt, f".{fmt}")
    final = target if target.suffix.lower() == wanted_suffix else target.with_suffix(wanted_suffix)
    final = unique_path(directory, final.name) if final != target and final.exists() else final
    partial.rename(final)
    return final
