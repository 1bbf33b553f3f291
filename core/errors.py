"""Errors that carry a sentence a user can act on."""

from __future__ import annotations


class StudioError(Exception):
    """Base class: `str(error)` is always safe to show to a user."""


class InvalidRequest(StudioError):
    """A request value is outside what the capability or provider allows."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ProviderError(StudioError):
    """The provider refused or failed; `retryable` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        self.message = message
        self.retryable = retryable
        super().__init__(message)
