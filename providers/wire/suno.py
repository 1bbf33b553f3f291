"""Suno API wire format: upload-extend, record-info and file upload (docs/providers.md#suno)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

EXTEND_PATH = "/api/v1/generate/upload-extend"
RECORD_INFO_PATH = "/api/v1/generate/record-info"
UPLOAD_PATH = "/api/file-stream-upload"
OK_CODE = 200

RUNNING_STATUSES: frozenset[str] = frozenset({"PENDING", "TEXT_SUCCESS"})
PREVIEW_STATUS = "FIRST_SUCCESS"
DONE_STATUS = "SUCCESS"
FAILED_STATUSES: frozenset[str] = frozenset(
    {"CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "CALLBACK_EXCEPTION", "SENSITIVE_WORD_ERROR"}
)
# Each studio field Suno names otherwise (docs/providers.md#suno-fields): a refusal names both,
# so that a user reading either page finds it.
FIELD_NAMES: dict[str, str] = {
    "upload_url": "uploadUrl",
    "custom_mode": "defaultParamFlag",
    "continue_at": "continueAt",
    "negative_tags": "negativeTags",
    "vocal_gender": "vocalGender",
    "style_weight": "styleWeight",
    "weirdness_constraint": "weirdnessConstraint",
    "audio_weight": "audioWeight",
}


class UploadExtendBody(BaseModel):
    """The documented body (docs/providers.md#suno-fields); unset optional fields are left out."""

    model_config = ConfigDict(extra="forbid")

    uploadUrl: str
    defaultParamFlag: bool
    instrumental: bool
    model: str
    callBackUrl: str
    prompt: str | None = None
    style: str | None = None
    title: str | None = None
    continueAt: float | None = None
    negativeTags: str | None = None
    vocalGender: str | None = None
    styleWeight: float | None = None
    weirdnessConstraint: float | None = None
    audioWeight: float | None = None


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Envelope(_Answer):
    """`{"code": 200, "msg": ..., "data": ...}`; `code` is an int (a numeric string is accepted)."""

    code: int
    msg: str | None = None
    data: Any = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_number(cls, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
            return int(value.strip())
        return value


class CreateData(_Answer):
    taskId: str | None = None


class UploadData(_Answer):
    downloadUrl: str | None = None


class Track(_Answer):
    id: str | None = None
    audioUrl: str | None = None
    streamAudioUrl: str | None = None
    imageUrl: str | None = None
    title: str | None = None
    tags: str | None = None
    duration: float | None = None


class TrackList(_Answer):
    sunoData: list[Track] | None = None


class RecordInfo(_Answer):
    taskId: str | None = None
    status: str | None = None
    errorCode: Any = None
    errorMessage: str | None = None
    response: TrackList | None = None
