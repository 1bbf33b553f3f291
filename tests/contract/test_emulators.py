"""The provider emulators, driven with plain httpx against a running EmulatorServer."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from emulators import media
from emulators.state import Fault
from emulators.testing import EmulatorServer

TASK_SECONDS = 0.3
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(task_seconds=TASK_SECONDS) as srv:
        srv.state.music_seconds = 1.0
        yield srv


@pytest.fixture(autouse=True)
def _fresh(server: EmulatorServer) -> Iterator[None]:
    yield
    state = server.state
    state.faults.clear()
    state.sink.clear()
    state.calls.clear()
    state.task_seconds = TASK_SECONDS
    state.suno_rate_limit = False
    state.imgopen_progress_field = False
    state.imgopen_preview_style = "url"


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as c:
        yield c


@pytest.fixture(scope="module")
def env(server: EmulatorServer) -> dict[str, str]:
    return server.env()


def wait_for(check: Callable[[], Any], timeout: float = 10.0, every: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(every)


def sink_url(server: EmulatorServer, key: str) -> str:
    return f"{server.base_url}/_emulator/sink/{key}"


def decode_audio_seconds(data: bytes) -> float:
    samples, rate = sf.read(io.BytesIO(data))
    assert np.abs(samples).max() > 0.01, "audio is silent"
    return len(samples) / rate


def probe_video(data: bytes, tmp_path: Path) -> tuple[int, int, list[str], int]:
    path = tmp_path / "probe.mp4"
    path.write_bytes(data)
    with av.open(str(path)) as container:
        kinds = [s.type for s in container.streams]
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return stream.codec_context.width, stream.codec_context.height, kinds, frames


# ------------------------------------------------------------------------------ Img Open


def imgopen_headers(env: dict[str, str]) -> dict[str, str]:
    return {
        "X-Request-req-accessKeyId": env["IMGOPEN_ACCESS_KEY_ID"],
        "X-Request-req-accessKeySecret": env["IMGOPEN_ACCESS_KEY_SECRET"],
    }


def imgopen(client: httpx.Client, env: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    response = client.post(
        env["IMGOPEN_BASE_URL"] + "/AIGCImgOpenServ/saas" + path,
        json=body,
        headers=imgopen_headers(env),
    )
    assert response.status_code == 200
    return response.json()


def sd_body(task_id: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "prompt": "a red fox",
        "negative_prompt": "blurry",
        "n_iter": 1,
        "steps": 5,
        "seed": "1221212",
        "width": 64,
        "height": 64,
        "cfg_scale": 7,
        "sampler_index": "DPM++ 2M Karras",
        "enable_hr": False,
        "alwayson_scripts": {"id_task": task_id, "override_settings": {}},
    }
    body.update(extra)
    return body


def music_body(task_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "businessTaskId": task_id,
        "comfyTaskType": "StableAudioOpen",
        "prompt": "calm piano",
        "seed": 7,
        "steps": 50,
        "cfg": 7.3,
        "seconds": 1.5,
    }
    body.update(extra)
    return body


def poll_imgopen(client: httpx.Client, env: dict[str, str], task_id: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def done() -> bool:
        answer = imgopen(client, env, "/sd/v2/queryTaskInfo", {"businessTaskId": task_id})
        assert answer["code"] == "200"
        seen.append(answer["data"])
        return answer["data"]["status"] not in (1, 3)

    wait_for(done, every=0.01)
    return seen


def test_imgopen_text2image_runs_to_png_results_with_a_preview(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.task_seconds = 0.6
    answer = imgopen(
        client,
        env,
        "/sd/v2/text2image",
        sd_body("img-happy", n_iter=2, callbackUrl=sink_url(server, "img")),
    )
    assert answer == {"code": "200", "msg": "success", "data": {"task_id": "img-happy"}}
    seen = poll_imgopen(client, env, "img-happy")
    statuses = [s["status"] for s in seen]
    assert statuses[0] in (1, 3)
    assert statuses[-1] == 2
    previews = [s["temporaryImageDto"] for s in seen if s["temporaryImageDto"]]
    assert previews, "no intermediate image while running"
    preview = client.get(previews[0]["image_url"])
    assert preview.content.startswith(b"\x89PNG")
    final = seen[-1]
    assert final["id_task"] == "img-happy"
    assert final["temporaryImageDto"] is None
    assert "progress" not in final
    results = final["differentialImageRspList"]
    assert [r["seed"] for r in results] == [1221212, 1221213]
    for item in results:
        assert item["img_audit_status"] is True
        image = Image.open(io.BytesIO(client.get(item["image_url"]).content))
        assert image.format == "PNG"
        assert image.size == (64, 64)
    wait_for(lambda: server.state.sink.received("img"))
    callback = server.state.sink.received("img")[0]
    assert callback["data"]["status"] == 2


def test_imgopen_hires_fix_sets_the_output_size(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    body = sd_body("img-hr", enable_hr=True, hr_scale=2, hr_second_pass_steps=3)
    assert imgopen(client, env, "/sd/v2/text2image", body)["code"] == "200"
    final = poll_imgopen(client, env, "img-hr")[-1]
    url = final["differentialImageRspList"][0]["image_url"]
    assert Image.open(io.BytesIO(client.get(url).content)).size == (128, 128)


def test_imgopen_text2music_makes_mp3_and_archive_query_uses_task_id(
    client: httpx.Client, env: dict[str, str]
) -> None:
    answer = imgopen(client, env, "/vocal/text2music", music_body("music-1"))
    assert answer["code"] == "200"
    assert answer["data"]["taskId"] == "music-1"
    final = poll_imgopen(client, env, "music-1")[-1]
    assert final["status"] == 2
    item = final["differentialImageRspList"][0]
    assert item["image_url"].endswith(".mp3")
    assert item["seed"] == 7
    data = client.get(item["image_url"]).content
    assert decode_audio_seconds(data) == pytest.approx(1.5, abs=0.15)
    archived = imgopen(client, env, "/sd/queryTaskInfo", {"businessTaskId": "music-1"})
    assert archived["data"]["task_id"] == "music-1"
    assert "id_task" not in archived["data"]
    assert "temporaryImageDto" not in archived["data"]
    assert archived["data"]["status"] == 2


@pytest.mark.parametrize(
    ("path", "body", "needle"),
    [
        ("/vocal/text2music", music_body(""), "businessTaskId"),
        ("/vocal/text2music", music_body("v1", comfyTaskType="Other"), "comfyTaskType"),
        ("/vocal/text2music", music_body("v2", prompt=""), "prompt"),
        ("/vocal/text2music", music_body("v3", steps=9), "steps"),
        ("/vocal/text2music", music_body("v4", steps=101), "steps"),
        ("/vocal/text2music", music_body("v5", cfg=0.9), "cfg"),
        ("/vocal/text2music", music_body("v6", cfg=15.1), "cfg"),
        ("/vocal/text2music", music_body("v7", cfg=7.05), "cfg"),
        ("/vocal/text2music", music_body("v8", seconds=0.5), "seconds"),
        ("/vocal/text2music", music_body("v9", seconds=50.5), "seconds"),
        ("/vocal/text2music", music_body("v10", seconds="long"), "seconds"),
        ("/sd/v2/text2image", sd_body("x", alwayson_scripts={}), "id_task"),
        ("/sd/v2/text2image", sd_body("x1", seed="abc"), "seed"),
        ("/sd/v2/text2image", sd_body("x2", prompt=""), "prompt"),
        ("/sd/v2/text2image", sd_body("x3", width=10), "width"),
    ],
)
def test_imgopen_rejects_each_broken_rule(
    client: httpx.Client, env: dict[str, str], path: str, body: dict[str, Any], needle: str
) -> None:
    answer = imgopen(client, env, path, body)
    assert answer["code"] == "400"
    assert needle in answer["msg"]


def test_imgopen_task_ids_are_unique_keys_are_checked_and_unknown_tasks_404(
    client: httpx.Client, env: dict[str, str]
) -> None:
    assert imgopen(client, env, "/vocal/text2music", music_body("dup"))["code"] == "200"
    again = imgopen(client, env, "/vocal/text2music", music_body("dup"))
    assert again["code"] == "400"
    assert "already exists" in again["msg"]
    bad = client.post(
        env["IMGOPEN_BASE_URL"] + "/AIGCImgOpenServ/saas/vocal/text2music",
        json=music_body("auth"),
        headers={"X-Request-req-accessKeyId": "nope", "X-Request-req-accessKeySecret": "nope"},
    )
    assert bad.json()["code"] == "401"
    missing = imgopen(client, env, "/sd/v2/queryTaskInfo", {"businessTaskId": "never"})
    assert missing["code"] == "404"


def test_imgopen_optional_progress_field_and_base64_preview(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.task_seconds = 0.6
    server.state.imgopen_progress_field = True
    server.state.imgopen_preview_style = "base64"
    imgopen(client, env, "/sd/v2/text2image", sd_body("img-b64"))
    seen = poll_imgopen(client, env, "img-b64")
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress)
    assert progress[-1] == 100
    previews = [s["temporaryImageDto"] for s in seen if s["temporaryImageDto"]]
    assert previews
    import base64

    assert base64.b64decode(previews[0]["image_base64"]).startswith(b"\x89PNG")


def test_imgopen_retries_a_callback_until_the_reply_is_code_200(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.sink.script("retry", [(200, {"code": "500"}), (200, "not json")])
    body = music_body("music-cb", callbackUrl=sink_url(server, "retry"))
    imgopen(client, env, "/vocal/text2music", body)

    def attempts_so_far() -> list[Any]:
        return [a for a in server.state.callbacks_sent if a.url.endswith("/retry")]

    attempts = wait_for(lambda: len(attempts_so_far()) >= 3 and attempts_so_far())
    assert len(server.state.sink.received("retry")) == 3
    assert [(a.attempt, a.ok) for a in attempts] == [(1, False), (2, False), (3, True)]
    assert all(a.payload["data"]["id_task"] == "music-cb" for a in attempts)


def test_imgopen_fail_tasks_ends_with_status_4_and_reason(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.fail_tasks("imgopen", reason="内容审核未通过")
    imgopen(client, env, "/sd/v2/text2image", sd_body("img-fail"))
    final = poll_imgopen(client, env, "img-fail")[-1]
    assert final["status"] == 4
    assert "内容审核未通过" in final["desc"]
    assert final["differentialImageRspList"] == []
    # Only the next task fails.
    imgopen(client, env, "/sd/v2/text2image", sd_body("img-after"))
    assert poll_imgopen(client, env, "img-after")[-1]["status"] == 2


# ------------------------------------------------------------------------------ Tencent


def tencent(client: httpx.Client, env: dict[str, str], action: str, **fields: Any) -> Any:
    body = {
        "action": action,
        "secretId": env["TENCENT_MMLAB_SECRET_ID"],
        "secretKey": env["TENCENT_MMLAB_SECRET_KEY"],
        **fields,
    }
    response = client.post(env["TENCENT_MMLAB_URL"], json=body)
    assert response.status_code == 200
    return response.json()


def create_request(
    url: str = "https://example.com/cat.png", callback: str | None = None, **gen: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "customId": "studio-1",
        "inputs": [{"url": url}],
        "outputs": [
            {
                "contentId": "bucket",
                "destination": "/output",
                "inputSelectors": [0],
                "smartContentDescriptor": {
                    "outputPrefix": "bgm_",
                    "imageBgmGeneration": {"songQuantity": 1, **gen},
                },
            }
        ],
    }
    if callback:
        request["callback"] = callback
    return request


def wait_tencent_job(client: httpx.Client, env: dict[str, str], job_id: str) -> list[dict]:
    seen: list[dict[str, Any]] = []

    def done() -> bool:
        job = tencent(client, env, "GetJob", getJobRequest={"id": job_id})["getJobResponse"]
        seen.append(job["job"])
        return job["job"]["state"] in (3, 4, 5)

    wait_for(done)
    return seen


def test_tencent_job_completes_with_songs_callback_and_list(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    request = create_request(callback=sink_url(server, "tc"), songQuantity=2, emotion=1)
    created = tencent(client, env, "CreateJob", createJobRequest=request)
    assert created["requestId"]
    job = created["createJobResponse"]["job"]
    assert job["state"] == 1
    assert job["customId"] == "studio-1"
    assert job["timing"] == {
        "createdAt": job["timing"]["createdAt"],
        "startedAt": "0",
        "completedAt": "0",
    }
    assert job["timing"]["createdAt"].isdigit()
    seen = wait_tencent_job(client, env, job["id"])
    final = seen[-1]
    assert final["state"] == 3
    assert {s["state"] for s in seen} <= {1, 2, 3}
    assert int(final["timing"]["completedAt"]) >= int(final["timing"]["startedAt"]) > 0
    output = final["outputs"][0]
    songs = output["smartContentResult"]["imageBgmGeneration"]
    assert len(songs) == 2
    for song in songs:
        assert song["songName"].startswith("bgm_")
        url = f"{env['TENCENT_MMLAB_OUTPUT_BASE_URL']}/output/{song['songName']}"
        response = client.get(url)
        assert response.status_code == 200
        assert decode_audio_seconds(response.content) == pytest.approx(1.0, abs=0.15)
    listed = tencent(client, env, "ListJobs", listJobsRequest={"customId": "studio-1"})
    ids = [j["id"] for j in listed["listJobsResponse"]["jobs"]]
    assert job["id"] in ids
    assert listed["listJobsResponse"]["total"] == len(ids)
    wait_for(lambda: server.state.sink.received("tc"))
    callback = server.state.sink.received("tc")[0]
    assert callback["id"] == job["id"]
    assert callback["state"] == 3
    assert callback["outputs"][0]["smartContentResult"]["imageBgmGeneration"] == songs


def test_tencent_fetches_a_local_image_and_makes_mp4(
    client: httpx.Client, env: dict[str, str], tmp_path: Path
) -> None:
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(png, format="PNG")
    image_url = upload_to_suno(client, env, png.getvalue(), "cover.png")
    # The page's numbers: MP4, MULTITRACK, WARM.
    request = create_request(url=image_url, outputType=2, type=2, emotion=10)
    job = tencent(client, env, "CreateJob", createJobRequest=request)["createJobResponse"]["job"]
    final = wait_tencent_job(client, env, job["id"])[-1]
    assert final["state"] == 3, final.get("message")
    song = final["outputs"][0]["smartContentResult"]["imageBgmGeneration"][0]
    video = client.get(f"{env['TENCENT_MMLAB_OUTPUT_BASE_URL']}/output/{song['videoName']}")
    _, _, kinds, frames = probe_video(video.content, tmp_path)
    assert sorted(kinds) == ["audio", "video"]
    assert frames >= 1


def test_tencent_local_input_that_is_not_an_image_fails_the_job(
    client: httpx.Client, env: dict[str, str]
) -> None:
    url = upload_to_suno(client, env, b"definitely not an image", "fake.png")
    job = tencent(client, env, "CreateJob", createJobRequest=create_request(url=url))
    final = wait_tencent_job(client, env, job["createJobResponse"]["job"]["id"])[-1]
    assert final["state"] == 4
    assert "png" in final["message"]


def _tencent_case(**changes: Any) -> dict[str, Any]:
    request = create_request()
    gen = request["outputs"][0]["smartContentDescriptor"]["imageBgmGeneration"]
    for key, value in changes.items():
        if key == "outputPrefix":
            request["outputs"][0]["smartContentDescriptor"]["outputPrefix"] = value
        elif key in ("customId", "inputs", "outputs"):
            request[key] = value
        else:
            gen[key] = value
    return request


@pytest.mark.parametrize(
    ("request_body", "needle"),
    [
        (_tencent_case(songQuantity=0), "songQuantity"),
        (_tencent_case(songQuantity=101), "songQuantity"),
        (_tencent_case(outputType="WAV"), "outputType"),
        (_tencent_case(emotion=10), "emotion"),
        (_tencent_case(emotion=11, type=1), "emotion"),
        (_tencent_case(emotion="BORED"), "emotion"),
        (_tencent_case(genre=1, type=2), "genre"),
        (_tencent_case(genre="METAL"), "genre"),
        (_tencent_case(type="ORCHESTRA"), "type"),
        (_tencent_case(customId="x" * 64), "customId"),
        (_tencent_case(outputPrefix="p" * 20), "outputPrefix"),
        (_tencent_case(inputs=[]), "inputs"),
        (_tencent_case(inputs=[{}]), "inputs[0]"),
        (_tencent_case(inputs=[{"url": "ftp://x/a.png"}]), "url"),
        (_tencent_case(inputs=[{"url": "https://x/a.gif"}]), "gif"),
        (_tencent_case(outputs=[]), "outputs"),
    ],
)
def test_tencent_rejects_each_broken_rule(
    client: httpx.Client, env: dict[str, str], request_body: dict[str, Any], needle: str
) -> None:
    answer = tencent(client, env, "CreateJob", createJobRequest=request_body)
    assert "createJobResponse" not in answer
    assert answer["errorResponse"]["code"] == "InvalidParameter"
    assert needle in answer["errorResponse"]["message"]


def test_tencent_enums_by_number_source_input_and_errors(
    client: httpx.Client, env: dict[str, str]
) -> None:
    request = _tencent_case(
        inputs=[{"source": {"contentId": "repo", "path": "/in/cat.jpg"}}], emotion=10, type=2
    )
    answer = tencent(client, env, "CreateJob", createJobRequest=request)
    assert answer["createJobResponse"]["job"]["state"] == 1
    bad_key = client.post(
        env["TENCENT_MMLAB_URL"],
        json={"action": "GetJob", "secretId": "x", "secretKey": "y", "getJobRequest": {"id": "1"}},
    ).json()
    assert bad_key["errorResponse"]["code"] == "AuthFailure"
    unknown = tencent(client, env, "GetJob", getJobRequest={"id": "no-such-job"})
    assert unknown["errorResponse"]["code"] == "ResourceNotFound"
    assert tencent(client, env, "DeleteJob")["errorResponse"]["code"] == "InvalidAction"


def test_tencent_fail_tasks_gives_error_state_message_and_callback(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.fail_tasks("tencent", reason="image not recognised")
    request = create_request(callback=sink_url(server, "tc-fail"))
    job = tencent(client, env, "CreateJob", createJobRequest=request)["createJobResponse"]["job"]
    final = wait_tencent_job(client, env, job["id"])[-1]
    assert final["state"] == 4
    assert final["message"] == "image not recognised"
    assert "smartContentResult" not in final["outputs"][0]
    wait_for(lambda: server.state.sink.received("tc-fail"))
    assert server.state.sink.received("tc-fail")[0]["state"] == 4


def test_tencent_fault_can_target_one_action(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("tencent", "/job", status=503, action="GetJob"))
    job = tencent(client, env, "CreateJob", createJobRequest=create_request())
    job_id = job["createJobResponse"]["job"]["id"]
    body = {
        "action": "GetJob",
        "secretId": env["TENCENT_MMLAB_SECRET_ID"],
        "secretKey": env["TENCENT_MMLAB_SECRET_KEY"],
        "getJobRequest": {"id": job_id},
    }
    first = client.post(env["TENCENT_MMLAB_URL"], json=body)
    assert first.status_code == 503
    assert first.json()["errorResponse"]["code"] == "InternalError"
    assert client.post(env["TENCENT_MMLAB_URL"], json=body).status_code == 200


# ------------------------------------------------------------------------------ Suno


def suno_headers(env: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {env['SUNO_API_KEY']}"}


def upload_to_suno(client: httpx.Client, env: dict[str, str], data: bytes, name: str) -> str:
    response = client.post(
        env["SUNO_UPLOAD_BASE_URL"] + "/api/file-stream-upload",
        headers=suno_headers(env),
        files={"file": (name, data, "application/octet-stream")},
        data={"uploadPath": "studio/tests", "fileName": name},
    )
    answer = response.json()
    assert answer["code"] == 200, answer
    assert answer["msg"] == "success"
    return answer["data"]["downloadUrl"]


@pytest.fixture
def uploaded_song(client: httpx.Client, env: dict[str, str]) -> str:
    samples = media.render_music("source song", 3.0, 1)
    buffer = io.BytesIO()
    sf.write(buffer, samples, media.SAMPLE_RATE, format="WAV")
    return upload_to_suno(client, env, buffer.getvalue(), "source.wav")


def extend_body(upload_url: str, callback: str, **extra: Any) -> dict[str, Any]:
    body = {
        "uploadUrl": upload_url,
        "defaultParamFlag": True,
        "instrumental": False,
        "prompt": "la la la",
        "style": "Classical",
        "title": "Peaceful Piano Extended",
        "continueAt": 1.5,
        "model": "V4_5",
        "negativeTags": "metal",
        "vocalGender": "f",
        "styleWeight": 0.65,
        "weirdnessConstraint": 0.65,
        "audioWeight": 0.65,
        "callBackUrl": callback,
    }
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def suno_extend(client: httpx.Client, env: dict[str, str], body: dict[str, Any]) -> Any:
    response = client.post(
        env["SUNO_BASE_URL"] + "/api/v1/generate/upload-extend",
        json=body,
        headers=suno_headers(env),
    )
    assert response.status_code == 200
    return response.json()


def suno_record(client: httpx.Client, env: dict[str, str], task_id: str) -> Any:
    response = client.get(
        env["SUNO_BASE_URL"] + "/api/v1/generate/record-info",
        params={"taskId": task_id},
        headers=suno_headers(env),
    )
    assert response.status_code == 200
    return response.json()


def wait_suno(client: httpx.Client, env: dict[str, str], task_id: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def done() -> bool:
        answer = suno_record(client, env, task_id)
        assert answer["code"] == 200
        seen.append(answer["data"])
        return answer["data"]["status"] not in ("PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS")

    wait_for(done, every=0.01)
    return seen


def test_suno_upload_is_served_back(
    client: httpx.Client, env: dict[str, str], uploaded_song: str
) -> None:
    assert uploaded_song.startswith(env["SUNO_UPLOAD_BASE_URL"])
    response = client.get(uploaded_song)
    assert response.status_code == 200
    assert decode_audio_seconds(response.content) == pytest.approx(3.0, abs=0.01)


def test_suno_extend_walks_every_status_with_callbacks(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str], uploaded_song: str
) -> None:
    server.state.task_seconds = 0.6
    answer = suno_extend(client, env, extend_body(uploaded_song, sink_url(server, "suno")))
    assert answer["code"] == 200
    task_id = answer["data"]["taskId"]
    seen = wait_suno(client, env, task_id)
    order = ["PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"]
    statuses = list(dict.fromkeys(s["status"] for s in seen))
    assert statuses == [s for s in order if s in statuses]
    assert {"TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"} <= set(statuses)
    first = next(s for s in seen if s["status"] == "FIRST_SUCCESS")
    tracks = first["response"]["sunoData"]
    assert tracks[0]["audioUrl"]
    assert not tracks[1]["audioUrl"]
    final = seen[-1]
    assert final["taskId"] == task_id
    assert final["errorMessage"] is None
    tracks = final["response"]["sunoData"]
    assert len(tracks) == 2
    for track in tracks:
        assert track["title"] == "Peaceful Piano Extended"
        assert track["tags"] == "Classical"
        assert track["duration"] == pytest.approx(1.5 + 1.0, abs=0.1)
        audio = client.get(track["audioUrl"]).content
        assert decode_audio_seconds(audio) == pytest.approx(track["duration"], abs=0.1)
        assert client.get(track["streamAudioUrl"]).status_code == 200
        cover = client.get(track["imageUrl"]).content
        assert Image.open(io.BytesIO(cover)).format == "PNG"
    wait_for(lambda: len(server.state.sink.received("suno")) >= 4)
    received = server.state.sink.received("suno")
    kinds = [c["data"]["callbackType"] for c in received]
    assert kinds == ["text", "first", "complete", "complete"]
    complete = received[-1]
    assert complete["code"] == 200
    assert complete["data"]["task_id"] == task_id
    item = complete["data"]["data"][0]
    assert {"audio_url", "stream_audio_url", "image_url", "duration"} <= set(item)
    assert item["audio_url"] == tracks[0]["audioUrl"]


def _suno_case(**changes: Any) -> dict[str, Any]:
    changes.setdefault("continueAt", 0.5)
    # Port 9 refuses at once: callbacks fail fast instead of waiting on DNS.
    return extend_body("https://example.com/song.mp3", "http://127.0.0.1:9/cb", **changes)


@pytest.mark.parametrize(
    ("body", "code", "needle"),
    [
        (_suno_case(uploadUrl=None), 400, "uploadUrl"),
        (_suno_case(callBackUrl=None), 400, "Please enter callBackUrl"),
        (_suno_case(defaultParamFlag=None), 400, "defaultParamFlag"),
        (_suno_case(model="V9"), 400, "model"),
        (_suno_case(model=None), 400, "model"),
        (_suno_case(style=""), 400, "style"),
        (_suno_case(title=None), 400, "title"),
        (_suno_case(prompt=""), 400, "prompt"),
        (_suno_case(continueAt=None), 400, "continueAt"),
        (_suno_case(continueAt=0), 400, "continueAt"),
        (_suno_case(defaultParamFlag=False, prompt=""), 400, "prompt"),
        (_suno_case(model="V4", prompt="x" * 3001), 413, "prompt"),
        (_suno_case(model="V4_5", prompt="x" * 5001), 413, "prompt"),
        (_suno_case(model="V3_5", style="x" * 201), 413, "style"),
        (_suno_case(model="V5", style="x" * 1001), 413, "style"),
        (_suno_case(model="V4", title="x" * 81), 413, "title"),
        (_suno_case(model="V4_5PLUS", title="x" * 101), 413, "title"),
        (_suno_case(vocalGender="x"), 400, "vocalGender"),
        (_suno_case(styleWeight=1.5), 400, "styleWeight"),
        (_suno_case(weirdnessConstraint=0.333), 400, "weirdnessConstraint"),
        (_suno_case(audioWeight=-0.01), 400, "audioWeight"),
    ],
)
def test_suno_rejects_each_broken_rule(
    client: httpx.Client, env: dict[str, str], body: dict[str, Any], code: int, needle: str
) -> None:
    answer = suno_extend(client, env, body)
    assert answer["code"] == code
    assert needle in answer["msg"]
    assert answer["data"] is None


def test_suno_accepts_the_lenient_cases(client: httpx.Client, env: dict[str, str]) -> None:
    for body in (
        _suno_case(instrumental=True, prompt=""),
        _suno_case(defaultParamFlag=False, style="", title="", continueAt=None),
        _suno_case(model="V4", prompt="x" * 3000, style="x" * 200, title="x" * 80),
        _suno_case(styleWeight=0, audioWeight=1, weirdnessConstraint=0.01),
    ):
        answer = suno_extend(client, env, body)
        assert answer["code"] == 200, answer
        assert answer["data"]["taskId"]


def test_suno_continue_at_must_be_inside_the_uploaded_song(
    client: httpx.Client, env: dict[str, str], uploaded_song: str
) -> None:
    for continue_at in (3.0, 3.5):
        answer = suno_extend(
            client, env, _suno_case(uploadUrl=uploaded_song, continueAt=continue_at)
        )
        assert answer["code"] == 400
        assert "continueAt" in answer["msg"]
    ok = suno_extend(client, env, _suno_case(uploadUrl=uploaded_song, continueAt=2.9))
    assert ok["code"] == 200


def test_suno_auth_wrong_method_and_unknown_task(client: httpx.Client, env: dict[str, str]) -> None:
    no_key = client.post(env["SUNO_BASE_URL"] + "/api/v1/generate/upload-extend", json={})
    assert (no_key.status_code, no_key.json()["code"]) == (200, 401)
    wrong = client.get(
        env["SUNO_BASE_URL"] + "/api/v1/generate/upload-extend", headers=suno_headers(env)
    )
    assert wrong.json()["code"] == 404
    assert suno_record(client, env, "nope")["code"] == 400
    bad_upload = client.post(
        env["SUNO_UPLOAD_BASE_URL"] + "/api/file-stream-upload",
        files={"file": ("a.wav", b"x")},
        data={"uploadPath": "p"},
    )
    assert bad_upload.json()["code"] == 401


def test_suno_rate_limit_answers_430_then_recovers(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    state = server.state
    state.suno_rate_limit = True
    state.suno_rate_limit_calls, state.suno_rate_limit_window_s = 5, 1.0
    try:
        codes = [suno_record(client, env, "nope")["code"] for _ in range(6)]
        assert codes == [400] * 5 + [430]
        time.sleep(1.05)
        assert suno_record(client, env, "nope")["code"] == 400
    finally:
        state.suno_rate_limit_calls, state.suno_rate_limit_window_s = 20, 10.0


@pytest.mark.parametrize(
    ("reason", "status", "passes_text"),
    [
        (None, "SENSITIVE_WORD_ERROR", False),
        ("GENERATE_AUDIO_FAILED", "GENERATE_AUDIO_FAILED", True),
    ],
)
def test_suno_fail_tasks(
    server: EmulatorServer,
    client: httpx.Client,
    env: dict[str, str],
    reason: str | None,
    status: str,
    passes_text: bool,
) -> None:
    server.state.faults.fail_tasks("suno", reason=reason)
    answer = suno_extend(client, env, _suno_case(callBackUrl=sink_url(server, "sf")))
    seen = wait_suno(client, env, answer["data"]["taskId"])
    assert seen[-1]["status"] == status
    assert seen[-1]["errorMessage"]
    assert ("TEXT_SUCCESS" in {s["status"] for s in seen}) == passes_text
    wait_for(
        lambda: any(c["data"]["callbackType"] == "error" for c in server.state.sink.received("sf"))
    )


def test_suno_retries_a_callback_answered_with_an_error(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.sink.script("sr", [(500, {"code": 500})])
    suno_extend(client, env, _suno_case(callBackUrl=sink_url(server, "sr")))

    def attempts_so_far() -> list[Any]:
        return [a for a in server.state.callbacks_sent if a.url.endswith("/sr")]

    attempts = wait_for(lambda: len(attempts_so_far()) >= 5 and attempts_so_far())
    text_attempts = [a for a in attempts if a.payload["data"]["callbackType"] == "text"]
    assert [(a.attempt, a.status, a.ok) for a in text_attempts] == [(1, 500, False), (2, 200, True)]


# ------------------------------------------------------------------------------ Vidu


def vidu_headers(env: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {env['VIDU_API_KEY']}"}


def vidu_body(creation_id: str, **settings: Any) -> dict[str, Any]:
    return {
        "input": {"creation_id": creation_id},
        "type": "upscale",
        "settings": {"model": "stable", "duration": 4, **settings},
    }


def vidu_create(client: httpx.Client, env: dict[str, str], body: Any) -> httpx.Response:
    return client.post(
        env["VIDU_BASE_URL"] + "/vidu/v1/tasks", json=body, headers=vidu_headers(env)
    )


def read_sse(client: httpx.Client, env: dict[str, str], task_id: str) -> list[dict[str, Any]]:
    events = []
    with client.stream(
        "GET",
        env["VIDU_BASE_URL"] + "/vidu/v1/tasks/state",
        params={"id": task_id},
        headers=vidu_headers(env),
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[len("data: ") :]))
    return events


def test_vidu_upscale_streams_states_and_returns_a_bigger_mp4(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str], tmp_path: Path
) -> None:
    source = media.make_video(0.5, 96, 64, tmp_path / "src.mp4")
    creation_id = server.state.vidu_add_creation(source)
    created = vidu_create(client, env, vidu_body(creation_id))
    assert created.status_code == 200
    task = created.json()
    assert task["state"] == "queueing"
    assert task["input"]["creation_id"] == creation_id
    assert task["creations"] == []
    assert task["err_code"] == ""
    events = read_sse(client, env, task["id"])
    states = [e["state"] for e in events]
    assert states[-1] == "success"
    assert "processing" in states
    assert all(set(e) == {"state", "estimated_time_left", "err_code"} for e in events)
    lefts = [e["estimated_time_left"] for e in events]
    assert lefts[-1] == 0
    done = client.get(
        env["VIDU_BASE_URL"] + f"/vidu/v1/tasks/{task['id']}", headers=vidu_headers(env)
    )
    body = done.json()
    assert body["state"] == "success"
    creation = body["creations"][0]
    assert creation["task_id"] == task["id"]
    assert creation["resolution"] == {"width": 192, "height": 128}
    width, height, kinds, frames = probe_video(client.get(creation["uri"]).content, tmp_path)
    assert (width, height, kinds) == (192, 128, ["video"])
    assert frames == 6
    assert creation["video"]["duration"] == pytest.approx(0.5, abs=0.1)
    cover = client.get(creation["cover_uri"]).content
    assert Image.open(io.BytesIO(cover)).size == (192, 128)


def test_vidu_accepts_any_digit_creation_and_the_seed_example(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    for creation_id in ("2370483030340581", "123456"):
        created = vidu_create(client, env, vidu_body(creation_id))
        assert created.status_code == 200
    states = [e["state"] for e in read_sse(client, env, created.json()["id"])]
    assert states[-1] == "success"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"type": "upscale", "settings": {"model": "stable", "duration": 4}}, "input"),
        (vidu_body(""), "creation_id"),
        ({**vidu_body("1"), "type": "text2video"}, "type"),
        ({"input": {"creation_id": "1"}, "settings": {"model": "stable", "duration": 4}}, "type"),
        ({"input": {"creation_id": "1"}, "type": "upscale"}, "settings"),
        (vidu_body("1", model="turbo"), "model"),
        (vidu_body("1", duration="4"), "duration"),
        (vidu_body("1", duration=5), "duration"),
        (vidu_body("abc"), "abc"),
    ],
)
def test_vidu_rejects_each_broken_rule(
    client: httpx.Client, env: dict[str, str], body: dict[str, Any], needle: str
) -> None:
    response = vidu_create(client, env, body)
    assert response.status_code == 400
    assert needle in response.json()["error"]["message"]


def test_vidu_auth_unknown_task_unknown_creation_and_failures(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    no_key = client.post(env["VIDU_BASE_URL"] + "/vidu/v1/tasks", json=vidu_body("1"))
    assert no_key.status_code == 401
    missing = client.get(env["VIDU_BASE_URL"] + "/vidu/v1/tasks/999", headers=vidu_headers(env))
    assert missing.status_code == 404
    server.state.faults.vidu_unknown_creation("424242")
    unknown = vidu_create(client, env, vidu_body("424242"))
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "CreationNotFound"
    server.state.faults.fail_tasks("vidu", reason="TaskPromptPolicyViolation")
    task = vidu_create(client, env, vidu_body("777")).json()
    events = read_sse(client, env, task["id"])
    assert events[-1]["state"] == "failed"
    assert events[-1]["err_code"] == "TaskPromptPolicyViolation"
    final = client.get(
        env["VIDU_BASE_URL"] + f"/vidu/v1/tasks/{task['id']}", headers=vidu_headers(env)
    )
    assert final.json()["creations"] == []


# ------------------------------------------------------------------------------ faults


RECORD_PATH = "/api/v1/generate/record-info"


def test_status_fault_hits_n_times_with_retry_after_then_clears(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(
        Fault("suno", RECORD_PATH, status=503, times=2, retry_after=1.5, method="GET")
    )
    answers = [
        client.get(
            env["SUNO_BASE_URL"] + RECORD_PATH, params={"taskId": "x"}, headers=suno_headers(env)
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert [a.headers.get("Retry-After") for a in answers] == ["1.5", "1.5", None]
    assert answers[0].json()["code"] == 503
    assert answers[2].json()["code"] == 400
    assert server.state.calls.count("suno", "GET", RECORD_PATH) == 3
    statuses = [c[3] for c in server.state.calls.all()]
    assert statuses == [503, 503, 200]


def test_envelope_fault_keeps_http_200(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("suno", RECORD_PATH, kind="envelope", status=430))
    server.state.faults.add(Fault("imgopen", "*", kind="envelope", status=500))
    suno = client.get(
        env["SUNO_BASE_URL"] + RECORD_PATH, params={"taskId": "x"}, headers=suno_headers(env)
    )
    assert (suno.status_code, suno.json()["code"]) == (200, 430)
    img = client.post(
        env["IMGOPEN_BASE_URL"] + "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo",
        json={"businessTaskId": "x"},
        headers=imgopen_headers(env),
    )
    assert (img.status_code, img.json()["code"]) == (200, "500")


def test_malformed_fault_returns_broken_json(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("vidu", "/vidu/v1/tasks/*", kind="malformed"))
    response = client.get(env["VIDU_BASE_URL"] + "/vidu/v1/tasks/1", headers=vidu_headers(env))
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_drop_fault_closes_the_connection_without_an_answer(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("imgopen", "*", kind="drop"))
    url = env["IMGOPEN_BASE_URL"] + "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo"
    with pytest.raises(httpx.TransportError):
        client.post(url, json={"businessTaskId": "x"}, headers=imgopen_headers(env))
    after = client.post(url, json={"businessTaskId": "x"}, headers=imgopen_headers(env))
    assert after.json()["code"] == "404"
    assert [c[3] for c in server.state.calls.all()] == [0, 200]


def test_hang_fault_outlasts_the_client_and_creates_nothing(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("imgopen", "/AIGCImgOpenServ/saas/vocal/text2music", kind="hang"))
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            env["IMGOPEN_BASE_URL"] + "/AIGCImgOpenServ/saas/vocal/text2music",
            json=music_body("hung"),
            headers=imgopen_headers(env),
            timeout=0.3,
        )
    wait_for(lambda: server.state.calls.all()[0][3] == 0)
    assert imgopen(client, env, "/sd/v2/queryTaskInfo", {"businessTaskId": "hung"})["code"] == "404"


def test_short_hang_then_a_normal_answer(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    server.state.faults.add(Fault("vidu", "*", kind="hang", hang_seconds=0.3, method="GET"))
    start = time.monotonic()
    response = client.get(env["VIDU_BASE_URL"] + "/vidu/v1/tasks/1", headers=vidu_headers(env))
    assert time.monotonic() - start >= 0.3
    assert response.status_code == 404


def test_expired_results_answer_403_until_cleared(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    imgopen(client, env, "/sd/v2/text2image", sd_body("img-exp"))
    url = poll_imgopen(client, env, "img-exp")[-1]["differentialImageRspList"][0]["image_url"]
    assert client.get(url).status_code == 200
    server.state.faults.expire_results("imgopen")
    assert client.get(url).status_code == 403
    server.state.faults.clear()
    assert client.get(url).status_code == 200


def test_call_counts_by_provider_method_and_path(
    server: EmulatorServer, client: httpx.Client, env: dict[str, str]
) -> None:
    for _ in range(3):
        suno_record(client, env, "x")
    imgopen(client, env, "/sd/v2/queryTaskInfo", {"businessTaskId": "x"})
    calls = server.state.calls
    assert calls.count("suno") == 3
    assert calls.count("suno", "GET", RECORD_PATH) == 3
    assert calls.count("suno", "POST") == 0
    assert calls.count("imgopen", path="/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo") == 1
    assert calls.count("vidu") == 0
    assert calls.all()[-1] == ("imgopen", "POST", "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo", 200)


def test_cli_prints_env_and_serves(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "emulators", "--port", str(port), "--data-dir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(14)]
        printed = dict(line.strip().split("=", 1) for line in lines if "=" in line)
        assert printed["SUNO_BASE_URL"] == f"http://127.0.0.1:{port}/suno"
        assert printed["TENCENT_MMLAB_URL"] == f"http://127.0.0.1:{port}/tencent/job"

        def healthy() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/_emulator/health").status_code == 200
            except httpx.TransportError:
                return False

        wait_for(healthy, timeout=15, every=0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
