"""Vidu (through a reseller's aggregator) wire format: the upscale task (docs/providers.md#vidu)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

TASKS_PATH = "/vidu/v1/tasks"
STATE_STREAM_PATH = "/vidu/v1/tasks/state"

QUEUED_STATES: frozenset[str] = frozenset({"created", "queueing", "queued", "scheduling"})
DONE_STATE = "success"
FAILED_STATE = "failed"
# Fields of a creation object that may hold its video's address, best first (Vidu's own API
# says `uri`; resellers may say `url`); any other field naming a URI or URL that is not a
# picture's comes after them.
VIDEO_URL_FIELDS: tuple[str, ...] = ("uri", "url")
COVER_URL_FIELDS: tuple[str, ...] = ("cover_uri", "cover_url")
NOT_VIDEO_WORDS: tuple[str, ...] = ("cover", "thumb", "poster", "image")


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

    @field_validator("resolution", "video", mode="before")
    @classmethod
    def _details(cls, value: Any) -> Any:
        # Details only feed the metadata: one in another shape must not lose the video.
        return value if isinstance(value, Mapping) else None


def _is_http(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def _first_url(item: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    return next((item[name].strip() for name in names if _is_http(item.get(name))), None)


def _other_video_url(item: Mapping[str, Any]) -> str | None:
    for name, value in item.items():
        lowered = str(name).lower()
        if (
            ("uri" in lowered or "url" in lowered)
            and not any(word in lowered for word in NOT_VIDEO_WORDS)
            and _is_http(value)
        ):
            return value.strip()
    return None


def creation_fields(item: Any) -> dict[str, Any] | None:
    """One item of `creations` as a creation object, whatever its shape.

    The page types `creations` as array[string]: a string that is a URL is the video, any other
    string is taken as the creation's id. An object keeps its fields, with `uri` and `cover_uri`
    filled from `url`, `cover_url` or another URL field when missing. Anything else is dropped.
    """
    if isinstance(item, str):
        text = item.strip()
        if not text:
            return None
        return {"uri": text} if _is_http(text) else {"id": text}
    if not isinstance(item, Mapping):
        return None
    fields = {str(name): value for name, value in item.items()}
    uri = _first_url(fields, VIDEO_URL_FIELDS) or _other_video_url(fields)
    cover = _first_url(fields, COVER_URL_FIELDS)
    return {**fields, "uri": uri, "cover_uri": cover}


class Task(_Answer):
    id: str
    type: str | None = None
    state: str | None = None
    # array[string] by the page, objects by Vidu's own API: both are read (creation_fields).
    creations: list[Creation] | None = None
    err_code: str | None = None
    created_at: str | None = None

    @field_validator("id", "err_code", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("creations", mode="before")
    @classmethod
    def _creations(cls, value: Any) -> Any:
        if value is None:
            return None
        items = value if isinstance(value, list) else [value]
        return [fields for item in items if (fields := creation_fields(item)) is not None]


class StateEvent(_Answer):
    """One `data:` line of the live state stream."""

    state: str | None = None
    estimated_time_left: float | None = None
    err_code: str | None = None
