"""SQLite job history: what was asked, of whom, what came back, every state change.

Stdlib sqlite3 in WAL mode; one connection guarded by a lock, because the job runtime and the
UI threads both read and write. Nothing secret is ever written here: requests are stored through
`StudioRequest.public_params()` and task handles hold ids only.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.events import Output
from core.messages import Text, as_data, from_data
from core.provider import TaskHandle

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
FINISHED_STATES: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    capability TEXT NOT NULL,
    provider TEXT NOT NULL,
    params TEXT NOT NULL,
    state TEXT NOT NULL,
    task TEXT,
    message TEXT NOT NULL DEFAULT '',
    percent REAL,
    outputs TEXT NOT NULL DEFAULT '[]',
    output_dir TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished_at REAL,
    owner TEXT NOT NULL DEFAULT '',
    visitor_keys INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created_at DESC);
CREATE TABLE IF NOT EXISTS job_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at REAL NOT NULL,
    state TEXT NOT NULL,
    percent REAL,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS job_events_job ON job_events (job_id, id);
CREATE TABLE IF NOT EXISTS shares (
    token TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS shares_job ON shares (job_id);
"""
# Columns added after the first release: (name, declaration) for ALTER TABLE on older files.
_ADDED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("owner", "TEXT NOT NULL DEFAULT ''"),
    ("visitor_keys", "INTEGER NOT NULL DEFAULT 0"),
    # When a visitor-key job began waiting for its owner's key after a restart (NULL: not).
    ("waiting_since", "REAL"),
    # The message as data (core/messages.py as_data), to show it in any language; `message`
    # keeps its English for readers of the file and for rows from before.
    ("message_data", "TEXT"),
)
_ADDED_EVENT_COLUMNS: tuple[tuple[str, str], ...] = (("message_data", "TEXT"),)
_OWNER_INDEX = "CREATE INDEX IF NOT EXISTS jobs_owner ON jobs (owner, created_at DESC)"


class JobRecord(BaseModel):
    id: str
    capability: str
    provider: str
    params: dict[str, Any]
    state: JobState
    task: TaskHandle | None = None
    message: str = ""
    percent: float | None = None
    outputs: list[Output] = Field(default_factory=list)
    output_dir: Path
    created_at: float
    updated_at: float
    finished_at: float | None = None
    # Who started the job (core/visitors.py); '' for jobs from before owners were kept.
    owner: str = ""
    # Started with the visitor's own keys: never run with the server's (core/jobs.py resume).
    visitor_keys: bool = False
    # Since when it waits for its owner to offer the key again (core/jobs.py offer_keys).
    waiting_since: float | None = None
    message_data: dict[str, Any] | None = None

    @property
    def message_text(self) -> Text:
        """The message as it was said (a Message to render in any language), else its English."""
        return from_data(self.message_data) or self.message

    @property
    def folder_name(self) -> str:
        """The name of the job's folders (outputs and scratch): its id and a random part."""
        return self.output_dir.name

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES


class JobEventRecord(BaseModel):
    at: float
    state: str
    percent: float | None = None
    message: str = ""
    message_data: dict[str, Any] | None = None

    @property
    def message_text(self) -> Text:
        return from_data(self.message_data) or self.message


class JobStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
            present = {row[1] for row in self._db.execute("PRAGMA table_info(jobs)")}
            for name, declaration in _ADDED_COLUMNS:
                if name not in present:
                    self._db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {declaration}")
            present = {row[1] for row in self._db.execute("PRAGMA table_info(job_events)")}
            for name, declaration in _ADDED_EVENT_COLUMNS:
                if name not in present:
                    self._db.execute(f"ALTER TABLE job_events ADD COLUMN {name} {declaration}")
            self._db.execute(_OWNER_INDEX)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def create(
        self,
        job_id: str,
        capability: str,
        provider: str,
        params: dict[str, Any],
        output_dir: Path,
        created_at: float | None = None,
        *,
        owner: str = "",
        visitor_keys: bool = False,
    ) -> JobRecord:
        now = time.time() if created_at is None else created_at
        self._execute(
            "INSERT INTO jobs (id, capability, provider, params, state, output_dir, created_at,"
            " updated_at, owner, visitor_keys) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)",
            (
                job_id,
                capability,
                provider,
                json.dumps(params, ensure_ascii=False),
                str(output_dir),
                now,
                now,
                owner,
                int(visitor_keys),
            ),
        )
        self.add_event(job_id, "queued", None, "", at=now)
        record = self.get(job_id)
        assert record is not None
        return record

    def set_task(self, job_id: str, task: TaskHandle) -> None:
        self._execute(
            "UPDATE jobs SET task = ?, updated_at = ? WHERE id = ?",
            (task.model_dump_json(), time.time(), job_id),
        )

    def set_waiting(self, job_id: str, since: float | None) -> None:
        """Mark the job as waiting for its owner's key since `since` (None: not waiting)."""
        self._execute("UPDATE jobs SET waiting_since = ? WHERE id = ?", (since, job_id))

    def update_state(
        self,
        job_id: str,
        state: JobState,
        *,
        percent: float | None = None,
        message: Text = "",
        outputs: list[Output] | None = None,
        record_event: bool = True,
    ) -> None:
        """`message` is kept twice: its English, and as data to render in any language."""
        now = time.time()
        finished_at = now if state in FINISHED_STATES else None
        text, data = str(message), _message_data(message)
        if outputs is None:
            self._execute(
                "UPDATE jobs SET state = ?, percent = ?, message = ?, message_data = ?,"
                " updated_at = ?, finished_at = COALESCE(?, finished_at) WHERE id = ?",
                (state, percent, text, data, now, finished_at, job_id),
            )
        else:
            self._execute(
                "UPDATE jobs SET state = ?, percent = ?, message = ?, message_data = ?,"
                " outputs = ?, updated_at = ?, finished_at = COALESCE(?, finished_at)"
                " WHERE id = ?",
                (
                    state,
                    percent,
                    text,
                    data,
                    json.dumps([o.model_dump(mode="json") for o in outputs], ensure_ascii=False),
                    now,
                    finished_at,
                    job_id,
                ),
            )
        if record_event:
            self.add_event(job_id, state, percent, message, at=now)

    def add_event(
        self, job_id: str, state: str, percent: float | None, message: Text, *, at: float
    ) -> None:
        self._execute(
            "INSERT INTO job_events (job_id, at, state, percent, message, message_data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (job_id, at, state, percent, str(message), _message_data(message)),
        )

    @staticmethod
    def _record(row: sqlite3.Row) -> JobRecord:
        return JobRecord(
            id=row["id"],
            capability=row["capability"],
            provider=row["provider"],
            params=json.loads(row["params"]),
            state=row["state"],
            task=TaskHandle.model_validate_json(row["task"]) if row["task"] else None,
            message=row["message"],
            percent=row["percent"],
            outputs=[Output.model_validate(o) for o in json.loads(row["outputs"])],
            output_dir=Path(row["output_dir"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            finished_at=row["finished_at"],
            owner=row["owner"],
            visitor_keys=bool(row["visitor_keys"]),
            waiting_since=row["waiting_since"],
            message_data=_loaded(row["message_data"]),
        )

    def get(self, job_id: str, *, owner: str | None = None) -> JobRecord | None:
        """The job, or None when unknown — or, with `owner`, when someone else's."""
        row = self._execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            return None
        return self._record(row)

    def list(
        self,
        *,
        capability: str | None = None,
        provider: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[JobRecord]:
        """Newest first; `owner` None lists every owner's jobs (one's own machine)."""
        clauses: list[str] = []
        args: list[Any] = []
        if owner is not None:
            clauses.append("owner = ?")
            args.append(owner)
        for column, value in (("capability", capability), ("provider", provider), ("state", state)):
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._execute(
            f"SELECT * FROM jobs {where} ORDER BY created_at DESC LIMIT ? OFFSET ?",
            (*args, limit, offset),
        ).fetchall()
        return [self._record(row) for row in rows]

    def unfinished(self) -> list[JobRecord]:
        rows = self._execute(
            "SELECT * FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled')"
            " ORDER BY created_at"
        ).fetchall()
        return [self._record(row) for row in rows]

    def events(self, job_id: str) -> list[JobEventRecord]:
        rows = self._execute(
            "SELECT at, state, percent, message, message_data FROM job_events"
            " WHERE job_id = ? ORDER BY id",
            (job_id,),
        ).fetchall()
        return [
            JobEventRecord(**{**dict(row), "message_data": _loaded(row["message_data"])})
            for row in rows
        ]

    def count_unfinished(self, owner: str) -> dict[str, int]:
        """How many of `owner`'s jobs are queued and running now."""
        rows = self._execute(
            "SELECT state, COUNT(*) AS n FROM jobs WHERE owner = ? AND state IN"
            " ('queued', 'running') GROUP BY state",
            (owner,),
        ).fetchall()
        return {row["state"]: row["n"] for row in rows}

    def owners(self) -> list[str]:
        rows = self._execute("SELECT DISTINCT owner FROM jobs").fetchall()
        return [row["owner"] for row in rows]

    def set_owner(self, old: str, new: str) -> int:
        """Hand every job of `old` to `new` (a session that turned out to be a known visitor)."""
        return self._execute("UPDATE jobs SET owner = ? WHERE owner = ?", (new, old)).rowcount

    def delete(self, job_id: str) -> bool:
        return self._execute("DELETE FROM jobs WHERE id = ?", (job_id,)).rowcount > 0

    # ------------------------------------------------------------------ read-only share links
    def share(self, job_id: str) -> str:
        """The job's share token, made on first use (one link per job until it is revoked)."""
        row = self._execute("SELECT token FROM shares WHERE job_id = ?", (job_id,)).fetchone()
        if row is not None:
            return str(row["token"])
        token = secrets.token_urlsafe(24)
        self._execute(
            "INSERT INTO shares (token, job_id, created_at) VALUES (?, ?, ?)",
            (token, job_id, time.time()),
        )
        return token

    def shared_token(self, job_id: str) -> str | None:
        row = self._execute("SELECT token FROM shares WHERE job_id = ?", (job_id,)).fetchone()
        return str(row["token"]) if row is not None else None

    def revoke_share(self, job_id: str) -> bool:
        return self._execute("DELETE FROM shares WHERE job_id = ?", (job_id,)).rowcount > 0

    def shared_job(self, token: str) -> JobRecord | None:
        """The job a live share token points at, or None (unknown or revoked)."""
        row = self._execute(
            "SELECT jobs.* FROM shares JOIN jobs ON jobs.id = shares.job_id WHERE shares.token = ?",
            (token,),
        ).fetchone()
        return self._record(row) if row else None


def _message_data(message: Text) -> str | None:
    """A Message as JSON; None for plain text (the `message` column holds all of it)."""
    if isinstance(message, str):
        return None
    return json.dumps(as_data(message), ensure_ascii=False, default=str)


def _loaded(data: str | None) -> dict[str, Any] | None:
    return json.loads(data) if data else None


def without_server_paths(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as a page or an API answer may show them: an uploaded file by its name, never
    by its place in the server's data folder."""
    return {
        name: Path(value).name if isinstance(value, str) and Path(value).is_absolute() else value
        for name, value in params.items()
    }
