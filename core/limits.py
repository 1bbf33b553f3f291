"""Fair share on a shared studio (public mode): what one visitor may ask for at once.

Checked when a job is submitted, before anything is stored or copied (`check_admission`, from
JobManager.submit), each refusal an InvalidRequest naming the field and showing the limit:
- jobs at once: running and waiting together (`studio_visitor_max_running` + `..._queued`);
- storage: the files of the visitor's jobs (`studio_visitor_quota_mb`).
Heavy offline requests are the offline provider's to refuse (providers/offline/limits.py, from
its `check`, which JobManager.submit calls next). And the caps on input files (`upload_limits`), which the request models apply while validating.
On one's own machine (not public mode) only the files' safety caps hold.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.config import Settings
from core.errors import InvalidRequest
from core.media import UploadLimits
from core.messages import msg
from core.store import JobStore

# Every job of a visitor counts towards the quota; this only bounds one query.
_MAX_JOBS_SCANNED = 1_000_000


def upload_limits(settings: Settings) -> UploadLimits:
    """The caps on each input file: size always; pixels stricter in public mode."""
    if not settings.public_mode:
        return UploadLimits(max_bytes=settings.max_upload_bytes)
    pixels = int(settings.studio_max_image_megapixels * 1_000_000)
    return UploadLimits(max_bytes=settings.max_upload_bytes, max_pixels=pixels)


def check_admission(settings: Settings, store: JobStore, owner: str) -> None:
    """Refuse a job `owner` may not start now; nothing on one's own machine."""
    if not settings.public_mode:
        return
    check_job_count(settings, store.count_unfinished(owner))
    check_storage(settings, owner_storage_bytes(store, owner))


# ------------------------------------------------------------------------ jobs at once
def check_job_count(settings: Settings, counts: dict[str, int]) -> None:
    """`counts` is JobStore.count_unfinished: the visitor's jobs by state."""
    running, queued = counts.get("running", 0), counts.get("queued", 0)
    most_running, most_queued = (
        settings.studio_visitor_max_running,
        settings.studio_visitor_max_queued,
    )
    # Together, not each: a remote job runs as soon as it is sent, so a separate running cap
    # would let every extra job in as "running".
    if running + queued < most_running + most_queued:
        return
    jobs = running + queued
    raise InvalidRequest(
        "jobs",
        msg(
            "too_many_jobs",
            jobs=(
                msg("count_unfinished_jobs_one", count=jobs)
                if jobs == 1
                else msg("count_unfinished_jobs_many", count=jobs)
            ),
            running=running,
            queued=queued,
            most=most_running + most_queued,
            most_running=most_running,
            most_queued=most_queued,
        ),
    )


# ------------------------------------------------------------------------ storage
def owner_storage_bytes(store: JobStore, owner: str) -> int:
    """What the files of `owner`'s jobs (outputs, sidecars, kept inputs) take on disk."""
    records = store.list(owner=owner, limit=_MAX_JOBS_SCANNED)
    return sum(_folder_bytes(record.output_dir) for record in records)


def _folder_bytes(folder: Path) -> int:
    total = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:  # never made (a job that failed early) or already deleted
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                total += _folder_bytes(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
    return total


def check_storage(settings: Settings, used_bytes: int) -> None:
    quota = settings.studio_visitor_quota_mb
    if used_bytes < quota * 1_000_000:
        return
    raise InvalidRequest(
        "storage",
        msg("storage_full", used=f"{used_bytes / 1_000_000:,.0f}", quota=f"{quota:,}"),
    )
