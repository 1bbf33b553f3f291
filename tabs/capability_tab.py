"""The one capability tab: built from a request model and its `CapabilitySpec`.

From the model come each input's bounds, default, choices and description; from the spec its
widget, place and label. The handler's signature (the public API: parameter names, order and
defaults) and docstring (the API page, the MCP tool description) are derived the same way, so a
field is declared once. Handlers yield updates keyed by component: data for API and MCP
callers, and for the page a view of the job (tabs/results_view.py): one status bar, only the
results that exist.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
from pydantic.fields import FieldInfo

from core.request_fields import SEED_MAX, field_choices, text_like
from core.requests import REQUEST_MODELS, StudioRequest
from providers.registry import PROVIDER_ORDER
from tabs.capability_spec import Accordion, CapabilitySpec, LayoutItem, Output, Row, Widget
from tabs.examples import add_examples
from tabs.fields import field_dropdown, field_image, field_number, field_radio, field_slider
from tabs.i18n import bilingual, i18n
from tabs.job_stream import resolve_seed, stream_steps
from tabs.mcp_results import from_mcp, result_json
from tabs.picker import default_provider, provider_dropdown
from tabs.provider_fields import shown
from tabs.results_view import (
    RESULT_KINDS,
    PageView,
    add_extras,
    connect_results,
    from_page,
)
from tabs.run_card import add_run_card, connect_run_card, connect_stop
from tabs.services import StudioServices
from tabs.validation import connect_validation
from tabs.wiring import connect_send, connect_tab

DEFAULT_PROVIDER = "offline"
_SPECIAL_PLACES = ("provider", "buttons", "examples")
# Placed under both columns: on a phone the results come right after the form.
_BELOW = "examples"


# ---------------------------------------------------------------------------- the model's side
def _bound(info: FieldInfo, *names: str) -> Any:
    """The first of the named constraints the field has (1.0 shown as 1, as the API did)."""
    for meta in info.metadata:
        for name in names:
            value = getattr(meta, name, None)
            if value is not None:
                return int(value) if isinstance(value, float) and value.is_integer() else value
    return None


def api_default(info: FieldInfo) -> Any:
    """The API's default for a field: the model's, with "" for optional text (the API has
    always taken "" for "not set")."""
    if info.is_required():
        return None
    default = info.get_default(call_default_factory=True)
    if default is None and text_like(info):
        return ""
    if isinstance(default, float) and default.is_integer():
        return int(default)  # 30.0 is shown as 30, as the API always did
    return default


def docstring(spec: CapabilitySpec, model: type[StudioRequest], providers: list[str]) -> str:
    """The endpoint's description: the spec's summary, then each parameter's description."""
    lines = [spec.summary, "", "Args:"]
    for name in model.api_fields():
        lines.append(f"    {name}: {model.model_fields[name].description or ''}")
    others = " or ".join(f'"{name}"' for name in providers if name != DEFAULT_PROVIDER)
    lines.append(
        f'    provider: "{DEFAULT_PROVIDER}" (no key needed)'
        + (f" or {others} when configured." if others else ".")
    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- the page's side
@dataclass
class BuiltTab:
    """The components of one built tab, by API name / output kind."""

    inputs: dict[str, gr.components.Component] = field(default_factory=dict)
    # Fields, notes and named accordions whose visibility depends on the provider.
    toggled: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, gr.components.Component] = field(default_factory=dict)
    seed_buttons: tuple[gr.Button, gr.Button] | None = None
    provider: gr.Dropdown | None = None
    generate: gr.Button | None = None
    stop: gr.Button | None = None


class CapabilityTab:
    """Builds one capability's tab from its spec, and wires it."""

    def __init__(self, services: StudioServices, spec: CapabilitySpec) -> None:
        self.services = services
        self.spec = spec
        self.model = REQUEST_MODELS[spec.capability]
        self.built = BuiltTab()
        self._picked = default_provider(services, spec.capability)
        self._in_examples = set(spec.examples.fields) if spec.examples else set()

    # ------------------------------------------------------------------ visibility
    def _providers(self) -> list[str]:
        found = []
        for name in PROVIDER_ORDER:
            provider = self.services.registry.get(name)
            if provider is not None and self.spec.capability in provider.capabilities:
                found.append(name)
        return found

    def visible(self, name: str, provider: str | None) -> bool:
        if not shown(self.spec.capability, provider, name):
            return False
        note = self.spec.notes.get(name)
        return note is None or note.when is None or note.when(self.services, provider)

    def _varies(self, name: str) -> bool:
        note = self.spec.notes.get(name)
        if note is not None and note.when is not None:
            return True
        return len({shown(self.spec.capability, p, name) for p in self._providers()}) > 1

    # ------------------------------------------------------------------ inputs
    def _choices(self, name: str, widget: Widget, info: FieldInfo) -> list[Any]:
        if widget.choices is None:
            return field_choices(info)
        # Labels shown by the examples table are not translated by the browser: both languages.
        show = bilingual if name in self._in_examples else i18n
        return [(show(key), value) for key, value in widget.choices]

    def _input(self, name: str) -> gr.components.Component:
        widget = self.spec.widgets[name]
        info = self.model.model_fields[name]
        default = api_default(info)
        common: dict[str, Any] = {
            "label": i18n(widget.label),
            "visible": self.visible(name, self._picked),
        }
        if widget.info:
            common["info"] = i18n(widget.info)
        if widget.elem_id:
            common["elem_id"] = widget.elem_id
        kind = widget.kind
        if kind == "text":
            if not info.is_required():
                common["value"] = default
            return gr.Textbox(
                lines=widget.lines or 1,
                max_length=_bound(info, "max_length"),
                placeholder=i18n(widget.placeholder) if widget.placeholder else None,
                **common,
            )
        if kind == "slider":
            step = widget.step or _bound(info, "multiple_of") or 1
            return field_slider(
                _bound(info, "ge", "gt"),
                _bound(info, "le", "lt"),
                value=default,
                step=step,
                **common,
            )
        if kind == "number":
            return field_number(value=default, step=widget.step or 1, **common)
        if kind == "seed":
            with gr.Row(elem_classes=["studio-seed-row"]):
                seed = field_number(
                    value=default,
                    precision=0,
                    scale=1,
                    minimum=_bound(info, "ge"),
                    maximum=SEED_MAX,
                    **common,
                )
                compact: dict[str, Any] = {"size": "sm", "scale": 0, "min_width": 0}
                dice = gr.Button(i18n("seed_random"), **compact)
                reuse = gr.Button(i18n("seed_reuse"), **compact)
            self.built.seed_buttons = (dice, reuse)
            return seed
        if kind in ("dropdown", "radio"):
            make = field_dropdown if kind == "dropdown" else field_radio
            return make(self._choices(name, widget, info), value=default, **common)
        if kind == "checkbox":
            return gr.Checkbox(value=bool(default), **common)
        if kind == "image":
            return field_image(type="filepath", sources=["upload", "clipboard"], **common)
        if kind == "audio":
            return gr.Audio(type="filepath", sources=["upload"], **common)
        assert kind == "video", kind
        return gr.Video(sources=["upload"], **common)

    def _place(self, item: LayoutItem) -> None:
        if isinstance(item, Row):
            with gr.Row():
                for inner in item.items:
                    self._place(inner)
            return
        if isinstance(item, Accordion):
            visible = item.name is None or self.visible(item.name, self._picked)
            with gr.Accordion(i18n(item.label), open=False, visible=visible) as section:
                for inner in item.items:
                    self._place(inner)
            if item.name is not None and self._varies(item.name):
                self.built.toggled[item.name] = section
            return
        if item in _SPECIAL_PLACES:
            getattr(self, f"_place_{item}")()
            return
        if item in self.spec.notes:
            note = self.spec.notes[item]
            component = gr.Markdown(
                i18n(note.label), visible=self.visible(item, self._picked), elem_id=note.elem_id
            )
        else:
            component = self._input(item)
            self.built.inputs[item] = component
        if self._varies(item):
            self.built.toggled[item] = component

    def _place_provider(self) -> None:
        self.built.provider = provider_dropdown(self.services, self.spec.capability)

    def _place_buttons(self) -> None:
        prefix = self.spec.prefix
        with gr.Row():
            self.built.generate = gr.Button(
                i18n(self.spec.generate_label), variant="primary", elem_id=f"{prefix}-generate"
            )
            # Shown instead of Generate while a job runs (tabs/results_view.py).
            self.built.stop = gr.Button(
                i18n("stop"), variant="secondary", visible=False, elem_id=f"{prefix}-stop"
            )

    def _place_examples(self) -> None:
        examples = self.spec.examples
        if examples is None:
            return
        add_examples(
            [list(row) for row in examples.english],
            [list(row) for row in examples.chinese] if examples.chinese is not None else None,
            [self.built.inputs[name] for name in examples.fields],
            [self.spec.widgets[name].label for name in examples.fields],
            self.spec.prefix,
        )

    # ------------------------------------------------------------------ outputs
    @staticmethod
    def _output(output: Output) -> gr.components.Component:
        """An output as the page first shows it: the status, and nothing else until a run
        gives it something (no empty boxes, never an upload box)."""
        label = i18n(output.label)
        extra: dict[str, Any] = {"elem_id": output.elem_id} if output.elem_id else {}
        if output.height is not None:
            extra["height"] = output.height
        kind = output.kind
        if kind == "status":
            return gr.Markdown(label, elem_classes=["studio-status-box"], **extra)
        shown: dict[str, Any] = {"label": label, "visible": False, "interactive": False, **extra}
        if kind == "audio_preview":
            return gr.Audio(**shown)
        if kind == "image_preview":
            return gr.Image(**shown)
        if kind == "audio":
            return gr.Audio(type="filepath", **shown)
        if kind == "video":
            return gr.Video(**shown)
        if kind == "images":
            # As tall as its pictures: a fixed height cut off the second row of four.
            return gr.Gallery(height="auto", object_fit="contain", **shown)
        if kind == "seed_used":
            return field_number(precision=0, **shown)
        assert kind == "files", kind
        return gr.File(file_count="multiple", **shown)

    # ------------------------------------------------------------------ the tab
    def build(self, session_keys: gr.State, loaded: gr.State | None, tabs: gr.Tabs | None) -> None:
        spec = self.spec
        with gr.Tab(i18n(f"tab_{spec.capability}"), id=spec.capability):
            with gr.Row():
                with gr.Column(scale=5, elem_classes=["studio-form"]):
                    for item in spec.layout:
                        if item != _BELOW:
                            self._place(item)
                with gr.Column(scale=5):
                    for output in spec.outputs:
                        self.built.outputs[output.kind] = self._output(output)
                    extras = add_extras(spec)
                    send = None
                    if spec.send:
                        send = gr.Button(i18n(spec.send.label), size="sm", visible=False)
                    bundle, card = add_run_card(self.services)
            if _BELOW in spec.layout:
                self._place(_BELOW)
        self._wire(session_keys, loaded, tabs, send, bundle, card, extras)

    def _wire(
        self,
        session_keys: gr.State,
        loaded: gr.State | None,
        tabs: gr.Tabs | None,
        send: gr.Button | None,
        bundle: gr.File,
        card: gr.Markdown,
        extras: gr.HTML,
    ) -> None:
        spec, built, services = self.spec, self.built, self.services
        # Every layout places "provider" and "buttons".
        assert built.provider is not None
        assert built.generate is not None
        assert built.stop is not None
        if built.toggled:
            names = list(built.toggled)

            def show_fields(chosen: str | None) -> Any:
                updates = tuple(gr.update(visible=self.visible(name, chosen)) for name in names)
                return updates if len(updates) > 1 else updates[0]

            # A name of its own per tab, so the event can be told apart (and called in tests).
            show_fields.__name__ = f"show_{spec.capability}_fields"

            built.provider.change(
                show_fields,
                built.provider,
                list(built.toggled.values()),
                api_visibility="private",
                show_progress="hidden",
            )
        api_names = self.model.api_fields()
        named = [(name, built.inputs[name]) for name in api_names]
        connect_tab(
            services,
            spec.capability,
            session_keys,
            loaded,
            built.provider,
            [*named, ("provider", built.provider)],
        )
        # A refusal shows at its field and nothing starts (tabs/validation.py).
        validator = connect_validation(services, spec, built, session_keys)
        event = built.generate.click(
            self.handler(),
            inputs=[component for _, component in named] + [built.provider, session_keys],
            outputs=list(built.outputs.values()),
            api_name=spec.capability,
            # The status is drawn by the studio (tabs/progress_bar.py): no second overlay.
            show_progress="hidden",
            concurrency_limit=services.settings.studio_event_concurrency,
            validator=validator,
        )
        connect_run_card(services, spec.capability, event, bundle, card)
        connect_stop(services, spec.capability, built.stop)
        status = built.outputs["status"]
        connect_results(services, spec, event, status, built.generate, built.stop, extras, send)
        if send is not None and spec.send is not None:
            source = built.outputs[spec.send.output]
            connect_send(send, source, spec.send.target, spec.send.param, loaded, tabs)
        if built.seed_buttons is not None and "seed_used" in built.outputs:
            dice, reuse = built.seed_buttons
            quiet: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
            dice.click(lambda: -1, None, built.inputs["seed"], **quiet)
            reuse.click(
                lambda used: gr.skip() if used is None else used,  # no run yet: nothing to reuse
                built.outputs["seed_used"],
                built.inputs["seed"],
                **quiet,
            )

    # ------------------------------------------------------------------ the handler
    def handler(self) -> Callable[..., AsyncIterator[dict[Any, Any]]]:
        """The endpoint: parameters named, ordered and defaulted after the request model."""
        services, spec, model = self.services, self.spec, self.model
        outputs = self.built.outputs
        api_names = model.api_fields()
        text_fields = {n for n in api_names if text_like(model.model_fields[n])}

        async def run(*args: Any, **kwargs: Any) -> AsyncIterator[dict[Any, Any]]:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            given = bound.arguments
            values: dict[str, Any] = {}
            for name in api_names:
                value = given[name]
                if name in text_fields and value is None:
                    value = ""
                values[name] = resolve_seed(value) if name == "seed" else value
            agent = from_mcp(given["request"])
            page = PageView(spec, outputs) if from_page(given["request"]) else None
            async for step in stream_steps(
                services,
                spec.capability,
                given["provider"],
                values,
                given["keys"],
                # The page draws its own bar; gr.Progress is for API callers.
                None if page else given["progress"],
                given["request"],
            ):
                if page is not None:
                    yield page.update(step)
                    continue
                update = self._update(step, outputs)
                if agent and step.outputs is not None:
                    # An agent reads data (tabs/mcp_results.py), not the status Markdown.
                    update[outputs["status"]] = result_json(
                        services.store, step.job_id, step.outputs, step.status
                    )
                yield update

        parameters = [
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=inspect.Parameter.empty
                if model.model_fields[name].is_required()
                else api_default(model.model_fields[name]),
            )
            for name in api_names
        ]
        parameters += [
            inspect.Parameter(
                "provider", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=DEFAULT_PROVIDER
            ),
            inspect.Parameter("keys", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None),
            inspect.Parameter(
                "request",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None,
                annotation=gr.Request | None,
            ),
            inspect.Parameter(
                "progress", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=gr.Progress()
            ),
        ]
        signature = inspect.Signature(parameters)
        run.__signature__ = signature  # type: ignore[attr-defined]
        run.__annotations__ = {"request": gr.Request | None, "progress": gr.Progress}
        run.__name__ = run.__qualname__ = spec.capability
        run.__doc__ = docstring(spec, model, self._providers())
        return run

    def _update(self, step: Any, outputs: dict[str, gr.components.Component]) -> dict[Any, Any]:
        """One streamed step as an API caller gets it: data keyed by component (absent ones stay
        as they are).

        While a job runs, its result outputs are sent empty rather than left out: Gradio
        rebuilds a whole component for every output left as it is, which was a fifth of the
        app's CPU per remote job (bench/bench_session_cost.py).
        """
        update: dict[Any, Any] = {outputs["status"]: step.status}
        if "seed_used" in outputs:
            update[outputs["seed_used"]] = step.request.seed
        if step.outputs is None:
            for kind in RESULT_KINDS:
                if kind in outputs:
                    update[outputs[kind]] = None
            if step.preview is not None:
                for kind in ("audio_preview", "image_preview"):
                    if kind in outputs:
                        update[outputs[kind]] = step.preview
            return update
        songs, videos, images = step.files("audio"), step.files("video"), step.files("image")
        if "audio" in outputs:
            update[outputs["audio"]] = songs[0] if songs else None
        if "video" in outputs:
            update[outputs["video"]] = videos[0] if videos else None
        if "images" in outputs:
            update[outputs["images"]] = images
        if self.spec.preview_keeps_last_image and "image_preview" in outputs:
            update[outputs["image_preview"]] = images[-1] if images else None
        update[outputs["files"]] = step.files()
        return update
