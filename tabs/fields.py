"""Sliders, numbers and choices whose bounds are checked by the request model, not by Gradio.

Gradio refuses an out-of-range value with "Value 60 is greater than maximum value 50." —
without saying which field. Letting the value through to the request model gives API callers
the same message as everyone else: the field, the value and the allowed range. The browser
still keeps a slider within its bounds, and the field's hint then says what it corrected
(tabs/validation.py). A number box cannot be empty on the page: it shows and sends 0.

The components are Gradio's own, with `preprocess` replaced on the instance: a subclass
would make Gradio write a `.pyi` stub next to this module at import time.
"""

from __future__ import annotations

from typing import Any, TypeVar

import gradio as gr

Component = TypeVar("Component", bound=gr.components.Component)


def _pass_through(payload: Any) -> Any:
    return payload


def _number_or_as_is(payload: Any) -> Any:
    # No rounding to the widget's precision: 20.5 steps must be refused, not made 20.
    if isinstance(payload, float) and payload.is_integer():
        return int(payload) if abs(payload) < 2**53 else payload
    return payload


def _lenient(component: Component, preprocess: Any = _pass_through) -> Component:
    component.preprocess = preprocess  # type: ignore[method-assign]
    return component


def field_slider(*args: Any, **kwargs: Any) -> gr.Slider:
    return _lenient(gr.Slider(*args, **kwargs))


def field_number(*args: Any, **kwargs: Any) -> gr.Number:
    return _lenient(gr.Number(*args, **kwargs), _number_or_as_is)


def field_dropdown(*args: Any, **kwargs: Any) -> gr.Dropdown:
    """The value is checked by the request model or the provider registry (which also knows
    the providers a session's own keys unlock)."""
    return _lenient(gr.Dropdown(*args, **kwargs))


def field_radio(*args: Any, **kwargs: Any) -> gr.Radio:
    return _lenient(gr.Radio(*args, **kwargs))


def _file_path(payload: Any) -> Any:
    # Gradio's own preprocess opens the file (PIL for images) and fails with a stack trace on a
    # file that only pretends to be one; the request model checks the content and says so.
    if payload is None:
        return None
    path = getattr(payload, "path", None)
    if path is None and isinstance(payload, dict):
        path = payload.get("path")
    return path if path is not None else payload


def field_image(*args: Any, **kwargs: Any) -> gr.Image:
    return _lenient(gr.Image(*args, **kwargs), _file_path)
