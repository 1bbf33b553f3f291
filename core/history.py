"""History's queries and deletion: the jobs a caller may see, newest first, and forgetting one.

The UI (tabs/history_jobs.py) turns these into tables and sentences; the owner rules of public mode
(README: Hosting publicly) are applied here by passing `owner`.
"""

from __future__ import annotations

import time
from typing import get_args

from core.config import Settings
from core.retention import delete_job_files
from core.store import JobRecord, JobState, JobStore

ALL = "all"
PAGE_SIZE = 50
MAX_PAGE = 500
STATES: tuple[str, ...] = get_args(JobState)


def _filter(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in ("", ALL) else value


def clean_job_id(job_id: str | None) -> str:
    return (job_id or "").strip().lower()


def list_jobs(
    store: JobStore,
    capability: str | None = ALL,
    provider: str | None = ALL,
    state: str | None = ALL,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    *,
    owner: str | None = None,
) -> list[JobRecord]:
    """Newest first, filtered ("all" or blank: no filter); `owner` None: every job (one's own
    machine), else only that visitor's."""
    return store.list(
        capability=_filter(capability),
        provider=_filter(provider),
        state=_filter(state),
        owner=owner,
        limit=max(1, min(int(limit), MAX_PAGE)),
        offset=max(0, int(offset)),
    )


def find_job(store: JobStore, job_id: str | None, owner: str | None = None) -> JobRecord | None:
    """The job, or None when unknown or someone else's (the two look the same)."""
    return store.get(clean_job_id(job_id), owner=owner)


def duration_s(record: JobRecord, now: float | None = None) -> float:
    end = record.finished_at if record.finished_at is not None else (now or time.time())
    return max(0.0, end - record.created_at)


def forget_job(settings: Settings, store: JobStore, record: JobRecord) -> int:
    """Delete a finished job with its files; the number of files removed."""
    removed = delete_job_files(settings, record)
    store.delete(record.id)
    return removed
