"""The capability declarations: each tab, its API and its help derive from model + spec."""

from __future__ import annotations

from typing import Any, ClassVar

import gradio as gr
from pydantic import Field

from core.requests import REQUEST_MODELS, TextToMusicRequest
from tabs.capabilities import SPECS, TEXT_TO_MUSIC
from tabs.capability_spec import Widget
from tabs.capability_tab import CapabilityTab, api_default, docstring
from tabs.i18n import LABELS_EN
from tests.api_contract import PUBLIC_PARAMETERS


def test_every_label_a_spec_names_exists() -> None:
    for spec in SPECS:
        assert spec.label_keys() - set(LABELS_EN) == set(), spec.capability


def test_every_api_field_has_a_widget_a_description_and_a_place() -> None:
    for spec in SPECS:
        model = REQUEST_MODELS[spec.capability]
        fields = model.api_fields()
        assert [*fields, "provider"] == list(PUBLIC_PARAMETERS[spec.capability])
        assert set(spec.widgets) == set(fields), spec.capability
        assert set(fields) <= spec.placed(), spec.capability
        for name in fields:
            assert model.model_fields[name].description, f"{spec.capability}.{name}"


def test_the_docstring_comes_from_the_field_descriptions() -> None:
    text = docstring(TEXT_TO_MUSIC, TextToMusicRequest, ["offline", "imgopen"])
    assert text.startswith(TEXT_TO_MUSIC.summary)
    described = TextToMusicRequest.model_fields["seconds"].description
    assert f"    seconds: {described}" in text
    assert '"imgopen" when configured' in text


def test_optional_text_is_an_empty_string_in_the_api() -> None:
    model = REQUEST_MODELS["image_to_music"]
    assert api_default(model.model_fields["image_url"]) == ""
    assert api_default(model.model_fields["image"]) is None
    assert api_default(TextToMusicRequest.model_fields["seconds"]) == 30


class LongerMusicRequest(TextToMusicRequest):
    """What adding a field takes: one Field (and, in the spec, its widget)."""

    capability: ClassVar[Any] = "text_to_music"
    negative_prompt: str = Field("", max_length=300, description="What the music should avoid.")


def test_adding_a_field_is_one_field_and_one_widget(monkeypatch: Any, tmp_path: Any) -> None:
    from dataclasses import replace

    from app import build_studio
    from core.config import Settings

    spec = replace(
        TEXT_TO_MUSIC,
        widgets={**TEXT_TO_MUSIC.widgets, "negative_prompt": Widget("text", "tti_negative_prompt")},
        layout=("prompt", "negative_prompt", *TEXT_TO_MUSIC.layout[1:]),
    )
    studio = build_studio(Settings(studio_data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    monkeypatch.setitem(REQUEST_MODELS, "text_to_music", LongerMusicRequest)
    try:
        with gr.Blocks() as demo:
            keys = gr.State({})
            CapabilityTab(studio.services, spec).build(keys, None, None)
        info = demo.get_api_info()["named_endpoints"]["/text_to_music"]["parameters"]
        names = [parameter["parameter_name"] for parameter in info]
        assert names == [*PUBLIC_PARAMETERS["text_to_music"][:-1], "negative_prompt", "provider"]
        added = next(p for p in info if p["parameter_name"] == "negative_prompt")
        assert added["parameter_default"] == ""
        # The API page and the MCP tool describe it from its Field.
        (handler,) = [fn.fn for fn in demo.fns.values() if fn.name == "text_to_music"]
        assert "    negative_prompt: What the music should avoid." in (handler.__doc__ or "")
    finally:
        studio.close()
