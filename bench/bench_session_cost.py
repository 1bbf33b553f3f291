"""What one remote job costs the app in CPU, and one browser session in memory — and where it goes.

The studio on a public Space serves many strangers on 2 cores and a few GB: the figures that
decide how many it can serve are the app's CPU per remote job (over and above the provider's
own time, which is spent elsewhere) and the app's memory per browser session. Measured here:

- (a) CPU per remote job: K Img Open text-to-music jobs on short emulated tasks, one after the
  other in one session, then K at once from K new sessions (each also pays its session set-up);
  app CPU from /proc, less what the app spends idle over the same time.
- (b) memory per browser session: N new gradio_client sessions (each keeps its heartbeat stream
  open, as a browser tab does) that each make one cheap call (`/history_list`); RSS growth ÷ N.
- (c) the page: components, events and the size of `/config` (Gradio keeps a copy of every
  component's config per session, so (b) grows with it).
- (d) where it goes: a CPU sampler inside the app (every thread; cProfile in Python 3.11 sees only
  the thread that starts it, and a job spans the event loop and worker threads) over a few
  jobs, split into ours (app.py, core/, providers/, tabs/) and Gradio's, httpx's and the rest;
  and what one session's state holds, by component type.

The app runs in a child process (`--serve`: app.py's `build_studio` and launch, plus a sampler
switched on and off by SIGUSR1/SIGUSR2); the emulators run in this process.

Run: `python -m bench.bench_session_cost [--quick] [--jobs 30] [--sessions 200]`.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.bench_concurrency import cpu_seconds
from bench.common import (
    CASES,
    ROOT,
    App,
    app_env,
    emit,
    emulator_settings,
    free_port,
    gradio_client,
    machine,
    make_inputs,
    start_emulators,
)

CASE = "imgopen/text_to_music"
TASK_S = 0.5
IDLE_PROBE_S = 3.0
SETTLE_S = 3.0
PROFILED_JOBS = 10
CLIENT_TIMEOUT_S = 120.0
JOB_TIMEOUT_S = 300.0
TOP = 15
# Where a file's CPU is counted: the first matching part of its path wins.
OURS = ("/core/", "/providers/", "/tabs/", "/app.py")
BUCKETS = (
    ("gradio_client", "/gradio_client/"),
    ("gradio", "/gradio/"),
    ("httpx/httpcore", "/httpx/"),
    ("httpx/httpcore", "/httpcore/"),
    ("starlette/fastapi/uvicorn", "/starlette/"),
    ("starlette/fastapi/uvicorn", "/fastapi/"),
    ("starlette/fastapi/uvicorn", "/uvicorn/"),
    ("pydantic", "/pydantic"),
    ("anyio", "/anyio/"),
    ("asyncio", "/asyncio/"),
)


# ----------------------------------------------------------------------------- inside the app


def bucket_of(filename: str) -> str:
    if filename.startswith(str(ROOT)) and any(part in filename for part in OURS):
        return "ours"
    for name, part in BUCKETS:
        if part in filename:
            return name
    return "python/other"


Key = tuple[str, int, str]


class ThreadProfiles:
    """A cProfile in every thread started from now on, on that thread's CPU clock.

    cProfile in Python 3.11 profiles only the thread that enables it, and a job spans the event
    loop, the worker threads and ours; `threading.setprofile` hooks each new thread once, and the
    hook swaps itself for a profiler of the thread's own. Figures are differences between two
    snapshots, so what ran before the first one is left out.
    """

    def __init__(self) -> None:
        self._profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()
        self._start: dict[Key, tuple[float, float, int]] = {}

    def install(self) -> None:
        def hook(_frame: Any, _event: str, _arg: Any) -> None:
            sys.setprofile(None)
            profile = cProfile.Profile(time.thread_time)
            with self._lock:
                self._profiles.append(profile)
            profile.enable()

        threading.setprofile(hook)

    def _totals(self) -> dict[Key, tuple[float, float, int]]:
        totals: dict[Key, tuple[float, float, int]] = {}
        with self._lock:
            profiles = list(self._profiles)
        for profile in profiles:
            for entry in profile.getstats():
                code = entry.code
                key = (
                    (code.co_filename, code.co_firstlineno, code.co_name)
                    if hasattr(code, "co_filename")
                    else ("~", 0, str(code))
                )
                inclusive, own, calls = totals.get(key, (0.0, 0.0, 0))
                totals[key] = (
                    inclusive + entry.totaltime,
                    own + entry.inlinetime,
                    calls + entry.callcount,
                )
        return totals

    def mark(self) -> None:
        self._start = self._totals()

    def since_mark(self) -> dict[Key, tuple[float, float, int]]:
        diff = {}
        for key, (inclusive, own, calls) in self._totals().items():
            was = self._start.get(key, (0.0, 0.0, 0))
            if calls > was[2] or own > was[1]:
                diff[key] = (inclusive - was[0], own - was[1], calls - was[2])
        return diff


def deep_size(value: Any, seen: set[int] | None = None) -> int:
    """Bytes held by a tree of dicts, lists and scalars (shared objects counted once)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        size += sum(deep_size(v, seen) for v in value)
    return size


def session_report(demo: Any) -> dict[str, Any]:
    """What Gradio holds per session: the newest session's copy of each component's config."""
    holder = demo.state_holder
    sessions = list(holder.session_data.values())
    if not sessions:
        return {"sessions_held": 0}
    state = sessions[-1]
    by_type: Counter[str] = Counter()
    count: Counter[str] = Counter()
    seen: set[int] = set()
    biggest: list[tuple[int, str]] = []
    for block_id, config in state.config_values.items():
        kind = str(config.get("type", "?")) if config else "?"
        size = deep_size(config, seen)
        by_type[kind] += size
        count[kind] += 1
        props = config.get("props", {}) if config else {}
        label = props.get("elem_id") or props.get("label") or ""
        biggest.append((size, f"{kind}#{block_id} {str(label)[:40]}"))
    return {
        "sessions_held": len(sessions),
        "blocks_in_session_config": len(state.config_values),
        "session_config_kb": round(sum(by_type.values()) / 1024, 1),
        "session_config_json_kb": round(
            len(json.dumps(state.config_values, default=str)) / 1024, 1
        ),
        "session_gr_state_values": len(state.state_data),
        "kb_by_component_type": {
            f"{kind} ×{count[kind]}": round(size / 1024, 1) for kind, size in by_type.most_common()
        },
        "largest_blocks_kb": {
            name: round(size / 1024, 1) for size, name in sorted(biggest, reverse=True)[:10]
        },
    }


def profile_report(stats: dict[Key, tuple[float, float, int]], jobs: int) -> dict[str, Any]:
    def ms(seconds: float) -> float:
        return round(1000 * seconds / max(1, jobs), 1)

    def name(key: Key) -> str:
        filename, line, function = key
        short = filename.removeprefix(str(ROOT) + "/")
        if "site-packages/" in short:
            short = short.split("site-packages/", 1)[1]
        elif "/lib/python" in short:
            short = "stdlib/" + short.split("/lib/python", 1)[1].split("/", 1)[1]
        return f"{short}:{line} {function}" if line else function

    own_by_bucket: Counter[str] = Counter()
    for key, (_, own, _) in stats.items():
        own_by_bucket[bucket_of(key[0])] += own
    ranked = sorted(stats.items(), key=lambda kv: -kv[1][0])
    ours = [(k, v) for k, v in ranked if bucket_of(k[0]) == "ours"]
    theirs = [(k, v) for k, v in ranked if bucket_of(k[0]) != "ours"]
    by_own = sorted(stats.items(), key=lambda kv: -kv[1][1])
    return {
        "jobs": jobs,
        "profiled_cpu_ms_per_job": ms(sum(own_by_bucket.values())),
        "self_cpu_ms_per_job_by_package": {k: ms(v) for k, v in own_by_bucket.most_common()},
        "top_ours_inclusive_ms_per_job": {
            f"{name(k)} (×{v[2] / jobs:.3g})": ms(v[0]) for k, v in ours[:TOP]
        },
        "top_others_inclusive_ms_per_job": {
            f"[{bucket_of(k[0])}] {name(k)} (×{v[2] / jobs:.3g})": ms(v[0])
            for k, v in theirs[: TOP * 2]
        },
        "top_self_ms_per_job": {
            f"[{bucket_of(k[0])}] {name(k)} (×{v[2] / jobs:.3g})": ms(v[1]) for k, v in by_own[:TOP]
        },
    }


def serve(callback_port: int, report_path: Path, profile: bool) -> None:
    """app.py's studio (as `bench.common` serves it), answering two signals: SIGUSR1 marks the
    start of the profiled span, SIGUSR2 writes the report (the profile since the mark, when
    `profile`, and what Gradio holds per session) to `report_path`; how many jobs the span
    held is read from `report_path` with suffix ".jobs"."""
    import logging

    logging.basicConfig(level=logging.WARNING)
    profiles = ThreadProfiles()
    if profile:
        profiles.install()
    from app import build_studio

    studio = build_studio(port=callback_port)

    def mark(_signum: int, _frame: Any) -> None:
        profiles.mark()

    def write(_signum: int, _frame: Any) -> None:
        stats = profiles.since_mark() if profile else {}
        jobs_file = report_path.with_suffix(".jobs")
        jobs = int(jobs_file.read_text()) if jobs_file.exists() else 1
        gc.collect()
        report: dict[str, Any] = {"session": session_report(studio.demo)}
        if profile:
            report["profile"] = profile_report(stats, jobs)
        partial = report_path.with_suffix(".tmp")
        partial.write_text(json.dumps(report))
        partial.replace(report_path)

    signal.signal(signal.SIGUSR1, mark)
    signal.signal(signal.SIGUSR2, write)
    studio.demo.launch(**studio.launch_kwargs())


# ----------------------------------------------------------------------------- from outside


@contextlib.contextmanager
def serve_app(
    data_dir: Path, settings: dict[str, str], *, profile: bool = False
) -> Iterator[tuple[App, Path]]:
    """The studio in a child process (`--serve`), callbacks reachable at its own address."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = app_env(data_dir, **settings, studio_public_url=f"http://127.0.0.1:{port}")
    env.update(GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1")
    report = data_dir / "report.json"
    command = [sys.executable, "-m", "bench.bench_session_cost", "--serve", str(port)]
    command += ["--report", str(report)] + (["--profile"] if profile else [])
    process = subprocess.Popen(
        command, cwd=data_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    app = App(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid, data_dir=data_dir)
    try:
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{app.url}/", timeout=2).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"the app exited before answering (code {process.returncode})")
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not answer in time")
            time.sleep(0.2)
        yield app, report
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def read_report(app: App, report: Path, jobs: int) -> dict[str, Any]:
    report.unlink(missing_ok=True)
    report.with_suffix(".jobs").write_text(str(jobs))
    os.kill(app.pid, signal.SIGUSR2)
    deadline = time.monotonic() + 60
    while not report.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the app wrote no report")
        time.sleep(0.1)
    return dict(json.loads(report.read_text()))


def idle_rate(pid: int, seconds: float = IDLE_PROBE_S) -> float:
    cpu, at = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - cpu) / (time.monotonic() - at)


def job_ok(result: Any) -> bool:
    return "Done" in str(result[0])


def page(app: App) -> dict[str, Any]:
    body = httpx.get(f"{app.url}/config", timeout=30).content
    config = json.loads(body)
    kinds = Counter(str(c.get("type")) for c in config.get("components", []))
    return {
        "components": len(config.get("components", [])),
        "events": len(config.get("dependencies", [])),
        "api_events": sum(
            1 for d in config.get("dependencies", []) if d.get("api_visibility") == "public"
        ),
        "load_events": sum(
            1
            for d in config.get("dependencies", [])
            if any(t[1] == "load" for t in d.get("targets", []))
        ),
        "config_json_kb": round(len(body) / 1024, 1),
        "components_by_type": dict(kinds.most_common(12)),
    }


def cpu_per_job(app: App, jobs: int, folder: Path) -> dict[str, Any]:
    case = CASES[CASE]
    inputs = make_inputs(folder / "inputs")
    arguments = case.arguments(inputs, None)
    client = gradio_client(app.url, folder / "dl-seq", CLIENT_TIMEOUT_S)
    if not job_ok(client.predict(**arguments, api_name=case.api_name)):  # warm-up
        raise RuntimeError("the warm-up job failed")
    idle = idle_rate(app.pid)
    cpu, at = cpu_seconds(app.pid), time.monotonic()
    ok = sum(job_ok(client.predict(**arguments, api_name=case.api_name)) for _ in range(jobs))
    wall = time.monotonic() - at
    sequential = (cpu_seconds(app.pid) - cpu - idle * wall) / jobs
    client.close()

    cpu, at = cpu_seconds(app.pid), time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        clients = list(
            pool.map(
                lambda i: gradio_client(app.url, folder / f"dl-{i}", CLIENT_TIMEOUT_S),
                range(jobs),
            )
        )
    opening = (cpu_seconds(app.pid) - cpu - idle * (time.monotonic() - at)) / jobs
    idle_open = idle_rate(app.pid)
    cpu, at = cpu_seconds(app.pid), time.monotonic()
    submitted = [c.submit(**arguments, api_name=case.api_name) for c in clients]
    ok_at_once = sum(job_ok(job.result(timeout=JOB_TIMEOUT_S)) for job in submitted)
    wall_at_once = time.monotonic() - at
    at_once = (cpu_seconds(app.pid) - cpu - idle_open * wall_at_once) / jobs
    for c in clients:
        c.close()
    return {
        "jobs": jobs,
        "task_s": TASK_S,
        "one_session_one_after_another": {
            "succeeded": ok,
            "app_cpu_ms_per_job": round(1000 * sequential, 1),
            "wall_s_per_job": round(wall / jobs, 3),
        },
        "new_session_each_all_at_once": {
            "succeeded": ok_at_once,
            "app_cpu_ms_per_job": round(1000 * at_once, 1),
            "wall_s": round(wall_at_once, 2),
            "app_cpu_ms_per_client_opened": round(1000 * opening, 1),
        },
        "app_idle_cpu_share": {
            "one_client": round(idle, 4),
            f"{jobs}_clients": round(idle_open, 4),
        },
    }


def memory_per_session(app: App, sessions: int, folder: Path) -> dict[str, Any]:
    """N sessions opened and kept (heartbeats open, as browser tabs), one cheap call each."""
    time.sleep(SETTLE_S)
    rss_before = app.rss_kb()
    cpu, at = cpu_seconds(app.pid), time.monotonic()

    def session(i: int) -> Any:
        client = gradio_client(app.url, folder / f"s-{i}", CLIENT_TIMEOUT_S)
        client.predict(api_name="/history_list")
        return client

    with ThreadPoolExecutor(8) as pool:
        clients = list(pool.map(session, range(sessions)))
    cpu_spent = cpu_seconds(app.pid) - cpu
    wall = time.monotonic() - at
    time.sleep(SETTLE_S)
    rss_open = app.rss_kb()
    idle_open = idle_rate(app.pid)
    for c in clients:
        c.close()
    time.sleep(SETTLE_S)
    rss_closed = app.rss_kb()
    return {
        "sessions": sessions,
        "rss_mb_before": round(rss_before / 1024, 1),
        "rss_kb_per_session": round((rss_open - rss_before) / sessions, 1),
        # Gradio keeps a closed session's state (its copy of the page config) until 10,000
        # newer sessions push it out: closing the tabs gives nothing back.
        "rss_kb_per_session_after_closing": round((rss_closed - rss_before) / sessions, 1),
        "app_cpu_ms_per_session_opened": round(1000 * cpu_spent / sessions, 1),
        "opening_wall_s": round(wall, 2),
        "app_idle_cpu_share_with_sessions_open": round(idle_open, 4),
    }


def profile_jobs(app: App, report: Path, jobs: int, folder: Path) -> dict[str, Any]:
    """The profile of `jobs` jobs, one after the other in one (warm) session."""
    case = CASES[CASE]
    inputs = make_inputs(folder / "inputs")
    arguments = case.arguments(inputs, None)
    client = gradio_client(app.url, folder / "dl-prof", CLIENT_TIMEOUT_S)
    client.predict(**arguments, api_name=case.api_name)
    os.kill(app.pid, signal.SIGUSR1)
    time.sleep(1.0)  # the mark is taken between two of the main thread's 0.1 s sleeps
    cpu = cpu_seconds(app.pid)
    for _ in range(jobs):
        client.predict(**arguments, api_name=case.api_name)
    spent = cpu_seconds(app.pid) - cpu
    client.close()
    result = read_report(app, report, jobs)
    # cProfile's own cost is in this figure, not in the profile's.
    result["profile"]["app_cpu_ms_per_job_while_profiled"] = round(1000 * spent / jobs, 1)
    return result["profile"]


def profile_sessions(app: App, report: Path, sessions: int, folder: Path) -> dict[str, Any]:
    """The profile of opening `sessions` new sessions (one `/history_list` call each)."""
    os.kill(app.pid, signal.SIGUSR1)
    time.sleep(1.0)
    clients = []
    for i in range(sessions):
        clients.append(gradio_client(app.url, folder / f"s-{i}", CLIENT_TIMEOUT_S))
        clients[-1].predict(api_name="/history_list")
    result = read_report(app, report, sessions)["profile"]
    for client in clients:
        client.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 jobs, 60 sessions")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--sessions", type=int, default=None)
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.report, args.profile)
        return
    jobs = args.jobs or (10 if args.quick else 30)
    sessions = args.sessions or (60 if args.quick else 200)
    before = machine()
    with tempfile.TemporaryDirectory(prefix="bench-session-cost-") as name:
        tmp = Path(name)
        emulators = start_emulators(TASK_S)
        try:
            settings = emulator_settings(emulators)
            with serve_app(tmp / "app-cpu", settings) as (app, _):
                the_page = page(app)
                cpu = cpu_per_job(app, jobs, tmp / "cpu")
            with serve_app(tmp / "app-mem", settings) as (app, report):
                memory = memory_per_session(app, sessions, tmp / "mem")
                session = read_report(app, report, 1)["session"]
            with serve_app(tmp / "app-prof", settings, profile=True) as (app, report):
                profile = profile_jobs(app, report, PROFILED_JOBS, tmp / "prof")
                profile_open = profile_sessions(app, report, PROFILED_JOBS, tmp / "prof-s")
        finally:
            emulators.stop()
    emit(
        {
            "bench": "session_cost",
            "machine_before": before,
            "machine_after": machine(),
            "task": f"{CASE} on the emulator, {TASK_S:g} s task, callbacks reachable",
            "page": the_page,
            "cpu_per_remote_job": cpu,
            "memory_per_session": memory,
            "session_state": session,
            "where_the_cpu_goes": {
                "per_job_in_a_warm_session": profile,
                "per_session_opened": profile_open,
            },
        }
    )


if __name__ == "__main__":
    main()
