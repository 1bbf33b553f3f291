"""Slider and Number whose bounds are checked by the request model, not by Gradio.

Gradio refuses an out-of-range value with "Value 60 is greater than maximum value 50." —
without saying which field. Letting the value through to the request model gives API callers
the same message as everyone else: the field, the value and the allowed range. The browser
still keeps the widgets within their bounds.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

def _as_number(payload: Any, precision: int | None) -> Any:
    if isinstance(payload, bool) or not isinstance(payload, int | float):
        return payload  # the request model names the field and says what is wanted
    return gr.Number.round_to_precision(payload, precision)

class FieldSlider(gr.Slider):
    is_template = True  # rendered by Gradio's own slider

    def preprocess(self, payload: Any) -> Any:
        # No rounding to the slider's precision: 20.5 steps must be refused, not made 20.
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component

class FieldNumber(gr.Number):
    is_template = True  # rendered by Gradio's own number box

    def preprocess(self, payload: Any) -> Any:
        if payload is None:
            return None
        return _as_number(payload, self.precision if self.precision != 0 else None)
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component

class FieldDropdown(gr.Dropdown):
    """A dropdown whose value is checked by the request model or the provider registry
    (which also knows the providers a session's own keys unlock)."""

    is_template = True

    def preprocess(self, payload: Any) -> Any:
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component

class FieldRadio(gr.Radio):
    is_template = True

    def preprocess(self, payload: Any) -> Any:
        return payload
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component
