"""Speed of the offline painter: a 512×512 picture with its 6 previews (target ≤ 1 s).

The worst prompt counts: landscapes, and prompts that name subjects and styles.

Run: `python -m bench.bench_image [--repeat 5]`; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

from providers.offline.image.painter import hires, paint

PROMPTS = (
    "sunset over snowy mountains and a lake, pine forest",
    "a city at night by the sea, starry sky",
    "春天的花海, 远处的山, 蓝天白云",
    "desert dunes under a golden sky",
    # Named subjects: artwork drawn, recoloured, placed; then a style over the whole picture.
    "a red apple on a blue table",
    "portrait of an astronaut cat, studio lighting",
    "three birds over a lake, a boat and a dog on the beach, watercolor",
    "一只熊猫在竹子旁边，水墨",
    "twelve cats next to a red car, oil painting",
)
TARGET_S = 1.0


def _timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "median_s": round(statistics.median(walls), 4),
        "min_s": round(min(walls), 4),
        "max_s": round(max(walls), 4),
        "cpu_median_s": round(statistics.median(cpus), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    previews: list[int] = []

    def one(prompt: str, size: int, seed: int) -> Callable[[], Any]:
        def run() -> Any:
            return paint(
                prompt,
                "",
                size,
                size,
                seed,
                25,
                7.0,
                "DPM++ 2M Karras",
                previews=6,
                on_progress=lambda f, m, i: previews.append(int(i is not None)),
            )

        return run

    results: dict[str, Any] = {"load_average_1m": round(load, 2), "target_512_s": TARGET_S}
    per_prompt = {p: _timed(one(p, 512, 7), args.repeat) for p in PROMPTS}
    results["paint_512_with_6_previews"] = per_prompt
    worst = max(v["median_s"] for v in per_prompt.values())
    results["worst_median_512_s"] = worst
    results["meets_target"] = worst <= TARGET_S
    results["preview_images_per_run"] = sum(previews) // (len(PROMPTS) * args.repeat)
    results["paint_768_with_6_previews"] = _timed(one(PROMPTS[0], 768, 7), args.repeat)
    base = paint(PROMPTS[0], "", 512, 512, 7, 25, 7.0, "Euler", previews=0)
    results["hires_512_to_1024"] = _timed(lambda: hires(base, 2.0, 20, 0.55, 7), args.repeat)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
