"""The run card: the provider call recorded with keys masked, as curl; all files as one zip."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import httpx

from core.events import Output
from core.provider import TaskHandle
from core.store import JobRecord
from providers.remote_base import wire_record
from tabs.run_card import curl_command, run_card, zip_outputs

CANARY = "canary-secret-42af"


def test_wire_record_masks_keys_in_headers_and_body() -> None:
    request = httpx.Request(
        "POST",
        "https://api.example/job",
        headers={"Authorization": f"Bearer {CANARY}", "X-Request-req-accessKeySecret": CANARY},
        json={"action": "CreateJob", "secretId": CANARY, "secretKey": CANARY, "n": 1},
    )
    record = wire_record(request)
    assert CANARY not in json.dumps(record)
    assert record["body"]["action"] == "CreateJob"
    assert record["body"]["secretKey"] == "***"
    assert record["headers"]["authorization"] == "***"
    command = curl_command(record)
    assert command.startswith("curl -X POST https://api.example/job")
    assert "CreateJob" in command
    assert CANARY not in command


def test_run_card_and_zip(tmp_path: Path) -> None:
    files = []
    for name in ("a.mp3", "b.mp3"):
        path = tmp_path / name
        path.write_bytes(b"ID3" + name.encode())
        path.with_name(name + ".json").write_text("{}")
        files.append(Output(path=path, kind="audio"))
    call = {"method": "POST", "url": "https://x/y", "headers": {}, "body": {"prompt": "p"}}
    record = JobRecord(
        id="j1",
        capability="image_to_music",
        provider="tencent",
        params={"image_url": "https://x/p.png", "emotion": None},
        state="succeeded",
        task=TaskHandle(task_id="t", data={"request": call}),
        outputs=files,
        output_dir=tmp_path,
        created_at=0,
        updated_at=0,
    )
    card = run_card(record)
    # Plain names: the tab's labels for the capability, the provider, the state, each field.
    assert card.startswith("**Image to music** · Tencent Multimedia Lab · state: Done")
    assert "- **…or an image URL**: https://x/p.png" in card
    assert "image_url" not in card
    assert "Emotion" not in card  # unset parameters are left out
    assert "curl -X POST https://x/y" in card
    assert "状态：完成" in run_card(record, "zh")
    assert "succeeded" not in run_card(record, "zh")
    archive = zip_outputs(record)
    assert archive is not None
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == ["a.mp3", "a.mp3.json", "b.mp3", "b.mp3.json"]
    single = record.model_copy(update={"outputs": files[:1]})
    assert zip_outputs(single) is None  # one file needs no zip


def test_the_run_card_says_which_words_the_painter_understood(tmp_path: Path) -> None:
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    record = JobRecord(
        id="j" * 32,
        capability="text_to_image",
        provider="offline",
        params={"prompt": "a cat and a glorp"},
        state="succeeded",
        outputs=[
            Output(
                path=picture,
                kind="image",
                metadata={"understood": ["cat"], "not_understood": ["glorp"]},
            )
        ],
        output_dir=tmp_path,
        created_at=0.0,
        updated_at=0.0,
    )
    card = run_card(record)
    assert "Words the offline painter drew: `cat`" in card
    assert "did not understand: `glorp`" in card
    assert "没有理解的词：`glorp`" in run_card(record, "zh")


def test_a_studio_file_handed_to_a_provider_shows_by_its_name_only(tmp_path: Path) -> None:
    url = "https://studio.example/gradio_api/file=/data/aigc-studio/outputs/2025-01-01/j-x/in.png"
    call = {"method": "POST", "url": "https://x/y", "body": {"ImageUrl": url}}
    command = curl_command(call)
    assert "/data/aigc-studio" not in command
    assert "https://studio.example/gradio_api/file=…/in.png" in command
    record = JobRecord(
        id="j2",
        capability="image_to_music",
        provider="tencent",
        params={"image": "/data/aigc-studio/outputs/2025-01-01/j-x/inputs/in.png"},
        state="running",
        task=TaskHandle(task_id="t", data={"request": call}),
        output_dir=tmp_path,
        created_at=0,
        updated_at=0,
    )
    card = run_card(record)
    assert "/data/aigc-studio" not in card
    assert "- **Image**: in.png" in card
