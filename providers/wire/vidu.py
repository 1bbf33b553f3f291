"""Vidu (through a reseller's aggregator) wire format: the upscale task (docs/providers.md#vidu)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

TASKS_PATH = "/vidu/v1/tasks"
STATE_STREAM_PATH = "/vidu/v1/tasks/state"

QUEUED_STATES: frozenset[str] = frozenset({"created", "queueing", "queued", "scheduling"})
DONE_STATE = "success"
FAILED_STATE = "failed"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UpscaleInput(_Body):
    creation_id: str


class UpscaleSettings(_Body):
    model: Literal["stable"] = "stable"
    duration: int = 4


class UpscaleBody(_Body):
    """Every field is required by the page (docs/providers.md#vidu-fields)."""

    input: UpscaleInput
    type: Literal["upscale"] = "upscale"
    settings: UpscaleSettings


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Resolution(_Answer):
    width: int | None = None
    height: int | None = None


class VideoInfo(_Answer):
    duration: float | None = None
    fps: float | None = None


class Creation(_Answer):
    id: str | None = None
    task_id: str | None = None
    type: str | None = None
    uri: str | None = None
    cover_uri: str | None = None
    resolution: Resolution | None = None
    video: VideoInfo | None = None

    @field_validator("id", "task_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Task(_Answer):
    id: str
    type: str | None = None
    state: str | None = None
    creations: list[Creation] | None = None
    err_code: str | None = None
    created_at: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class StateEvent(_Answer):
    """One `data:` line of the live state stream."""

    state: str | None = None
    estimated_time_left: float | None = None
    err_code: str | None = None
