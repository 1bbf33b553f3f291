"""Offline text to music: plan from the prompt, render with previews, write the WAV."""

from __future__ import annotations

import numpy as np

from core.media import write_audio
from core.messages import Text, msg
from core.provider import Artifact, JobContext
from core.requests import StudioRequest, TextToMusicRequest
from providers.offline.music.music import SAMPLE_RATE, plan_music, render_music
from providers.offline.naming import output_name
from providers.offline.runs import EngineRun, PreviewThrottle


def run_text_to_music(request: StudioRequest, ctx: JobContext, run: EngineRun) -> None:
    assert isinstance(request, TextToMusicRequest)
    plan = plan_music(request.prompt, request.seed, request.cfg, request.steps)
    throttle = PreviewThrottle()
    previews = ctx.work_dir / "previews"

    def on_progress(fraction: float, message: Text, partial: np.ndarray | None) -> None:
        percent = fraction * 95.0  # the last 5 % is writing the file
        preview = None
        if partial is not None and len(partial) and throttle.due(percent):
            preview = write_audio(
                previews / f"so-far-{round(percent):03d}.wav", partial, SAMPLE_RATE
            )
        run.update(percent, message, preview, "audio" if preview else None)

    audio = render_music(
        plan, request.seconds, on_progress=on_progress, should_stop=run.should_stop
    )
    run.update(96.0, msg("engine_writing_file"))
    metadata = {**request.public_params(), "plan": plan.describe()}
    path = write_audio(
        ctx.work_dir / output_name(request.prompt, request.seed, "wav"),
        audio,
        SAMPLE_RATE,
        metadata=metadata,
    )
    run.keep(
        Artifact(
            kind="audio",
            name=path.name,
            path=path,
            metadata={"seed": request.seed, "plan": plan.describe(), "seconds": request.seconds},
        )
    )
