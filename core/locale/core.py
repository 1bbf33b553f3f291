"""Messages of the studio's runtime (core/): requests, jobs, files, fetching, limits."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "job_stopped": {"en": "Stopped.", "zh": "已停止。"},
}
