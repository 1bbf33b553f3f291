"""The offline engines' caps on a shared studio (public mode): pixels × images, seconds × songs,
video length (`studio_max_offline_*`). The offline provider's `check` applies them before any
job exists, each refusal naming the field and showing the limit (README: Hosting publicly).
"""

from __future__ import annotations

from core.config import Settings
from core.errors import InvalidRequest
from core.messages import Message, msg
from core.requests import (
    ImageToMusicRequest,
    StudioRequest,
    TextToImageRequest,
    VideoUpscaleRequest,
)
from providers.declarations import OFFLINE as OFFLINE_DECLARATION

OFFLINE = OFFLINE_DECLARATION.name


def check_heavy(settings: Settings, request: StudioRequest, provider: str = OFFLINE) -> None:
    """Refuse an offline request too big for a shared machine (public mode's caps)."""
    if provider != OFFLINE or not settings.public_mode:
        return
    if isinstance(request, TextToImageRequest):
        _check_pixels(settings, request)
    elif isinstance(request, ImageToMusicRequest):
        _check_songs(settings, request)
    elif isinstance(request, VideoUpscaleRequest):
        _check_video(settings, request)


def _check_pixels(settings: Settings, request: TextToImageRequest) -> None:
    width, height = request.output_size
    one, images = width * height, request.n_iter
    cap = int(settings.studio_max_offline_megapixels * 1_000_000)
    if one * images <= cap:
        return
    asked = msg(
        "offline_pixels_asked",
        images=_images(images),
        width=width,
        height=height,
        mp=f"{one * images / 1_000_000:.1f}",
    )
    limit = msg("offline_pixels_limit", mp=f"{settings.studio_max_offline_megapixels:g}")
    if one <= cap:
        fit = _images(cap // one)
        raise InvalidRequest(
            "n_iter", msg("offline_pixels_too_many", asked=asked, limit=limit, fit=fit)
        )
    # One image alone is over: the size is what to change (the hires factor when it is on).
    field = "hr_scale" if request.enable_hr and request.width * request.height <= cap else "width"
    raise InvalidRequest(field, msg("offline_pixels_too_big", asked=asked, limit=limit))


def _check_songs(settings: Settings, request: ImageToMusicRequest) -> None:
    # The engine's own song length, loaded with the engine (numpy, PIL) on the first check.
    from providers.offline.task_image_to_music import SONG_SECONDS

    total = request.song_quantity * SONG_SECONDS
    cap = settings.studio_max_offline_audio_s
    if total <= cap:
        return
    raise InvalidRequest(
        "song_quantity",
        msg(
            "offline_songs_too_long",
            songs=_songs(request.song_quantity),
            seconds=f"{SONG_SECONDS:g}",
            total=f"{total:g}",
            most=f"{cap:g}",
            fit=_songs(int(cap // SONG_SECONDS)),
        ),
    )


def _check_video(settings: Settings, request: VideoUpscaleRequest) -> None:
    if request.video is None:
        return  # the provider's own check says what offline needs
    # PyAV loads only when a video is checked.
    from providers.offline.video.upscale import probe_video

    seconds = probe_video(request.video).duration_s
    cap = settings.studio_max_offline_video_s
    if seconds <= cap:
        return
    raise InvalidRequest(
        "video", msg("offline_video_too_long", seconds=f"{seconds:.1f}", most=f"{cap:g}")
    )


def _images(count: int) -> Message:
    return msg("count_images_one" if count == 1 else "count_images_many", count=count)


def _songs(count: int) -> Message:
    return msg("count_songs_one" if count == 1 else "count_songs_many", count=count)
