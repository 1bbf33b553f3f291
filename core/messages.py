"""Messages as keys: what the studio tells a person, in any of its languages.

Core, engines and adapters never write a user-facing sentence themselves. They emit a
`Message`: a key and its parameters. The sentence for each language lives side by side in the
locale data (`core/locale/`), and the UI renders a message in the language of the request.
`str(message)` is the English sentence, for logs, the job store and API callers that read text.

    raise InvalidRequest("seconds", msg("too_long", seconds=60, most=50))
    render(error.message, "zh")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
DEFAULT_LANG: Lang = "en"


class Message(BaseModel):
    """A key of the locale catalog and the values its sentence needs.

    A parameter may itself be a Message (rendered in the same language first).
    """

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, Any] = Field(default_factory=dict)

    def render(self, lang: Lang = DEFAULT_LANG) -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANG)


Text = Message | str


def msg(key: str, /, **params: Any) -> Message:
    """The message `key` with its parameters (a KeyError at render time if unknown)."""
    return Message(key=key, params=params)


def catalog() -> Mapping[str, Mapping[Lang, str]]:
    """Every message key with its sentence in each language."""
    from core.locale import CATALOG  # the data is large; loaded on first use

    return CATALOG


def render(text: Text, lang: Lang = DEFAULT_LANG) -> str:
    """`text` in `lang`: a Message from the catalog (English when a language lacks it), or a
    plain string as it is (a provider's own words, which the studio does not translate)."""
    if isinstance(text, str):
        return text
    entry = catalog()[text.key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    values = {
        name: render(value, lang) if isinstance(value, Message) else value
        for name, value in text.params.items()
    }
    return template.format(**values)


def as_data(text: Text) -> dict[str, Any]:
    """A JSON-safe form to keep (the job store): {"key", "params"} or {"text"}."""
    if isinstance(text, str):
        return {"text": text}
    return {"key": text.key, "params": {k: _data(v) for k, v in text.params.items()}}


def from_data(data: Mapping[str, Any] | None) -> Text | None:
    if not data:
        return None
    if "key" in data:
        params = {k: _message_or_value(v) for k, v in (data.get("params") or {}).items()}
        return Message(key=str(data["key"]), params=params)
    return str(data.get("text", ""))


def _data(value: Any) -> Any:
    return {"$message": as_data(value)} if isinstance(value, Message) else value


def _message_or_value(value: Any) -> Any:
    if isinstance(value, dict) and "$message" in value:
        return from_data(value["$message"])
    return value
