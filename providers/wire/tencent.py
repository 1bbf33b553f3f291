"""Tencent Multimedia Lab job API wire format (docs/providers.md#tencent).

The keys travel in the body (`secretId`, `secretKey`); they are added by `with_keys()` at send
time only, so the models below never hold them.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.requests import SongEmotion, SongGenre, SongType

ACTION_CREATE = "CreateJob"
ACTION_GET = "GetJob"
ACTION_LIST = "ListJobs"


def _numbered(*names: str) -> dict[str, int]:
    """A numbered enum of the page: each name with its number, counted from 1 in page order."""
    return {name: number for number, name in enumerate(names, start=1)}


# The page's numbered enums (docs/providers.md#tencent-fields). Requests carry the numbers;
# answers may carry either, so readers look a value up both ways.
OUTPUT_TYPES = _numbered("MP3", "MP4")
# The request model lists these choices in the page's order (a test holds them to it).
SONG_TYPES = _numbered(*get_args(SongType))
EMOTIONS = _numbered(*get_args(SongEmotion))
GENRES = _numbered(*get_args(SongGenre))
STATES = _numbered("SUBMITTED", "PROCESSING", "COMPLETED", "ERROR", "CANCELED")
# The defaults the page states ("默认mp3", "默认LARGE_MODEL"); a value equal to one is left out
# of the request so that the provider's own default applies.
DEFAULT_OUTPUT_TYPE = "MP3"
DEFAULT_SONG_TYPE = "LARGE_MODEL"

CUSTOM_ID_MAX = 63  # "小于 64 字符"
OUTPUT_PREFIX_MAX = 19  # "小于 20 字符"
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".webp")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobInput(_Body):
    url: str


class ImageBgmGeneration(_Body):
    """The enums as the page's numbers; None is left out (the provider's default applies)."""

    songQuantity: int = Field(ge=1, le=100)
    outputType: int | None = Field(None, ge=1, le=len(OUTPUT_TYPES))
    emotion: int | None = Field(None, ge=1, le=len(EMOTIONS))
    genre: int | None = Field(None, ge=1, le=len(GENRES))
    type: int | None = Field(None, ge=1, le=len(SONG_TYPES))


class SmartContentDescriptor(_Body):
    outputPrefix: str | None = Field(None, max_length=OUTPUT_PREFIX_MAX)
    imageBgmGeneration: ImageBgmGeneration


class JobOutput(_Body):
    contentId: str | None = None
    destination: str = "/"
    inputSelectors: list[int] = Field(default_factory=lambda: [0])
    smartContentDescriptor: SmartContentDescriptor


class CreateJobRequest(_Body):
    inputs: list[JobInput]
    outputs: list[JobOutput]
    callback: str | None = None
    customId: str = Field(max_length=CUSTOM_ID_MAX)
    timeout: int | None = Field(None, gt=0)


def with_keys(action: str, secret_id: str, secret_key: str, **payload: Any) -> dict[str, Any]:
    """The full request body: the public parameters plus the action and the keys."""
    return {"action": action, "secretId": secret_id, "secretKey": secret_key, **payload}


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class BgmResult(_Answer):
    songName: str | None = None
    videoName: str | None = None


class SmartContentResult(_Answer):
    imageBgmGeneration: list[BgmResult] | None = None


class JobOutputResult(_Answer):
    contentId: str | None = None
    destination: str | None = None
    smartContentResult: SmartContentResult | None = None


class Job(_Answer):
    id: str | None = None
    # A number (the page's examples) or a name: read by name either way.
    state: int | str | None = None
    customId: str | None = None
    message: str | None = None
    error: Any = None
    outputs: list[JobOutputResult] | None = None

    @field_validator("id", "customId", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ErrorResponse(_Answer):
    code: Any = None
    message: str | None = None


class JobHolder(_Answer):
    job: Job | None = None


class JobList(_Answer):
    jobs: list[Job] | None = None
    total: int | None = None


class Answer(_Answer):
    """Any answer of the job API: one of the `*Response` members is set."""

    requestId: str | None = None
    createJobResponse: JobHolder | None = None
    getJobResponse: JobHolder | None = None
    listJobsResponse: JobList | None = None
    errorResponse: ErrorResponse | None = None
