"""Provider-neutral request models, one per capability, with every documented limit.

The limits are the providers' documented ones (each provider's fields and limits in
docs/providers.md). Where a provider's page gives none, the value chosen here is recorded there
as a Decision, so that every choice is made in one place.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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
from pydantic_core import PydanticCustomError

from core.errors import InvalidRequest
from core.media import UploadLimits, audio_seconds, require_format
from core.messages import Message, msg
from core.refusals import Refusal, describe_validation_error, shown_value
from core.request_fields import ID_PATTERN, SEED_MAX, finite_number, plain_number

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
IMAGE_FORMATS = ("png", "jpeg", "webp")  # kinds by content (docs/providers.md#tencent-fields)
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

# Suno, per model: (prompt, style, title) maximum lengths (docs/providers.md#suno-limits).
SUNO_TEXT_LIMITS: dict[str, tuple[int, int, int]] = {
    "V3_5": (3000, 200, 80),
    "V4": (3000, 200, 80),
    "V4_5": (5000, 1000, 100),
    "V4_5PLUS": (5000, 1000, 100),
    "V5": (5000, 1000, 100),
}
# Suno's guide says 8 minutes, its field note 2: refuse over 8, warn over 2
# (docs/providers.md#suno-limits).
SOURCE_AUDIO_MAX_S = 8 * 60.0
SOURCE_AUDIO_WARN_S = 2 * 60.0


# The validation context key under which build_request hands the upload caps to the models.
UPLOAD_LIMITS = "upload_limits"
URL_MAX_CHARS = 2048


def _on_grid(value: Any, step: float, digits: int) -> Any:
    """A number on the `step` grid, rounded to `digits`; anything else goes on unchanged.

    Non-numbers, nan, inf and numbers so large that value / step overflows are left to the
    field's own type and range checks, which name the field and the allowed range.
    """
    number = finite_number(value)
    if number is None:
        return value
    ratio = number / step
    if not math.isfinite(ratio):
        return value
    if not math.isclose(ratio, round(ratio), abs_tol=1e-6):
        # pydantic's own error type, so the refusal reads like every other step refusal.
        raise PydanticCustomError(
            "multiple_of", "Input should be a multiple of {multiple_of}", {"multiple_of": step}
        )
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


def _stripped(value: Any) -> Any:
    # Before the length check, so that spaces alone are "nothing written", refused once.
    return value.strip() if isinstance(value, str) else value


def _empty(value: Any) -> bool:
    """Nothing given: None, or text that is only spaces (a page's empty box)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _check_http_url(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        raise Refusal(msg("url_not_http", value=shown_value(value)))
    if len(value) > URL_MAX_CHARS:
        raise Refusal(msg("url_too_long", most=URL_MAX_CHARS))
    # A provider (or our own download) cannot fetch an address with no host or with spaces.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise Refusal(msg("url_spaces"))
    try:
        host = urlsplit(value).hostname
    except ValueError:
        host = None
    if not host:
        raise Refusal(msg("url_no_host", value=shown_value(value)))
    return value


def _one_source(
    request: StudioRequest,
    formats: tuple[str, ...],
    info: ValidationInfo,
    neither: Message,
    both: Message,
) -> None:
    """Exactly one of an uploaded file and its alternative (a URL or an id), as the model's
    `sources` name them; the file checked by its content."""
    assert request.sources is not None
    file_field, other_field = request.sources
    path, other = getattr(request, file_field), getattr(request, other_field)
    if path is None and other is None:
        raise InvalidRequest(file_field, neither)
    if path is not None and other is not None:
        raise InvalidRequest(file_field, both)
    if path is not None:
        require_format(path, file_field, formats, limits=_upload_limits(info))


class StudioRequest(BaseModel):
    """Base of every capability request: strict fields, no extras."""

    # nan and inf pass range checks in surprising ways (inf > 0): no field takes them.
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)

    capability: ClassVar[Capability]
    # Fields the model fills in itself (never API parameters).
    derived_fields: ClassVar[frozenset[str]] = frozenset()
    # The input to work from when it is one of two: (the file, its alternative: a URL or an id).
    sources: ClassVar[tuple[str, str] | None] = None

    @classmethod
    def api_fields(cls) -> list[str]:
        """The public API's parameters, in their order (the provider comes after them)."""
        return [name for name in cls.model_fields if name not in cls.derived_fields]

    @classmethod
    def missing_inputs(cls, values: Mapping[str, Any]) -> list[str]:
        """The inputs no job can start without that `values` leaves empty: required fields and
        one of the two sources. Nothing is read or range-checked (a page asks on every
        keystroke); the request model still checks everything when the job is asked for."""
        missing = [
            name
            for name, info in cls.model_fields.items()
            if info.is_required() and _empty(values.get(name))
        ]
        if cls.sources is not None and all(_empty(values.get(name)) for name in cls.sources):
            missing.append(cls.sources[0])
        return missing

    @classmethod
    def presence_fields(cls) -> tuple[str, ...]:
        """The fields `missing_inputs` reads."""
        required = tuple(name for name, info in cls.model_fields.items() if info.is_required())
        return required + (cls.sources or ())

    def public_params(self) -> dict[str, Any]:
        """The parameters as stored in History and output metadata (paths as strings)."""
        return self.model_dump(mode="json")

    def warnings(self) -> list[Message]:
        """Things worth telling the user that do not stop the job."""
        return []


class TextToMusicRequest(StudioRequest):
    """Img Open text2music (docs/providers.md#imgopen-music)."""

    capability: ClassVar[Capability] = "text_to_music"

    prompt: str = Field(
        min_length=1,
        max_length=2000,
        description='What the music should be: mood, genre, instruments, tempo ("90 bpm", '
        '"每分钟90拍") and key ("A minor", "G大调"); 1 to 2000 characters.',
    )
    seconds: float = Field(
        30.0, ge=1.0, le=50.0, description="Length of the music in seconds, 1.0 to 50.0."
    )
    steps: int = Field(
        50, ge=10, le=100, description="Generation steps, 10 to 100 (offline: arrangement detail)."
    )
    cfg: float = Field(
        7.0,
        ge=1.0,
        le=15.0,
        multiple_of=0.1,
        description="Prompt strength, 1 to 15 in steps of 0.1 (offline: how strictly prompt words "
        "override the seed's own choices).",
    )
    seed: int = Field(
        RANDOM_SEED,
        ge=RANDOM_SEED,
        le=SEED_MAX,
        description="-1 for a random seed, or 0 to 4294967295 to reproduce a result.",
    )

    @field_validator("prompt", mode="before")
    @classmethod
    def _prompt_stripped(cls, value: Any) -> Any:
        return _stripped(value)

    @field_validator("cfg", mode="before")
    @classmethod
    def _cfg_tenths(cls, value: Any) -> Any:
        # pydantic's multiple_of on floats rejects 7.3 through binary rounding; check here instead.
        return _on_grid(value, 0.1, 1)


class ImageToMusicRequest(StudioRequest):
    """Tencent Multimedia Lab imageBgmGeneration (docs/providers.md#tencent-fields)."""

    capability: ClassVar[Capability] = "image_to_music"
    sources: ClassVar[tuple[str, str] | None] = ("image", "image_url")

    image: Path | None = Field(
        None, description="The picture (png, jpg or webp); give this or image_url."
    )
    image_url: str | None = Field(
        None, description="An http(s) address of the picture; give this or image."
    )
    song_quantity: int = Field(
        1, ge=1, le=100, description="How many different songs to make, 1 to 100."
    )
    output_type: Literal["mp3", "mp4"] = Field(
        "mp3",
        description='"mp3" for audio, "mp4" for a video of the picture with its music.',
    )
    emotion: SongEmotion | None = Field(
        None,
        description="Empty to read it from the picture, or one of HAPPY, SAD, ROMANTIC, QUIET, "
        "LAZY, EXCITING, MAGNIFICENT, FUNNY, FEAR (WARM and ANGRY need MULTITRACK).",
    )
    genre: SongGenre | None = Field(
        None,
        description="Empty to read it from the picture, or POP, CLASSICAL, CHINA, SOFT, JAZZ "
        "(not with MULTITRACK).",
    )
    song_type: SongType = Field(
        "LARGE_MODEL", description='"LARGE_MODEL" (default) or "MULTITRACK".'
    )

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
        return _check_http_url(value)

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> ImageToMusicRequest:
        _one_source(self, IMAGE_FORMATS, info, msg("need_image"), msg("need_one_image"))
        if self.genre is not None and self.song_type == "MULTITRACK":
            raise InvalidRequest("genre", msg("genre_with_multitrack"))
        if self.emotion in MULTITRACK_ONLY_EMOTIONS and self.song_type != "MULTITRACK":
            raise InvalidRequest("emotion", msg("emotion_needs_multitrack"))
        return self


def _song_seconds(path: Path) -> float:
    """The song's length, or InvalidRequest("audio") when the file holds no readable audio."""
    try:
        seconds = audio_seconds(path)
    except InvalidRequest:
        raise
    except Exception as error:  # decoders raise a zoo of types (EOFError, OSError...) on damage
        raise InvalidRequest(
            "audio", msg("audio_unreadable", name=repr(path.name), error=type(error).__name__)
        ) from None
    if not (math.isfinite(seconds) and seconds > 0):
        raise InvalidRequest("audio", msg("audio_empty", name=repr(path.name)))
    return seconds


def _prompt_needed(custom_mode: bool, instrumental: bool) -> bool:
    """Default mode needs a prompt (how to go on); custom mode too (the lyrics), unless the
    song is instrumental."""
    return not (custom_mode and instrumental)


_WEIGHT = "0.01 to 1 in steps of 0.01; 0 or empty leaves it to the provider."


class ExtendMusicRequest(StudioRequest):
    """Suno upload-and-extend (docs/providers.md#suno-fields, #suno-limits)."""

    capability: ClassVar[Capability] = "extend_music"
    derived_fields: ClassVar[frozenset[str]] = frozenset({"source_seconds"})
    sources: ClassVar[tuple[str, str] | None] = ("audio", "upload_url")

    audio: Path | None = Field(
        None,
        description="The song (wav, mp3, flac or ogg, at most 8 minutes); give this or upload_url.",
    )
    upload_url: str | None = Field(
        None, description="An http(s) address of the song; give this or audio."
    )
    custom_mode: bool = Field(
        False,
        description="True to set style, title and continue_at yourself (Suno's custom mode).",
    )
    model: SunoModel = Field(
        "V4_5",
        description="V3_5, V4, V4_5, V4_5PLUS or V5; must match the source song's model.",
    )
    instrumental: bool = Field(False, description="True for music without vocals.")
    prompt: str = Field(
        "",
        description="How to continue (default mode), or the lyrics (custom mode, unless "
        "instrumental); at most 3000 or 5000 characters depending on the model.",
    )
    style: str = Field("", description='Music style (custom mode), e.g. "jazz".')
    title: str = Field("", description="Title of the result (custom mode).")
    # A page's number box cannot be empty (Gradio shows and sends 0), so 0 means "not set"
    # as empty does: the song goes on from its end. Custom mode needs a second within it.
    continue_at: float | None = Field(
        None,
        ge=0,
        description="Second at which the continuation starts, less than the song's length; "
        "empty or 0 to go on from the end of the song (default mode). Custom mode needs a "
        "second above 0.",
    )
    negative_tags: str = Field("", max_length=1000, description="Styles to avoid.")
    vocal_gender: Literal["m", "f"] | None = Field(None, description='"m", "f" or empty.')
    style_weight: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description=_WEIGHT,
    )
    weirdness_constraint: float | None = Field(None, ge=0.0, le=1.0, description=_WEIGHT)
    audio_weight: float | None = Field(None, ge=0.0, le=1.0, description=_WEIGHT)
    # Filled from the uploaded file itself; None when only a URL is known.
    source_seconds: float | None = Field(None, gt=0)

    @field_validator("audio", "upload_url", "vocal_gender", "continue_at", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)

    # A page's number box cannot be empty: it shows and sends 0 for "not set".
    @field_validator("continue_at", "style_weight", "weirdness_constraint", "audio_weight")
    @classmethod
    def _zero_is_unset(cls, value: float | None) -> float | None:
        return None if value == 0 else value

    @field_validator("style_weight", "weirdness_constraint", "audio_weight", mode="before")
    @classmethod
    def _hundredths(cls, value: Any) -> Any:
        return _on_grid(_blank_to_none(value), 0.01, 2)

    @field_validator("upload_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _check_http_url(value)

    @classmethod
    def missing_inputs(cls, values: Mapping[str, Any]) -> list[str]:
        missing = super().missing_inputs(values)
        custom, instrumental = bool(values.get("custom_mode")), bool(values.get("instrumental"))
        if _prompt_needed(custom, instrumental) and _empty(values.get("prompt")):
            missing.append("prompt")
        return missing

    @classmethod
    def presence_fields(cls) -> tuple[str, ...]:
        return (*super().presence_fields(), "prompt", "custom_mode", "instrumental")

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> ExtendMusicRequest:
        _one_source(self, AUDIO_FORMATS, info, msg("need_audio"), msg("need_one_audio"))
        if self.audio is not None and self.source_seconds is None:
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
                    msg("text_too_long_for_model", count=len(value), model=self.model, most=limit),
                )
        if _prompt_needed(self.custom_mode, self.instrumental) and not self.prompt.strip():
            key = (
                "prompt_required_in_custom_mode" if self.custom_mode else "required_in_default_mode"
            )
            raise InvalidRequest("prompt", msg(key))
        if self.custom_mode:
            for field in ("style", "title"):
                if not getattr(self, field).strip():
                    raise InvalidRequest(field, msg("required_in_custom_mode"))
            if self.continue_at is None:
                raise InvalidRequest("continue_at", msg("continue_at_required_in_custom_mode"))
        if self.source_seconds is not None:
            if self.source_seconds > SOURCE_AUDIO_MAX_S:
                # A length the caller gave with no file is that field's fault, not a song's.
                field = "audio" if self.audio is not None else "source_seconds"
                raise InvalidRequest(
                    field,
                    msg(
                        "song_too_long",
                        seconds=_seconds(self.source_seconds),
                        most=f"{SOURCE_AUDIO_MAX_S:.0f}",
                    ),
                )
            if self.continue_at is not None and self.continue_at >= self.source_seconds:
                raise InvalidRequest(
                    "continue_at",
                    msg(
                        "continue_at_past_end",
                        continue_at=plain_number(self.continue_at),
                        length=f"{self.source_seconds:.2f}",
                    ),
                )
        return self

    def warnings(self) -> list[Message]:
        if self.source_seconds is not None and self.source_seconds > SOURCE_AUDIO_WARN_S:
            return [msg("warning_long_song", seconds=f"{self.source_seconds:.0f}")]
        return []


class TextToImageRequest(StudioRequest):
    """Img Open SD text2image v2: A1111's usual ranges, as its page gives none.

    See docs/providers.md#imgopen-image.
    """

    capability: ClassVar[Capability] = "text_to_image"

    prompt: str = Field(
        min_length=1,
        max_length=5000,
        description="What to paint, in English or Chinese; 1 to 5000 characters.",
    )
    negative_prompt: str = Field("", max_length=5000, description="What to leave out.")
    width: int = Field(
        768,
        ge=64,
        le=2048,
        multiple_of=8,
        description="Width in pixels, 64 to 2048, a multiple of 8.",
    )
    height: int = Field(
        768,
        ge=64,
        le=2048,
        multiple_of=8,
        description="Height in pixels, 64 to 2048, a multiple of 8.",
    )
    steps: int = Field(25, ge=1, le=150, description="Sampling steps, 1 to 150.")
    cfg_scale: float = Field(7.0, ge=1.0, le=30.0, description="Prompt strength, 1 to 30.")
    sampler: str = Field(
        "DPM++ 2M Karras",
        description='Sampler name, e.g. "DPM++ 2M Karras", "Euler a".',
        json_schema_extra={"choices": list(SAMPLERS)},
    )
    seed: int = Field(
        RANDOM_SEED,
        ge=RANDOM_SEED,
        le=SEED_MAX,
        description="-1 for random, or 0 to 4294967295; image k uses seed + k.",
    )
    n_iter: int = Field(1, ge=1, le=8, description="Number of images, 1 to 8.")
    enable_hr: bool = Field(False, description="True to upscale with a second (hires) pass.")
    hr_scale: float = Field(2.0, ge=1.0, le=4.0, description="Hires upscale factor, 1 to 4.")
    hr_second_pass_steps: int = Field(
        20, ge=0, le=150, description="Steps of the hires pass, 0 to 150."
    )
    denoising_strength: float = Field(
        0.55, ge=0.0, le=1.0, description="How much the hires pass changes the picture, 0 to 1."
    )
    restore_faces: bool = Field(False, description="Face restoration (Img Open).")
    checkpoint: str = Field(
        "", max_length=256, description="Model checkpoint name (Img Open); empty for the default."
    )
    vae: str = Field("", max_length=256, description="VAE name (Img Open); empty for the default.")
    clip_skip: int = Field(2, ge=1, le=12, description="CLIP layers to skip, 1 to 12.")

    @field_validator("prompt", mode="before")
    @classmethod
    def _prompt_stripped(cls, value: Any) -> Any:
        return _stripped(value)

    @field_validator("sampler")
    @classmethod
    def _known_sampler(cls, value: str) -> str:
        if value not in SAMPLERS:
            # pydantic's own type: refused as any value outside a field's choices is.
            raise PydanticCustomError("literal_error", "Input should be one of the samplers")
        return value

    @model_validator(mode="after")
    def _hires_size(self) -> TextToImageRequest:
        if self.enable_hr:
            side = max(self.width, self.height) * self.hr_scale
            if side > 4096:
                raise InvalidRequest(
                    "hr_scale",
                    msg(
                        "hires_too_big",
                        scale=self.hr_scale,
                        side=max(self.width, self.height),
                        result=f"{side:.0f}",
                    ),
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
    """Vidu upscale task (docs/providers.md#vidu-fields); `scale` is the offline provider's."""

    capability: ClassVar[Capability] = "video_upscale"
    sources: ClassVar[tuple[str, str] | None] = ("video", "creation_id")

    video: Path | None = Field(
        None,
        description="The video to upscale (mp4 or webm; offline: at most 60 s and 1280x720).",
    )
    creation_id: str | None = Field(
        None,
        max_length=64,
        pattern=ID_PATTERN,
        description="For Vidu: the id of an item in a finished Vidu task's creations (not the "
        "task id).",
    )
    model: Literal["stable"] = Field("stable", description='Vidu upscale model; "stable".')
    duration: Literal[4, 8] = Field(4, description="Vidu duration setting, 4 or 8.")
    scale: int = Field(2, ge=2, le=4, description="Offline upscale factor, 2 to 4.")

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
        _one_source(self, VIDEO_FORMATS, info, msg("need_video"), msg("need_one_video"))
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
