"""A remote job's progress (issue 11): where the provider gives no percent and no ETA, the
status estimates them from the usual duration of that provider's finished jobs of the same
capability, and says it is an estimate; before there is any, it gives the elapsed time alone.
History's Watch estimates the same way.

The real app in sandbox mode (Img Open's emulator reports no progress), through gradio_client.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tabs.history_jobs import watch_job
from tabs.job_stream import JobView
from tests.studio_server import RunningStudio, sandbox_studio

TASK_SECONDS = 3.0
ESTIMATE = re.compile(r"^~(\d+)% · .+ · \d+ s elapsed")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    with sandbox_studio(tmp_path_factory.mktemp("sandbox"), TASK_SECONDS) as running:
        yield running


def statuses(sandbox: RunningStudio, downloads: Path) -> list[str]:
    job = sandbox.client(downloads).submit(
        prompt="calm piano", seconds=10, provider="imgopen", api_name="/text_to_music"
    )
    final, *_ = job.result(timeout=60)
    assert str(final).startswith("Done"), final
    return [str(update[0]) for update in job.outputs()]


def test_a_remote_job_without_figures_is_estimated_from_the_usual_duration(
    sandbox: RunningStudio, downloads: Path
) -> None:
    first = statuses(sandbox, downloads)
    # Nothing known yet: no percent, no time left; the time it has taken.
    running = [text for text in first if "elapsed" in text]
    assert running, first
    assert not any("%" in text or "left" in text for text in running), running
    second = statuses(sandbox, downloads)
    estimated = [m for m in map(ESTIMATE.match, second) if m]
    assert estimated, second
    assert any(re.search(r"estimated from the usual \d+ s", text) for text in second), second
    percents = [int(m.group(1)) for m in estimated]
    assert percents == sorted(percents), percents  # it moves on with the time
    assert max(percents) <= 95, percents  # and never claims to be done


def test_history_watch_estimates_as_the_tab_does(sandbox: RunningStudio, downloads: Path) -> None:
    statuses(sandbox, downloads)  # a finished Img Open job: there is a usual duration
    services = sandbox.studio.services
    known = {record.id for record in services.store.list()}
    job = sandbox.client(downloads).submit(
        prompt="calm piano", seconds=10, provider="imgopen", api_name="/text_to_music"
    )
    deadline = time.monotonic() + 10
    new: list[str] = []
    while not new and time.monotonic() < deadline:
        new = [record.id for record in services.store.list() if record.id not in known]
        time.sleep(0.05)
    assert new, "the job never reached the store"

    async def watched() -> list[JobView]:
        return [view async for view in watch_job(services, new[0])]

    views = asyncio.run(watched())
    job.result(timeout=60)
    estimated = [v.progress for v in views if v.progress is not None and v.progress.estimated]
    assert estimated, [v.status for v in views]
    assert all(p.percent_text.startswith("~") for p in estimated)
    assert "estimated from the usual" in estimated[-1].times
    assert views[-1].status.startswith("Done"), views[-1].status
