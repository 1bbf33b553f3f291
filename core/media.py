"""Media files: content sniffing, audio read/write, output folders, sidecars, safe downloads."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import httpx
import numpy as np
import soundfile as sf

from core.errors import InvalidRequest, ProviderError
from core.events import MediaKind
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


def require_format(path: Path, field: str, allowed: tuple[str, ...]) -> MediaFormat:
    """The file's real format, or InvalidRequest naming the field and the allowed formats."""
    try:
        found_file = path.is_file()
    except OSError:  # a name too long for the file system, a path through a non-directory
        found_file = False
    if not found_file:
        raise InvalidRequest(field, "the file was not found; upload it again")
    found = sniff_file(path)
    if found not in allowed:
        what = "not a media file" if found == "unknown" else f"a {found} file"
        raise InvalidRequest(
            field,
            f"{path.name!r} is {what} (judged by its content); allowed: {', '.join(allowed)}",
        )
    return found


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
            raise InvalidRequest("audio", f"{path.name!r} has no audio track")
        resampler = av.AudioResampler(format="flt", layout="stereo")
        for frame in container.decode(stream):
            rate = frame.sample_rate
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1, 2))
    if not chunks:
        raise InvalidRequest("audio", f"{path.name!r} holds no decodable audio")
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
    """`outputs/<date>/<job id>/`, the date being the job's creation day (local time)."""
    day = datetime.fromtimestamp(created_at).strftime("%Y-%m-%d")
    return outputs_root / day / job_id


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
    max_bytes: int,
    max_attempts: int = MAX_ATTEMPTS,
) -> Path:
    """Stream a result URL into `directory`, checking scheme, size and content.

    Raises ProviderError with a sentence for the user when the file cannot be had.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise ProviderError(f"The provider gave a result address that is not http(s): {url[:60]}")
    directory.mkdir(parents=True, exist_ok=True)
    target = unique_path(directory, safe_name(name, default=f"result.{kind}"))
    partial = target.with_name(target.name + ".part")
    for attempt in range(1, max_attempts + 1):
        try:
            async with client.stream("GET", url, follow_redirects=True) as response:
                if response.status_code in (401, 403, 404, 410):
                    raise ProviderError(
                        f"The result file is no longer available (HTTP {response.status_code}): "
                        "the provider's link has probably expired.",
                        retryable=False,
                    )
                if should_retry(response) and attempt < max_attempts:
                    await asyncio.sleep(retry_delay(attempt, response))
                    continue
                if response.status_code >= 400:
                    raise ProviderError(
                        f"Downloading the result failed (HTTP {response.status_code}).",
                        retryable=True,
                    )
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise ProviderError(
                        f"The result file is {declared / 1e6:.0f} MB, over the "
                        f"{max_bytes / 1e6:.0f} MB limit (STUDIO_MAX_DOWNLOAD_MB)."
                    )
                size = 0
                with partial.open("wb") as handle:
                    async for chunk in response.aiter_bytes(1 << 16):
                        size += len(chunk)
                        if size > max_bytes:
                            raise ProviderError(
                                f"The result file is over the {max_bytes / 1e6:.0f} MB limit "
                                "(STUDIO_MAX_DOWNLOAD_MB)."
                            )
                        handle.write(chunk)
            break
        except httpx.HTTPError as error:
            partial.unlink(missing_ok=True)
            if attempt == max_attempts or not should_retry(None, error):
                raise ProviderError(
                    "Downloading the result failed: the provider's file server did not answer.",
                    retryable=True,
                ) from None
            await asyncio.sleep(retry_delay(attempt))
        except ProviderError:
            partial.unlink(missing_ok=True)
            raise
    fmt = sniff_file(partial)
    if not _expected_kind_ok(fmt, kind):
        partial.unlink(missing_ok=True)
        raise ProviderError(
            f"The provider's result is not a valid {kind} file (its content looks like {fmt})."
        )
    wanted_suffix = FORMAT_SUFFIX.get(fmt, f".{fmt}")
    final = target if target.suffix.lower() == wanted_suffix else target.with_suffix(wanted_suffix)
    final = unique_path(directory, final.name) if final != target and final.exists() else final
    partial.rename(final)
    return final
