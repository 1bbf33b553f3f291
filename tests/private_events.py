"""Calls a studio event over Gradio's raw queue protocol, as the page (or an attacker) does.

Private events are hidden from the API page and from gradio_client, but anyone can still post
to `/gradio_api/queue/join` with their `fn_index`: tests use this to run them with a chosen
session and language, and to prove that handlers check who is asking.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import gradio as gr
import httpx


def fn_index(demo: gr.Blocks, name: str) -> int:
    """The index of the (first) event whose function is called `name`."""
    for index, block_fn in demo.fns.items():
        if getattr(block_fn.fn, "__name__", None) == name:
            return int(index)
    raise KeyError(name)


def call_fn(
    url: str,
    index: int,
    data: list[Any],
    session_hash: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Run event number `index` to its end as session `session_hash`; Gradio's final message."""
    with httpx.Client(base_url=url, timeout=timeout, headers=dict(headers or {})) as http:
        http.post(
            "/gradio_api/queue/join",
            json={
                "data": data,
                "fn_index": index,
                "session_hash": session_hash,
                "event_data": None,
                "trigger_id": None,
            },
        ).raise_for_status()
        with http.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": session_hash}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError(f"event {index}: the stream ended without process_completed")


def call_event(
    url: str, demo: gr.Blocks, name: str, data: list[Any], session_hash: str
) -> dict[str, Any]:
    """`call_fn` for the event whose function is called `name`."""
    return call_fn(url, fn_index(demo, name), data, session_hash)


def outputs(message: dict[str, Any]) -> list[Any]:
    assert message.get("success"), message
    return list(message["output"]["data"])
