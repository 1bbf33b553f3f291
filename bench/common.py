"""What the app-level benches share: an app on a chosen port, the emulators, inputs, probes.

Every bench prints one JSON object (`emit`); the figures carry the machine's load, because the
benches run on shared 2-core machines where other work moves wall times.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import httpx

ROOT = Path(__file__).resolve().parent.parent
# Emulated songs and videos: short, so that making them never outlasts a 1 s task.
EMULATED_MEDIA_SECONDS = 1.0


# ----------------------------------------------------------------------------- output


def emit(result: dict[str, Any]) -> None:
    """The bench's one JSON object on stdout (what `python -m bench` collects)."""
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str), flush=True)


def machine() -> dict[str, Any]:
    """What moves the figures: cores and how busy the machine was."""
    return {
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ----------------------------------------------------------------------------- the emulators


def start_emulators(task_seconds: float, *, rate_limit: bool = False) -> Any:
    """All four emulators in this process (so their call log and task tables can be read)."""
    from emulators.testing import EmulatorServer

    server = EmulatorServer(task_seconds=task_seconds, rate_limit=rate_limit).start()
    server.state.music_seconds = EMULATED_MEDIA_SECONDS
    server.state.video_seconds = EMULATED_MEDIA_SECONDS
    return server


def vidu_without_stream(state: Any) -> None:
    """The reseller offers no live state stream (404): the Vidu adapter polls instead."""
    from emulators.state import Fault

    state.faults.add(Fault("vidu", "/vidu/v1/tasks/state", status=404, times=10**9))


def emulator_settings(server: Any) -> dict[str, Any]:
    return {name.lower(): value for name, value in server.env().items()}


# ----------------------------------------------------------------------------- the app


@dataclass
class App:
    """The studio running in a child process of its own (so its CPU and memory are its own)."""

    url: str
    port: int
    pid: int
    data_dir: Path
    _store: Any = None

    def client(self, downloads: Path, timeout_s: float | None = None) -> Any:
        return gradio_client(self.url, downloads, timeout_s)

    @property
    def store(self) -> Any:
        """The app's job history (SQLite in WAL mode: reading it beside the app is safe)."""
        if self._store is None:
            from core.store import JobStore

            self._store = JobStore(self.data_dir / "studio.sqlite3")
        return self._store

    def rss_kb(self) -> int:
        return proc_status_kb(self.pid, "VmRSS")


def gradio_client(url: str, downloads: Path, timeout_s: float | None = None) -> Any:
    """A gradio_client for the local app.

    ssl_verify=False: gradio_client makes a new HTTP client for each request and each file, and
    with verification on each one loads the CA bundle (40–150 ms of CPU here) that a plain
    http:// address never uses; that cost would be counted against the app.
    """
    from gradio_client import Client

    extra = {"httpx_kwargs": {"timeout": timeout_s}} if timeout_s else {}
    return Client(url, verbose=False, download_files=str(downloads), ssl_verify=False, **extra)


def app_env(data_dir: Path, **settings: str | None) -> dict[str, str]:
    """This environment without any studio or provider setting, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STUDIO_", "IMGOPEN_", "TENCENT_", "SUNO_", "VIDU_", "SPACE_"))
    }
    env.update(
        {
            "GRADIO_ANALYTICS_ENABLED": "False",
            "STUDIO_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update({key.upper(): value for key, value in settings.items() if value is not None})
    return env


@contextlib.contextmanager
def run_app(
    data_dir: Path,
    *,
    callbacks: bool,
    settings: dict[str, str] | None = None,
    as_app_py: bool = False,
    timeout_s: float = 120.0,
) -> Iterator[App]:
    """The studio in a child process, on a free port, with or without reachable callbacks.

    With callbacks the public URL is the app's own address (as a deployment with a public URL
    has). Without, the callback base is a port nobody listens on: Img Open and Tencent then get
    no callback URL, and Suno (which always requires one) gets one that is never answered — so
    every job is followed by polling alone. `as_app_py` runs `python app.py` itself (callbacks
    then reach the app's own port, as in production).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    public = f"http://127.0.0.1:{port}" if callbacks else None
    env = app_env(data_dir, **(settings or {}), studio_public_url=public)
    env["GRADIO_SERVER_PORT"] = str(port)
    env["GRADIO_SERVER_NAME"] = "127.0.0.1"
    if as_app_py:
        command = [sys.executable, str(ROOT / "app.py")]
    else:
        callback_port = port if callbacks else free_port()
        command = [sys.executable, "-m", "bench.common", "--callback-port", str(callback_port)]
    # The data folder as working directory: no stray `.env` is read.
    process = subprocess.Popen(
        command, cwd=data_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    app = App(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid, data_dir=data_dir)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{app.url}/", timeout=2).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"the app exited before answering (code {process.returncode})")
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not answer in time")
            time.sleep(0.1)
        yield app
    finally:
        if app._store is not None:
            app._store.close()
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def proc_status_kb(pid: int, field_name: str = "VmRSS") -> int:
    """A memory figure of a process from /proc (kB); 0 where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _serve(argv: list[str] | None = None) -> None:
    """`python -m bench.common --callback-port N`: app.py's main, with the callback base on
    port N (a closed port makes callbacks unreachable while the app listens elsewhere)."""
    import argparse
    import logging

    parser = argparse.ArgumentParser()
    parser.add_argument("--callback-port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from app import build_studio

    studio = build_studio(port=args.callback_port)
    studio.demo.launch(**studio.launch_kwargs())


# ----------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    picture: Path
    song: Path
    vidu_source: Path
    picture_url: str = ""


def make_inputs(folder: Path) -> Inputs:
    """A small picture, a 2 s song and a tiny video: what the remote tasks start from."""
    import numpy as np
    import soundfile as sf
    from PIL import Image

    from emulators import media

    folder.mkdir(parents=True, exist_ok=True)
    picture = folder / "picture.png"
    gradient = np.linspace(0, 255, 96 * 64 * 3, dtype=np.float64).reshape(64, 96, 3)
    Image.fromarray(gradient.astype(np.uint8)).save(picture)
    song = folder / "song.wav"
    t = np.arange(int(44100 * 2.0)) / 44100
    sf.write(song, (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), 44100)
    video = media.make_video(0.5, 64, 48, folder / "vidu-source.mp4", seed=3)
    return Inputs(picture=picture, song=song, vidu_source=video)


@contextlib.contextmanager
def serve_files(files: dict[str, Path]) -> Iterator[str]:
    """A tiny HTTP server for input URLs (Tencent fetches its picture from a URL)."""
    bodies = {f"/{name}": path.read_bytes() for name, path in files.items()}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ----------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """One provider task as a user asks for it through the app's public API."""

    name: str
    provider: str  # the emulator's and the app's provider name
    api_name: str
    arguments: Callable[[Inputs, Any], dict[str, Any]]
    # When the emulator's task counts as done (its results are there to fetch).
    done: Callable[[Any], bool]


def _handle(path: Path) -> Any:
    from gradio_client import handle_file

    return handle_file(str(path))


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case(
            "imgopen/text_to_music",
            "imgopen",
            "/text_to_music",
            lambda inputs, state: {
                "prompt": "calm lofi piano, 80 bpm",
                "seconds": 2,
                "steps": 10,
                "cfg": 7.0,
                "seed": 11,
                "provider": "imgopen",
            },
            lambda task: task.phase == "done",
        ),
        Case(
            "imgopen/text_to_image",
            "imgopen",
            "/text_to_image",
            lambda inputs, state: {
                "prompt": "a red fox in fresh snow",
                "negative_prompt": "",
                "width": 64,
                "height": 64,
                "steps": 1,
                "seed": 7,
                "checkpoint": "",
                "vae": "",
                "provider": "imgopen",
            },
            lambda task: task.phase == "done",
        ),
        Case(
            "tencent/image_to_music",
            "tencent",
            "/image_to_music",
            lambda inputs, state: {
                "image": None,
                "image_url": inputs.picture_url,
                "song_quantity": 1,
                "output_type": "mp3",
                "provider": "tencent",
            },
            lambda task: task.state == 3,
        ),
        Case(
            "suno/extend_music",
            "suno",
            "/extend_music",
            lambda inputs, state: {
                "audio": _handle(inputs.song),
                "upload_url": "",
                "prompt": "and then the drums come in",
                "style": "",
                "title": "",
                "negative_tags": "",
                "provider": "suno",
            },
            lambda task: task.status == "SUCCESS",
        ),
        Case(
            "vidu/video_upscale",
            "vidu",
            "/video_upscale",
            lambda inputs, state: {
                "video": None,
                "creation_id": state.vidu_add_creation(inputs.vidu_source),
                "model": "stable",
                "duration": 4,
                "provider": "vidu",
            },
            lambda task: task.state == "success",
        ),
    )
}


# ----------------------------------------------------------------------------- probes


class TaskWatcher:
    """Watches the emulators' task tables: how long each task really took, start to done.

    A task's clock starts when the emulator creates it (monotonic, same process); "done" is seen
    by sampling every few ms. Generation on a busy machine can outlast the nominal task length,
    so overhead is measured against this, not against the nominal figure alone.
    """

    def __init__(self, state: Any, interval_s: float = 0.005) -> None:
        self._state = state
        self._interval = interval_s
        self.done_at: dict[str, float] = {}
        self.started_at: dict[str, float] = {}
        self._stop = threading.Event()
        self._predicates = {case.provider: case.done for case in CASES.values()}
        self._thread = threading.Thread(target=self._run, name="task-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            now = time.monotonic()
            for provider, table in self._state.tasks.items():
                done = self._predicates.get(provider)
                try:
                    items = list(table.items())
                except RuntimeError:  # the table grew while being copied: next time
                    continue
                for task_id, task in items:
                    key = f"{provider}:{task_id}"
                    if key not in self.started_at:
                        self.started_at[key] = task.clock.start
                    if key not in self.done_at and done is not None and done(task):
                        self.done_at[key] = now

    def spans(self, provider: str) -> dict[str, float]:
        """Task id → seconds from creation to done, for the provider's finished tasks."""
        prefix = f"{provider}:"
        return {
            key[len(prefix) :]: self.done_at[key] - self.started_at[key]
            for key in list(self.done_at)
            if key.startswith(prefix) and key in self.started_at
        }

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


class CallSampler:
    """Samples the emulators' call counts over time, for "calls in any N seconds" figures.

    `series` names what to count: name → (provider, method, path glob) as in `calls.count`.
    """

    def __init__(
        self, state: Any, series: dict[str, tuple[str, str, str]], interval_s: float = 0.05
    ) -> None:
        self._state = state
        self._series = series
        self._interval = interval_s
        self.samples: dict[str, list[tuple[float, int]]] = {name: [] for name in series}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="call-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            now = time.monotonic()
            for name, (provider, method, path) in self._series.items():
                self.samples[name].append((now, self._state.calls.count(provider, method, path)))
            if self._stop.wait(self._interval):
                return

    def max_in_window(self, name: str, window_s: float) -> int:
        """The most calls counted under `name` in any `window_s` seconds (to the sampling step)."""
        points = self.samples[name]
        best = 0
        start = 0
        for t, count in points:
            while points[start][0] < t - window_s:
                start += 1
            # The sample just before the window holds the count the window starts from.
            base = points[start - 1][1] if start > 0 else points[0][1]
            best = max(best, count - base)
        return best

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)


# ----------------------------------------------------------------------------- raw SSE


@dataclass
class StreamTiming:
    """One job followed over Gradio's own SSE protocol, timed from the join request."""

    joined_at: float = 0.0  # time.monotonic() when the join request was sent
    first_update_s: float | None = None
    process_starts_s: float | None = None
    completed_s: float | None = None
    success: bool = False
    updates: int = 0
    messages: list[str] = field(default_factory=list)
    error: str | None = None


def stream_job(client: Any, api_name: str, arguments: dict[str, Any]) -> StreamTiming:
    """Submit like gradio_client does (same payload, files uploaded first), then read the raw
    SSE stream: its timestamps are not quantised by gradio_client's 50 ms reader loop."""
    from gradio_client import utils as client_utils

    fn_index = client._infer_fn_index(api_name, None)
    endpoint = client.endpoints[fn_index]
    data = client_utils.construct_args(endpoint.parameters_info, (), arguments)
    if client._skip_components:
        data = endpoint.insert_empty_state(*data)
    data = list(endpoint.process_input_files(*data))
    session = uuid.uuid4().hex[:11]
    timing = StreamTiming()
    base = client.src.rstrip("/")
    with httpx.Client(timeout=httpx.Timeout(120.0, connect=10.0), verify=False) as http:
        started = time.monotonic()
        timing.joined_at = started
        joined = http.post(
            f"{base}/gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": fn_index,
                "session_hash": session,
                "event_data": None,
                "trigger_id": None,
            },
            headers={"x-gradio-user": "api"},
        )
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with http.stream(
            "GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}
        ) as response:
            for line in response.iter_lines():
                if not line.startswith("data:"):
                    continue
                at = time.monotonic() - started
                message = json.loads(line[5:])
                if message.get("event_id") not in (None, event_id):
                    continue
                kind = message.get("msg", "")
                timing.messages.append(kind)
                if kind == "process_starts" and timing.process_starts_s is None:
                    timing.process_starts_s = at
                elif kind == "process_generating":
                    timing.updates += 1
                    if timing.first_update_s is None:
                        timing.first_update_s = at
                elif kind == "process_completed":
                    timing.completed_s = at
                    timing.success = bool(message.get("success"))
                    if not timing.success:
                        timing.error = str(message.get("output", {}).get("error"))[:300]
                    break
    return timing


if __name__ == "__main__":
    _serve()
