"""Refusals in plain words: a request model's validation error as the sentence a person reads,
what to write instead and then what was wrong ("use 1 to 50 (60 is too high)"), in the
reader's language, naming the field; never pydantic's own English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from core.errors import InvalidRequest
from core.messages import Message, Text, msg
from core.request_fields import (
    ID_PATTERN,
    SEED_MAX,
    field_bounds,
    field_choices,
    finite_number,
    plain_number,
)


class Refusal(ValueError):
    """A field validator's reason as a Message (pydantic keeps it as the error's ctx)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def _fix_number(model: type[BaseModel], field: str, problem: Message, step: Any = None) -> Message:
    """What to use instead of a refused number, by the field's bounds: "use 1 to 50 (60 is too
    high)"; one sentence per kind of range, so each language words its own."""
    if field == "seed":
        return msg("fix_seed", most=SEED_MAX, problem=problem)
    bounds = field_bounds(model, field)
    step = step if step is not None else bounds.get("multiple_of")
    steps: Text = msg("steps_suffix", step=plain_number(step)) if step is not None else ""
    # No field has an exclusive upper bound (tests/unit/test_requests.py checks it).
    high = plain_number(bounds["le"]) if "le" in bounds else None
    if "ge" in bounds:
        low = plain_number(bounds["ge"])
        if high is not None:
            return msg("fix_between", low=low, high=high, steps=steps, problem=problem)
        return msg("fix_at_least", low=low, steps=steps, problem=problem)
    if "gt" in bounds:
        low = plain_number(bounds["gt"])
        if high is not None:
            return msg("fix_above_to", low=low, high=high, steps=steps, problem=problem)
        return msg("fix_greater", low=low, steps=steps, problem=problem)
    if high is not None:
        return msg("fix_at_most", high=high, steps=steps, problem=problem)
    return msg("fix_any", steps=steps, problem=problem)


def shown_value(value: Any) -> Text:
    """The offending value as a message can show it: never a page of list items or digits."""
    if isinstance(value, str) and len(value) > 60:
        return msg("value_chars", count=len(value))
    number = isinstance(value, int | float) and not isinstance(value, bool)
    text = plain_number(value) if number else repr(value)
    return text if len(text) <= 60 else f"{text[:50]}… ({type(value).__name__})"


def _listed(values: list[Any]) -> Text:
    """Choices one after another, with the separator of the reader's language."""
    if not values:
        return ""
    joined: Text = str(values[0])
    for value in values[1:]:
        joined = msg("choice_pair", first=joined, second=str(value))
    return joined


# What is wrong with a number, by pydantic's error type; the sentence adds what to use instead.
def _too_high(value: Text) -> Message:
    return msg("problem_too_high", value=value)


def _too_low(value: Text) -> Message:
    return msg("problem_too_low", value=value)


def _not_number(value: Text) -> Message:
    return msg("problem_not_number", value=value)


def _not_bool(value: Text) -> Message:
    return msg("fix_bool", value=value)


_NUMBER_PROBLEMS: dict[str, Callable[[Text], Message]] = {
    "less_than_equal": _too_high,
    "less_than": _too_high,
    "greater_than_equal": _too_low,
    "greater_than": _too_low,
    "multiple_of": lambda value: msg("problem_between_steps", value=value),
    "int_from_float": lambda value: msg("problem_not_whole", value=value),
    "int_type": _not_number,
    "int_parsing": _not_number,
    "int_parsing_size": _not_number,
    "float_type": _not_number,
    "float_parsing": _not_number,
    "finite_number": _not_number,
}
# Other types the request models meet: one plain sentence each.
_PLAIN: dict[str, Callable[[Text], Message]] = {
    "bool_type": _not_bool,
    "bool_parsing": _not_bool,
    "string_type": lambda value: msg("fix_text", value=value),
    "path_type": lambda value: msg("fix_file", value=value),
}


def _sentence(model: type[BaseModel], field: str, error: Mapping[str, Any]) -> Text:
    """What to write instead, then what was wrong, in plain words: "use 1 to 50 (60 is too
    high)". Never pydantic's own English, which would stay English in every language."""
    kind = str(error.get("type"))
    ctx = error.get("ctx") or {}
    refusal = ctx.get("error")
    if isinstance(refusal, Refusal):
        return refusal.message
    if kind == "extra_forbidden":
        return msg("not_a_parameter")
    if kind == "missing":
        return msg("required")
    value = error.get("input")
    shown = shown_value(value)
    bounds = field_bounds(model, field)
    if kind == "string_too_short" and "max_length" in bounds:
        low = ctx.get("min_length", 1)
        key = "text_too_short_one" if low == 1 else "text_too_short_many"
        return msg(key, low=low, high=bounds["max_length"])
    if kind == "string_too_long":
        count = len(value) if isinstance(value, str) else shown
        return msg("text_too_long", high=ctx.get("max_length"), count=count)
    if kind == "literal_error":
        info = model.model_fields.get(field)
        choices = field_choices(info) if info is not None else []
        return msg("fix_choice", choices=_listed(choices), value=shown)
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == ID_PATTERN:
            return msg("fix_id", value=shown)
        return msg("fix_pattern", pattern=pattern, value=shown)
    if kind == "multiple_of":
        # A number far out of range is "too high" before it is "between two steps".
        number = finite_number(value)
        if number is not None and "le" in bounds and number > bounds["le"]:
            kind = "less_than_equal"
        elif number is not None and "ge" in bounds and number < bounds["ge"]:
            kind = "greater_than_equal"
    problem = _NUMBER_PROBLEMS.get(kind)
    if problem is not None:
        return _fix_number(model, field, problem(shown), ctx.get("multiple_of"))
    plain = _PLAIN.get(kind)
    return plain(shown) if plain is not None else msg("fix_other", value=shown)


def describe_validation_error(model: type[BaseModel], error: ValidationError) -> InvalidRequest:
    """The first problem of `error` as an InvalidRequest naming the field, in plain words: what
    to write instead and what was wrong with the value."""
    first = error.errors()[0]
    loc = [str(part) for part in first.get("loc", ())]
    field = loc[0] if loc else "request"
    return InvalidRequest(field, _sentence(model, field, first))
