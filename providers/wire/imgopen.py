"""Img Open wire format: text2music and SD text2image v2 (docs/providers.md#imgopen)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

MUSIC_PATH = "/AIGCImgOpenServ/saas/vocal/text2music"
IMAGE_PATH = "/AIGCImgOpenServ/saas/sd/v2/text2image"
STATUS_PATH = "/AIGCImgOpenServ/saas/sd/v2/queryTaskInfo"
# Tasks of earlier months are only in the archive (same body, same answer shape).
ARCHIVE_STATUS_PATH = "/AIGCImgOpenServ/saas/sd/queryTaskInfo"
# The tools' task query (same body); its toolCode is the part of a tool's path after `tool/`.
TOOL_STATUS_PATH = "/AIGCImgOpenServ/saas/tool/{tool_code}/queryTask"
# Text to music is not under `tool/`, so the rule reads two ways: the part after its category
# (`vocal/`), or the whole path after `saas/` (docs/providers.md#imgopen-status).
MUSIC_TOOL_CODES: tuple[str, ...] = ("text2music", "vocal/text2music")
# The checkpoint of the SD page's example, named when the provider asks for one.
PAGE_EXAMPLE_CHECKPOINT = "revAnimated_v122_7371.safetensors"
KEY_ID_HEADER = "X-Request-req-accessKeyId"
KEY_SECRET_HEADER = "X-Request-req-accessKeySecret"
OK_CODE = "200"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text2MusicBody(_Body):
    businessTaskId: str
    comfyTaskType: Literal["StableAudioOpen"] = "StableAudioOpen"
    prompt: str
    seed: int = -1
    steps: int = 50
    cfg: float = 7.0
    seconds: float = 30.0
    callbackUrl: str | None = None


class OverrideSettings(_Body):
    CLIP_stop_at_last_layers: int


class AlwaysOnScripts(_Body):
    sd_model_checkpoint: str | None = None
    id_task: str
    sd_vae: str | None = None
    override_settings: OverrideSettings


class Text2ImageBody(_Body):
    prompt: str
    negative_prompt: str = ""
    n_iter: int = 1
    steps: int = 25
    # A string, as in the page's example (docs/providers.md#imgopen-image); A1111 reads "-1"
    # as random.
    seed: str = "-1"
    restore_faces: bool = False
    enable_hr: bool = False
    hr_scale: float = 2.0
    hr_second_pass_steps: int = 20
    hr_resize_x: int | None = None
    hr_resize_y: int | None = None
    denoising_strength: float = 0.55
    width: int = 768
    height: int = 768
    cfg_scale: float = 7.0
    sampler_index: str = "DPM++ 2M Karras"
    callbackUrl: str | None = None
    alwayson_scripts: AlwaysOnScripts


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Envelope(_Answer):
    """`{"code": "200", "msg": ..., "data": ...}`; `code` is a string (an int is accepted too)."""

    code: str
    msg: str | None = None
    data: Any = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @property
    def ok(self) -> bool:
        return self.code.strip() == OK_CODE


class CreateData(_Answer):
    taskId: str | None = None
    task_id: str | None = None

    @property
    def any_id(self) -> str | None:
        return self.taskId or self.task_id


class ResultItem(_Answer):
    img_audit_status: bool | None = None
    image_status: int | str | None = None
    image_url: str | None = None
    seed: int | str | None = None


class TaskInfo(_Answer):
    id_task: str | None = None
    task_id: str | None = None
    status: int | str | None = None
    desc: str | None = None
    temporaryImageDto: Any = None
    differentialImageRspList: list[ResultItem] | None = None
