"""Offline image to music: read the picture, choose emotion and genre, write distinct songs."""

from __future__ import annotations

import numpy as np
from PIL import Image

from core.media import write_audio
from core.messages import Text, msg
from core.provider import Artifact, JobContext
from core.requests import ImageToMusicRequest, StudioRequest
from providers.offline.music.audio_analysis import picture_features
from providers.offline.music.image_music import (
    choose_emotion_genre,
    describe_choice,
    plan_from_picture,
)
from providers.offline.music.music import SAMPLE_RATE, render_music
from providers.offline.runs import EngineRun, PreviewThrottle
from providers.offline.sources import content_seed
from providers.offline.video.still_video import still_image_video

SONG_SECONDS = 30.0


def run_image_to_music(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
    assert isinstance(request, ImageToMusicRequest)
    # An image_url was fetched before the engine was queued (OfflineProvider.submit).
    assert request.image is not None
    source = request.image
    with Image.open(source) as opened:
        picture = opened.convert("RGB")
    features = picture_features(picture)
    emotion, genre = choose_emotion_genre(
        features, request.emotion, request.genre, request.song_type
    )
    seed = content_seed(source)
    share = 100.0 / request.song_quantity
    previews = ctx.work_dir / "previews"
    for index in range(request.song_quantity):
        plan = plan_from_picture(features, emotion, genre, request.song_type, seed, index)
        throttle = PreviewThrottle(step=max(8.0, share / 3))
        number = {"index": index + 1, "count": request.song_quantity}

        def on_progress(
            fraction: float,
            message: Text,
            partial: np.ndarray | None,
            base: float = share * index,
            number: dict[str, int] = number,
            throttle: PreviewThrottle = throttle,
        ) -> None:
            percent = base + share * fraction * 0.9
            preview = None
            if partial is not None and len(partial) and throttle.due(percent):
                preview = write_audio(
                    previews / f"so-far-{round(percent * 10):04d}.wav", partial, SAMPLE_RATE
                )
            step = msg("music_song_step", **number, step=message)
            run.update(percent, step, preview, "audio" if preview else None)

        audio = render_music(
            plan, SONG_SECONDS, on_progress=on_progress, should_stop=run.should_stop
        )
        writing = msg("music_writing_song", format=request.output_type)
        run.update(share * (index + 0.95), msg("music_song_step", **number, step=writing))
        chosen = {"emotion": emotion, "genre": genre, "song_type": request.song_type}
        metadata = {**chosen, "index": index + 1, **describe_choice(features, plan)}
        name = f"{source.stem}-song{index + 1}"
        if request.output_type == "mp3":
            path = write_audio(
                ctx.work_dir / f"{name}.mp3",
                audio,
                SAMPLE_RATE,
                metadata={**request.public_params(), **chosen, "index": index + 1},
            )
            kind = "audio"
        else:
            path = still_image_video(picture, audio, SAMPLE_RATE, ctx.work_dir / f"{name}.mp4")
            kind = "video"
        # Each song is the job's as soon as it is written: a Stop keeps the ones made.
        run.keep(Artifact(kind=kind, name=path.name, path=path, metadata=metadata))
