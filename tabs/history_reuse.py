"""A job's settings used again: "Load settings" in History puts them in a shared State, and
the job's capability tab (tabs/wiring.py) fills its inputs from it."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import gradio as gr

from core.request_fields import text_like
from core.requests import REQUEST_MODELS, Capability
from core.store import JobRecord


def load_settings_payload(record: JobRecord) -> dict[str, Any]:
    """The job's parameters under the public API's names, plus `provider`: what the job's
    capability tab (or a `/<capability>` API call) needs to run it again."""
    model = REQUEST_MODELS.get(record.capability)  # type: ignore[call-overload]
    if model is None:
        return {**record.params, "provider": record.provider}
    payload: dict[str, Any] = {}
    for name in model.api_fields():
        info = model.model_fields[name]
        value = record.params.get(name, info.get_default(call_default_factory=True))
        if value is None and text_like(info):
            value = ""
        payload[name] = value
    payload["provider"] = record.provider
    return payload


def load_request(record: JobRecord) -> dict[str, Any]:
    """What "Load settings" puts in the shared State: the stamp makes loading twice a change."""
    return {
        "capability": record.capability,
        "params": load_settings_payload(record),
        "job_id": record.id,
        "loaded_at": time.time(),
    }


def fill_values(
    request: Mapping[str, Any] | None, capability: Capability, names: Sequence[str]
) -> tuple[Any, ...]:
    """Values for a capability tab's components named `names` (API parameter names, in the
    order of the components); gr.skip() for every one when the request is for another tab."""
    if not request or request.get("capability") != capability:
        return tuple(gr.skip() for _ in names)
    params = request.get("params") or {}
    return tuple(params[name] if name in params else gr.skip() for name in names)
