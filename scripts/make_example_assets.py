"""Make the example media of tabs/examples/ again: `python -m scripts.make_example_assets`.

A maintenance script, not part of the app: it uses the offline engines directly.
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from core.media import write_audio
from providers.offline.image.painter import paint
from providers.offline.music.music import SAMPLE_RATE, plan_music, render_music
from tabs.example_assets import (
    CLIP_FPS,
    CLIP_SECONDS,
    CLIP_SIZE,
    EXAMPLES_DIR,
    PICTURE_SIZE,
    PICTURES,
    SHORT_SONG,
    SONG_PROMPT,
    SONG_SECONDS,
    TINY_CLIP,
)


def _png_bytes(image: Image.Image) -> bytes:
    """A palette PNG: these painted scenes keep their look in 128 colours at a fraction of the size."""
    buffer = io.BytesIO()
    image.convert("RGB").quantize(colors=128, dither=Image.Dither.NONE).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()


def make_pictures() -> None:
    width, height = PICTURE_SIZE
    for index, (path, prompt) in enumerate(PICTURES.items()):
        image = paint(prompt, "", width, height, 1000 + index, 20, 7.0, "Euler a", previews=0)
        path.write_bytes(_png_bytes(image))


def make_song() -> None:
    plan = plan_music(SONG_PROMPT, seed=2024, cfg=7.0, steps=40)
    samples = render_music(plan, SONG_SECONDS)
    write_audio(SHORT_SONG, samples, SAMPLE_RATE, metadata={"prompt": SONG_PROMPT})


def _clip_frame(index: int, total: int) -> np.ndarray:
    """A sunrise sweeping over hills: smooth gradients and a moving disc show an upscale well."""
    width, height = CLIP_SIZE
    t = index / max(1, total - 1)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    shade = ys / height
    sky = np.stack(
        [0.25 + 0.6 * t + 0.1 * shade, 0.3 + 0.3 * t + 0.2 * shade, (0.7 - 0.2 * t) + 0 * shade],
        axis=-1,
    )
    cx, cy = width * (0.2 + 0.6 * t), height * (0.7 - 0.45 * t)
    sun = np.clip(1.2 - np.hypot(xs - cx, ys - cy) / 10.0, 0.0, 1.0)[..., None]
    frame = sky * (1 - sun) + np.array([1.0, 0.9, 0.5]) * sun
    ridge = height * (0.72 + 0.08 * np.sin(xs / 13.0 + 1.5) + 0.04 * np.sin(xs / 5.0))
    hills = (ys > ridge)[..., None]
    frame = np.where(hills, np.array([0.15, 0.45 + 0.2 * t, 0.2]), frame)
    return (np.clip(frame, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def make_clip() -> None:
    total = round(CLIP_SECONDS * CLIP_FPS)
    with av.open(str(TINY_CLIP), "w") as container:
        stream = container.add_stream("libx264", rate=CLIP_FPS)
        stream.width, stream.height = CLIP_SIZE
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, CLIP_FPS)
        stream.options = {"crf": "28", "preset": "veryslow"}
        for index in range(total):
            frame = av.VideoFrame.from_ndarray(_clip_frame(index, total), format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def make_all() -> list[Path]:
    EXAMPLES_DIR.mkdir(parents=True, exist_ok=True)
    make_pictures()
    make_song()
    make_clip()
    return [*PICTURES, SHORT_SONG, TINY_CLIP]


if __name__ == "__main__":
    for made in make_all():
        print(f"{made.relative_to(EXAMPLES_DIR.parent.parent)}: {made.stat().st_size} bytes")
