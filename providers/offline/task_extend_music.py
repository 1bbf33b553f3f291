"""Offline extend a song: keep the start as it is, continue it in its own key and tempo."""

from __future__ import annotations

import numpy as np

from core.errors import InvalidRequest
from core.media import read_audio, write_audio
from core.messages import Text, msg
from core.provider import Artifact, JobContext
from core.requests import ExtendMusicRequest, StudioRequest
from providers.offline.music.extend import DEFAULT_EXTENSION_S, extend_song
from providers.offline.runs import EngineRun
from providers.offline.sources import content_seed


def run_extend_music(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
    assert isinstance(request, ExtendMusicRequest)
    # An upload_url was fetched before the engine was queued (OfflineProvider.submit).
    assert request.audio is not None
    source = request.audio
    run.update(2.0, msg("extend_reading_song"))
    samples, rate = read_audio(source)
    length = len(samples) / rate
    # Default mode has no continue_at: the song is continued from its end, as a whole.
    continue_at = request.continue_at if request.continue_at is not None else length
    if continue_at >= length and request.continue_at is not None:
        raise InvalidRequest(
            "continue_at",
            msg("extend_continue_at_too_late", continue_at=continue_at, length=f"{length:.2f}"),
        )
    seed = content_seed(source, request.prompt, request.style)

    def on_progress(fraction: float, message: Text, partial: np.ndarray | None) -> None:
        run.update(5.0 + fraction * 90.0, message)

    extended, analysis = extend_song(
        samples,
        rate,
        continue_at,
        DEFAULT_EXTENSION_S,
        request.style,
        request.prompt,
        seed,
        request.instrumental,
        on_progress=on_progress,
        should_stop=run.should_stop,
    )
    run.update(96.0, msg("engine_writing_file"))
    title = request.title.strip() or f"{source.stem}-extended"
    path = write_audio(
        ctx.work_dir / f"{title}.wav",
        extended,
        rate,
        metadata={**request.public_params(), "continue_at": continue_at},
    )
    run.keep(
        Artifact(
            kind="audio",
            name=path.name,
            path=path,
            metadata={
                "continue_at": continue_at,
                "extended_by_s": DEFAULT_EXTENSION_S,
                "source_analysis": analysis.describe(),
            },
        )
    )
