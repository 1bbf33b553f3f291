"""Many jobs at once in one app process: do all succeed, how long, how much memory per job.

Three processes, so that none steals the others' interpreter lock: the app (`python app.py`,
callbacks reachable through its public URL), the emulators (this process, which reads their task
tables and call log), and a driver (this module with `--drive`) that opens one gradio_client per
job and submits them all at once. Img Open text-to-image with 64×64 pictures and 1 step is the
task (the lightest for the emulator), 3 s long.

Reported: wall time of the burst against one job alone (target ≤ 1.5×), how many provider tasks
were running at once (Gradio runs at most `STUDIO_EVENT_CONCURRENCY` jobs of one endpoint at a
time, the rest wait in its queue), the app's resident memory before and after (from
/proc/<pid>/status) and per job. Each event-concurrency setting given is a fresh app.

The app's CPU time per job is reported too (from /proc/<pid>/stat): on a shared 2-core machine
it, more than anything, decides how long a burst takes. Each job is its own client session, which
Gradio sets up (and keeps for an hour) at the session's first event.

Then 25 Suno jobs at once against the emulator's rate limit (20 calls / 10 s per key on
generate/*): whether the app stays within it and whether the jobs survive the refusals.

Run: `python -m bench.bench_concurrency [--quick] [--jobs 200] [--concurrency 64,200]
[--suno-jobs 25]`; `--quick` is 80 jobs and 8 Suno jobs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import (
    CASES,
    ROOT,
    CallSampler,
    TaskWatcher,
    emit,
    emulator_settings,
    gradio_client,
    machine,
    make_inputs,
    proc_status_kb,
    run_app,
    start_emulators,
)

TASK_S = 3.0
TARGET_BURST_RATIO = 1.5
BURST_CASE = "imgopen/text_to_image"
SUNO_CASE = "suno/extend_music"
SUNO_LIMIT_CALLS = 20
SUNO_LIMIT_WINDOW_S = 10.0
SUNO_LIMITED = ("suno", "*", "/api/v1/generate/*")
JOB_TIMEOUT_S = 600.0
CLIENT_TIMEOUT_S = 120.0
IDLE_PROBE_S = 3.0


# ----------------------------------------------------------------------------- the driver


def drive(
    url: str, case_name: str, jobs: int, baseline_runs: int, folder: Path, app_pid: int
) -> None:
    """In its own process: N clients, a baseline, then (on "go" from stdin) N jobs at once."""
    case = CASES[case_name]
    inputs = make_inputs(folder / "inputs")

    def client(i: int) -> Any:
        # A patient client: on a busy machine the queue's join request can take longer than
        # gradio_client's default 5 s read timeout, which would count a job that the app ran
        # to the end as failed.
        return gradio_client(url, folder / f"dl-{i}", CLIENT_TIMEOUT_S)

    opened = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(client, range(jobs)))
    opening_s = time.monotonic() - opened

    def one_job() -> float:
        started = time.monotonic()
        result = clients[0].predict(**case.arguments(inputs, None), api_name=case.api_name)
        if "Done" not in str(result[0]):
            raise RuntimeError(f"baseline job failed: {result[0]}")
        return time.monotonic() - started

    baseline: list[float] = []
    baseline_cpu = idle_rate = 0.0
    if baseline_runs:
        one_job()  # warm-up: the adapter's first use, and this session's set-up in the app
        # What the app spends with the clients open and no job (their heartbeats, its loops).
        cpu, at = cpu_seconds(app_pid), time.monotonic()
        time.sleep(IDLE_PROBE_S)
        idle_rate = (cpu_seconds(app_pid) - cpu) / (time.monotonic() - at)
        cpu, at = cpu_seconds(app_pid), time.monotonic()
        baseline = [one_job() for _ in range(baseline_runs)]
        spent = cpu_seconds(app_pid) - cpu - idle_rate * (time.monotonic() - at)
        baseline_cpu = max(0.0, spent) / baseline_runs
    print("ready", flush=True)
    sys.stdin.readline()

    ends: dict[int, float] = {}
    started = time.monotonic()
    submitted = []
    for i, c in enumerate(clients):
        job = c.submit(**case.arguments(inputs, None), api_name=case.api_name)
        job.future.add_done_callback(lambda _f, i=i: ends.__setitem__(i, time.monotonic()))
        submitted.append(job)
    submit_s = time.monotonic() - started
    outcomes: list[str] = []
    for job in submitted:
        try:
            result = job.result(timeout=JOB_TIMEOUT_S)
            outcomes.append("ok" if "Done" in str(result[0]) else f"status: {result[0]}")
        except Exception as error:
            outcomes.append(f"{type(error).__name__}: {str(error)[:200]}")
    finished = time.monotonic()
    print(
        json.dumps(
            {
                "clients_opening_s": round(opening_s, 2),
                "baseline_s": [round(b, 3) for b in baseline],
                "baseline_app_cpu_s_per_job": round(baseline_cpu, 4),
                "app_idle_cpu_share": round(idle_rate, 4),
                "started_at": started,
                "submit_s": round(submit_s, 3),
                "wall_s": round(finished - started, 3),
                "job_end_s": sorted(round(t - started, 3) for t in ends.values()),
                "ok": outcomes.count("ok"),
                "failures": sorted({o for o in outcomes if o != "ok"})[:10],
            }
        ),
        flush=True,
    )


class Driver:
    """The driver process, seen from here."""

    def __init__(
        self, url: str, case: str, jobs: int, baseline_runs: int, folder: Path, app_pid: int
    ) -> None:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.bench_concurrency",
                "--drive",
                url,
                "--case",
                case,
                "--jobs",
                str(jobs),
                "--baseline-runs",
                str(baseline_runs),
                "--folder",
                str(folder),
                "--app-pid",
                str(app_pid),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _line(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the driver stopped (code {self._process.wait()})")
        return line.strip()

    def wait_ready(self) -> None:
        while self._line() != "ready":
            pass

    def go(self) -> dict[str, Any]:
        assert self._process.stdin is not None
        self._process.stdin.write("go\n")
        self._process.stdin.flush()
        while True:
            line = self._line()
            if line.startswith("{"):
                self._process.wait(30)
                return dict(json.loads(line))


# ----------------------------------------------------------------------------- measures


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def most_at_once(watcher: TaskWatcher, provider: str, since: float) -> int:
    """The most provider tasks alive at the same moment (created after `since`)."""
    edges: list[tuple[float, int]] = []
    for key, start in list(watcher.started_at.items()):
        if key.startswith(f"{provider}:") and start >= since:
            edges.append((start, 1))
            edges.append((watcher.done_at.get(key, float("inf")), -1))
    alive = best = 0
    for _, step in sorted(edges):
        alive += step
        best = max(best, alive)
    return best


def simulated_refusals(points: list[tuple[float, int]], limit: int, window_s: float) -> int:
    """How many calls a sliding-window limiter refuses, replayed on sampled call counts."""
    accepted: list[float] = []
    refused = 0
    previous = points[0][1] if points else 0
    for t, count in points:
        for _ in range(count - previous):
            accepted = [a for a in accepted if t - a < window_s]
            if len(accepted) < limit:
                accepted.append(t)
            else:
                refused += 1
        previous = count
    return refused


def burst(
    jobs: int, concurrency: int, emulators: Any, watcher: TaskWatcher, tmp: Path
) -> dict[str, Any]:
    folder = tmp / f"burst-{concurrency}"
    settings = {**emulator_settings(emulators), "studio_event_concurrency": str(concurrency)}
    with run_app(folder / "app", callbacks=True, settings=settings, as_app_py=True) as app:
        rss_started = app.rss_kb()
        driver = Driver(app.url, BURST_CASE, jobs, 2, folder / "driver", app.pid)
        driver.wait_ready()
        rss_before = app.rss_kb()
        since, since_wall = time.monotonic(), time.time()
        cpu_before = cpu_seconds(app.pid)
        result = driver.go()
        cpu_used = cpu_seconds(app.pid) - cpu_before
        time.sleep(0.5)  # the last jobs' files and events settle
        rss_after = app.rss_kb()
        peak = proc_status_kb(app.pid, "VmHWM")
        history = app.store.list(state="succeeded", limit=100_000)
        stored = [r for r in history if r.created_at >= since_wall]
        # The two baseline jobs (the warm-up job is older), as the app timed them.
        baseline = sorted(
            (r for r in history if r.created_at < since_wall and r.finished_at),
            key=lambda r: r.created_at,
        )[-2:]
    one = statistics.median(result["baseline_s"])
    # The app's own view (its history): when each job was created and finished, from the
    # moment the burst was sent. A slow client process shows up as the gap to the client's view.
    created = sorted(r.created_at - since_wall for r in stored)
    finished = sorted(r.finished_at - since_wall for r in stored if r.finished_at)
    one_app = (
        statistics.median(r.finished_at - r.created_at for r in baseline) if baseline else None
    )
    wall = result["wall_s"]
    ends = result["job_end_s"]
    return {
        "event_concurrency": concurrency,
        "jobs": jobs,
        "succeeded": result["ok"],
        "all_succeeded": result["ok"] == jobs,
        "succeeded_in_app_history": len(stored),
        "failures": result["failures"],
        "one_job_s": round(one, 3),
        "burst_wall_s": wall,
        "burst_ratio": round(wall / one, 3),
        "target_ratio": TARGET_BURST_RATIO,
        "met": result["ok"] == jobs and wall / one <= TARGET_BURST_RATIO,
        "job_end_s": {
            "first": ends[0] if ends else None,
            "median": statistics.median(ends) if ends else None,
            "last": ends[-1] if ends else None,
        },
        "app_view_s": {
            "jobs_created_first": round(created[0], 3) if created else None,
            "jobs_created_last": round(created[-1], 3) if created else None,
            "jobs_finished_first": round(finished[0], 3) if finished else None,
            "jobs_finished_median": round(statistics.median(finished), 3) if finished else None,
            "jobs_finished_last": round(finished[-1], 3) if finished else None,
        },
        "app_one_job_s": round(one_app, 3) if one_app else None,
        "app_burst_ratio": round((finished[-1] - created[0]) / one_app, 3)
        if finished and one_app
        else None,
        "app_met": bool(finished and one_app)
        and (finished[-1] - created[0]) / one_app <= TARGET_BURST_RATIO,
        "most_provider_tasks_at_once": most_at_once(watcher, "imgopen", since),
        "app_cpu_s": round(cpu_used, 2),
        "app_cpu_ms_per_job": round(1000 * cpu_used / jobs, 1),
        "app_idle_cpu_share_with_clients_open": result["app_idle_cpu_share"],
        "app_cpu_ms_per_job_less_idle": round(
            1000 * max(0.0, cpu_used - result["app_idle_cpu_share"] * wall) / jobs, 1
        ),
        # The same job, one after the other in one session: Gradio sets a session up (state
        # and config of every component of the UI) at its first event, so a client per job
        # pays that for each job.
        "app_cpu_ms_per_job_alone_same_session": round(
            1000 * result["baseline_app_cpu_s_per_job"], 1
        ),
        "submit_all_s": result["submit_s"],
        "clients_opening_s": result["clients_opening_s"],
        "app_rss_mb": {
            "after_start": round(rss_started / 1024, 1),
            "before_burst": round(rss_before / 1024, 1),
            "after_burst": round(rss_after / 1024, 1),
            "peak": round(peak / 1024, 1),
        },
        "rss_growth_per_job_kb": round((rss_after - rss_before) / jobs, 1),
    }


def suno_burst(jobs: int, emulators: Any, tmp: Path) -> dict[str, Any]:
    state = emulators.state
    folder = tmp / "suno"
    sampler = CallSampler(state, {"limited": SUNO_LIMITED}, interval_s=0.02)
    try:
        with run_app(
            folder / "app", callbacks=True, settings=emulator_settings(emulators), as_app_py=True
        ) as app:
            driver = Driver(app.url, SUNO_CASE, jobs, 0, folder / "driver", app.pid)
            driver.wait_ready()
            result = driver.go()
    finally:
        sampler.stop()
    points = sampler.samples["limited"]
    window = sampler.max_in_window("limited", SUNO_LIMIT_WINDOW_S)
    return {
        "jobs": jobs,
        "task_s": state.task_seconds,
        "succeeded": result["ok"],
        "failures": result["failures"],
        "wall_s": result["wall_s"],
        "limit": f"{SUNO_LIMIT_CALLS} calls / {SUNO_LIMIT_WINDOW_S:g} s on generate/*",
        "max_calls_in_any_10s_window": window,
        "respected": window <= SUNO_LIMIT_CALLS,
        "calls_refused_by_the_emulator_about": simulated_refusals(
            points, SUNO_LIMIT_CALLS, SUNO_LIMIT_WINDOW_S
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="80 jobs, 8 Suno jobs (default 200 and 25)"
    )
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--concurrency", default=None, help="STUDIO_EVENT_CONCURRENCY values")
    parser.add_argument("--suno-jobs", type=int, default=None)
    # The driver's own arguments (this module started by itself).
    parser.add_argument("--drive", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--case", default=BURST_CASE, help=argparse.SUPPRESS)
    parser.add_argument("--baseline-runs", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--app-pid", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.case, args.jobs or 1, args.baseline_runs, args.folder, args.app_pid)
        return
    jobs = args.jobs or (80 if args.quick else 200)
    suno_jobs = args.suno_jobs or (8 if args.quick else 25)
    levels = [int(x) for x in (args.concurrency or "64,200").split(",")]
    before = machine()
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as folder:
        tmp = Path(folder)
        emulators = start_emulators(TASK_S, rate_limit=True)
        watcher = TaskWatcher(emulators.state)
        try:
            bursts = [burst(jobs, level, emulators, watcher, tmp) for level in levels]
            suno = suno_burst(suno_jobs, emulators, tmp)
        finally:
            watcher.stop()
            emulators.stop()
    emit(
        {
            "bench": "concurrency",
            "machine_before": before,
            "machine_after": machine(),
            "task": f"{BURST_CASE}, 64x64, 1 step, {TASK_S:g} s, callbacks reachable",
            "bursts": bursts,
            "suno_rate_limit": suno,
        }
    )


if __name__ == "__main__":
    main()
