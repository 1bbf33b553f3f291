"""Errors that carry a sentence a user can act on."""

from __future__ import annotations

from core.messages import Message, Text, msg


class StudioError(Exception):
    """Base class: `str(error)` is always safe to show to a user (English)."""


class InvalidRequest(StudioError):
    """A request value is outside what the capability or provider allows.

    `message` is a Message (core/messages.py) or, for a provider's own words, plain text.
    """

    def __init__(self, field: str, message: Text) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def as_message(self) -> Message:
        """The whole refusal, "field: sentence", as one message."""
        return msg("invalid_field", field=self.field, message=self.message)


class ProviderError(StudioError):
    """The provider refused or failed; `retryable` says whether trying later may help."""

    def __init__(self, message: Text, *, retryable: bool = False) -> None:
        self.message = message
        self.retryable = retryable
        super().__init__(str(message))
