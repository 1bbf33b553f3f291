"""What a visitor may hand the studio as an input file in public mode: their own files only.

A capability's file inputs come from the browser as paths. Uploads land in Gradio's upload
folder; a path inside the studio's data folder can only be a result that "Send to" or "Load
settings" put back, and it must then be a result of one of the visitor's own jobs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import InvalidRequest
from core.messages import msg
from core.store import JobStore

NOT_YOURS = msg("file_not_yours")


def _job_folder_id(path: Path, outputs: Path) -> str | None:
    """The job id of a file under `outputs/<date>/<job id>-<random>/…`, else None."""
    try:
        parts = path.relative_to(outputs).parts
    except ValueError:
        return None
    return parts[1].partition("-")[0] if len(parts) >= 3 else None


def check_own_files(
    settings: Settings, store: JobStore, owner: str, values: Mapping[str, Any]
) -> None:
    """Raise InvalidRequest naming the field when a file input lies in the data folder and is
    not in a folder of one of `owner`'s jobs."""
    data = settings.studio_data_dir.resolve()
    outputs = settings.outputs_dir.resolve()
    for field, value in values.items():
        # Gradio hands files in as absolute paths; text such as a prompt is never one.
        if not isinstance(value, str | Path) or not Path(value).is_absolute():
            continue
        try:
            path = Path(value).resolve()
        except (OSError, ValueError):
            continue
        if not path.is_relative_to(data):
            continue
        job_id = _job_folder_id(path, outputs)
        record = store.get(job_id, owner=owner) if job_id else None
        if record is None or not path.is_relative_to(record.output_dir.resolve()):
            raise InvalidRequest(field, NOT_YOURS)
