"""Speed and memory of the offline music engines; prints one JSON object.

Run from the repo root: `python -m bench.bench_music`. Targets: a 30 s stereo piece in at most
1 s of CPU (≥ 30× real time) for text-to-music; image-to-music and extend are reported the same way.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from providers.offline.music.extend import extend_song
from providers.offline.music.image_music import picture_features, plan_from_picture
from providers.offline.music.music import SAMPLE_RATE, plan_music, render_music

SECONDS = 30.0
TARGET_CPU_S = 1.0
PROMPTS = (
    "upbeat pop in G major at 120 bpm",
    "sad piano in A minor, 70 bpm",
    "lofi hip hop with rhodes",
    "epic cinematic strings",
    "国风 古筝 笛子",
)


def _max_rss_mb() -> float:
    scale = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _measure(label: str, music_seconds: float, work: Callable[[], Any]) -> dict[str, Any]:
    """Time an untraced run (tracemalloc slows small allocations), then trace a second one."""
    rss_before = _max_rss_mb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    work()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "task": label,
        "music_seconds": music_seconds,
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "music_seconds_per_cpu_second": round(music_seconds / max(cpu, 1e-9), 1),
        "peak_traced_mb": round(peak / 2**20, 1),
        "max_rss_growth_mb": round(_max_rss_mb() - rss_before, 1),
    }


def _picture() -> Image.Image:
    rng = np.random.default_rng(0)
    rgb = np.zeros((480, 640, 3))
    rgb[..., 0] = 0.9
    rgb[..., 1] = np.linspace(0.3, 0.8, 640)[None, :]
    rgb[..., 2] = 0.2
    rgb += 0.1 * rng.standard_normal(rgb.shape)
    return Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8))


def main() -> None:
    render_music(plan_music("warm-up", 0, 7.0, 50), 2.0)  # imports, first-use allocations

    text_runs = []
    for i, prompt in enumerate(PROMPTS):
        plan = plan_music(prompt, 100 + i, 7.0, 50)
        run = _measure("text_to_music", SECONDS, lambda plan=plan: render_music(plan, SECONDS))
        run["prompt"] = prompt
        text_runs.append(run)
    worst = max(text_runs, key=lambda r: r["cpu_seconds"])

    picture = _picture()

    def image_job() -> None:
        features = picture_features(picture)
        render_music(plan_from_picture(features, None, None, "LARGE_MODEL", 1, 0), SECONDS)

    image_run = _measure("image_to_music", SECONDS, image_job)

    source = render_music(plan_music("pop in D major at 112 bpm", 3, 7.0, 50), SECONDS)
    extend_run = _measure(
        "extend_30s_source_plus_30s",
        SECONDS,
        lambda: extend_song(source, SAMPLE_RATE, SECONDS, SECONDS, "folk", "continue", 4, True),
    )

    mean_cpu = float(np.mean([r["cpu_seconds"] for r in text_runs]))
    report = {
        "sample_rate": SAMPLE_RATE,
        "channels": 2,
        "target_cpu_seconds_for_30s": TARGET_CPU_S,
        "text_to_music": {
            "mean_cpu_seconds_for_30s": round(mean_cpu, 3),
            "worst_cpu_seconds_for_30s": worst["cpu_seconds"],
            "mean_music_seconds_per_cpu_second": round(SECONDS / mean_cpu, 1),
            "meets_target": worst["cpu_seconds"] <= TARGET_CPU_S,
            "runs": text_runs,
        },
        "image_to_music": image_run,
        "extend": extend_run,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
