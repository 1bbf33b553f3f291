"""The offline video upscale engine (stands in for Vidu's upscale), with PyAV.

See docs/offline.md#upscale.

Each frame is scaled by libswscale's Lanczos filter inside an FFmpeg filter graph (about
2 ms a frame for 480p → 960p, against some 40 ms for a Pillow round trip through RGB; an
extra unsharp pass was tried and dropped: it cost a quarter of the encoding time for little
visible gain over Lanczos, which is sharp already), and encoded as H.264 (libx264, yuv420p, CRF 19) in an MP4. The frame rate and frame count
are kept (the output is constant frame rate: frame i is shown at i / fps), and the audio
track is copied when it is already AAC, otherwise re-encoded as AAC.

Limits (module constants, checked by `check_video_limits` before any work):
- MAX_INPUT_SECONDS: 60 s of input.
- MAX_INPUT_PIXELS: 1280×720 per frame (so 2× gives 2560×1440 and 3× gives 3840×2160).
- MAX_OUTPUT_SIDE: 3840 px, the width of 4K UHD, on the longer side of the output.
- MIN_INPUT_SIDE: 16 px.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error
from PIL import Image

from core.errors import InvalidRequest
from core.messages import Message, Text, msg
from providers.offline.cancel import EngineCancelled, check_stop

__all__ = [
    "MAX_INPUT_PIXELS",
    "MAX_INPUT_SECONDS",
    "MAX_OUTPUT_SIDE",
    "MIN_INPUT_SIDE",
    "SCALES",
    "EngineCancelled",
    "VideoInfo",
    "check_video_limits",
    "probe_video",
    "upscale_video",
]

MAX_INPUT_SECONDS = 60.0
MAX_INPUT_PIXELS = 1280 * 720
MAX_OUTPUT_SIDE = 3840
MIN_INPUT_SIDE = 16
SCALES = (2, 3, 4)

# CRF 19 is visually transparent for upscaled material; "veryfast" keeps 2× of 480p at about
# real time on two cores. Past 1440p output, "superfast" keeps 4K jobs within minutes.
CRF = 19
PRESET = "veryfast"
PRESET_LARGE = "superfast"
LARGE_OUTPUT_PIXELS = 2560 * 1440
AUDIO_BITRATE = 192_000
# Progress about every 2 % of the frames; a preview frame about every 10 %.
PROGRESS_STEPS = 50
PREVIEW_STEPS = 10

ProgressCallback = Callable[[float, Text, "Image.Image | None"], None]


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds (the first video stream, and whether there is audio)."""

    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    has_audio: bool
    video_codec: str = ""
    audio_codec: str | None = None


def _not_a_video(reason: Message) -> InvalidRequest:
    return InvalidRequest("video", msg("upscale_not_a_video", reason=reason))


def _is_cover_art(stream: av.video.stream.VideoStream) -> bool:
    # An MP3 or M4A with album art shows its picture as a one-frame "video" stream.
    disposition = getattr(stream, "disposition", None)
    flag = getattr(getattr(av.stream, "Disposition", None), "attached_pic", None)
    if disposition is None or flag is None:
        return False
    return bool(disposition & flag)


@contextlib.contextmanager
def _open_input(path: Path) -> Iterator[av.container.InputContainer]:
    if not Path(path).is_file():
        raise InvalidRequest("video", msg("upscale_file_missing", name=repr(Path(path).name)))
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, OSError, ValueError) as error:
        raise _not_a_video(msg("upscale_unknown_format")) from error
    try:
        yield container
    finally:
        container.close()


def _video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    streams = [s for s in container.streams.video if not _is_cover_art(s)]
    if not streams:
        raise _not_a_video(msg("upscale_no_video_track"))
    fmt = container.format.name
    if fmt.endswith("_pipe") or fmt == "image2":
        raise _not_a_video(msg("upscale_still_image"))
    return streams[0]


def _fps(stream: av.video.stream.VideoStream) -> Fraction:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate is not None and 0 < float(rate) <= 1000:
            return Fraction(rate)
    return Fraction(25)


def probe_video(path: Path) -> VideoInfo:
    """Width, height, fps, frame count, duration and audio presence of a video file.

    Raises InvalidRequest("video", …) when the file is missing, not a video by content
    (whatever its name says), or a still image.
    """
    with _open_input(path) as container:
        stream = _video_stream(container)
        ctx = stream.codec_context
        fps = _fps(stream)
        duration = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        frames = int(stream.frames or 0)
        if frames <= 0:
            frames = sum(1 for packet in container.demux(stream) if packet.size > 0)
        if duration <= 0.0 and frames > 0:
            duration = frames / float(fps)
        audio = container.streams.audio
        return VideoInfo(
            width=int(ctx.width),
            height=int(ctx.height),
            fps=float(fps),
            frames=frames,
            duration_s=duration,
            has_audio=bool(audio),
            video_codec=ctx.name,
            audio_codec=audio[0].codec_context.name if audio else None,
        )


def output_size(info: VideoInfo, scale: int) -> tuple[int, int]:
    """The upscaled size, rounded down to even numbers (yuv420p needs them)."""
    return (info.width * scale) // 2 * 2, (info.height * scale) // 2 * 2


def check_video_limits(info: VideoInfo, scale: int) -> None:
    """Raise InvalidRequest naming the value and the limit when the job is too big."""
    if scale not in SCALES:
        raise InvalidRequest("scale", msg("upscale_scale_not_allowed", scale=scale))
    if info.frames < 1:
        raise InvalidRequest("video", msg("upscale_no_frames"))
    size = {"width": info.width, "height": info.height}
    if min(info.width, info.height) < MIN_INPUT_SIDE:
        raise InvalidRequest("video", msg("upscale_too_small", **size, least=MIN_INPUT_SIDE))
    if info.duration_s > MAX_INPUT_SECONDS:
        raise InvalidRequest(
            "video",
            msg(
                "upscale_too_long",
                seconds=f"{info.duration_s:.1f}",
                most=f"{MAX_INPUT_SECONDS:.0f}",
            ),
        )
    if info.width * info.height > MAX_INPUT_PIXELS:
        pixels = f"{MAX_INPUT_PIXELS:,}"
        raise InvalidRequest("video", msg("upscale_too_many_pixels", **size, pixels=pixels))
    width, height = output_size(info, scale)
    if max(width, height) > MAX_OUTPUT_SIDE:
        raise InvalidRequest(
            "video",
            msg(
                "upscale_result_too_big",
                scale=scale,
                **size,
                new_width=width,
                new_height=height,
                most=MAX_OUTPUT_SIDE,
            ),
        )


def _scaler(
    stream: av.video.stream.VideoStream, width: int, height: int
) -> tuple[av.filter.Graph, Callable[[av.VideoFrame], list[av.VideoFrame]]]:
    graph = av.filter.Graph()
    source = graph.add_buffer(template=stream)
    chain = [
        graph.add("scale", f"{width}:{height}:flags=lanczos"),
        graph.add("format", "yuv420p"),
        graph.add("buffersink"),
    ]
    previous = source
    for node in chain:
        previous.link_to(node)
        previous = node
    graph.configure()

    def run(frame: av.VideoFrame) -> list[av.VideoFrame]:
        graph.push(frame)
        out: list[av.VideoFrame] = []
        while True:
            try:
                out.append(graph.pull())
            except (av.error.BlockingIOError, av.error.EOFError):
                return out

    return graph, run


def _report(
    on_progress: ProgressCallback | None,
    fraction: float,
    message: Text,
    image: Image.Image | None = None,
) -> None:
    if on_progress is not None:
        on_progress(min(max(fraction, 0.0), 1.0), message, image)


def upscale_video(
    src: Path,
    dst: Path,
    scale: int,
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> VideoInfo:
    """Upscale `src` by `scale` into the MP4 `dst`; returns what was written.

    Raises InvalidRequest for a file that is not a video or is over the limits, and
    EngineCancelled when `should_stop()` turns True (no partial file is left behind).
    """
    src, dst = Path(src), Path(dst)
    info = probe_video(src)
    check_video_limits(info, scale)
    width, height = output_size(info, scale)
    _report(
        on_progress,
        0.0,
        msg(
            "upscale_sizes",
            width=info.width,
            height=info.height,
            new_width=width,
            new_height=height,
        ),
    )
    dst.parent.mkdir(parents=True, exist_ok=True)
    partial = dst.with_name(f".{dst.name}.part")
    try:
        _transcode(src, partial, info, width, height, on_progress, should_stop)
        os.replace(partial, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    result = probe_video(dst)
    done = msg("upscale_done", width=result.width, height=result.height, frames=result.frames)
    _report(on_progress, 1.0, done)
    return result


def _transcode(
    src: Path,
    dst: Path,
    info: VideoInfo,
    width: int,
    height: int,
    on_progress: ProgressCallback | None,
    should_stop: Callable[[], bool] | None,
) -> None:
    total = max(info.frames, 1)
    every = max(1, total // PROGRESS_STEPS)
    preview_every = max(1, total // PREVIEW_STEPS)
    with (
        _open_input(src) as inp,
        av.open(str(dst), mode="w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        vin = _video_stream(inp)
        vin.thread_type = "AUTO"
        fps = _fps(vin)
        vout = out.add_stream("libx264", rate=fps)
        vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
        preset = PRESET if width * height <= LARGE_OUTPUT_PIXELS else PRESET_LARGE
        vout.options = {"preset": preset, "crf": str(CRF)}
        vout.codec_context.time_base = 1 / fps
        audio = _AudioTrack.open(inp, out, vin)
        _, scale_frame = _scaler(vin, width, height)
        streams = [vin] + ([audio.source] if audio else [])
        written = 0
        for packet in inp.demux(streams):
            if audio is not None and packet.stream is audio.source:
                audio.feed(packet)
                continue
            for frame in packet.decode():
                check_stop(should_stop)
                for scaled in scale_frame(frame):
                    scaled.pts = written
                    scaled.time_base = vout.codec_context.time_base
                    out.mux(vout.encode(scaled))
                    written += 1
                    if written % every == 0 or written == total:
                        preview = None
                        if written % preview_every == 0 or written == 1:
                            preview = scaled.to_image()
                        _report(
                            on_progress,
                            0.02 + 0.95 * min(written / total, 1.0),
                            msg("upscale_frame", done=written, total=total),
                            preview,
                        )
        check_stop(should_stop)
        out.mux(vout.encode(None))
        if audio is not None:
            audio.finish()
        _report(on_progress, 0.98, msg("engine_writing_file"))


class _AudioTrack:
    """The input's first audio track, copied when it is AAC, re-encoded to AAC otherwise."""

    def __init__(
        self,
        source: av.audio.stream.AudioStream,
        out: av.container.OutputContainer,
        target: av.stream.Stream,
        copy: bool,
        shift: int,
    ) -> None:
        self.source = source
        self.out = out
        self.target = target
        self.copy = copy
        self.shift = shift

    @classmethod
    def open(
        cls,
        inp: av.container.InputContainer,
        out: av.container.OutputContainer,
        video: av.video.stream.VideoStream,
    ) -> _AudioTrack | None:
        if not inp.streams.audio:
            return None
        source = inp.streams.audio[0]
        # The video is re-timed to start at 0; move the audio by the same amount.
        start = 0.0
        if video.start_time is not None and video.time_base is not None:
            start = float(video.start_time * video.time_base)
        copy = source.codec_context.name == "aac" and hasattr(out, "add_stream_from_template")
        if copy:
            target = out.add_stream_from_template(source)
            shift = round(start / float(source.time_base)) if source.time_base else 0
            return cls(source, out, target, True, shift)
        rate = source.codec_context.sample_rate or 48_000
        target = out.add_stream("aac", rate=rate)
        target.layout = "mono" if source.codec_context.channels == 1 else "stereo"
        target.bit_rate = AUDIO_BITRATE
        return cls(source, out, target, False, 0)

    def feed(self, packet: av.Packet) -> None:
        if self.copy:
            if packet.dts is None:
                return  # the demuxer's end-of-stream marker
            packet.pts = None if packet.pts is None else packet.pts - self.shift
            packet.dts -= self.shift
            packet.stream = self.target
            self.out.mux(packet)
            return
        for frame in packet.decode():
            frame.pts = None
            self.out.mux(self.target.encode(frame))

    def finish(self) -> None:
        if not self.copy:
            self.out.mux(self.target.encode(None))
