"""Messages are keys: every key the code emits is in the locale catalog in both languages, both
languages take the same parameters, and each call gives the parameters its sentence needs."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.messages import LANGS, Message, as_data, from_data, msg, render
from core.store import JobStore

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("core", "providers", "tabs")
# Calls that name a catalog key: msg("key", ...), tr(lang, "key", ...), headers(lang, "key").
KEY_ARGUMENT = {"msg": 0, "tr": 1, "headers": 1}


@dataclass(frozen=True)
class Emitted:
    where: str
    key: str
    # The keyword names given, or None when the call spreads a mapping (**values).
    params: frozenset[str] | None


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_keys(node: ast.expr) -> list[str]:
    """The key(s) an argument names: a string, or either branch of `"a" if c else "b"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def _message_key(call: ast.Call) -> list[str]:
    """Message(key="literal") written out in full."""
    for keyword in call.keywords:
        if keyword.arg == "key":
            return _literal_keys(keyword.value)
    return []


def source_files() -> list[Path]:
    return [path for folder in SCANNED for path in sorted((ROOT / folder).rglob("*.py"))]


def emitted_keys(paths: list[Path]) -> list[Emitted]:
    found: list[Emitted] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            keys: list[str] = []
            if name == "Message":
                keys = _message_key(node)
            elif name in KEY_ARGUMENT and len(node.args) > KEY_ARGUMENT[name]:
                keys = _literal_keys(node.args[KEY_ARGUMENT[name]])
            spread = any(keyword.arg is None for keyword in node.keywords)
            skipped = {None, "key"} if name == "Message" else {None}
            given = frozenset(k.arg for k in node.keywords if k.arg not in skipped)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            where = f"{shown}:{node.lineno}"
            found += [Emitted(where, key, None if spread else given) for key in keys]
    return found


def missing_languages(emitted: list[Emitted], catalog: dict[str, dict[str, str]]) -> list[str]:
    return [
        f"{item.where}: {item.key!r} has no {lang}"
        for item in emitted
        for lang in LANGS
        if not catalog.get(item.key, {}).get(lang, "").strip()
    ]


def fields(template: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {name.split(".")[0].split("[")[0] for name in names}


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict[str, str]]:
    from core.locale import CATALOG

    return {key: dict(entry) for key, entry in CATALOG.items()}


@pytest.fixture(scope="module")
def emitted() -> list[Emitted]:
    return emitted_keys(source_files())


def test_the_scan_sees_the_calls(emitted: list[Emitted]) -> None:
    """A scan that finds nothing proves nothing: the calls must still look as it expects."""
    keys = {item.key for item in emitted}
    assert len(keys) > 150, len(keys)
    assert {"job_stopped", "fix_between", "music_rendering", "no_job"} <= keys


def test_every_emitted_key_is_in_the_catalog_in_both_languages(
    emitted: list[Emitted], catalog: dict[str, dict[str, str]]
) -> None:
    assert missing_languages(emitted, catalog) == []


def test_every_entry_has_both_languages_with_the_same_parameters(
    catalog: dict[str, dict[str, str]],
) -> None:
    problems = []
    for key, entry in catalog.items():
        if set(entry) != set(LANGS):
            problems.append(f"{key}: languages {sorted(entry)}")
            continue
        if fields(entry["en"]) != fields(entry["zh"]):
            problems.append(f"{key}: {fields(entry['en'])} != {fields(entry['zh'])}")
    assert problems == []


def test_each_call_gives_what_its_sentence_needs(
    emitted: list[Emitted], catalog: dict[str, dict[str, str]]
) -> None:
    short = []
    for item in emitted:
        entry = catalog.get(item.key)
        if entry is None or item.params is None:
            continue  # unknown keys fail above; a spread mapping cannot be read here
        needed = fields(entry["en"])
        if not needed <= item.params:
            short.append(f"{item.where}: {item.key!r} needs {sorted(needed - item.params)}")
    assert short == []


def test_the_check_fails_for_a_key_missing_in_chinese(
    tmp_path: Path, catalog: dict[str, dict[str, str]]
) -> None:
    """The same scan and check catch a sentence written in English only."""
    source = tmp_path / "emitter.py"
    source.write_text(
        "from core.messages import msg\n"
        'A = msg("only_english", n=1)\n'
        'B = msg("job_stopped" if A else "job_running")\n'
        'C = tr(lang, "no_job", job_id="x")\n'
    )
    found = emitted_keys([source])
    assert [item.key for item in found] == ["only_english", "job_stopped", "job_running", "no_job"]
    english_only = {**catalog, "only_english": {"en": "{n} thing", "zh": ""}}
    assert missing_languages(found, english_only) == ["emitter.py:2: 'only_english' has no zh"]
    assert missing_languages(found, catalog) == [
        "emitter.py:2: 'only_english' has no en",
        "emitter.py:2: 'only_english' has no zh",
    ]


# ---------------------------------------------------------------------------- rendering
def test_a_nested_message_renders_in_the_same_language() -> None:
    step = msg("music_song_step", index=1, count=3, step=msg("music_writing_song", format="mp3"))
    assert str(step) == "Song 1/3: writing the mp3 file"
    assert render(step, "zh") == "歌曲 1/3：正在写入 mp3 文件"
    assert render("a provider's own words", "zh") == "a provider's own words"


def test_a_message_kept_as_data_comes_back_whole() -> None:
    text = msg("invalid_field", field="seconds", message=msg("required"))
    back = from_data(as_data(text))
    assert back == text
    assert isinstance(back, Message)
    assert render(back, "zh") == "seconds：此项必填。"


def test_the_job_store_keeps_a_message_for_either_language(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    try:
        store.create("j1", "text_to_music", "offline", {}, tmp_path / "out")
        said = msg("job_key_wait_expired", hours="24")
        store.update_state("j1", "failed", message=said)
        record = store.get("j1")
        assert record is not None
        assert record.message == str(said)  # the English stays readable in the file
        assert render(record.message_text, "zh").startswith("重启后 24 小时内")
        events = store.events("j1")
        assert render(events[-1].message_text, "zh") == render(said, "zh")
        store.update_state("j1", "failed", message="Refused: the provider's words")
        plain = store.get("j1")
        assert plain is not None
        assert plain.message_text == "Refused: the provider's words"
    finally:
        store.close()


# ---------------------------------------------------------------------------- plain refusals
# Words a Chinese refusal may keep as they are: values a person types, names and codes.
KEPT_AS_WRITTEN = {"true", "false", "Vidu", "ID", "http", "https", "MP", "MB"}


def test_refusals_of_requests_are_all_chinese_in_chinese(
    catalog: dict[str, dict[str, str]],
) -> None:
    """What core/requests.py and core/refusals.py say about a value has no English left in its
    Chinese (a page in Chinese once read "prompt: '' 不可用：string should have at least 1
    character")."""
    sources = [ROOT / "core" / name for name in ("requests.py", "refusals.py")]
    keys = {item.key for item in emitted_keys(sources)}
    assert len(keys) > 30, "the scan found too few of the requests' messages"
    english = {}
    for key in sorted(keys):
        text = re.sub(r"\{[a-z_]+\}|https?://\S+", " ", catalog[key]["zh"])
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - KEPT_AS_WRITTEN
        if words:
            english[key] = sorted(words)
    assert english == {}
