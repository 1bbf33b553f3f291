"""Which offline task function serves which capability, and its provider-specific checks.

The engines (numpy, scipy.signal, PyAV) take seconds to import; they are loaded on the first
job that needs them, so that the app starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from core.provider import JobContext
from core.requests import Capability, StudioRequest
from providers.offline.runs import EngineRun

# A task hands each result file to `EngineRun.keep` once it is complete (a Stop keeps those).
Task = Callable[[StudioRequest, JobContext, EngineRun], None]
Check = Callable[[StudioRequest], None]

_MODULE = "providers.offline.task_{}"
TASKS: dict[Capability, str] = {
    "text_to_music": "run_text_to_music",
    "image_to_music": "run_image_to_music",
    "extend_music": "run_extend_music",
    "text_to_image": "run_text_to_image",
    "video_upscale": "run_video_upscale",
}
CHECKS: dict[Capability, str] = {
    "video_upscale": "check_video_upscale",
}


@cache
def _load(capability: Capability, name: str) -> Callable[..., object]:
    module = importlib.import_module(_MODULE.format(capability))
    return getattr(module, name)  # type: ignore[no-any-return]


def task_for(capability: Capability) -> Task:
    return _load(capability, TASKS[capability])  # type: ignore[return-value]


def check_for(capability: Capability) -> Check | None:
    name = CHECKS.get(capability)
    return None if name is None else _load(capability, name)  # type: ignore[return-value]
