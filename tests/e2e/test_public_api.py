"""The public API freeze: what gradio_client and MCP users call must not change by accident.

Every public endpoint of the launched app, with each parameter's name, order, default and
component and each output's component, equals tests/public_api.json (made from the app before
the tabs were generated from their declarations). A deliberate change edits that file.
"""

from __future__ import annotations

from typing import Any

from tests.api_contract import FROZEN
from tests.studio_server import RunningStudio


def _shape(info: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "parameters": [
                {
                    "name": p["parameter_name"],
                    "has_default": p["parameter_has_default"],
                    "default": p["parameter_default"],
                    "component": p["component"],
                }
                for p in endpoint["parameters"]
            ],
            "returns": [r["component"] for r in endpoint["returns"]],
        }
        for name, endpoint in info["named_endpoints"].items()
    }


def test_the_public_api_is_what_was_frozen(studio: RunningStudio) -> None:
    live = _shape(studio.studio.demo.get_api_info())
    assert set(live) == set(FROZEN), "public endpoints were added or removed"
    for name, frozen in FROZEN.items():
        assert live[name] == frozen, name


def test_private_events_stay_off_the_api_page(studio: RunningStudio) -> None:
    info = studio.studio.demo.get_api_info()
    assert info["unnamed_endpoints"] == {}
    assert set(info["named_endpoints"]) == set(FROZEN)
