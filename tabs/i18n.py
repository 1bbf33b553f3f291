"""English and Simplified Chinese for the whole UI.

Two kinds of text:
- Labels (tabs/labels.py, both languages side by side): what the page shows before any handler
  runs (labels, hints, buttons, Markdown).
  Components get `i18n("key")`; Gradio sends both tables in /config and the browser picks its
  language (zh-CN and zh-* get Chinese, everything else English). The browser formats them as
  ICU messages, so a label must not contain `{`, `}` or `<`. Gradio translates only the first
  key in a string, so one string holds at most one key.
- Messages: what handlers write (status lines, errors, History and Settings sentences): keys of
  the locale catalog (core/locale/, the UI's own in core/locale/ui.py), rendered per request in
  the language of its Accept-Language (`request_lang`) with `tr` or `core.messages.render`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import gradio as gr
from gradio.context import LocalContext
from gradio.i18n import I18nData

from core.errors import InvalidRequest
from core.messages import Text, msg, render
from tabs.labels import LABELS as LABEL_TEXTS

Lang = Literal["en", "zh"]
DEFAULT_LANG: Lang = "en"
# Gradio matches the browser locale "zh-TW" as "zh-TW" then "zh": both Chinese tags point here.
CHINESE_LOCALES = ("zh-CN", "zh")

# Derived from the side-by-side table (tabs/labels.py), for callers that want one language.
LABELS_EN: dict[str, str] = {key: texts["en"] for key, texts in LABEL_TEXTS.items()}
LABELS_ZH: dict[str, str] = {key: texts["zh"] for key, texts in LABEL_TEXTS.items()}

LABELS: dict[Lang, dict[str, str]] = {"en": LABELS_EN, "zh": LABELS_ZH}


def i18n(key: str) -> I18nData:
    """A label the browser shows in its own language. An unknown key fails at build time."""
    if key not in LABELS_EN:
        raise KeyError(f"no label {key!r} in tabs/labels.py")
    return I18nData(key)


def i18n_object() -> gr.I18n:
    """What `launch(i18n=...)` takes: every label in both languages."""
    chinese = {locale: dict(LABELS_ZH) for locale in CHINESE_LOCALES}
    return gr.I18n(**{"en": dict(LABELS_EN), **chinese})


def label(lang: Lang, key: str) -> str:
    """A label's text in `lang`, for handlers that write one (e.g. a choice's display name)."""
    return LABELS[lang][key]


def tr(lang: Lang, key: str, **values: Any) -> str:
    """A handler's sentence in `lang`: the message `key` of the catalog (core/locale/)."""
    return render(msg(key, **values), lang)


def language(accept_language: str | None) -> Lang:
    """Chinese when the most wanted language is any Chinese, else English (the page's rule)."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return "zh" if best == "zh" or best.startswith("zh-") else DEFAULT_LANG


def request_lang(request: gr.Request | None = None) -> Lang:
    """The language of the request being handled (the handler's own, else Gradio's current)."""
    if request is None:
        request = LocalContext.request.get(None)
    headers = getattr(request, "headers", None)
    if headers is None:
        return DEFAULT_LANG
    return language(headers.get("accept-language"))


def headers(lang: Lang, key: str) -> list[str]:
    return tr(lang, key).split("|")


# ---------------------------------------------------------------------------- core's messages
def invalid_message(field: Text, message: Text, lang: Lang) -> str:
    """An InvalidRequest as shown: "field: message", the message in `lang`."""
    return render(msg("invalid_field", field=field, message=message), lang)


def refusal_message(error: InvalidRequest, lang: Lang, label: Text | None = None) -> str:
    """An InvalidRequest in `lang`, named by `label` (what a page shows for the field) or else
    by its API name, with the provider's own name for the field in brackets when it has one:
    "Continue at (seconds) (continueAt): …" on the page, "continue_at (continueAt): …" for API
    callers."""
    name: Text = label if label is not None else error.field
    if error.provider_field:
        name = msg("with_setting", text=name, setting=error.provider_field)
    return invalid_message(name, error.message, lang)


def progress_message(message: Text, lang: Lang) -> str:
    """An engine's progress or a job's end in `lang` (a provider's own words as written)."""
    return render(message, lang)


def warning_message(message: Text, lang: Lang) -> str:
    """A request's warning in `lang`."""
    return render(message, lang)


def english_labels(value: Any) -> Any:
    """`value` (Gradio's API description) with every label key replaced by its English text:
    the API page and gradio_client name parameters and results after the labels."""
    if isinstance(value, I18nData):
        return LABELS_EN.get(value.key, value.key)
    if isinstance(value, str) and value.startswith("__i18n__"):
        match = re.fullmatch(
            r'__i18n__\{"__type__": "translation_metadata", "key": "([^"]+)"\}', value
        )
        return LABELS_EN.get(match[1], value) if match else value
    if isinstance(value, dict):
        if set(value) in ({"key", "_type"}, {"key", "__type__"}) and "translation_metadata" in (
            value.get("_type"),
            value.get("__type__"),
        ):
            return LABELS_EN.get(str(value["key"]), value["key"])
        return {name: english_labels(item) for name, item in value.items()}
    if isinstance(value, list):
        return [english_labels(item) for item in value]
    return value


def bilingual(key: str) -> str:
    """ "English · 中文" as plain text, for choice labels: a choice's label key shows raw in an
    examples table, where the browser does not translate it."""
    english, chinese = label("en", key), label("zh", key)
    return english if english == chinese else f"{english} · {chinese}"
