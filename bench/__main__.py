"""`python -m bench [--quick] [--only a,b]`: run every bench, print one table and the JSON.

Each bench runs as a subprocess (`python -m bench.bench_<name>`) and prints one JSON object;
this collects them, prints a table (bench, figure, value, target, met?) and then one JSON line
per bench. A bench that crashes, times out or prints no JSON is shown as failed and makes the
exit status non-zero; a missed target does not (unless `--strict`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.common import ROOT, machine


@dataclass(frozen=True)
class Row:
    bench: str
    figure: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass(frozen=True)
class Bench:
    name: str
    module: str
    args: tuple[str, ...] = ()
    quick_args: tuple[str, ...] | None = ()  # None: left out of --quick
    timeout_s: float = 1800.0


BENCHES: tuple[Bench, ...] = (
    Bench("startup", "bench.bench_startup"),
    Bench("music", "bench.bench_music"),
    Bench("image", "bench.bench_image", quick_args=("--repeat", "1")),
    Bench("video", "bench.bench_video", quick_args=("--repeat", "1")),
    Bench("overhead", "bench.bench_overhead", quick_args=("--quick",)),
    Bench("concurrency", "bench.bench_concurrency", quick_args=None, timeout_s=3600.0),
    Bench("polling", "bench.bench_polling", quick_args=("--quick",)),
    Bench("session_cost", "bench.bench_session_cost", quick_args=("--quick",)),
)


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}{unit}"
    return f"{value}{unit}"


def rows_startup(r: dict[str, Any]) -> list[Row]:
    return [
        Row(
            "startup",
            "cold start to first HTTP 200 (median of 3)",
            _fmt(r["median_s"], " s"),
            f"≤ {r['target_s']} s",
            r["met"],
        )
    ]


def rows_music(r: dict[str, Any]) -> list[Row]:
    ttm = r["text_to_music"]
    rows = [
        Row(
            "music",
            "text→music: CPU for a 30 s piece (worst prompt)",
            _fmt(ttm["worst_cpu_seconds_for_30s"], " s"),
            f"≤ {r['target_cpu_seconds_for_30s']} s",
            ttm["meets_target"],
        )
    ]
    for key, label in (("image_to_music", "image→music"), ("extend", "extend 30 s + 30 s")):
        if key in r:
            rows.append(Row("music", f"{label}: CPU", _fmt(r[key]["cpu_seconds"], " s")))
    return rows


def rows_image(r: dict[str, Any]) -> list[Row]:
    return [
        Row(
            "image",
            "512×512 with 6 previews (worst prompt, median)",
            _fmt(r["worst_median_512_s"], " s"),
            f"≤ {r['target_512_s']} s",
            r["meets_target"],
        )
    ]


def rows_video(r: dict[str, Any]) -> list[Row]:
    return [
        Row(
            "video",
            f"upscale ×{r['scale']} of {r['clip']}: × real time",
            _fmt(r["best_x_real_time"], "×"),
            "≥ 1×",
            r["meets_real_time"],
        )
    ]


def rows_overhead(r: dict[str, Any]) -> list[Row]:
    rows = []
    for mode, s in r["summary"].items():
        target = f"≤ {s['target_ratio']}×"
        rows.append(
            Row(
                "overhead",
                f"{mode}: wall / task, via gradio_client (worst: {s['worst_case_gradio_client']})",
                _fmt(s["worst_median_ratio_gradio_client"], "×"),
                target,
                s["ratio_met_gradio_client"],
            )
        )
        rows.append(
            Row(
                "overhead",
                f"{mode}: wall / task, app alone via raw SSE (worst: {s['worst_case_app']})",
                _fmt(s["worst_median_ratio_app"], "×"),
                target,
                s["ratio_met_app"],
            )
        )
        rows.append(
            Row(
                "overhead",
                f"{mode}: first streamed update (worst median: {s['worst_first_update_case']})",
                _fmt(s["worst_median_first_update_s"], " s"),
                f"≤ {s['target_first_update_s']} s",
                s["first_update_met"],
            )
        )
        rows.append(Row("overhead", f"{mode}: every job succeeded", "", "yes", s["all_jobs_ok"]))
    return rows


def rows_concurrency(r: dict[str, Any]) -> list[Row]:
    rows = []
    for b in r["bursts"]:
        label = f"{b['jobs']} jobs at once, event concurrency {b['event_concurrency']}"
        rows.append(
            Row(
                "concurrency",
                f"{label}: burst / one job ({b['succeeded']}/{b['jobs']} ok, "
                f"{b['most_provider_tasks_at_once']} tasks at once)",
                _fmt(b["burst_ratio"], "×"),
                f"≤ {b['target_ratio']}×",
                b["met"],
            )
        )
        rows.append(
            Row(
                "concurrency",
                f"{label}: app memory per job (RSS growth)",
                _fmt(b["rss_growth_per_job_kb"], " kB"),
            )
        )
    s = r["suno_rate_limit"]
    rows.append(
        Row(
            "concurrency",
            f"{s['jobs']} Suno jobs at once: most calls in 10 s ({s['succeeded']}/{s['jobs']} ok)",
            _fmt(s["max_calls_in_any_10s_window"]),
            "≤ 20",
            s["respected"],
        )
    )
    return rows


def rows_polling(r: dict[str, Any]) -> list[Row]:
    rows = []
    targets = r["targets"]["seen_ratio"]
    target = f"≤ {targets['up to 2 s']}× up to 2 s, ≤ {targets['from 5 s']}× from 5 s"
    for provider, per_length in r["seen_ratio"].items():
        seen = ", ".join(
            f"{k.removeprefix('task_')}: {_fmt(v, '×')}" for k, v in per_length.items()
        )
        rows.append(
            Row(
                "polling", f"{provider}: seen done ÷ task length", seen, target, r["seen_ratio_met"]
            )
        )
    for provider, per_length in r["api_calls_per_job"].items():
        calls = ", ".join(f"{k.removeprefix('task_')}: {v}" for k, v in per_length.items())
        rows.append(Row("polling", f"{provider}: API calls per job by task length", calls))
    s = r["suno_rate_limit"]
    rows.append(
        Row(
            "polling",
            f"Suno: most calls in 10 s (one account can poll "
            f"{s['jobs_one_account_can_poll_at_once']} jobs)",
            _fmt(s["max_calls_in_any_10s_window"]),
            "≤ 20",
            s["respected"],
        )
    )
    return rows


def rows_session_cost(r: dict[str, Any]) -> list[Row]:
    cpu, memory, page = r["cpu_per_remote_job"], r["memory_per_session"], r["page"]
    one, each = cpu["one_session_one_after_another"], cpu["new_session_each_all_at_once"]
    return [
        Row(
            "session_cost",
            "app CPU per remote job, one session",
            _fmt(one["app_cpu_ms_per_job"], " ms"),
        ),
        Row(
            "session_cost",
            "app CPU per remote job, a new session each (+ per client opened)",
            f"{_fmt(each['app_cpu_ms_per_job'], ' ms')} "
            f"(+ {_fmt(each['app_cpu_ms_per_client_opened'], ' ms')})",
        ),
        Row(
            "session_cost",
            "app memory per browser session (RSS)",
            _fmt(memory["rss_kb_per_session"], " kB"),
        ),
        Row(
            "session_cost",
            "page: components / events / /config size",
            f"{page['components']} / {page['events']} / {_fmt(page['config_json_kb'], ' kB')}",
        ),
    ]


ROWS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "startup": rows_startup,
    "music": rows_music,
    "image": rows_image,
    "video": rows_video,
    "overhead": rows_overhead,
    "concurrency": rows_concurrency,
    "polling": rows_polling,
    "session_cost": rows_session_cost,
}


def parse_output(text: str) -> dict[str, Any] | None:
    """The bench's JSON object, even when something printed a line before it."""
    decoder = json.JSONDecoder()
    for start, char in enumerate(text):
        if char == "{":
            try:
                value, _ = decoder.raw_decode(text[start:])
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    return None


def run(bench: Bench, quick: bool) -> tuple[dict[str, Any] | None, str | None, float]:
    args = bench.quick_args if quick else bench.args
    assert args is not None
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", bench.module, *args],
            cwd=ROOT,
            env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
            capture_output=True,
            text=True,
            timeout=bench.timeout_s,
        )
    except subprocess.TimeoutExpired:
        return None, f"timed out after {bench.timeout_s:g} s", time.monotonic() - started
    elapsed = time.monotonic() - started
    result = parse_output(done.stdout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return result, f"exit code {done.returncode}: {last[:200]}", elapsed
    if result is None:
        return None, "printed no JSON object", elapsed
    return result, None, elapsed


def table(rows: list[Row]) -> str:
    header = ("bench", "figure", "value", "target", "met?")
    cells = [header] + [
        (
            r.bench,
            r.figure,
            r.value,
            r.target,
            "" if r.met is None else ("yes" if r.met else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs; no concurrency bench")
    parser.add_argument("--only", default=None, help="comma-separated bench names")
    parser.add_argument("--strict", action="store_true", help="exit non-zero on a missed target")
    args = parser.parse_args()
    chosen = [b for b in BENCHES if not args.only or b.name in args.only.split(",")]
    if args.quick:
        chosen = [b for b in chosen if b.quick_args is not None]
    before = machine()
    rows: list[Row] = []
    lines: list[str] = []
    failed: list[str] = []
    for bench in chosen:
        print(f"running {bench.module} ...", file=sys.stderr, flush=True)
        result, error, elapsed = run(bench, args.quick)
        bench_rows: list[Row] = []
        if result is not None and error is None:
            try:
                bench_rows = ROWS[bench.name](result)
            except (KeyError, TypeError, ValueError) as problem:
                bench_rows = [Row(bench.name, f"unreadable result ({problem!r})", "")]
        if error is not None:
            failed.append(bench.name)
            bench_rows = [Row(bench.name, f"FAILED: {error}", "", "", False)]
        rows.extend(bench_rows)
        lines.append(
            json.dumps(
                {
                    "bench": bench.name,
                    "ok": error is None,
                    "error": error,
                    "seconds": round(elapsed, 1),
                    "result": result,
                },
                ensure_ascii=False,
            )
        )
    print(
        f"machine: {before['cpu_count']} cores, load average {before['load_average_1m']} "
        f"before, {machine()['load_average_1m']} after"
    )
    print(table(rows))
    print()
    for line in lines:
        print(line)
    missed = [r for r in rows if r.met is False]
    if failed:
        print(f"failed benches: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)
    if args.strict and missed:
        sys.exit(2)


if __name__ == "__main__":
    main()
