"""Only the outputs (and work) folders are served: the database, the callback secret, the
repository and the rest of the machine stay out of reach of the file route, however the path
is spelled, and a file parameter cannot pull them in either.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import gradio.utils
import httpx
import pytest
from gradio_client import Client

import app as app_module
from tests.studio_server import RunningStudio

FILE_ROUTES = ("/gradio_api/file=", "/file=")
SQLITE_MAGIC = b"SQLite format 3"


@pytest.fixture(scope="module")
def output(studio: RunningStudio, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server-side path of a file a finished job produced."""
    client: Client = studio.client(tmp_path_factory.mktemp("served-downloads"))
    status, *_ = client.predict(
        prompt="served file", seconds=1, steps=10, seed=4, provider="offline",
        api_name="/text_to_music",
    )  # fmt: skip
    assert "Done" in status, status
    [record] = studio.studio.services.store.list(capability="text_to_music", limit=1)
    path = Path(record.outputs[0].path).resolve()
    assert path.is_file()
    return path


def get(studio: RunningStudio, route: str, path: str) -> httpx.Response:
    return httpx.get(f"{studio.url}{route}{path}", timeout=30, follow_redirects=True)


def secret_of(studio: RunningStudio) -> bytes:
    path = studio.settings.studio_data_dir / "callback.secret"
    assert path.is_file(), "the studio keeps its callback secret in the data folder"
    return path.read_bytes().strip()


def test_an_output_is_served(studio: RunningStudio, output: Path) -> None:
    answer = get(studio, "/gradio_api/file=", str(output))
    assert answer.status_code == 200
    assert answer.content == output.read_bytes()
    sidecar = output.with_name(output.name + ".json")
    answer = get(studio, "/gradio_api/file=", str(sidecar))
    assert answer.status_code == 200
    assert json.loads(answer.content)["capability"] == "text_to_music"


def test_the_work_folder_is_served(studio: RunningStudio) -> None:
    # Previews of running jobs live there and are shown while the job runs.
    work = studio.settings.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    probe = work / "preview-probe.txt"
    probe.write_text("a preview", "utf-8")
    try:
        answer = get(studio, "/gradio_api/file=", str(probe))
        assert answer.status_code == 200
        assert answer.text == "a preview"
    finally:
        probe.unlink()


def forbidden_paths(studio: RunningStudio, output: Path) -> dict[str, str]:
    data = studio.settings.studio_data_dir.resolve()
    outputs = studio.settings.outputs_dir.resolve()
    work = studio.settings.work_dir.resolve()
    database = studio.settings.db_path.resolve()
    secret = data / "callback.secret"
    assert database.is_file()
    return {
        "database": str(database),
        "secret": str(secret),
        "passwd": "/etc/passwd",
        "repository file": str(Path(app_module.__file__).resolve()),
        "data folder": str(data),
        "up from outputs": f"{outputs}/../{database.name}",
        "up from an output's folder": f"{output.parent}/../../../callback.secret",
        "up from work": f"{work}/../callback.secret",
        "encoded slashes": quote(f"{outputs}/../callback.secret", safe=""),
        "encoded dots": f"{outputs}/%2e%2e/{database.name}",
        "double-encoded": f"{outputs}/%252e%252e/callback.secret",
        "doubled slashes": f"{outputs}//..//callback.secret",
        "relative": f"{Path(studio.settings.studio_data_dir).name}/callback.secret",
        "backslashes": f"{outputs}\\..\\callback.secret",
    }


@pytest.mark.parametrize("route", FILE_ROUTES)
def test_nothing_outside_outputs_and_work_is_served(
    route: str, studio: RunningStudio, output: Path
) -> None:
    secret = secret_of(studio)
    served: list[str] = []
    for what, path in forbidden_paths(studio, output).items():
        answer = get(studio, route, path)
        if answer.status_code == 200:
            served.append(f"{what} ({path})")
        assert answer.status_code in (400, 403, 404, 405), (what, answer.status_code)
        assert secret not in answer.content, f"the callback secret leaked through {what}"
        assert SQLITE_MAGIC not in answer.content, f"the database leaked through {what}"
    assert not served, served


def test_a_file_parameter_cannot_pull_in_a_server_file(studio: RunningStudio, output: Path) -> None:
    """A raw API call naming the secret as an "uploaded" image must not reach it or copy it."""
    secret_path = (studio.settings.studio_data_dir / "callback.secret").resolve()
    secret = secret_of(studio)
    jobs_before = len(studio.studio.services.store.list(limit=1000))
    file_data = {"path": str(secret_path), "meta": {"_type": "gradio.FileData"}}
    data = [file_data, "", 1, "mp3", "", "", "LARGE_MODEL", "offline"]
    started = httpx.post(
        f"{studio.url}/gradio_api/call/image_to_music", json={"data": data}, timeout=30
    )
    # Refused as the call joins the queue (the event's validator makes Gradio move its files
    # first) or, without one, as an error of the call: never a completed job.
    if started.status_code == 200:
        event_id = started.json()["event_id"]
        url = f"{studio.url}/gradio_api/call/image_to_music/{event_id}"
        stream = httpx.get(url, timeout=60).text
        assert "event: error" in stream, stream[:300]
        assert "event: complete" not in stream, stream[:300]
    else:
        assert started.status_code == 400, started.text[:200]
        assert "not uploaded by a user" in started.text, started.text[:200]
        stream = started.text
    assert secret.decode() not in stream
    assert len(studio.studio.services.store.list(limit=1000)) == jobs_before
    cache = Path(gradio.utils.get_upload_folder())
    copies = [p for p in cache.rglob("callback.secret") if p.read_bytes().strip() == secret]
    assert not copies, f"the secret was copied into Gradio's cache: {copies}"
    copies = [
        p
        for p in studio.settings.outputs_dir.rglob("*")
        if p.is_file() and p.stat().st_size < 1000 and secret in p.read_bytes()
    ]
    assert not copies, f"the secret was copied into the outputs: {copies}"
