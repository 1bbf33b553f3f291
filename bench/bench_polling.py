"""How many requests the app sends a provider per job, against the task's length (polling only).

The app has no callback address the providers can reach and Vidu offers no live state stream,
so every job is followed by status calls alone. For each task length (1, 5, 20 s) one job per
provider runs (the four providers at once; their calls are counted apart), through the app's
public API with gradio_client. Counts come from the emulators' call log.

Suno documents a limit of 20 requests per 10 s per account (the emulator enforces it, counting
its generate/* routes): the most Suno calls seen in any 10 s window is reported against it, and
how many Suno jobs one account can follow at once at the adapter's poll interval. The other
providers document no limit: their status requests per minute of task are reported.

Run: `python -m bench.bench_polling [--quick] [--lengths 1,5,20]`; prints one JSON object.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import (
    CASES,
    CallSampler,
    Inputs,
    emit,
    emulator_settings,
    machine,
    make_inputs,
    run_app,
    serve_files,
    start_emulators,
    vidu_without_stream,
)
from providers.declarations import IMGOPEN, SUNO, TENCENT, VIDU

CASE_NAMES = (
    "imgopen/text_to_music",
    "tencent/image_to_music",
    "suno/extend_music",
    "vidu/video_upscale",
)
SUNO_LIMIT_CALLS = 20
SUNO_LIMIT_WINDOW_S = 10.0
SUNO_LIMITED = ("suno", "*", "/api/v1/generate/*")

# What each provider call is, by (method, path glob); the first match wins, the rest are files.
KINDS: dict[str, list[tuple[str, str, str]]] = {
    "imgopen": [
        ("create", "POST", "*/text2music"),
        ("create", "POST", "*/text2image"),
        ("status", "POST", "*/queryTaskInfo"),
    ],
    "tencent": [("create_and_status", "POST", "/job")],
    "suno": [
        ("upload", "POST", "/api/file-stream-upload"),
        ("create", "POST", "*/upload-extend"),
        ("status", "GET", "*/record-info"),
    ],
    "vidu": [
        ("create", "POST", "/vidu/v1/tasks"),
        ("state_stream", "GET", "/vidu/v1/tasks/state"),
        ("status", "GET", "/vidu/v1/tasks/[0-9]*"),
    ],
}


def _counts(state: Any, provider: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    total = state.calls.count(provider)
    known = 0
    for kind, method, path in KINDS[provider]:
        n = state.calls.count(provider, method, path)
        counts[kind] = counts.get(kind, 0) + n
        known += n
    counts["files"] = total - known
    counts["total"] = total
    return counts


def _diff(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before.get(key, 0) for key in after}


def _status_calls(provider: str, calls: dict[str, int]) -> int:
    if provider == "tencent":
        return calls["create_and_status"] - 1  # one CreateJob, the rest GetJob
    return calls.get("status", 0)


def run_length(
    app: Any, clients: dict[str, Any], state: Any, inputs: Inputs, task_s: float
) -> dict[str, Any]:
    state.task_seconds = task_s
    before = {CASES[name].provider: _counts(state, CASES[name].provider) for name in CASE_NAMES}
    barrier = threading.Barrier(len(CASE_NAMES))

    def one(name: str) -> dict[str, Any]:
        case = CASES[name]
        arguments = case.arguments(inputs, state)
        barrier.wait()
        started = time.monotonic()
        result = clients[name].predict(**arguments, api_name=case.api_name)
        return {"ok": "Done" in str(result[0]), "wall_s": round(time.monotonic() - started, 3)}

    with ThreadPoolExecutor(len(CASE_NAMES)) as pool:
        walls = dict(zip(CASE_NAMES, pool.map(one, CASE_NAMES), strict=True))
    per_provider: dict[str, Any] = {}
    for name in CASE_NAMES:
        provider = CASES[name].provider
        calls = _diff(_counts(state, provider), before[provider])
        status = _status_calls(provider, calls)
        api = calls["total"] - calls["files"]
        per_provider[provider] = {
            "case": name,
            **walls[name],
            "calls": calls,
            "status_calls": status,
            "api_calls": api,
            "status_calls_per_minute_of_task": round(status / (task_s / 60.0), 1),
            "api_calls_per_minute_of_job": round(api / (walls[name]["wall_s"] / 60.0), 1),
        }
    return per_provider


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 and 5 s tasks only")
    parser.add_argument("--lengths", default=None, help="task lengths in s, e.g. 1,5,20")
    args = parser.parse_args()
    lengths = [float(x) for x in (args.lengths or ("1,5" if args.quick else "1,5,20")).split(",")]
    before = machine()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-polling-") as folder:
        tmp = Path(folder)
        inputs = make_inputs(tmp / "inputs")
        emulators = start_emulators(0.3, rate_limit=True)
        state = emulators.state
        vidu_without_stream(state)
        sampler = CallSampler(state, {"suno_limited": SUNO_LIMITED})
        try:
            with (
                serve_files({"picture.png": inputs.picture}) as base,
                run_app(tmp / "app", callbacks=False, settings=emulator_settings(emulators)) as app,
            ):
                inputs.picture_url = f"{base}/picture.png"
                clients = {name: app.client(tmp / f"dl-{i}") for i, name in enumerate(CASE_NAMES)}
                run_length(app, clients, state, inputs, 0.3)  # warm-up, not reported
                for task_s in lengths:
                    results[f"task_{task_s:g}s"] = run_length(app, clients, state, inputs, task_s)
        finally:
            sampler.stop()
            emulators.stop()
    suno_window = sampler.max_in_window("suno_limited", SUNO_LIMIT_WINDOW_S)
    # One Suno job polled every POLL_S uses this share of the account's budget.
    per_job_per_window = SUNO_LIMIT_WINDOW_S / SUNO.polling.first_s
    table = {
        provider: {f"{length}": entry[provider]["api_calls"] for length, entry in results.items()}
        for provider in ("imgopen", "tencent", "suno", "vidu")
    }
    emit(
        {
            "bench": "polling",
            "machine_before": before,
            "machine_after": machine(),
            "poll_schedules_s": {
                "imgopen": f"{IMGOPEN.polling.first_s:g} growing ×{IMGOPEN.polling.growth:g} "
                f"to {IMGOPEN.polling.last_s:g}",
                "tencent": TENCENT.polling.first_s,
                "suno": SUNO.polling.first_s,
                "vidu": VIDU.polling.first_s,
            },
            "api_calls_per_job": table,
            "suno_rate_limit": {
                "documented": f"{SUNO_LIMIT_CALLS} requests / {SUNO_LIMIT_WINDOW_S:g} s per account",
                "max_calls_in_any_10s_window": suno_window,
                "respected": suno_window <= SUNO_LIMIT_CALLS,
                "status_calls_per_10s_per_job": round(per_job_per_window, 2),
                # Steady state, create calls not counted.
                "jobs_one_account_can_poll_at_once": int(
                    SUNO_LIMIT_CALLS * SUNO.polling.first_s / SUNO_LIMIT_WINDOW_S + 1e-9
                ),
            },
            "all_ok": all(e["ok"] for entry in results.values() for e in entry.values()),
            "lengths": results,
        }
    )


if __name__ == "__main__":
    main()
