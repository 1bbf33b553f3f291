"""Calls a studio event by its function name over Gradio's raw queue protocol.

Private events are hidden from the API page and from gradio_client, but anyone can still post
to `/gradio_api/queue/join` with their `fn_index`: tests use this to prove that the handlers
check who is asking, as an attacker would call them.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
import httpx


def fn_index(demo: gr.Blocks, name: str) -> int:
    """The index of the (first) event whose function is called `name`."""
    for index, block_fn in demo.fns.items():
        if getattr(block_fn.fn, "__name__", None) == name:
            return int(index)
    raise KeyError(name)


def call_event(
    url: str, demo: gr.Blocks, name: str, data: list[Any], session_hash: str
) -> dict[str, Any]:
    """Run the event to its end as session `session_hash`; Gradio's final message."""
    index = fn_index(demo, name)
    with httpx.Client(base_url=url, timeout=60) as http:
        joined = http.post(
            "/gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": index,
                "session_hash": session_hash,
                "event_data": None,
                "trigger_id": None,
            },
        )
        joined.raise_for_status()
        with http.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": session_hash}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError(f"{name}: the stream ended without process_completed")


def outputs(message: dict[str, Any]) -> list[Any]:
    assert message.get("success"), message
    return list(message["output"]["data"])
