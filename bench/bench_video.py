"""Speed of the offline video upscaler: 2× of a 5 s 854×480 24 fps clip with audio.

Target: at least real time (≤ 5 s for the 5 s clip) on this 2-core machine. The machine may
be shared: the JSON carries the load average and the CPU seconds used, which do not depend
on what else runs.

Run: `python -m bench.bench_video [--seconds 5] [--scale 2]`; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from providers.offline.video.upscale import upscale_video

WIDTH, HEIGHT, FPS, RATE = 854, 480, 24, 44100


def make_clip(path: Path, seconds: float) -> Path:
    """A moving test pattern with a tone, encoded as a phone would (H.264 + AAC)."""
    frames = int(seconds * FPS)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    with av.open(str(path), mode="w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "20"}
        audio = out.add_stream("aac", rate=RATE)
        audio.layout = "stereo"
        for i in range(frames):
            t = i / FPS
            img = np.empty((HEIGHT, WIDTH, 3), dtype=np.float32)
            img[..., 0] = 0.5 + 0.4 * np.sin(xx / 37 + t * 2)
            img[..., 1] = 0.5 + 0.4 * np.sin(yy / 23 - t * 3)
            img[..., 2] = ((xx + yy + i * 4) % 256) / 255
            cx = int(WIDTH / 2 + WIDTH / 3 * np.sin(t))
            img[HEIGHT // 3 : HEIGHT // 2, max(0, cx - 20) : cx + 20] = 1.0
            frame = av.VideoFrame.from_ndarray((img * 255).astype(np.uint8), format="rgb24")
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        n = int(seconds * RATE)
        tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(n) / RATE)).astype(np.float32)
        planar = np.stack([tone, tone])
        for start in range(0, n, 1024):
            block = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(planar[:, start : start + 1024]),
                format="fltp",
                layout="stereo",
            )
            block.sample_rate = RATE
            block.pts = start
            out.mux(audio.encode(block))
        out.mux(audio.encode(None))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--scale", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = make_clip(Path(tmp) / "source.mp4", args.seconds)
        runs = []
        for k in range(args.repeat):
            load = os.getloadavg()[0]
            calls = []
            wall, cpu = time.perf_counter(), time.process_time()
            info = upscale_video(
                src,
                Path(tmp) / f"up{k}.mp4",
                args.scale,
                on_progress=lambda f, m, i: calls.append(f),  # noqa: B023
            )
            elapsed = time.perf_counter() - wall
            used = time.process_time() - cpu
            runs.append(
                {
                    "seconds": round(elapsed, 3),
                    "x_real_time": round(info.duration_s / elapsed, 3),
                    "cpu_seconds": round(used, 3),
                    "cpu_bound_x_real_time_on_2_cores": round(info.duration_s / (used / 2), 3),
                    "load_average_1m_before": round(load, 2),
                    "progress_calls": len(calls),
                    "output": f"{info.width}x{info.height}, {info.frames} frames",
                    "output_mb": round((Path(tmp) / f"up{k}.mp4").stat().st_size / 2**20, 2),
                }
            )
        best = min(runs, key=lambda r: r["seconds"])
        result = {
            "clip": f"{WIDTH}x{HEIGHT} @ {FPS} fps, {args.seconds} s, AAC audio",
            "scale": args.scale,
            "runs": runs,
            "best_seconds": best["seconds"],
            "best_x_real_time": best["x_real_time"],
            "meets_real_time": best["x_real_time"] >= 1.0,
            "cpu_count": os.cpu_count(),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
