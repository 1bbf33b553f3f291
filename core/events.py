"""The five events a tab ever receives about a job (docs/architecture.md#one-job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.messages import Text

MediaKind = Literal["audio", "image", "video"]


class Output(BaseModel):
    """One produced file, already inside the job's outputs folder."""

    model_config = ConfigDict(frozen=True)

    path: Path
    kind: MediaKind
    metadata: dict[str, Any] = Field(default_factory=dict)


class Queued(BaseModel):
    model_config = ConfigDict(frozen=True)

    position: int | None = None


class Running(BaseModel):
    model_config = ConfigDict(frozen=True)

    percent: float | None = None
    message: Text = ""
    preview: Path | None = None
    preview_kind: MediaKind | None = None
    eta_s: float | None = None


class Succeeded(BaseModel):
    model_config = ConfigDict(frozen=True)

    outputs: list[Output]


class Failed(BaseModel):
    """`message` is for a person (a Message, or a provider's own words): never a key, never a
    stack trace."""

    model_config = ConfigDict(frozen=True)

    message: Text
    retryable: bool = False


class Cancelled(BaseModel):
    """Stopped on request: an end, not an error. `outputs` are the complete files made before
    the stop (possibly none), kept and listed exactly as a success's are."""

    model_config = ConfigDict(frozen=True)

    outputs: list[Output] = Field(default_factory=list)


Event = Queued | Running | Succeeded | Failed | Cancelled


def is_terminal(event: Event) -> bool:
    return isinstance(event, Succeeded | Failed | Cancelled)
