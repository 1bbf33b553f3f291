"""Every default works: each capability, with only the inputs it cannot do without, succeeds on
the offline provider, both as a fresh page sends it and with the API's own defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import handle_file

from core.requests import REQUEST_MODELS, Capability
from tabs.example_assets import SHORT_SONG, SUNNY_FIELD, TINY_CLIP
from tests.api_contract import CAPABILITY_ENDPOINTS, PUBLIC_PARAMETERS
from tests.studio_server import RunningStudio

JOB_TIMEOUT_S = 300
# What a person gives a fresh tab: the one thing each capability needs.
FILLED: dict[str, Any] = {
    "prompt": "calm piano in A minor, 80 bpm",
    "image": SUNNY_FIELD,
    "audio": SHORT_SONG,
    "video": TINY_CLIP,
}


def required(capability: Capability) -> dict[str, Any]:
    """The inputs a fresh tab leaves missing, filled as a person would."""
    missing = REQUEST_MODELS[capability].missing_inputs({})
    assert missing, capability  # every tab needs something: its Generate starts disabled
    return {name: FILLED[name] for name in missing}


def fresh_page_values(studio: RunningStudio, capability: str) -> dict[str, Any]:
    """What a fresh page sends for each parameter of the endpoint: the values in /config, with
    an empty number box sent as 0 (Gradio's number field shows and sends 0 for no value)."""
    config = httpx.get(f"{studio.url}/config", timeout=30).json()
    components = {component["id"]: component for component in config["components"]}
    (dependency,) = [d for d in config["dependencies"] if d.get("api_name") == capability]
    values: dict[str, Any] = {}
    names = [*PUBLIC_PARAMETERS[capability]]
    for name, component_id in zip(names, dependency["inputs"], strict=False):
        component = components[component_id]
        value = component["props"].get("value")
        if component["type"] == "number" and value is None:
            value = 0
        values[name] = value
    return values


def _as_sent(values: dict[str, Any]) -> dict[str, Any]:
    return {k: handle_file(str(v)) if isinstance(v, Path) else v for k, v in values.items()}


def _succeeded(status: str) -> None:
    assert "Done" in status or '"state": "succeeded"' in status, status


@pytest.mark.parametrize("capability", CAPABILITY_ENDPOINTS)
def test_a_fresh_page_with_only_its_required_inputs_succeeds(
    studio: RunningStudio, downloads: Path, capability: Capability
) -> None:
    values = {**fresh_page_values(studio, capability), **required(capability)}
    assert values["provider"] == "offline"
    outputs = studio.client(downloads).predict(**_as_sent(values), api_name=f"/{capability}")
    _succeeded(outputs[0])
    assert outputs[-1], "the job made files"


@pytest.mark.parametrize("capability", CAPABILITY_ENDPOINTS)
def test_the_api_defaults_with_only_the_required_inputs_succeed(
    studio: RunningStudio, downloads: Path, capability: Capability
) -> None:
    outputs = studio.client(downloads).predict(
        **_as_sent(required(capability)), api_name=f"/{capability}"
    )
    _succeeded(outputs[0])
    assert outputs[-1], "the job made files"


def test_a_fresh_extend_tab_sends_zero_and_goes_on_from_the_end(studio: RunningStudio) -> None:
    """The issue's case: the page shows 0 in "Continue at", which once was refused."""
    values = fresh_page_values(studio, "extend_music")
    assert values["continue_at"] == 0
    assert values["custom_mode"] is False
