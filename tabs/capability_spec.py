"""What a capability tab shows, beyond its request model: the one declaration per capability.

The request model (core/requests.py) is the source of every field's type, default, bounds,
choices and description; a `CapabilitySpec` adds only what a page needs besides: which widget
each field is, where it sits (rows, accordions), the outputs, what a result can be sent to and
the examples. tabs/capability_tab.py builds the tab, the handler (its API signature and
docstring) and the wiring from it. docs/architecture.md lists what to touch to add a field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from core.requests import Capability

WidgetKind = Literal[
    "text", "slider", "number", "seed", "dropdown", "radio", "checkbox", "image", "audio", "video"
]
OutputKind = Literal[
    "status", "audio_preview", "image_preview", "audio", "video", "images", "seed_used", "files"
]


@dataclass(frozen=True)
class Widget:
    """How one request field is shown. Bounds, default and choices come from the model.

    `label`, `info` and `placeholder` are label keys (tabs/labels.py); `choices` overrides the
    model's choices with (label key, value) pairs shown in both languages at once.
    """

    kind: WidgetKind
    label: str
    info: str | None = None
    placeholder: str | None = None
    lines: int | None = None
    step: float | None = None
    choices: tuple[tuple[str, Any], ...] | None = None
    elem_id: str | None = None


@dataclass(frozen=True)
class Note:
    """A Markdown hint among the inputs (label key), shown only where it applies."""

    label: str
    elem_id: str | None = None
    # Extra condition on top of the provider's field visibility (services, provider) → shown.
    when: Callable[[Any, str | None], bool] | None = None


@dataclass(frozen=True)
class Row:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Accordion:
    """A closed section; `name` lets a provider hide it whole (tabs/provider_fields.py)."""

    label: str
    items: tuple[str | Row, ...]
    name: str | None = None


# The layout: field names, note names, Rows, Accordions, and the places "provider", "buttons"
# and "examples".
LayoutItem = str | Row | Accordion


@dataclass(frozen=True)
class Output:
    kind: OutputKind
    label: str
    elem_id: str | None = None
    height: int | None = None


@dataclass(frozen=True)
class SendTo:
    """A button under the results: the output's first file goes to another tab's input."""

    output: OutputKind
    target: Capability
    param: str
    label: str


@dataclass(frozen=True)
class Examples:
    """Rows of values for `fields` (API names); `chinese` None: one table for both languages
    (media examples), with bilingual headers."""

    fields: tuple[str, ...]
    english: tuple[tuple[Any, ...], ...]
    chinese: tuple[tuple[Any, ...], ...] | None = None


@dataclass(frozen=True)
class CapabilitySpec:
    capability: Capability
    # Prefix of the tab's element ids (#ttm-status …), kept stable for browser tests.
    prefix: str
    # First line of the endpoint's description (the API page and the MCP tool).
    summary: str
    widgets: dict[str, Widget]
    layout: tuple[LayoutItem, ...]
    outputs: tuple[Output, ...]
    notes: dict[str, Note] = field(default_factory=dict)
    examples: Examples | None = None
    send: SendTo | None = None
    generate_label: str = "generate"
    # After a run, the image preview shows the last image (the gallery holds them all): what
    # API callers get; the page hides the preview once the results are there.
    preview_keeps_last_image: bool = False
    # The request fields of the source the page shows beside the result, with both sizes
    # ("before / after"; tabs/results_view.py): the file, and what names a source the
    # provider holds instead.
    compare_with: tuple[str, str] | None = None

    def label_keys(self) -> set[str]:
        """Every label key the tab shows (tests check each exists in both languages)."""
        keys = {self.generate_label, f"tab_{self.capability}"}
        for widget in self.widgets.values():
            keys |= {k for k in (widget.label, widget.info, widget.placeholder) if k}
            keys |= {label for label, _ in widget.choices or ()}
        keys |= {note.label for note in self.notes.values()}
        keys |= {output.label for output in self.outputs}
        if self.send is not None:
            keys.add(self.send.label)
        stack: list[LayoutItem | str] = list(self.layout)
        while stack:
            item = stack.pop()
            if isinstance(item, Accordion):
                keys.add(item.label)
                stack += list(item.items)
            elif isinstance(item, Row):
                stack += list(item.items)
        return keys

    def placed(self) -> set[str]:
        """The names the layout places (fields, notes and the special places)."""
        found: set[str] = set()
        stack: list[LayoutItem | str] = list(self.layout)
        while stack:
            item = stack.pop()
            if isinstance(item, Accordion | Row):
                stack += list(item.items)
            else:
                found.add(item)
        return found
