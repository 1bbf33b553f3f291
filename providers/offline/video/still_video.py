"""A still picture as an MP4 for the length of a sound (image-to-music's "MP4" output type).

H.264 (libx264, yuv420p, tuned for still images) at a low frame rate plus AAC audio. The
picture is shrunk to at most MAX_SIDE on its longer side and to even dimensions (yuv420p
needs them). Video and audio are written in one-second slices so the file is interleaved.
"""

from __future__ import annotations

import contextlib
import math
import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

MAX_SIDE = 1280
AUDIO_BITRATE = 192_000
AAC_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000)


def _even_picture(image: Image.Image) -> Image.Image:
    picture = image.convert("RGB")
    width, height = picture.size
    shrink = min(1.0, MAX_SIDE / max(width, height))
    width = max(2, int(width * shrink) // 2 * 2)
    height = max(2, int(height * shrink) // 2 * 2)
    if (width, height) != picture.size:
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    return picture


def _stereo(audio: np.ndarray) -> np.ndarray:
    """(channels, samples) float32 planar stereo in -1..1 from (n,), (n, 1) or (n, 2)."""
    data = np.asarray(audio, dtype=np.float32)
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[1] not in (1, 2):
        raise ValueError(f"audio must have shape (n, 2) or (n,), got {data.shape}")
    if data.shape[1] == 1:
        data = np.repeat(data, 2, axis=1)
    return np.ascontiguousarray(np.clip(data.T, -1.0, 1.0))


def still_image_video(
    image: Image.Image,
    audio: np.ndarray,
    sample_rate: int,
    dst: Path,
    fps: int = 2,
) -> Path:
    """Write `dst` (MP4) showing `image` for as long as `audio` (n, 2) float32 lasts."""
    if sample_rate not in AAC_RATES:
        raise ValueError(f"sample rate {sample_rate} Hz is not one AAC supports: {AAC_RATES}")
    if fps < 1:
        raise ValueError(f"fps must be at least 1, got {fps}")
    planar = _stereo(audio)
    samples = planar.shape[1]
    if samples == 0:
        raise ValueError("audio is empty")
    seconds = samples / sample_rate
    frames = max(1, math.ceil(seconds * fps))
    picture = av.VideoFrame.from_image(_even_picture(image)).reformat(format="yuv420p")
    pixels = picture.to_ndarray()
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    partial = dst.with_name(f".{dst.name}.part")
    try:
        with av.open(
            str(partial), mode="w", format="mp4", options={"movflags": "+faststart"}
        ) as out:
            video = out.add_stream("libx264", rate=fps)
            video.width, video.height, video.pix_fmt = picture.width, picture.height, "yuv420p"
            # A key frame every 2 s keeps seeking snappy; "stillimage" spends bits on detail.
            video.options = {"preset": "veryfast", "crf": "20", "tune": "stillimage"}
            video.codec_context.gop_size = 2 * fps
            video.codec_context.time_base = Fraction(1, fps)
            sound = out.add_stream("aac", rate=sample_rate)
            sound.layout = "stereo"
            sound.bit_rate = AUDIO_BITRATE
            next_frame = 0
            chunk = sample_rate  # one second of audio per slice
            for start in range(0, samples, chunk):
                stop = min(start + chunk, samples)
                while next_frame < frames and next_frame / fps < stop / sample_rate:
                    frame = av.VideoFrame.from_ndarray(pixels, format="yuv420p")
                    frame.pts = next_frame
                    out.mux(video.encode(frame))
                    next_frame += 1
                block = av.AudioFrame.from_ndarray(
                    np.ascontiguousarray(planar[:, start:stop]), format="fltp", layout="stereo"
                )
                block.sample_rate = sample_rate
                block.pts = start
                out.mux(sound.encode(block))
            while next_frame < frames:
                frame = av.VideoFrame.from_ndarray(pixels, format="yuv420p")
                frame.pts = next_frame
                out.mux(video.encode(frame))
                next_frame += 1
            out.mux(video.encode(None))
            out.mux(sound.encode(None))
        os.replace(partial, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return dst
