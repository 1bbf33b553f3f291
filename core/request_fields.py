"""What a request model's fields say of themselves, for the page, the API and the refusals: the
allowed values, whether "" means "not set", the bounds, and numbers as a person writes them.
"""

from __future__ import annotations

import math
import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

SEED_MAX = 2**32 - 1
# Vidu's creation ids: the one pattern a field has (its refusal says it in words).
ID_PATTERN = r"^[0-9A-Za-z_-]+$"


def finite_number(value: Any) -> float | None:
    """`value` as a finite float, or None (nan, inf and ints too big for a float included)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def field_choices(info: FieldInfo) -> list[Any]:
    """A field's allowed values: its Literal's, or `json_schema_extra["choices"]`."""
    annotation = info.annotation
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return list(extra.get("choices") or [])  # type: ignore[arg-type]


def text_like(info: FieldInfo) -> bool:
    """Whether the API takes text for this field: its missing value is "" rather than None
    (the API has always taken "" for "not set")."""
    return _text_annotation(info.annotation)


def _text_annotation(annotation: Any) -> bool:
    if annotation is str:
        return True
    origin = get_origin(annotation)
    if origin is Literal:
        return all(isinstance(arg, str) for arg in get_args(annotation))
    if origin in (Union, types.UnionType):
        return any(_text_annotation(arg) for arg in get_args(annotation) if arg is not type(None))
    return False


def field_bounds(model: type[BaseModel], field: str) -> dict[str, Any]:
    info = model.model_fields.get(field)
    found: dict[str, Any] = {}
    for meta in info.metadata if info is not None else ():
        for name in ("ge", "gt", "le", "lt", "multiple_of", "min_length", "max_length"):
            value = getattr(meta, name, None)
            if value is not None:
                found[name] = value
    return found


def plain_number(value: Any) -> str:
    """A number as a person writes it: 50 rather than 50.0, 7.35 rather than 7.3500000001."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
