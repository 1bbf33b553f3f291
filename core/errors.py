"""Errors that carry a sentence a user can act on."""

from __future__ import annotations

from core.messages import Message, Text, msg


class StudioError(Exception):
    """Base class: `str(error)` is always safe to show to a user (English)."""


class InvalidRequest(StudioError):
    """A request value is outside what the capability or provider allows.

    `message` is a Message (core/messages.py) or, for a provider's own words, plain text.
    `provider_field` is the provider's own name for the field when it differs (Suno's
    `continueAt` for `continue_at`), so a user reading the provider's pages finds it too.
    """

    def __init__(self, field: str, message: Text, *, provider_field: str | None = None) -> None:
        self.field = field
        self.message = message
        self.provider_field = provider_field if provider_field != field else None
        super().__init__(f"{self.named_field()}: {message}")

    def named_field(self) -> str:
        """The studio's field name, with the provider's own in brackets when it differs."""
        if self.provider_field:
            return f"{self.field} ({self.provider_field})"
        return self.field

    def as_message(self) -> Message:
        """The whole refusal, "field: sentence", as one message."""
        return msg("invalid_field", field=self.named_field(), message=self.message)


class ProviderError(StudioError):
    """The provider refused or failed; `retryable` says whether trying later may help."""

    def __init__(self, message: Text, *, retryable: bool = False) -> None:
        self.message = message
        self.retryable = retryable
        super().__init__(str(message))
