"""Every media file the emulators make or inspect: music, images, videos.

The offline engines (providers/offline/music/, image/, video/) are used when they
import and run; otherwise small built-in generators stand in, so the emulators never depend on
them being finished or fast. Outputs are real files (MP3/WAV, PNG, MP4) a player can decode.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import soundfile as sf
from PIL import Image, ImageDraw, ImageFilter

log = logging.getLogger(__name__)

SAMPLE_RATE = 44100
# Flip to False to force the built-in generators (e.g. to time the emulators alone).
USE_ENGINES = True


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    duration: float
    fps: float


def stable_seed(*parts: object) -> int:
    """A 32-bit seed from any values, the same in every process (unlike `hash`)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _engine(module: str, name: str) -> Any | None:
    if not USE_ENGINES:
        return None
    try:
        return getattr(importlib.import_module(f"providers.offline.{module}"), name)
    except Exception:  # an engine being written or broken must not take the emulators down
        return None


def engines_available() -> dict[str, bool]:
    """Which offline engines the emulators would use right now."""
    return {
        "music": _engine("music", "render_music") is not None,
        "painter": _engine("painter", "paint") is not None,
        "upscale": _engine("upscale", "upscale_video") is not None,
    }


def warm_up() -> None:
    """Import the engines ahead of the first task (their import takes seconds)."""
    engines_available()


# ---------------------------------------------------------------------------------- audio


def _fallback_music(prompt: str, seconds: float, seed: int) -> np.ndarray:
    """A seeded little chord progression with bass and hats: (n, 2) float32."""
    rng = np.random.default_rng(stable_seed(prompt, seed))
    n = max(1, round(seconds * SAMPLE_RATE))
    t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
    bpm = float(rng.integers(72, 132))
    beat = 60.0 / bpm
    root = 220.0 * 2 ** (int(rng.integers(-5, 7)) / 12)
    progression = [0, 5, 7, 3] if rng.random() < 0.5 else [0, 9, 5, 7]
    minor = rng.random() < 0.4
    third = 3 if minor else 4
    bar = np.floor(t / (4 * beat)).astype(int) % len(progression)
    semis = np.asarray(progression)[bar]
    phase_in_beat = (t % beat) / beat
    env = np.exp(-3.0 * phase_in_beat)
    chord = np.zeros(n)
    for interval, amp in ((0, 0.5), (third, 0.35), (7, 0.3), (12, 0.15)):
        freq = root * 2 ** ((semis + interval) / 12)
        chord += amp * np.sin(2 * np.pi * freq * t)
    bass = 0.4 * np.sin(2 * np.pi * root / 2 * 2 ** (semis / 12) * t) * np.exp(-1.5 * phase_in_beat)
    hats = rng.standard_normal(n) * np.exp(-40.0 * (((t + beat / 2) % beat) / beat)) * 0.05
    fade = np.clip(np.minimum(t / 0.05, (seconds - t) / 0.2), 0.0, 1.0)
    left = (0.6 * chord * env + bass + hats) * fade
    right = (0.4 * chord * env + bass + 0.7 * hats) * fade
    out = np.stack([left, right], axis=1)
    peak = float(np.max(np.abs(out))) or 1.0
    return (out / peak * 0.8).astype(np.float32)


def render_music(
    prompt: str, seconds: float, seed: int, *, cfg: float = 7.0, steps: int = 50
) -> np.ndarray:
    """Stereo float32 samples at 44.1 kHz, shape (n, 2)."""
    plan_music = _engine("music", "plan_music")
    render = _engine("music", "render_music")
    if plan_music is not None and render is not None:
        try:
            audio = np.asarray(render(plan_music(prompt, seed, cfg, steps), seconds), np.float32)
            if audio.ndim == 2 and audio.shape[1] == 2 and audio.shape[0] > 0:
                return audio
        except Exception:
            log.warning("offline music engine failed; using the built-in generator", exc_info=True)
    return _fallback_music(prompt, seconds, seed)


def write_audio(samples: np.ndarray, dst: Path) -> Path:
    """MP3, WAV or FLAC by the file's suffix."""
    fmt = {".mp3": "MP3", ".wav": "WAV", ".flac": "FLAC"}.get(dst.suffix.lower())
    if fmt is None:
        raise ValueError(f"unsupported audio suffix {dst.suffix!r}")
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part")
    sf.write(tmp, np.clip(samples, -1.0, 1.0), SAMPLE_RATE, format=fmt)
    tmp.replace(dst)
    return dst


def make_music(
    prompt: str, seconds: float, seed: int, dst: Path, *, cfg: float = 7.0, steps: int = 50
) -> Path:
    return write_audio(render_music(prompt, seconds, seed, cfg=cfg, steps=steps), dst)


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """(samples (n, channels) float32, sample rate); soundfile first, PyAV for the rest."""
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
        return data, int(rate)
    except Exception:
        pass
    chunks: list[np.ndarray] = []
    rate = SAMPLE_RATE
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="stereo", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1, 2))
    if not chunks:
        raise ValueError(f"{path.name} holds no audio")
    return np.concatenate(chunks).astype(np.float32), rate


def audio_seconds(path: Path) -> float:
    try:
        return float(sf.info(path).duration)
    except Exception:
        data, rate = read_audio(path)
        return data.shape[0] / rate


def _to_stereo_44k(data: np.ndarray, rate: int) -> np.ndarray:
    if data.shape[1] == 1:
        data = np.repeat(data, 2, axis=1)
    data = data[:, :2]
    if rate != SAMPLE_RATE and data.shape[0] > 1:
        n_out = max(1, round(data.shape[0] * SAMPLE_RATE / rate))
        x_old = np.linspace(0.0, 1.0, data.shape[0])
        x_new = np.linspace(0.0, 1.0, n_out)
        data = np.stack([np.interp(x_new, x_old, data[:, c]) for c in range(2)], axis=1)
    return data.astype(np.float32)


def extend_audio(
    source: Path | None,
    continue_at: float | None,
    extra_seconds: float,
    prompt: str,
    seed: int,
    dst: Path,
) -> float:
    """The source up to `continue_at` (its end when None) followed by new music; returns seconds.

    Without a readable source (a URL the emulator cannot reach) the head is made up too.
    """
    head: np.ndarray
    if source is not None:
        data, rate = read_audio(source)
        head = _to_stereo_44k(data, rate)
    else:
        head = render_music("source " + prompt, max(continue_at or 2.0, 0.1), seed + 1)
    if continue_at is not None:
        head = head[: round(continue_at * SAMPLE_RATE)]
    tail = render_music(prompt, extra_seconds, seed)
    # A short crossfade so the seam does not click.
    fade = min(len(head), len(tail), int(0.05 * SAMPLE_RATE))
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
        tail = tail.copy()
        tail[:fade] = head[-fade:] * (1 - ramp) + tail[:fade] * ramp
        head = head[:-fade]
    out = np.concatenate([head, tail])
    write_audio(out, dst)
    return out.shape[0] / SAMPLE_RATE


# ---------------------------------------------------------------------------------- images


def _fallback_image(prompt: str, width: int, height: int, seed: int) -> Image.Image:
    """A seeded gradient with soft shapes: cheap, deterministic, clearly not blank."""
    rng = np.random.default_rng(stable_seed(prompt, seed, width, height))
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    c0, c1 = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    angle = rng.random() * math.tau
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / max(1.0, float(width + height))
    ramp = (ramp - ramp.min()) / max(1e-6, float(np.ptp(ramp)))
    rgb = c0[None, None, :] * (1 - ramp[..., None]) + c1[None, None, :] * ramp[..., None]
    image = Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(int(rng.integers(3, 8))):
        cx, cy = rng.random() * width, rng.random() * height
        r = (0.08 + 0.25 * rng.random()) * min(width, height)
        fill = (*(int(v) for v in rng.integers(0, 256, 3)), 150)
        if rng.random() < 0.5:
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
        else:
            draw.rectangle((cx - r, cy - r / 2, cx + r, cy + r / 2), fill=fill)
    return image.filter(ImageFilter.GaussianBlur(radius=max(1, min(width, height) // 64)))


def render_image(
    prompt: str,
    width: int,
    height: int,
    seed: int,
    *,
    negative_prompt: str = "",
    steps: int = 20,
    cfg_scale: float = 7.0,
    sampler: str = "Euler a",
) -> Image.Image:
    paint = _engine("painter", "paint")
    if paint is not None:
        try:
            image = paint(prompt, negative_prompt, width, height, seed, steps, cfg_scale, sampler)
            if isinstance(image, Image.Image) and image.size == (width, height):
                return image.convert("RGB")
        except Exception:
            log.warning("offline painter failed; using the built-in generator", exc_info=True)
    return _fallback_image(prompt, width, height, seed)


def _save_png(image: Image.Image, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part")
    image.save(tmp, format="PNG")
    tmp.replace(dst)
    return dst


def make_image(prompt: str, w: int, h: int, seed: int, dst: Path, **paint_options: Any) -> Path:
    return _save_png(render_image(prompt, w, h, seed, **paint_options), dst)


def make_preview(final: Path, dst: Path, *, seed: int = 0) -> Path:
    """A half-done look of `final`: heavily blurred with noise, as a sampler midway shows."""
    with Image.open(final) as image:
        blurred = image.convert("RGB").filter(ImageFilter.GaussianBlur(max(2, image.width // 24)))
    rng = np.random.default_rng(seed)
    arr = np.asarray(blurred, np.float32) + rng.normal(0, 28, (blurred.height, blurred.width, 3))
    return _save_png(Image.fromarray(arr.clip(0, 255).astype(np.uint8), "RGB"), dst)


def sniff_image(data: bytes) -> str | None:
    """png / jpeg / webp / gif from the first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return None


# ---------------------------------------------------------------------------------- video


def _even(value: int) -> int:
    return max(2, value - value % 2)


def _frames_of(image: Image.Image | None, n: int, w: int, h: int, seed: int) -> list[np.ndarray]:
    if image is not None:
        still = np.asarray(image.convert("RGB").resize((w, h)), np.uint8)
        return [still] * n
    base = np.asarray(_fallback_image("video", w, h, seed), np.uint8)
    frames = []
    for i in range(n):
        shift = int(i * w / max(1, n))
        frame = np.roll(base, shift, axis=1).copy()
        # A moving bar makes motion (and frame order) visible.
        x = (i * 7) % w
        frame[:, x : x + 4] = 255
        frames.append(frame)
    return frames


def make_video(
    seconds: float,
    w: int,
    h: int,
    dst: Path,
    *,
    seed: int = 0,
    fps: int = 12,
    image: Path | None = None,
    audio: Path | None = None,
) -> Path:
    """An H.264 MP4: moving made-up frames, or a still `image`; with AAC `audio` when given."""
    w, h = _even(w), _even(h)
    n_frames = max(1, round(seconds * fps))
    still = Image.open(image) if image is not None else None
    frames = _frames_of(still, n_frames, w, h, seed)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part.mp4")
    with av.open(str(tmp), "w", format="mp4") as container:
        vstream = container.add_stream("libx264", rate=fps)
        vstream.width, vstream.height, vstream.pix_fmt = w, h, "yuv420p"
        vstream.options = {"preset": "ultrafast"}
        astream = None
        samples = None
        if audio is not None:
            data, rate = read_audio(audio)
            samples = _to_stereo_44k(data, rate)[: int(seconds * SAMPLE_RATE)]
            astream = container.add_stream("aac", rate=SAMPLE_RATE, layout="stereo")
        for frame_array in frames:
            frame = av.VideoFrame.from_ndarray(frame_array, format="rgb24")
            container.mux(vstream.encode(frame))
        container.mux(vstream.encode(None))
        if astream is not None and samples is not None:
            chunk = 1024
            for start in range(0, len(samples), chunk):
                block = np.ascontiguousarray(samples[start : start + chunk].T)
                frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="stereo")
                frame.sample_rate = SAMPLE_RATE
                frame.pts = start
                frame.time_base = Fraction(1, SAMPLE_RATE)
                container.mux(astream.encode(frame))
            container.mux(astream.encode(None))
    tmp.replace(dst)
    return dst


def video_info(path: Path) -> VideoInfo:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = (stream.frames or 0) / fps if fps else 0.0
        return VideoInfo(stream.codec_context.width, stream.codec_context.height, duration, fps)


def _fallback_upscale(src: Path, dst: Path, scale: int) -> None:
    with av.open(str(src)) as source:
        instream = source.streams.video[0]
        fps = instream.average_rate or Fraction(12)
        w = _even(instream.codec_context.width * scale)
        h = _even(instream.codec_context.height * scale)
        tmp = dst.with_name(dst.name + ".part.mp4")
        with av.open(str(tmp), "w", format="mp4") as out:
            stream = out.add_stream("libx264", rate=fps)
            stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
            stream.options = {"preset": "ultrafast"}
            for frame in source.decode(instream):
                image = frame.to_image().resize((w, h), Image.Resampling.LANCZOS)
                out.mux(stream.encode(av.VideoFrame.from_image(image)))
            out.mux(stream.encode(None))
    tmp.replace(dst)


def upscale_video(src: Path, dst: Path, scale: int = 2) -> VideoInfo:
    dst.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine("upscale", "upscale_video")
    if engine is not None:
        try:
            engine(src, dst, scale)
            if dst.exists() and dst.stat().st_size > 0:
                return video_info(dst)
        except Exception:
            log.warning("offline upscaler failed; using the built-in one", exc_info=True)
    _fallback_upscale(src, dst, scale)
    return video_info(dst)


def grab_frame(video: Path, dst: Path) -> Path:
    """The first frame of a video as a PNG (a cover image)."""
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            return _save_png(frame.to_image(), dst)
    raise ValueError(f"{video.name} has no video frame")
