"""The public API: endpoint names, parameter names, order, defaults and outputs are a contract
with gradio_client and MCP users. `public_api.json` holds it as it was frozen; the freeze test
(tests/e2e/test_public_api.py) compares the running app with it, and other tests read the
parameter lists from here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FROZEN: dict[str, Any] = json.loads(
    (Path(__file__).with_name("public_api.json")).read_text(encoding="utf-8")
)


def _names(endpoint: str) -> tuple[str, ...]:
    return tuple(parameter["name"] for parameter in FROZEN[endpoint]["parameters"])


CAPABILITY_ENDPOINTS = (
    "text_to_music",
    "image_to_music",
    "extend_music",
    "text_to_image",
    "video_upscale",
)
PUBLIC_PARAMETERS: dict[str, tuple[str, ...]] = {
    name: _names(f"/{name}") for name in CAPABILITY_ENDPOINTS
}
HISTORY_PARAMETERS: tuple[str, ...] = _names("/history_list")
