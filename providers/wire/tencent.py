"""Tencent Multimedia Lab job API wire format (docs/providers.md#tencent).

The keys travel in the body (`secretId`, `secretKey`); they are added by `with_keys()` at send
time only, so the models below never hold them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ACTION_CREATE = "CreateJob"
ACTION_GET = "GetJob"
ACTION_LIST = "ListJobs"

STATE_SUBMITTED = 1
STATE_PROCESSING = 2
STATE_COMPLETED = 3
STATE_ERROR = 4
STATE_CANCELED = 5

CUSTOM_ID_MAX = 63  # "小于 64 字符"
OUTPUT_PREFIX_MAX = 19  # "小于 20 字符"
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".webp")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobInput(_Body):
    url: str


class ImageBgmGeneration(_Body):
    songQuantity: int = Field(1, ge=1, le=100)
    outputType: Literal["MP3", "MP4"] = "MP3"
    emotion: str | None = None
    genre: str | None = None
    type: Literal["LARGE_MODEL", "MULTITRACK"] = "LARGE_MODEL"


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
    state: int | str | None = None
    customId: str | None = None
    message: str | None = None
    error: Any = None
    outputs: list[JobOutputResult] | None = None


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
