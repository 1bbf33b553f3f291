"""Provider-neutral request models, one per capability, with every documented limit.

The limits come from the seed pages in ../shared/seeds and from PROVIDERS.md. Where no page
gives a limit, the value is DECIDED here (and marked so) to keep every choice in one place.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.errors import InvalidRequest
from core.media import UploadLimits, audio_seconds, require_format

Capability = Literal[
    "text_to_music", "image_to_music", "extend_music", "text_to_image", "video_upscale"
]
CAPABILITIES: tuple[Capability, ...] = (
    "text_to_music",
    "image_to_music",
    "extend_music",
    "text_to_image",
    "video_upscale",
)

SEED_MAX = 2**32 - 1
RANDOM_SEED = -1

SongEmotion = Literal[
    "HAPPY",
    "SAD",
    "ROMANTIC",
    "QUIET",
    "LAZY",
    "EXCITING",
    "MAGNIFICENT",
    "FUNNY",
    "FEAR",
    "WARM",
    "ANGRY",
]
MULTITRACK_ONLY_EMOTIONS: frozenset[str] = frozenset({"WARM", "ANGRY"})
SongGenre = Literal["POP", "CLASSICAL", "CHINA", "SOFT", "JAZZ"]
SongType = Literal["LARGE_MODEL", "MULTITRACK"]
SunoModel = Literal["V3_5", "V4", "V4_5", "V4_5PLUS", "V5"]
IMAGE_FORMATS = ("png", "jpeg", "webp")  # seed 001: png, jpg, jpeg, webp
AUDIO_FORMATS = ("wav", "mp3", "flac", "ogg")
VIDEO_FORMATS = ("mp4", "webm")
SAMPLERS: tuple[str, ...] = (
    "DPM++ 2M Karras",
    "DPM++ SDE Karras",
    "DPM++ 2M SDE Karras",
    "Euler a",
    "Euler",
    "DDIM",
    "UniPC",
    "LMS",
    "Heun",
    "DPM2",
)

# Suno, per model: (prompt, style, title) maximum lengths (seed 003).
SUNO_TEXT_LIMITS: dict[str, tuple[int, int, int]] = {
    "V3_5": (3000, 200, 80),
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100),
    "V4_5PLUS": (5000, 1000, 100),
    "V5": (5000, 1000, 100),
}
# The seed's guide says 8 minutes, its field note 2: refuse over 8, warn over 2 (PROVIDERS.md).
SOURCE_AUDIO_MAX_S = 8 * 60.0
SOURCE_AUDIO_WARN_S = 2 * 60.0


# The validation context key under which build_request hands the upload caps to the models.
UPLOAD_LIMITS = "upload_limits"


def _finite_number(value: Any) -> float | None:
    """`value` as a finite float, or None (nan, inf and ints too big for a float included)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _on_grid(value: Any, step: float, digits: int, field: str) -> Any:
    """A number on the `step` grid, rounded to `digits`; anything else goes on unchanged.

    Non-numbers, nan, inf and numbers so large that value / step overflows are left to the
    field's own type and range checks, which name the field and the allowed range.
    """
    number = _finite_number(value)
    if number is None:
        return value
    ratio = number / step
    if not math.isfinite(ratio):
        return value
    if not math.isclose(ratio, round(ratio), abs_tol=1e-6):
        raise ValueError(f"{field} must be a multiple of {step}")
    return round(number, digits)


def _seconds(value: float) -> str:
    """A length for a message: whole seconds, or three figures when absurdly large."""
    return f"{value:.0f}" if abs(value) < 1e7 else f"{value:.3g}"


def _upload_limits(info: ValidationInfo) -> UploadLimits | None:
    context = info.context if isinstance(info.context, dict) else {}
    limits = context.get(UPLOAD_LIMITS)
    return limits if isinstance(limits, UploadLimits) else None


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_http_url(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError(f"{field} must be an http(s) URL, got {_shown(value)}")
    if len(value) > 2048:
        raise ValueError(f"{field} must be at most 2048 characters")
    # A provider (or our own download) cannot fetch an address with no host or with spaces.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(f"{field} must not contain spaces or control characters")
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise ValueError(f"{field} must be an http(s) URL with a host name, got {_shown(value)}")
    return value


class StudioRequest(BaseModel):
    """Base of every capability request: strict fields, no extras."""

    # nan and inf pass range checks in surprising ways (inf > 0): no field takes them.
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)

    capability: ClassVar[Capability]

    def public_params(self) -> dict[str, Any]:
        """The parameters as stored in History and output metadata (paths as strings)."""
        return self.model_dump(mode="json")

    def warnings(self) -> list[str]:
        """Things worth telling the user that do not stop the job."""
        return []


class TextToMusicRequest(StudioRequest):
    """Img Open text2music (seed 000)."""

    capability: ClassVar[Capability] = "text_to_music"

    prompt: str = Field(min_length=1, max_length=2000)
    seconds: float = Field(30.0, ge=1.0, le=50.0)
    steps: int = Field(50, ge=10, le=100)
    cfg: float = Field(7.0, ge=1.0, le=15.0, multiple_of=0.1)
    seed: int = Field(RANDOM_SEED, ge=RANDOM_SEED, le=SEED_MAX)

    @field_validator("prompt")
    @classmethod
    def _prompt_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("prompt must not be empty")
        return value

    @field_validator("cfg", mode="before")
    @classmethod
    def _cfg_tenths(cls, value: Any) -> Any:
        # pydantic's multiple_of on floats rejects 7.3 through binary rounding; check here instead.
        return _on_grid(value, 0.1, 1, "cfg")


class ImageToMusicRequest(StudioRequest):
    """Tencent Multimedia Lab imageBgmGeneration (seed 001)."""

    capability: ClassVar[Capability] = "image_to_music"

    image: Path | None = None
    image_url: str | None = None
    song_quantity: int = Field(1, ge=1, le=100)
    output_type: Literal["mp3", "mp4"] = "mp3"
    emotion: SongEmotion | None = None
    genre: SongGenre | None = None
    song_type: SongType = "LARGE_MODEL"

    @field_validator("image", "image_url", "emotion", "genre", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("output_type", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("emotion", "genre", "song_type", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("image_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _check_http_url("image_url", value)

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> ImageToMusicRequest:
        if self.image is None and self.image_url is None:
            raise InvalidRequest("image", "give an image file or an image_url")
        if self.image is not None and self.image_url is not None:
            raise InvalidRequest("image", "give either an image file or an image_url, not both")
        if self.image is not None:
            require_format(self.image, "image", IMAGE_FORMATS, limits=_upload_limits(info))
        if self.genre is not None and self.song_type == "MULTITRACK":
            raise InvalidRequest(
                "genre", "a genre cannot be set with song_type MULTITRACK (use LARGE_MODEL)"
            )
        if self.emotion in MULTITRACK_ONLY_EMOTIONS and self.song_type != "MULTITRACK":
            raise InvalidRequest(
                "emotion", f"{self.emotion} is only allowed with song_type MULTITRACK"
            )
        return self


def _song_seconds(path: Path) -> float:
    """The song's length, or InvalidRequest("audio") when the file holds no readable audio."""
    try:
        seconds = audio_seconds(path)
    except InvalidRequest:
        raise
    except Exception as error:  # decoders raise a zoo of types (EOFError, OSError...) on damage
        raise InvalidRequest(
            "audio", f"{path.name!r} could not be read as audio ({type(error).__name__})"
        ) from None
    if not (math.isfinite(seconds) and seconds > 0):
        raise InvalidRequest("audio", f"{path.name!r} holds no audio")
    return seconds


class ExtendMusicRequest(StudioRequest):
    """Suno upload-and-extend (seed 003)."""

    capability: ClassVar[Capability] = "extend_music"

    audio: Path | None = None
    upload_url: str | None = None
    custom_mode: bool = False
    model: SunoModel = "V4_5"
    instrumental: bool = False
    prompt: str = ""
    style: str = ""
    title: str = ""
    continue_at: float | None = Field(None, gt=0)
    negative_tags: str = Field("", max_length=1000)
    vocal_gender: Literal["m", "f"] | None = None
    style_weight: float | None = Field(None, ge=0.0, le=1.0)
    weirdness_constraint: float | None = Field(None, ge=0.0, le=1.0)
    audio_weight: float | None = Field(None, ge=0.0, le=1.0)
    # Filled from the uploaded file itself; None when only a URL is known.
    source_seconds: float | None = Field(None, gt=0)

    @field_validator("audio", "upload_url", "vocal_gender", "continue_at", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("style_weight", "weirdness_constraint", "audio_weight", mode="before")
    @classmethod
    def _hundredths(cls, value: Any, info: ValidationInfo) -> Any:
        return _on_grid(_blank_to_none(value), 0.01, 2, str(info.field_name))

    @field_validator("upload_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _check_http_url("upload_url", value)

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> ExtendMusicRequest:
        if self.audio is None and self.upload_url is None:
            raise InvalidRequest("audio", "give an audio file or an upload_url")
        if self.audio is not None and self.upload_url is not None:
            raise InvalidRequest("audio", "give either an audio file or an upload_url, not both")
        if self.audio is not None:
            require_format(self.audio, "audio", AUDIO_FORMATS, limits=_upload_limits(info))
            if self.source_seconds is None:
                self.source_seconds = _song_seconds(self.audio)
        prompt_max, style_max, title_max = SUNO_TEXT_LIMITS[self.model]
        for field, value, limit in (
            ("prompt", self.prompt, prompt_max),
            ("style", self.style, style_max),
            ("title", self.title, title_max),
        ):
            if len(value) > limit:
                raise InvalidRequest(
                    field,
                    f"{len(value)} characters is too long for model {self.model}: at most {limit}",
                )
        if self.custom_mode:
            for field in ("style", "title"):
                if not getattr(self, field).strip():
                    raise InvalidRequest(field, "is required in custom mode")
            if not self.instrumental and not self.prompt.strip():
                raise InvalidRequest(
                    "prompt", "is required in custom mode unless instrumental (it is the lyrics)"
                )
            if self.continue_at is None:
                raise InvalidRequest("continue_at", "is required in custom mode (seconds > 0)")
        elif not self.prompt.strip():
            raise InvalidRequest("prompt", "is required in default mode")
        if self.source_seconds is not None:
            if self.source_seconds > SOURCE_AUDIO_MAX_S:
                # A length the caller gave with no file is that field's fault, not a song's.
                field = "audio" if self.audio is not None else "source_seconds"
                raise InvalidRequest(
                    field,
                    f"the song is {_seconds(self.source_seconds)} s long; at most "
                    f"{SOURCE_AUDIO_MAX_S:.0f} s (8 minutes) is allowed",
                )
            if self.continue_at is not None and self.continue_at >= self.source_seconds:
                raise InvalidRequest(
                    "continue_at",
                    f"{self.continue_at} s must be greater than 0 and less than the song's "
                    f"length ({self.source_seconds:.2f} s)",
                )
        return self

    def warnings(self) -> list[str]:
        if self.source_seconds is not None and self.source_seconds > SOURCE_AUDIO_WARN_S:
            return [
                f"The song is {self.source_seconds:.0f} s long; the provider's field notes "
                "advise at most 2 minutes, so a remote provider may refuse it."
            ]
        return []


class TextToImageRequest(StudioRequest):
    """Img Open SD text2image v2 (seed 002). The seed gives no ranges: DECIDED A1111's usual ones."""

    capability: ClassVar[Capability] = "text_to_image"

    prompt: str = Field(min_length=1, max_length=5000)
    negative_prompt: str = Field("", max_length=5000)
    width: int = Field(768, ge=64, le=2048, multiple_of=8)
    height: int = Field(768, ge=64, le=2048, multiple_of=8)
    steps: int = Field(25, ge=1, le=150)
    cfg_scale: float = Field(7.0, ge=1.0, le=30.0)
    sampler: str = "DPM++ 2M Karras"
    seed: int = Field(RANDOM_SEED, ge=RANDOM_SEED, le=SEED_MAX)
    n_iter: int = Field(1, ge=1, le=8)
    enable_hr: bool = False
    hr_scale: float = Field(2.0, ge=1.0, le=4.0)
    hr_second_pass_steps: int = Field(20, ge=0, le=150)
    denoising_strength: float = Field(0.55, ge=0.0, le=1.0)
    restore_faces: bool = False
    checkpoint: str = Field("", max_length=256)
    vae: str = Field("", max_length=256)
    clip_skip: int = Field(2, ge=1, le=12)

    @field_validator("prompt")
    @classmethod
    def _prompt_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("prompt must not be empty")
        return value

    @field_validator("sampler")
    @classmethod
    def _known_sampler(cls, value: str) -> str:
        if value not in SAMPLERS:
            raise ValueError(f"sampler must be one of: {', '.join(SAMPLERS)}")
        return value

    @model_validator(mode="after")
    def _hires_size(self) -> TextToImageRequest:
        if self.enable_hr:
            side = max(self.width, self.height) * self.hr_scale
            if side > 4096:
                raise InvalidRequest(
                    "hr_scale",
                    f"{self.hr_scale} × {max(self.width, self.height)} px = {side:.0f} px; the "
                    "upscaled image may be at most 4096 px on a side",
                )
        return self

    @property
    def output_size(self) -> tuple[int, int]:
        """Width and height of the final images, after the hires pass when enabled."""
        if not self.enable_hr:
            return self.width, self.height
        return (
            int(round(self.width * self.hr_scale / 8) * 8),
            int(round(self.height * self.hr_scale / 8) * 8),
        )


class VideoUpscaleRequest(StudioRequest):
    """Vidu upscale task (seed 004); `scale` is used by the offline provider."""

    capability: ClassVar[Capability] = "video_upscale"

    video: Path | None = None
    creation_id: str | None = Field(None, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")
    model: Literal["stable"] = "stable"
    duration: Literal[4, 8] = 4
    scale: int = Field(2, ge=2, le=4)

    @field_validator("video", "creation_id", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        return value.strip() if isinstance(value, str) else value

    @field_validator("duration", mode="before")
    @classmethod
    def _int_duration(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    @model_validator(mode="after")
    def _one_source(self, info: ValidationInfo) -> VideoUpscaleRequest:
        if self.video is None and self.creation_id is None:
            raise InvalidRequest("video", "give a video file or a creation_id")
        if self.video is not None and self.creation_id is not None:
            raise InvalidRequest("video", "give either a video file or a creation_id, not both")
        if self.video is not None:
            require_format(self.video, "video", VIDEO_FORMATS, limits=_upload_limits(info))
        return self


REQUEST_MODELS: dict[Capability, type[StudioRequest]] = {
    model.capability: model
    for model in (
        TextToMusicRequest,
        ImageToMusicRequest,
        ExtendMusicRequest,
        TextToImageRequest,
        VideoUpscaleRequest,
    )
}


def _allowed_range(model: type[BaseModel], field: str) -> str | None:
    info = model.model_fields.get(field)
    if info is None:
        return None
    bounds: dict[str, Any] = {}
    for meta in info.metadata:
        for name in ("ge", "gt", "le", "lt", "multiple_of", "min_length", "max_length"):
            value = getattr(meta, name, None)
            if value is not None:
                bounds[name] = value
    parts: list[str] = []
    low = bounds.get("ge", bounds.get("gt"))
    high = bounds.get("le", bounds.get("lt"))
    if low is not None and high is not None:
        parts.append(f"{'above ' if 'gt' in bounds else ''}{low} to {high}")
    elif low is not None:
        parts.append(f"{'greater than' if 'gt' in bounds else 'at least'} {low}")
    elif high is not None:
        parts.append(f"{'less than' if 'lt' in bounds else 'at most'} {high}")
    if "multiple_of" in bounds:
        parts.append(f"in steps of {bounds['multiple_of']}")
    if "max_length" in bounds:
        parts.append(f"{bounds.get('min_length', 0)} to {bounds['max_length']} characters")
    if field == "seed":
        return f"-1 (random) or 0 to {SEED_MAX}"
    return ", ".join(parts) or None


def _shown(value: Any) -> str:
    """The offending value as a message can show it: never a page of list items or digits."""
    if isinstance(value, str) and len(value) > 60:
        return f"{len(value)} chars"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}… ({type(value).__name__})"


def describe_validation_error(model: type[BaseModel], error: ValidationError) -> InvalidRequest:
    """The first problem of `error` as an InvalidRequest naming field, value and allowed range."""
    first = error.errors()[0]
    loc = [str(part) for part in first.get("loc", ())]
    field = loc[0] if loc else "request"
    ctx_error = (first.get("ctx") or {}).get("error")
    if isinstance(ctx_error, InvalidRequest):
        return ctx_error
    message = str(first.get("msg", "is not valid"))
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if first.get("type") == "extra_forbidden":
        return InvalidRequest(field, "is not a parameter of this capability")
    if first.get("type") == "missing":
        return InvalidRequest(field, "is required")
    shown = _shown(first.get("input"))
    allowed = _allowed_range(model, field)
    text = f"{shown} is not allowed: {message[0].lower()}{message[1:]}"
    if allowed and allowed not in text:
        text += f" (allowed: {allowed})"
    return InvalidRequest(field, text)


def build_request(
    capability: Capability, /, *, limits: UploadLimits | None = None, **values: Any
) -> StudioRequest:
    """Validate `values` into the capability's request, or raise InvalidRequest.

    `limits` caps the input files (size; pixels, read from a picture's header); without it
    only the safety defaults of `UploadLimits` hold.
    """
    model = REQUEST_MODELS[capability]
    try:
        return model.model_validate(values, context={UPLOAD_LIMITS: limits or UploadLimits()})
    except InvalidRequest:
        raise
    except ValidationError as error:
        raise describe_validation_error(model, error) from None
