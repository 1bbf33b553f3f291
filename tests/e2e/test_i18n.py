"""English and Chinese: the tables, the page's labels, handler sentences per request, the
examples' media, provider-specific fields, and a public API that did not move."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
import pytest
import soundfile as sf
from gradio_client import Client
from gradio_client.exceptions import AppError
from PIL import Image

from core.errors import InvalidRequest
from core.events import Cancelled, Failed, Output, Queued, Running, Succeeded
from core.locale import CATALOG
from core.messages import msg
from tabs import example_assets as assets
from tabs import i18n as tables
from tabs.capabilities import SPECS, needs_public_url_hint
from tabs.i18n import (
    i18n,
    invalid_message,
    language,
    progress_message,
    refusal_message,
    request_lang,
    warning_message,
)
from tabs.job_stream import status_text
from tabs.provider_fields import shown as field_shown
from tabs.settings import _serves, key_fields
from tests.api_contract import HISTORY_PARAMETERS, PUBLIC_PARAMETERS
from tests.private_events import call_fn
from tests.studio_server import RunningStudio

TABS_DIR = Path(__file__).resolve().parents[2] / "tabs"
ZH = "zh-CN,zh;q=0.9,en;q=0.8"
EN = "en-US,en;q=0.9"
API_PARAMETERS = {
    **{f"/{name}": list(params) for name, params in PUBLIC_PARAMETERS.items()},
    "/history_list": list(HISTORY_PARAMETERS),
}
TAB_TITLES_ZH = {
    "tab_text_to_music": "文生音乐",
    "tab_image_to_music": "图生音乐",
    "tab_extend_music": "续写歌曲",
    "tab_text_to_image": "文生图",
    "tab_video_upscale": "视频超分",
    "tab_history": "历史记录",
    "tab_settings": "设置",
}
MARKER = re.compile(r'__i18n__\{"__type__": "translation_metadata", "key": "([^"]+)"\}')


def _tab_sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(TABS_DIR.glob("*.py"))}


# ---------------------------------------------------------------------------- the tables
# The messages (core/locale/) are checked in tests/test_messages.py.
def test_both_languages_have_the_same_keys_and_no_empty_text() -> None:
    english, chinese = tables.LABELS_EN, tables.LABELS_ZH
    assert set(english) == set(chinese), set(english) ^ set(chinese)
    empty = [key for table in (english, chinese) for key, text in table.items() if not text.strip()]
    assert empty == []


def test_chinese_labels_are_chinese() -> None:
    # Brand names, units and codes may stay as they are; the rest must be translated.
    cjk = re.compile(r"[\u3400-\u9fff]")
    same = {k for k, v in tables.LABELS_EN.items() if tables.LABELS_ZH[k] == v}
    assert same <= {"tti_vae"}, same
    untranslated = [
        key for key, text in tables.LABELS_ZH.items() if not cjk.search(text) and key not in same
    ]
    assert untranslated == []
    for key in TAB_TITLES_ZH:
        assert cjk.search(tables.LABELS_ZH[key]), key


def test_labels_are_plain_messages_for_the_browser() -> None:
    """The browser formats labels as ICU messages: braces or tags would break the page."""
    for lang, table in tables.LABELS.items():
        bad = {key: text for key, text in table.items() if set(text) & set("{}<>")}
        assert bad == {}, lang


def test_every_key_the_tabs_use_exists() -> None:
    used_labels: set[str] = set()
    used_messages: set[str] = set()
    for path, source in _tab_sources().items():
        if path.name == "i18n.py":
            continue
        used_labels |= set(re.findall(r'\bi18n\(\s*"([^"]+)"\s*\)', source))
        used_labels |= set(re.findall(r'\blabel\(\s*\w+\s*,\s*"([^"]+)"\s*\)', source))
        used_messages |= set(re.findall(r'\btr\(\s*[\w"]+\s*,\s*"([^"]+)"', source))
        used_messages |= set(re.findall(r'\bheaders\(\s*[\w"]+\s*,\s*"([^"]+)"', source))
    for spec in SPECS:  # the capability tabs name their labels in their declarations
        used_labels |= spec.label_keys()
    assert len(used_labels) > 100, "the scan found too few labels: has the call changed?"
    assert len(used_messages) > 30, "the scan found too few messages: has the call changed?"
    assert used_labels - set(tables.LABELS_EN) == set()
    assert used_messages - set(CATALOG) == set()
    with pytest.raises(KeyError):
        i18n("no_such_label")


def test_a_tab_source_writes_no_english_label_directly() -> None:
    """Labels, hints, placeholders and buttons go through the table, not as string literals."""
    literal = re.compile(r'\b(label|info|placeholder)\s*=\s*"(?!https?://)([^"]*[a-z][^"]*)"')
    button = re.compile(r'gr\.Button\(\s*"')
    found = []
    for path, source in _tab_sources().items():
        if path.name == "capabilities.py":
            continue  # label keys, not text: tests/test_capability_specs.py checks each exists
        found += [f"{path.name}: {m.group(0)}" for m in literal.finditer(source)]
        found += [f"{path.name}: {m.group(0)}" for m in button.finditer(source)]
    assert found == []


def test_settings_serves_lines_match_the_registry(studio: RunningStudio) -> None:
    services = studio.studio.services
    for name in ("imgopen", "tencent", "suno", "vidu"):
        assert tables.LABELS_EN[f"set_serves_{name}"] == f"serves {_serves(services, name)}"
        assert "提供" in tables.LABELS_ZH[f"set_serves_{name}"]


# ---------------------------------------------------------------------------- language choice
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (ZH, "zh"),
        ("zh-TW,zh;q=0.8", "zh"),
        ("ZH", "zh"),
        (EN, "en"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("en;q=0.5, zh-CN;q=0.9", "zh"),
        ("zhx", "en"),
        ("", "en"),
        (None, "en"),
        ("zh-CN;q=abc, en;q=0.4", "en"),
    ],
)
def test_language_follows_the_most_wanted_tag(header: str | None, expected: str) -> None:
    assert language(header) == expected


class _FakeRequest:
    def __init__(self, accept_language: str | None) -> None:
        self.headers = {} if accept_language is None else {"accept-language": accept_language}


def test_request_lang_reads_the_header() -> None:
    assert request_lang(_FakeRequest(ZH)) == "zh"  # type: ignore[arg-type]
    assert request_lang(_FakeRequest(None)) == "en"  # type: ignore[arg-type]
    assert request_lang(None) == "en"  # outside any event


def test_status_text_in_both_languages(tmp_path: Path) -> None:
    out = Output(path=tmp_path / "a.wav", kind="audio")
    rendering = msg("music_rendering", done="3.0", total="6.0")
    english = [
        status_text(Queued(position=2), 3),
        status_text(Running(percent=40, message=rendering, eta_s=75), 12),
        status_text(Running(), 5),
        status_text(Succeeded(outputs=[out, out]), 61),
        status_text(Cancelled(outputs=[out]), 12),
        status_text(Cancelled(), 2),
    ]
    # Plain words: no emoji (not every machine has the font), no Markdown; a stop said calmly.
    assert english == [
        "Queued — position 2 in line · 3 s waiting",
        "40% · Rendering 3.0 s of 6.0 s · 12 s elapsed · about 1 min 15 s left",
        "Running · 5 s elapsed",
        "Done in 1 min 01 s — 2 files",
        "Stopped after 12 s — 1 file kept",
        "Stopped after 2 s — no file was finished yet",
    ]
    chinese = [
        status_text(Queued(position=2), 3, "zh"),
        status_text(Running(percent=40, message=rendering, eta_s=75), 12, "zh"),
        status_text(Running(), 5, "zh"),
        status_text(Succeeded(outputs=[out]), 61, "zh"),
        status_text(Cancelled(outputs=[out, out]), 1, "zh"),
        status_text(Failed(message="Refused by the provider."), 1, "zh"),
    ]
    assert chinese == [
        "排队中 — 前面还有 2 位 · 已等待 3 秒",
        "40% · 已渲染 3.0 / 6.0 秒 · 已用时 12 秒 · 预计还需 1 分 15 秒",
        "运行中 · 已用时 5 秒",
        "完成，用时 1 分 01 秒 — 共 1 个文件",
        "已停止，用时 1 秒 — 保留了 2 个文件",
        "失败：Refused by the provider.",  # a provider's own words, quoted as written
    ]


def test_core_messages_are_shown_in_the_requests_language() -> None:
    required = msg("required")
    assert invalid_message("prompt", required, "zh") == "prompt：此项必填。"
    assert invalid_message("prompt", required, "en") == "prompt: this is required."
    both = invalid_message("image", msg("need_one_image"), "zh")
    assert both == "image：上传图片和填写网址只能二选一。"
    # A provider's own words are quoted as written, field first.
    assert invalid_message("x", "something new", "zh") == "x：something new"
    # The page names a field by its label; the provider's own name for it follows in brackets.
    refused = InvalidRequest("continue_at", msg("required"), provider_field="continueAt")
    assert refusal_message(refused, "en") == "continue_at (continueAt): this is required."
    shown = refusal_message(refused, "zh", tables.label("zh", "ext_continue_at"))
    assert shown == "续写起点（秒）（continueAt）：此项必填。"
    step = msg("image_step", index=2, count=3, step=msg("music_rendering", done="3.0", total="6.0"))
    assert progress_message(step, "zh") == "图片 2/3：已渲染 3.0 / 6.0 秒"
    assert progress_message(step, "en") == "Image 2/3: Rendering 3.0 s of 6.0 s"
    long_song = msg("warning_long_song", seconds="150")
    assert warning_message(long_song, "zh").startswith("这首歌长 150 秒")
    assert warning_message(long_song, "en") == (
        "The song is 150 s long; the provider's field notes advise at most 2 minutes, so a "
        "remote provider may refuse it."
    )


# ---------------------------------------------------------------------------- example media
def test_example_pictures_are_small_real_pngs() -> None:
    assert len(assets.PICTURES) >= 2
    for path in assets.PICTURES:
        assert path.is_file(), path
        assert path.stat().st_size <= assets.MAX_PICTURE_BYTES, path
        with Image.open(path) as image:
            assert image.format == "PNG"
            image.load()
            assert image.size == assets.PICTURE_SIZE
            colours = image.convert("RGB").getcolors(maxcolors=100_000)
            assert colours is not None
            assert len(colours) > 30  # a painted scene, not a flat fill


def test_example_pictures_differ_in_the_way_the_examples_say() -> None:
    """The sunny field is bright, the night sea dark: image to music reads brightness."""

    def brightness(path: Path) -> float:
        with Image.open(path) as image:
            grey = image.convert("L")
            return float(np.asarray(grey, dtype=np.float64).mean())

    assert brightness(assets.SUNNY_FIELD) > brightness(assets.NIGHT_SEA) + 40


def test_example_song_is_a_short_real_mp3() -> None:
    path = assets.SHORT_SONG
    assert path.stat().st_size <= assets.MAX_SONG_BYTES
    info = sf.info(str(path))
    assert info.format == "MP3"
    seconds = info.frames / info.samplerate
    assert 3.0 <= seconds <= assets.MAX_SONG_SECONDS
    samples, _ = sf.read(str(path))
    assert abs(samples).max() > 0.05  # music, not silence


def test_example_clip_is_a_tiny_real_video() -> None:
    path = assets.TINY_CLIP
    assert path.stat().st_size <= assets.MAX_CLIP_BYTES
    with av.open(str(path)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert 12 <= len(frames) <= 60
    assert frames[0].shape == (assets.CLIP_SIZE[1], assets.CLIP_SIZE[0], 3)
    assert abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 10  # it moves


# ---------------------------------------------------------------------------- provider fields
def test_fields_a_provider_does_not_use_are_hidden() -> None:
    def shown(capability: Any, provider: str, names: list[str]) -> list[bool]:
        return [field_shown(capability, provider, name) for name in names]

    tti = ["restore_faces", "checkpoint", "vae", "clip_skip", "offline_note"]
    assert shown("text_to_image", "offline", tti) == [False, False, False, False, True]
    assert shown("text_to_image", "imgopen", tti) == [True, True, True, True, False]
    ext = ["model", "suno_hint", "advanced"]
    assert shown("extend_music", "offline", ext) == [False, False, False]
    assert shown("extend_music", "suno", ext) == [True, True, True]
    vup = ["video", "scale", "creation_id", "model", "duration"]
    assert shown("video_upscale", "offline", vup) == [True, True, False, False, False]
    assert shown("video_upscale", "vidu", vup) == [False, False, True, True, True]


# ---------------------------------------------------------------------------- the running app
def _config(studio: RunningStudio) -> dict[str, Any]:
    return httpx.get(f"{studio.url}/config", headers={"Accept-Language": ZH}).json()


def _by_elem_id(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["props"]["elem_id"]: c for c in config["components"] if c["props"].get("elem_id")}


def test_config_carries_both_languages_and_the_tabs_use_them(studio: RunningStudio) -> None:
    config = _config(studio)
    translations = config["i18n_translations"]
    assert translations["en"]["tab_text_to_music"] == "Text to music"
    for locale in ("zh-CN", "zh"):
        for key, title in TAB_TITLES_ZH.items():
            assert translations[locale][key] == title
    tab_keys = [
        MARKER.fullmatch(c["props"]["label"])[1]  # type: ignore[index]
        for c in config["components"]
        if c["type"] == "tabitem"
    ]
    assert tab_keys == list(TAB_TITLES_ZH)


def test_every_label_on_the_page_is_translated(studio: RunningStudio) -> None:
    config = _config(studio)
    untranslated = []
    keys: set[str] = set()
    for component in config["components"]:
        if component["type"] == "api":  # history_list's gr.api: no page, nothing shown
            continue
        props = component["props"]
        texts = [props.get(name) for name in ("label", "info", "placeholder")]
        if component["type"] in ("button", "markdown"):
            texts.append(props.get("value"))
        for text in texts:
            if not isinstance(text, str) or not text.strip():
                continue
            found = MARKER.findall(text)
            keys.update(found)
            # Env names label the key boxes; URLs are placeholders nobody translates.
            if not found and not re.fullmatch(r"[A-Z0-9_]+|https://…", text):
                untranslated.append((component["type"], text))
    assert untranslated == []
    assert keys - set(config["i18n_translations"]["zh-CN"]) == set()
    assert len(keys) > 100


def test_example_lists_speak_their_language(studio: RunningStudio) -> None:
    """The browser translates neither a Dataset's column names nor its cells: the media table
    names its columns in both languages, and each language's examples are lines of text in
    that language (a wide table was cut off on a phone and showed ticks as `true`)."""
    cjk = re.compile(r"[\u3400-\u9fff]")
    datasets = {
        c["props"]["elem_id"]: c["props"]
        for c in _config(studio)["components"]
        if c["type"] == "dataset"
    }
    assert set(datasets) == {
        "ttm-examples-en",
        "ttm-examples-zh",
        "itm-examples",
        "ext-examples-en",
        "ext-examples-zh",
        "tti-examples-en",
        "tti-examples-zh",
        "vup-examples",
    }
    for elem_id, props in datasets.items():
        if elem_id.endswith(("-en", "-zh")):
            lines = props["sample_labels"]
            assert len(lines) == len(props["samples"]), elem_id
            assert all(lines), elem_id
            assert not any(re.search(r"\b(true|false|None)\b", line) for line in lines), lines
            if elem_id.endswith("-zh"):
                assert all(cjk.search(line) for line in lines), lines
            else:
                assert not any(cjk.search(line) for line in lines), lines
            continue
        # one shared table of media: both languages
        headers = props["headers"]
        assert len(headers) == len(props["samples"][0]), elem_id
        assert not any("__i18n__" in header for header in headers), elem_id
        assert all(cjk.search(header) for header in headers), headers
        assert all(re.search("[A-Za-z]", header) for header in headers), headers


def test_provider_specific_fields_start_hidden_for_offline(studio: RunningStudio) -> None:
    components = _by_elem_id(_config(studio))
    visible = {name: components[name]["props"].get("visible", True) for name in components}
    assert visible["tti-offline-note"] is True
    assert visible["ext-suno-hint"] is False
    assert visible["itm-url-hint"] is False
    assert visible["vup-creation-id"] is False
    assert visible["vup-video"] is True


def _call(
    studio: RunningStudio, name: str, data: list[Any], accept_language: str, outputs: str = ""
) -> dict[str, Any]:
    """Run one (private) event the way the page does, with the browser's Accept-Language."""
    demo = studio.studio.demo
    found = [
        index
        for index, fn in demo.fns.items()
        if fn.name == name
        and (not outputs or any(getattr(b, "elem_id", None) == outputs for b in fn.outputs))
    ]
    assert found, name
    return call_fn(
        studio.url,
        found[0],
        data,
        secrets.token_hex(8),
        headers={"Accept-Language": accept_language},
        timeout=30,
    )


def test_picking_suno_shows_its_fields(studio: RunningStudio) -> None:
    done = _call(studio, "show_extend_music_fields", ["suno"], EN, outputs="ext-suno-hint")
    assert done["success"], done
    assert [update["visible"] for update in done["output"]["data"]] == [True, True, True]
    done = _call(studio, "show_extend_music_fields", ["offline"], EN, outputs="ext-suno-hint")
    assert [update["visible"] for update in done["output"]["data"]] == [False, False, False]


def test_tencent_hint_only_without_a_public_address(studio: RunningStudio) -> None:
    services = studio.studio.services
    assert needs_public_url_hint(services, "tencent") is True
    assert needs_public_url_hint(services, "offline") is False
    done = _call(studio, "show_image_to_music_fields", ["tencent"], EN)
    assert done["output"]["data"][0]["visible"] is True


def test_history_and_settings_answer_in_the_browsers_language(studio: RunningStudio) -> None:
    chinese = _call(studio, "show", ["nope"], ZH)["output"]["data"][0]
    english = _call(studio, "show", ["nope"], EN)["output"]["data"][0]
    assert chinese == "没有 ID 为 `nope` 的任务。"
    assert english == "No job with id `nope`."
    # Settings' providers: a card each, the facts named in the browser's language.
    cards = _call(studio, "on_open", [None], ZH)["output"]["data"][0]
    assert "<dt>提供功能</dt>" in cards
    assert set(re.findall(r"<dt>在你的列表中</dt><dd>(.*?)</dd>", cards)) <= {"是", "否"}
    cards = _call(studio, "on_open", [None], EN)["output"]["data"][0]
    assert "<dt>Serves</dt>" in cards
    boxes = [""] * len(key_fields(studio.studio.services))
    saved = _call(studio, "on_save", [None, False, *boxes], ZH)["output"]["data"]
    assert "本会话尚未保存密钥" in json.dumps(saved, ensure_ascii=False)


@pytest.fixture
def zh_client(studio: RunningStudio, downloads: Path) -> Client:
    headers = {"Accept-Language": ZH}
    return Client(studio.url, verbose=False, download_files=str(downloads), headers=headers)


def test_a_job_reports_in_chinese_for_a_chinese_browser(
    studio: RunningStudio, zh_client: Client, downloads: Path
) -> None:
    job = zh_client.submit(
        prompt="欢快的流行歌 G大调 每分钟120拍",
        seconds=2,
        steps=10,
        cfg=3.0,
        seed=5,
        api_name="/text_to_music",
    )
    status, *_ = job.result(timeout=120)
    assert status.startswith("完成"), status
    # A late preview download can fail (the job's scratch is gone): gradio_client then lists
    # [HTTPStatusError] instead of that update. Only the status texts matter here.
    statuses = [update[0] for update in job.outputs() if isinstance(update[0], str)]
    running = [text for text in statuses if "%" in text or text.startswith("运行中")]
    assert running
    assert all("已用时" in text for text in running), running
    english = studio.client(downloads).predict(
        prompt="calm piano", seconds=2, steps=10, cfg=3.0, seed=5, api_name="/text_to_music"
    )
    assert english[0].startswith("Done")


def test_bad_input_is_named_in_the_browsers_language(
    studio: RunningStudio, zh_client: Client
) -> None:
    with pytest.raises(AppError) as caught:
        zh_client.predict(prompt="x", seconds=60, api_name="/text_to_music")
    message = str(caught.value)
    # An API caller sees no labels: the parameter's name, then plain Chinese words.
    assert "seconds：请填 1 到 50 之间的数（60 太大）。" in message, message
    assert caught.value.title == "输入有误"


def _page_join(studio: RunningStudio, data: list[Any], accept_language: str) -> httpx.Response:
    """Join the text-to-music event the way Gradio's own page does (it sends x-gradio-user)."""
    (index,) = [i for i, fn in studio.studio.demo.fns.items() if fn.api_name == "text_to_music"]
    headers = {"Accept-Language": accept_language, "x-gradio-user": "app"}
    body = {"data": data, "fn_index": index, "session_hash": secrets.token_hex(8)}
    return httpx.post(f"{studio.url}/gradio_api/queue/join", json=body, headers=headers)


def test_the_page_is_refused_at_the_field_by_its_label(studio: RunningStudio) -> None:
    """Before any job: each input's verdict, the refused one named by its label."""
    before = len(studio.studio.services.store.list(limit=10_000))
    for header, expected in (
        (ZH, "时长（秒）：请填 1 到 50 之间的数（60 太大）。"),
        (EN, "Seconds: use 1 to 50 (60 is too high)."),
    ):
        answer = _page_join(studio, ["calm piano", 60, 50, 7.0, -1, "offline", None], header)
        assert answer.status_code == 422, answer.text
        verdicts = answer.json()["detail"]
        assert [v["is_valid"] for v in verdicts] == [True, False, True, True, True, True, True]
        assert verdicts[1]["message"] == expected
    assert len(studio.studio.services.store.list(limit=10_000)) == before  # nothing started
    # The page's valid request passes the validator and runs.
    answer = _page_join(studio, ["calm piano", 2, 10, 7.0, 5, "offline", None], EN)
    assert answer.status_code == 200, answer.text


def test_the_public_api_did_not_move(studio: RunningStudio, downloads: Path) -> None:
    info = studio.client(downloads).view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == set(API_PARAMETERS)
    assert info["unnamed_endpoints"] == {}
    for endpoint, names in API_PARAMETERS.items():
        parameters = info["named_endpoints"][endpoint]["parameters"]
        assert [p["parameter_name"] for p in parameters] == names, endpoint
    # The API page describes parameters and results with the English labels, not label keys.
    music = info["named_endpoints"]["/text_to_music"]
    assert music["parameters"][0]["label"] == "Prompt"
    assert [r["label"] for r in music["returns"][1:]] == [
        "Preview — the piece so far",
        "Result",
        "Seed used",
        "Files",
    ]
    assert "__i18n__" not in json.dumps(info)
    assert "translation_metadata" not in json.dumps(info)
