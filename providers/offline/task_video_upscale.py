"""Offline video upscale: every frame by `scale`, keeping fps, frame count, duration and audio."""

from __future__ import annotations

from PIL import Image

from core.errors import InvalidRequest
from core.messages import Text, msg
from core.provider import Artifact, JobContext
from core.requests import StudioRequest, VideoUpscaleRequest
from providers.offline.runs import EngineRun
from providers.offline.video.upscale import check_video_limits, probe_video, upscale_video

PREVIEW_SIDE = 640


def check_video_upscale(request: StudioRequest) -> None:
    """Offline needs a file; the limits are checked before the job is queued."""
    assert isinstance(request, VideoUpscaleRequest)
    if request.video is None:
        raise InvalidRequest("video", msg("upscale_needs_file"))
    check_video_limits(probe_video(request.video), request.scale)


def run_video_upscale(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
    assert isinstance(request, VideoUpscaleRequest)
    assert request.video is not None
    previews = ctx.work_dir / "previews"
    previews.mkdir(parents=True, exist_ok=True)
    shown = {"count": 0}

    def on_progress(fraction: float, message: Text, frame: Image.Image | None) -> None:
        path = None
        if frame is not None:
            shown["count"] += 1
            frame = frame.copy()
            frame.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            path = previews / f"frame{shown['count']:03d}.jpg"
            frame.save(path, quality=85)
        run.update(fraction * 99.0, message, path, "image" if path else None)

    target = ctx.work_dir / f"{request.video.stem}-x{request.scale}.mp4"
    info = upscale_video(
        request.video,
        target,
        request.scale,
        on_progress=on_progress,
        should_stop=run.should_stop,
    )
    run.keep(
        Artifact(
            kind="video",
            name=target.name,
            path=target,
            metadata={
                "scale": request.scale,
                "width": info.width,
                "height": info.height,
                "fps": info.fps,
                "frames": info.frames,
                "duration_s": info.duration_s,
                "has_audio": info.has_audio,
            },
        )
    )
