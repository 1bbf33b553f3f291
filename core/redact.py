"""Keeps secret values out of anything a person or a file may see."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from pydantic import SecretStr

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words


class Redactor:
    """Remembers every key the studio handles and masks it in text."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()

    def add(self, secrets: Iterable[SecretStr | str | None]) -> None:
        with self._lock:
            for secret in secrets:
                value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
                if value and len(value) >= _MIN_SECRET_LENGTH:
                    self._secrets.add(value)

    def scrub(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, MASK)
        return text


class RedactingFilter(logging.Filter):
    """A logging filter that masks known secrets in every record's final message."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self.redactor.scrub(message)
        if record.exc_info:
            formatter = logging.Formatter()
            scrubbed += "\n" + self.redactor.scrub(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = scrubbed, None
        return True
