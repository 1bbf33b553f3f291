"""The one exception every offline engine raises when asked to stop."""

from __future__ import annotations

from collections.abc import Callable


class EngineCancelled(Exception):
    """The caller's `should_stop()` said True; the engine stopped between two stages."""


def check_stop(should_stop: Callable[[], bool] | None) -> None:
    """Raise EngineCancelled when the caller asked to stop."""
    if should_stop is not None and should_stop():
        raise EngineCancelled("stopped on request")
