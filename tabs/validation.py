"""Validation a person can act on, at the field it is about.

- **Before a job starts.** The Generate event's Gradio `validator` runs the checks the handler
  makes before any work (the request model, the provider choice, the provider's own limits),
  before the job is queued. On the page a refusal is shown under its field, named by the
  field's visible label in the page's language ("Prompt: write at least 1 character (up to
  2000)."), and nothing starts: no toast, no status change. API and MCP callers see no labels:
  they are let through, and the handler refuses them naming the parameter, as before
  (tabs/job_stream.py).
- **Generate** is enabled only while the inputs no job can do without are there
  (`StudioRequest.missing_inputs`: the prompt, the picture, song or video, where a URL or an id
  may stand in for the file). Anything else is explained at its field when Generate is pressed.
- **Typed out of range.** A slider moves a typed value back within its bounds by itself
  (Gradio's frontend does it when the box is left); the field's hint then says so, in the
  page's language, until a value within bounds is set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import gradio as gr
from gradio.i18n import I18nData

from core.errors import InvalidRequest
from core.limits import upload_limits
from core.messages import msg, render
from core.ownership import check_own_files
from core.request_fields import plain_number
from core.requests import REQUEST_MODELS, Capability, StudioRequest, build_request
from tabs.capability_spec import Accordion, CapabilitySpec, LayoutItem, Row
from tabs.i18n import Lang, label, refusal_message, request_lang
from tabs.provider_fields import shown
from tabs.results_view import from_page
from tabs.services import StudioServices, session_credentials, visitor_of

if TYPE_CHECKING:
    from tabs.capability_tab import BuiltTab

log = logging.getLogger(__name__)

# Where a refusal about no input of its own (a provider that does not serve the capability)
# is shown: the provider picker.
PROVIDER = "provider"
# The Generate event's inputs after the request fields: the picker, then the session's keys.
_AFTER_FIELDS = (PROVIDER, "keys")
_QUIET: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden", "queue": False}


# ---------------------------------------------------------------------------- the refusal
def check_request(
    services: StudioServices,
    capability: Capability,
    values: Mapping[str, Any],
    provider: str | None,
    keys: Mapping[str, str] | None,
    request: gr.Request | None,
) -> StudioRequest:
    """What the handler checks before any work (tabs/job_stream.py `stream_job`), the visitor's
    fair share aside (it is about the visitor, not a field): raises InvalidRequest."""
    if services.settings.public_mode:
        owner = visitor_of(services, request).id
        check_own_files(services.settings, services.store, owner, values)
    built = build_request(capability, limits=upload_limits(services.settings), **values)
    credentials = session_credentials(keys)
    services.registry.resolve(capability, provider, credentials).check(built)
    return built


def _sections(items: tuple[LayoutItem | str, ...], field: str) -> list[str] | None:
    """The names of the named sections `field` sits in (None when the layout lacks it)."""
    for item in items:
        if isinstance(item, Accordion | Row):
            inner = _sections(item.items, field)
            if inner is not None:
                if isinstance(item, Accordion) and item.name is not None:
                    return [item.name, *inner]
                return inner
        elif item == field:
            return []
    return None


def on_page(spec: CapabilitySpec, provider: str | None, field: str) -> bool:
    """Whether the page shows `field` for `provider`: the field and every section it is in."""
    sections = _sections(spec.layout, field)
    if sections is None:
        return False
    return all(shown(spec.capability, provider, name) for name in [field, *sections])


def shown_at(spec: CapabilitySpec, field: str, provider: str | None) -> str:
    """The input a refusal of `field` is shown at: the field when the page shows it, else the
    other of its two sources (a video refused for a provider that takes a creation id), else
    the provider picker."""
    model = REQUEST_MODELS[spec.capability]
    candidates = [field]
    if model.sources is not None and field in model.sources:
        candidates += [name for name in model.sources if name != field]
    for name in candidates:
        if on_page(spec, provider, name):
            return name
    return PROVIDER


def label_key(component: Any) -> str | None:
    """The label key a component shows (tabs/labels.py), or None without one."""
    text = getattr(component, "label", None)
    return text.key if isinstance(text, I18nData) else None


def page_refusal(error: InvalidRequest, label_of: str | None, lang: Lang) -> str:
    """A refusal as the page shows it: the field's visible label in `lang`, else its name."""
    return refusal_message(error, lang, label(lang, label_of) if label_of else None)


def page_validator(
    services: StudioServices, spec: CapabilitySpec, components: Mapping[str, Any]
) -> Callable[..., list[dict[str, Any]]]:
    """The Generate event's validator: `components` are its inputs by name, in their order
    (the request's fields, then the provider picker and the session's keys)."""
    capability = spec.capability
    names = list(components)
    labels = {name: label_key(component) for name, component in components.items()}
    valid = gr.validate(True, "")

    def validate(request: gr.Request, *values: Any) -> list[dict[str, Any]]:
        if not from_page(request):
            return [valid] * len(values)
        given = dict(zip(names, values, strict=True))
        provider, keys = (given.pop(name) for name in _AFTER_FIELDS)
        try:
            check_request(services, capability, given, provider, keys, request)
        except InvalidRequest as error:
            at = shown_at(spec, error.field, provider)
            # Named by its own label; a refusal of no field (the provider cannot do this) by
            # the picker's, where it is shown.
            named = labels.get(error.field) or labels.get(at)
            message = page_refusal(error, named, request_lang(request))
            return [gr.validate(name != at, message if name == at else "") for name in names]
        except Exception:
            # Never stop a job over a bug here: the handler checks everything again.
            log.exception("validating a %s request failed", capability)
        return [valid] * len(values)

    validate.__name__ = f"validate_{capability}"
    return validate


# ---------------------------------------------------------------------------- Generate
def connect_ready(
    model: type[StudioRequest], inputs: Mapping[str, Any], generate: gr.Button
) -> None:
    """Generate is enabled while the inputs no job can do without are there; it starts as a
    fresh page leaves it."""
    names = [name for name in model.presence_fields() if name in inputs]
    components = [inputs[name] for name in names]

    def ready(*values: Any) -> dict[str, Any]:
        given = dict(zip(names, values, strict=True))
        return gr.update(interactive=not model.missing_inputs(given))

    ready.__name__ = f"{model.capability}_ready"
    generate.interactive = ready(*(component.value for component in components))["interactive"]
    gr.on(
        [component.change for component in components],
        ready,
        components,
        generate,
        trigger_mode="always_last",
        **_QUIET,
    )


# ---------------------------------------------------------------------------- typed out of range
def correction_note(value: Any, low: float, high: float, hint: I18nData | None, lang: Lang) -> Any:
    """The hint a slider shows after a value was typed: its own, or what was corrected."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or low <= value <= high:
        return hint if hint is not None else ""
    used = high if value > high else low
    text = msg(
        "value_corrected",
        value=plain_number(value),
        low=plain_number(low),
        high=plain_number(high),
        used=plain_number(used),
    )
    return render(text, lang)


def connect_corrections(inputs: Mapping[str, Any]) -> None:
    """Each slider says so when the page moved a typed value back within its bounds."""
    for component in inputs.values():
        if isinstance(component, gr.Slider):
            _say_corrections(component)


def _say_corrections(slider: gr.Slider) -> None:
    low, high, hint = slider.minimum, slider.maximum, slider.info
    hint = hint if isinstance(hint, I18nData) else None

    # `release` carries the value as typed: the page clamps it just after.
    def note(value: Any, request: gr.Request) -> dict[str, Any]:
        return gr.update(info=correction_note(value, low, high, hint, request_lang(request)))

    slider.release(note, slider, slider, **_QUIET)


# ---------------------------------------------------------------------------- the tab
def connect_validation(
    services: StudioServices, spec: CapabilitySpec, built: BuiltTab, session_keys: gr.State
) -> Callable[..., list[dict[str, Any]]]:
    """Everything above for one capability tab; returns the validator for its Generate event,
    whose inputs are the request's fields in API order, the provider picker and `session_keys`."""
    model = REQUEST_MODELS[spec.capability]
    assert built.provider is not None
    assert built.generate is not None
    connect_ready(model, built.inputs, built.generate)
    connect_corrections(built.inputs)
    components = {name: built.inputs[name] for name in model.api_fields()}
    components[PROVIDER] = built.provider
    components[_AFTER_FIELDS[1]] = session_keys
    return page_validator(services, spec, components)
