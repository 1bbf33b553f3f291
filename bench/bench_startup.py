"""Cold start: `python app.py` in a fresh process until its first HTTP 200. Prints JSON.

Target: ≤ 4 s (importing gradio alone takes about 2.5 s on the reference machine).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 4.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure_once(timeout_s: float = 60.0) -> float:
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "GRADIO_SERVER_PORT": str(port),
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "STUDIO_DATA_DIR": data,
        }
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while time.perf_counter() - started < timeout_s:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                        return time.perf_counter() - started
                except httpx.HTTPError:
                    pass
                if process.poll() is not None:
                    raise RuntimeError("the app exited before answering")
                time.sleep(0.05)
            raise TimeoutError("no HTTP 200 in time")
        finally:
            process.terminate()
            process.wait(10)


def main() -> None:
    runs = [measure_once() for _ in range(3)]
    print(
        json.dumps(
            {
                "bench": "cold_start",
                "runs_s": [round(r, 3) for r in runs],
                "best_s": round(min(runs), 3),
                "median_s": round(sorted(runs)[1], 3),
                "target_s": TARGET_S,
                "met": sorted(runs)[1] <= TARGET_S,
            }
        )
    )


if __name__ == "__main__":
    main()
