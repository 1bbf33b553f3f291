"""What the app adds to a remote task: gradio_client → app → adapter → emulator, per provider.

For each provider task (Img Open text-to-music and text-to-image, Tencent image-to-music, Suno
extend, Vidu upscale) at emulated task lengths of 1 s and 5 s, in two set-ups:

- "polling": the app has no callback address the providers can reach (and Vidu's reseller offers
  no live state stream), so every job is followed by status calls on the adapter's schedule;
- "callbacks": the app's public URL is its own address, so Img Open, Tencent and Suno call back
  when the task ends, and Vidu's live state stream (SSE) is read.

Each repeat is a pair of jobs:
- through gradio_client (submit → result, result files downloaded): what a Python caller sees;
- through a raw SSE client (join → process_completed on /gradio_api/queue/*): what the app
  itself adds, without gradio_client's own costs (a new HTTP client per request and per file,
  a 50 ms reader loop). It also gives the first streamed update after the join request.

ratio = wall time / the emulator's own task time (creation → done, as the emulator saw it; a
busy machine can stretch the emulated generation past the nominal length). Targets: ≤ 1.10 with
callbacks or SSE, ≤ 1.35 with polling; first update ≤ 0.2 s. Each run is also split into phases:
submit → task created at the provider, task done → job succeeded in the app, → result at the
client.

Run: `python -m bench.bench_overhead [--quick | --full]`; prints one JSON object.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    CASES,
    App,
    Case,
    Inputs,
    TaskWatcher,
    emit,
    emulator_settings,
    machine,
    make_inputs,
    run_app,
    serve_files,
    start_emulators,
    stream_job,
    summary,
    vidu_without_stream,
)

TARGET_RATIO = {"callbacks": 1.10, "polling": 1.35}
TARGET_FIRST_UPDATE_S = 0.2
WARM_UP_TASK_S = 0.3
RESULT_TIMEOUT_S = 180.0


class Probe:
    """Finds the provider task and the app job a run made, and splits its time into phases."""

    def __init__(self, app: App, state: Any, watcher: TaskWatcher, case: Case) -> None:
        self.app, self.state, self.watcher, self.case = app, state, watcher, case
        self.tasks_before = set(state.tasks[case.provider])
        self.jobs_before = {r.id for r in app.store.list(limit=10_000)}
        self.calls_before = state.calls.count(case.provider)

    def _wait(self, what: Any, timeout_s: float = 3.0) -> Any:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = what()
            if found is not None:
                return found
            time.sleep(0.005)
        return None

    def measure(self, started: float, ended: float) -> dict[str, Any]:
        """Figures of the run that went from `started` to `ended` (time.monotonic())."""
        provider = self.case.provider
        task_id = self._wait(
            lambda: next(iter(set(self.state.tasks[provider]) - self.tasks_before), None)
        )
        span = self._wait(lambda: self.watcher.spans(provider).get(task_id)) if task_id else None
        wall = ended - started
        figures: dict[str, Any] = {
            "wall_s": round(wall, 3),
            "emulator_task_s": round(span, 3) if span else None,
            "ratio": round(wall / span, 3) if span else None,
            "provider_calls": self.state.calls.count(provider) - self.calls_before,
        }
        store = self.app.store
        record = next(
            (r for r in store.list(provider=provider, limit=20) if r.id not in self.jobs_before),
            None,
        )
        if task_id and span and record is not None and record.finished_at is not None:
            # The store keeps wall-clock times; the task clocks and ours are monotonic.
            offset = time.time() - time.monotonic()
            created = self.watcher.started_at[f"{provider}:{task_id}"]
            done = created + span
            succeeded = record.finished_at - offset
            figures["phases_s"] = {
                "submit_to_task_created": round(created - started, 3),
                "task": round(span, 3),
                "task_done_to_app_succeeded": round(succeeded - done, 3),
                "app_succeeded_to_client_result": round(ended - succeeded, 3),
            }
        return figures


def client_run(
    app: App, client: Any, state: Any, watcher: TaskWatcher, case: Case, inputs: Inputs
) -> dict[str, Any]:
    probe = Probe(app, state, watcher, case)
    arguments = case.arguments(inputs, state)
    started = time.monotonic()
    job = client.submit(**arguments, api_name=case.api_name)
    result = job.result(timeout=RESULT_TIMEOUT_S)
    ended = time.monotonic()
    status = str(result[0]) if isinstance(result, tuple | list) else str(result)
    figures = probe.measure(started, ended)
    figures["ok"] = "Done" in status
    figures["streamed_updates"] = len(job.outputs())
    return figures


def raw_run(
    app: App, client: Any, state: Any, watcher: TaskWatcher, case: Case, inputs: Inputs
) -> dict[str, Any]:
    probe = Probe(app, state, watcher, case)
    timing = stream_job(client, case.api_name, case.arguments(inputs, state))
    ended = timing.joined_at + (timing.completed_s or 0.0)
    figures = probe.measure(timing.joined_at, ended)
    figures["ok"] = timing.success
    figures["first_update_s"] = (
        round(timing.first_update_s, 3) if timing.first_update_s is not None else None
    )
    figures["process_starts_s"] = (
        round(timing.process_starts_s, 3) if timing.process_starts_s is not None else None
    )
    figures["streamed_updates"] = timing.updates
    if timing.error:
        figures["error"] = timing.error
    return figures


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def _phases(runs: list[dict[str, Any]]) -> dict[str, float]:
    names = {name for r in runs for name in r.get("phases_s", {})}
    return {
        name: round(statistics.median(r["phases_s"][name] for r in runs if "phases_s" in r), 3)
        for name in sorted(names)
    }


def run_mode(mode: str, plan: list[tuple[float, int]], inputs: Inputs, tmp: Path) -> dict[str, Any]:
    emulators = start_emulators(WARM_UP_TASK_S)
    state = emulators.state
    if mode == "polling":
        vidu_without_stream(state)
    watcher = TaskWatcher(state)
    results: dict[str, Any] = {}
    try:
        with run_app(
            tmp / mode, callbacks=mode == "callbacks", settings=emulator_settings(emulators)
        ) as app:
            client = app.client(tmp / f"{mode}-downloads")
            # First use of each adapter (its HTTP client, lazy imports) is not measured.
            for case in CASES.values():
                client_run(app, client, state, watcher, case, inputs)
            for task_s, repeats in plan:
                state.task_seconds = task_s
                for case in CASES.values():
                    via_client, raw = [], []
                    for _ in range(repeats):
                        via_client.append(client_run(app, client, state, watcher, case, inputs))
                        raw.append(raw_run(app, client, state, watcher, case, inputs))
                    results.setdefault(case.name, {})[f"task_{task_s:g}s"] = {
                        "all_ok": all(r["ok"] for r in via_client + raw),
                        "gradio_client": {
                            "median_ratio": _median(via_client, "ratio"),
                            "median_wall_s": _median(via_client, "wall_s"),
                            "median_phases_s": _phases(via_client),
                            "runs": via_client,
                        },
                        "raw_sse": {
                            "median_ratio": _median(raw, "ratio"),
                            "median_wall_s": _median(raw, "wall_s"),
                            "median_first_update_s": _median(raw, "first_update_s"),
                            "median_phases_s": _phases(raw),
                            "runs": raw,
                        },
                    }
    finally:
        watcher.stop()
        emulators.stop()
    return results


def _worst(cases: dict[str, Any], client: str, key: str) -> tuple[float | None, str | None]:
    found = [
        (entry[client][key], f"{name} {length}")
        for name, per_case in cases.items()
        for length, entry in per_case.items()
        if entry[client].get(key) is not None
    ]
    return max(found, default=(None, None))


def verdict(mode: str, cases: dict[str, Any]) -> dict[str, Any]:
    target = TARGET_RATIO[mode]
    client_ratio, client_case = _worst(cases, "gradio_client", "median_ratio")
    app_ratio, app_case = _worst(cases, "raw_sse", "median_ratio")
    first, first_case = _worst(cases, "raw_sse", "median_first_update_s")
    firsts = [
        r["first_update_s"]
        for per_case in cases.values()
        for entry in per_case.values()
        for r in entry["raw_sse"]["runs"]
        if r.get("first_update_s") is not None
    ]
    return {
        "target_ratio": target,
        "worst_median_ratio_gradio_client": client_ratio,
        "worst_case_gradio_client": client_case,
        "ratio_met_gradio_client": client_ratio is not None and client_ratio <= target,
        "worst_median_ratio_app": app_ratio,
        "worst_case_app": app_case,
        "ratio_met_app": app_ratio is not None and app_ratio <= target,
        "target_first_update_s": TARGET_FIRST_UPDATE_S,
        "first_update_s": summary(firsts),
        "worst_median_first_update_s": first,
        "worst_first_update_case": first_case,
        "first_update_met": first is not None and first <= TARGET_FIRST_UPDATE_S,
        "all_jobs_ok": all(e["all_ok"] for per_case in cases.values() for e in per_case.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="1 s tasks, one pair of runs each")
    size.add_argument("--full", action="store_true", help="1, 5 and 20 s tasks; 5, 3, 1 pairs")
    parser.add_argument("--modes", default="polling,callbacks")
    args = parser.parse_args()
    if args.quick:
        plan = [(1.0, 1)]
    elif args.full:
        plan = [(1.0, 5), (5.0, 3), (20.0, 1)]
    else:
        plan = [(1.0, 2), (5.0, 1)]
    before = machine()
    modes: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as folder:
        tmp = Path(folder)
        inputs = make_inputs(tmp / "inputs")
        # Tencent is given its picture by URL in both set-ups (an upload needs a public URL).
        with serve_files({"picture.png": inputs.picture}) as base:
            inputs.picture_url = f"{base}/picture.png"
            for mode in args.modes.split(","):
                modes[mode] = run_mode(mode, plan, inputs, tmp)
    emit(
        {
            "bench": "overhead",
            "machine_before": before,
            "machine_after": machine(),
            "plan": [{"task_s": t, "pairs_of_runs": r} for t, r in plan],
            "summary": {mode: verdict(mode, cases) for mode, cases in modes.items()},
            "modes": modes,
        }
    )


if __name__ == "__main__":
    main()
