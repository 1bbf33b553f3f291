"""How long jobs are kept, and the one place a job's files are deleted.

In public mode the jobs of anonymous visitors (everyone not signed in with Hugging Face: their
browser token is all that ties them to the jobs) expire `studio_anonymous_expiry_days` after
they were started, files and all; a sweep runs at start-up and every hour after. Unfinished
jobs are never touched. Jobs of signed-in visitors stay until they delete them.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
from pathlib import Path

from core.config import Settings
from core.store import JobRecord, JobStore
from core.visitors import Visitor

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 3600.0
_PAGE = 500


def delete_job_files(settings: Settings, record: JobRecord) -> int:
    """Delete the job's own folders (outputs and scratch); the number of files removed.
    Only a folder named after the job inside the studio's data folders is ever touched."""
    removed = 0
    for folder, root in (
        (record.output_dir, settings.outputs_dir),
        (settings.work_dir / record.folder_name, settings.work_dir),
    ):
        named = folder.name == record.id or folder.name.startswith(f"{record.id}-")
        if not named or not _inside(folder, root) or not folder.is_dir():
            continue
        removed += sum(1 for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        parent = folder.parent
        if parent.resolve() != root.resolve() and _inside(parent, root):
            with contextlib.suppress(OSError):
                parent.rmdir()  # the day's folder, once empty
    return removed


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def expired_jobs(settings: Settings, store: JobStore, now: float) -> list[JobRecord]:
    """Finished jobs of anonymous visitors started more than the expiry time before `now`."""
    cutoff = now - settings.studio_anonymous_expiry_days * 86_400.0
    found: list[JobRecord] = []
    offset = 0
    while True:
        page = store.list(limit=_PAGE, offset=offset)
        found += [
            record
            for record in page
            if record.created_at < cutoff and record.finished and Visitor(id=record.owner).anonymous
        ]
        if len(page) < _PAGE:
            return found
        offset += _PAGE


def sweep_expired(settings: Settings, store: JobStore, now: float | None = None) -> list[str]:
    """Delete expired jobs with their files (public mode only); the ids deleted."""
    if not settings.public_mode:
        return []
    deleted: list[str] = []
    for record in expired_jobs(settings, store, time.time() if now is None else now):
        delete_job_files(settings, record)
        if store.delete(record.id):
            deleted.append(record.id)
    if deleted:
        log.info("deleted %d expired job(s) of anonymous visitors", len(deleted))
    return deleted


class ExpirySweeper:
    """Runs `sweep_expired` now and then every `interval_s`, in a daemon thread of its own."""

    def __init__(
        self, settings: Settings, store: JobStore, interval_s: float = SWEEP_INTERVAL_S
    ) -> None:
        self._settings = settings
        self._store = store
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="expiry-sweep", daemon=True)

    def start(self) -> ExpirySweeper:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                sweep_expired(self._settings, self._store)
            except Exception:  # a failed sweep must not end the sweeps (the next one retries)
                log.exception("the sweep of expired jobs failed")
            self._stop.wait(self._interval_s)


def start_expiry_sweeps(settings: Settings, store: JobStore) -> ExpirySweeper | None:
    """The sweeper, started, in public mode; None on one's own machine (nothing expires)."""
    return ExpirySweeper(settings, store).start() if settings.public_mode else None
