"""Which offline task function serves which capability, and its provider-specific checks."""

from __future__ import annotations

from collections.abc import Callable

from core.provider import Artifact, JobContext
from core.requests import Capability, StudioRequest
from providers.offline.runs import EngineRun
from providers.offline.task_extend_music import run_extend_music
from providers.offline.task_image_to_music import run_image_to_music
from providers.offline.task_text_to_image import run_text_to_image
from providers.offline.task_text_to_music import run_text_to_music
from providers.offline.task_video_upscale import check_video_upscale, run_video_upscale

Task = Callable[[StudioRequest, JobContext, EngineRun], list[Artifact]]
Check = Callable[[StudioRequest], None]

TASKS: dict[Capability, Task] = {
    "text_to_music": run_text_to_music,
    "image_to_music": run_image_to_music,
    "extend_music": run_extend_music,
    "text_to_image": run_text_to_image,
    "video_upscale": run_video_upscale,
}
CHECKS: dict[Capability, Check] = {
    "video_upscale": check_video_upscale,
}
