"""Resume after a real crash: `python app.py` killed with SIGKILL mid-job, then started again.

The remote job (Img Open text to music, on an emulator the test runs) has its task id in the
store when the app dies; the restarted app must follow that task to the end without creating
it again. The offline job interrupted the same way is re-run (it costs nothing) to success.
The app's own output (stdout, stderr) never shows the keys it was given.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import soundfile as sf
from gradio_client import Client

from emulators.testing import EmulatorServer
from providers.imgopen_answers import SD_QUERY, STATUS_QUERY_KEY
from tests.adapter_fixtures import CANARIES, start_emulator
from tests.studio_server import free_port

REPO = Path(__file__).resolve().parents[2]
EMULATOR_TASK_SECONDS = 4.0
START_TIMEOUT_S = 90.0
# Variables of the developer's shell that would change what the app under test does.
SCRUBBED_PREFIXES = ("STUDIO_", "IMGOPEN_", "TENCENT_", "SUNO_", "VIDU_", "SPACE_", "GRADIO_")


@dataclass
class AppProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no goodbye, like a power cut."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_app(data_dir: Path, emulator: EmulatorServer, log: Path) -> AppProcess:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    env.update(emulator.env())
    env.update(
        {
            "STUDIO_DATA_DIR": str(data_dir),
            "GRADIO_SERVER_PORT": str(port),
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "GRADIO_ANALYTICS_ENABLED": "False",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # Run from the data folder's parent so no .env of the checkout is read.
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, str(REPO / "app.py")],
            cwd=data_dir.parent,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    app = AppProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{app.url}/config", timeout=2).status_code == 200:
                return app
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    app.kill()
    raise AssertionError(f"the app did not start in {START_TIMEOUT_S} s:\n{log.read_text()}")


def read_jobs(db: Path) -> dict[str, dict[str, Any]]:
    """The jobs table as the app left it, read without taking part in the app's writes."""
    if not db.exists():
        return {}
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM jobs").fetchall()
    finally:
        connection.close()
    return {row["id"]: dict(row) for row in rows}


def _without_query(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != STATUS_QUERY_KEY}


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with start_emulator(task_seconds=EMULATOR_TASK_SECONDS) as emu:
        yield emu


def test_jobs_survive_a_kill_9(emulator: EmulatorServer, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "studio.sqlite3"
    log = tmp_path / "app.log"
    first = start_app(data, emulator, log)
    second: AppProcess | None = None
    try:
        client = Client(first.url, verbose=False, download_files=str(tmp_path / "dl"))
        client.submit(
            prompt="resume me after the crash",
            seconds=3,
            steps=20,
            cfg=7.0,
            seed=11,
            provider="imgopen",
            api_name="/text_to_music",
        )
        client.submit(
            prompt="a long offline drone",
            seconds=50,
            steps=100,
            cfg=7.0,
            seed=12,
            provider="offline",
            api_name="/text_to_music",
        )

        def both_under_way() -> tuple[str, str] | None:
            jobs = read_jobs(db)
            remote = [j for j in jobs.values() if j["provider"] == "imgopen" and j["task"]]
            offline = [
                j
                for j in jobs.values()
                if j["provider"] == "offline"
                and j["state"] == "running"
                and (j["percent"] or 0) < 60
            ]
            if remote and offline:
                return remote[0]["id"], offline[0]["id"]
            return None

        remote_id, offline_id = wait_for("both jobs to be under way", both_under_way, 60)
        first.kill()

        at_crash = read_jobs(db)
        assert at_crash[remote_id]["state"] in ("queued", "running")
        assert at_crash[offline_id]["state"] in ("queued", "running")
        task = json.loads(at_crash[remote_id]["task"])
        assert task["task_id"]
        creates = emulator.state.calls.count("imgopen", "POST", "*/vocal/text2music")
        assert creates == 1
        # Img Open is still working on it while the app is down.
        assert remote_id in emulator.state.tasks["imgopen"]
        # The first app may or may not have asked about it yet (a status call comes soon after
        # the create, and the kill is not timed against it).
        queries_at_crash = emulator.state.calls.count("imgopen", "POST", "*/queryTaskInfo")

        second = start_app(data, emulator, log)

        def both_finished() -> dict[str, dict[str, Any]] | None:
            jobs = read_jobs(db)
            done = all(jobs[i]["state"] in ("succeeded", "failed") for i in (remote_id, offline_id))
            return jobs if done else None

        final = wait_for("the resumed jobs to finish", both_finished, 90)
    finally:
        first.kill()
        if second is not None:
            second.stop()

    for job_id in (remote_id, offline_id):
        record = final[job_id]
        assert record["state"] == "succeeded", record["message"]
        outputs = json.loads(record["outputs"])
        assert len(outputs) == 1
        path = Path(outputs[0]["path"])
        assert path.parent.name.startswith(f"{job_id}-")
        assert path.parent.parent.parent == data / "outputs"
        info = sf.info(str(path))
        assert info.frames > 0
        assert path.with_name(path.name + ".json").is_file()
    assert (
        abs(sf.info(str(Path(json.loads(final[offline_id]["outputs"])[0]["path"]))).duration - 50)
        < 0.1
    )
    # The task was followed, never created twice.
    assert emulator.state.calls.count("imgopen", "POST", "*/vocal/text2music") == 1
    # ...and the restarted app asked about it again.
    assert emulator.state.calls.count("imgopen", "POST", "*/queryTaskInfo") > queries_at_crash
    # The same task resumed. A status call may since have added which query knows it, if the
    # app died before its first one answered.
    resumed = json.loads(final[remote_id]["task"])
    assert resumed["task_id"] == task["task_id"]
    assert task["data"].get(STATUS_QUERY_KEY) in (None, SD_QUERY)
    assert resumed["data"].get(STATUS_QUERY_KEY) == SD_QUERY
    assert _without_query(resumed["data"]) == _without_query(task["data"])

    output = log.read_bytes()
    assert b"Traceback" not in output, output.decode(errors="replace")[-3000:]
    for canary in CANARIES:
        assert canary.encode() not in output
