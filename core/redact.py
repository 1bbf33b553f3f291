"""Keeps secret values out of anything a person or a file may see.

Two sets of keys are masked: the server's own (one Redactor for the process, filled at start-up)
and a job's own (a visitor's keys, known only while that job runs). A job's texts are scrubbed
with the server's keys and that job's keys only, so one visitor's key never rewrites another
visitor's messages, files or log lines. Log records learn which job they belong to from a
context variable that the job's asyncio task sets (`job_keys_scope`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pydantic import SecretStr

from core.keys import usable_key
from core.messages import Message, Text

MASK = "***"

# The keys of the job whose code is running (set inside the job's own task: every log line it
# emits, e.g. httpx's "HTTP Request: ..." lines, is scrubbed with them and no others).
_JOB_KEYS: ContextVar[tuple[str, ...]] = ContextVar("studio_job_keys", default=())


def secret_values(secrets: Iterable[SecretStr | str | None]) -> tuple[str, ...]:
    """The values worth masking: trimmed, and only those the key rule accepts (core/keys.py);
    masking a short or punctuation-only value would mangle ordinary text."""
    found: list[str] = []
    for secret in secrets:
        value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if isinstance(value, str) and usable_key(value.strip()):
            found.append(value.strip())
    return tuple(dict.fromkeys(found))


def set_job_keys(keys: Iterable[str]) -> None:
    """Scrub log lines of the current task (and the tasks it starts) with `keys` as well."""
    _JOB_KEYS.set(tuple(keys))


def current_job_keys() -> tuple[str, ...]:
    return _JOB_KEYS.get()


@contextmanager
def job_keys_scope(keys: Iterable[str]) -> Iterator[None]:
    """`set_job_keys` for a block of synchronous code, undone after it."""
    token = _JOB_KEYS.set(tuple(keys))
    try:
        yield
    finally:
        _JOB_KEYS.reset(token)


class Redactor:
    """Masks the server's own keys, plus the keys of one job where a caller passes them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()

    def add(self, secrets: Iterable[SecretStr | str | None]) -> None:
        """Register server keys (never a visitor's: those stay with their job)."""
        values = secret_values(secrets)
        with self._lock:
            self._secrets.update(values)

    def scrub(self, text: str, job_keys: Iterable[str] = ()) -> str:
        """`text` with the server's keys and `job_keys` masked, longest first."""
        with self._lock:
            secrets = self._secrets.union(secret_values(job_keys))
        for secret in sorted(secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def scrub_text(self, text: Text, job_keys: Iterable[str] = ()) -> Text:
        """A message with every string parameter scrubbed (a provider's words may quote a key),
        or plain text scrubbed."""
        if isinstance(text, str):
            return self.scrub(text, job_keys)
        keys = tuple(job_keys)
        params = {
            name: self.scrub_text(value, keys) if isinstance(value, str | Message) else value
            for name, value in text.params.items()
        }
        return text.model_copy(update={"params": params})

    def scrub_data(self, value: Any, job_keys: Iterable[str] = ()) -> Any:
        """A JSON-like value with every string in it scrubbed, keys of mappings included.

        Scrubbing the values rather than their serialized text keeps the structure whole,
        whatever a key looks like.
        """
        keys = tuple(job_keys)
        if isinstance(value, str):
            return self.scrub(value, keys)
        if isinstance(value, dict):
            return {
                (self.scrub(k, keys) if isinstance(k, str) else k): self.scrub_data(v, keys)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.scrub_data(item, keys) for item in value]
        return value


class RedactingFilter(logging.Filter):
    """A logging filter that masks the server's keys, and the running job's, in each record."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        job_keys = current_job_keys()
        message = record.getMessage()
        scrubbed = self.redactor.scrub(message, job_keys)
        if record.exc_info:
            formatter = logging.Formatter()
            exception = formatter.formatException(record.exc_info)
            scrubbed += "\n" + self.redactor.scrub(exception, job_keys)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = scrubbed, None
        return True


# httpx logs every request a job makes ("HTTP Request: POST <url> ...") on this very logger.
# A filter on a logger sees its records before any handler, including handlers added after
# start-up; it does not see records of child loggers, hence the handlers too.
JOB_LOGGERS = ("httpx",)


def install_log_redaction(redactor: Redactor) -> None:
    """Put a RedactingFilter on the root logger, its handlers and the job loggers."""
    root = logging.getLogger()
    targets: list[logging.Filterer] = [root, *root.handlers]
    targets += [logging.getLogger(name) for name in JOB_LOGGERS]
    for target in targets:
        target.addFilter(RedactingFilter(redactor))
