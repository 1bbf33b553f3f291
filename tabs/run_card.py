"""The run card under a tab's results: parameters, the provider request as curl, a zip of all files."""

from __future__ import annotations

import html
import json
import re
import shlex
import zipfile
from pathlib import Path
from typing import Any

import gradio as gr

from core.fetch import shown_url
from core.requests import Capability
from core.store import JobRecord, without_server_paths
from core.transcript import TRANSCRIPT_NAME, Body, Exchange, transcript_of
from tabs.i18n import DEFAULT_LANG, Lang, i18n, request_lang, tr
from tabs.picker import provider_name
from tabs.plain_names import capability_name, parameters_markdown, state_name
from tabs.services import StudioServices, session_of, visitor_of

ZIP_NAME = "all-files.zip"


def curl_command(call: dict[str, Any]) -> str:
    """A curl line for a recorded provider call (keys are already masked in the record)."""
    parts = ["curl", "-X", str(call.get("method", "POST")), shlex.quote(str(call.get("url", "")))]
    for name, value in (call.get("headers") or {}).items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = call.get("body")
    if body is not None:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        parts += ["--data-raw", shlex.quote(text)]
    command = " \\\n  ".join(
        " ".join(parts[i : i + 2]) if i else " ".join(parts[:4]) for i in _groups(parts)
    )
    return without_file_paths(command)


# A studio file handed to a provider by URL (`<studio>/gradio_api/file=<server path>`).
_FILE_URL = re.compile(r"(/gradio_api/file=)(/[^\s'\"]*/)?([^/\s'\"]+)")


def without_file_paths(text: str) -> str:
    """`text` with each studio file URL cut to the file's name: the server's folders stay
    off the page (the provider got the full URL)."""
    return _FILE_URL.sub(lambda m: f"{m[1]}…/{m[3]}" if m[2] else m[0], text)


def _groups(parts: list[str]) -> list[int]:
    # The first line is "curl -X METHOD URL"; each option and its value then get a line.
    return [0, *range(4, len(parts), 2)]


def run_card(record: JobRecord, lang: Lang = DEFAULT_LANG) -> str:
    """Markdown: what was asked, of whom, and the exact request sent to a remote provider."""
    heading = tr(
        lang,
        "card_job",
        job_id=record.id,
        capability=capability_name(record.capability, lang),
        provider=provider_name(record.provider, lang),
        state=state_name(record.state, lang),
    )
    lines = [
        heading,
        "",
        tr(lang, "card_parameters"),
        "",
        parameters_markdown(record.capability, without_server_paths(record.params), lang),
        "",
    ]
    call = (record.task.data.get("request") if record.task else None) or None
    if call:
        lines += [tr(lang, "card_request"), "```bash", curl_command(call), "```"]
    elif record.provider == "offline":
        lines.append(tr(lang, "card_offline"))
    words = next((o.metadata for o in record.outputs if "understood" in o.metadata), None)
    if words is not None:
        lines += ["", tr(lang, "card_words", **{k: _word_list(words.get(k)) for k in WORD_KEYS})]
    return "\n".join(lines)


# What the offline painter reports it read from the prompt (providers/offline/image/).
WORD_KEYS = ("understood", "not_understood")


def _word_list(words: object) -> str:
    return ", ".join(f"`{w}`" for w in words) if isinstance(words, list) and words else "—"


def zip_outputs(record: JobRecord) -> Path | None:
    """All of a job's files (with their JSON sidecars) and its provider calls (transcript.json)
    in one zip beside them; a failed or stopped remote job's zip holds its transcript alone."""
    files = [output.path for output in record.outputs if output.path.is_file()]
    transcript = record.output_dir / TRANSCRIPT_NAME
    if len(files) < 2 and not transcript.is_file():
        return None
    target = record.output_dir / ZIP_NAME
    if not target.exists():
        # Stored, not deflated: media barely shrink, and the zip is made after every run.
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
            for path in files:
                archive.write(path, path.name)
                sidecar = path.with_name(path.name + ".json")
                if sidecar.is_file():
                    archive.write(sidecar, sidecar.name)
            if transcript.is_file():
                archive.write(transcript, transcript.name)
    return target


def add_run_card(services: StudioServices) -> tuple[gr.File, gr.Markdown]:
    """The components the card fills after each run."""
    with gr.Accordion(i18n("run_card"), open=False):
        bundle = gr.File(label=i18n("download_all"), interactive=False, visible=False)
        card = gr.Markdown("")
    return bundle, card


def connect_run_card(
    services: StudioServices,
    capability: Capability,
    event: Any,
    bundle: gr.File,
    card: gr.Markdown,
) -> None:
    """After each run (finished, failed or stopped), fill the card and the zip."""

    def fill_run_card(request: gr.Request) -> tuple[Any, str]:
        job_id = services.recent.latest(session_of(request), capability)
        owner = services.owner_scope(visitor_of(services, request))
        record = services.store.get(job_id, owner=owner) if job_id else None
        if record is None:
            return gr.update(value=None, visible=False), ""
        archive = zip_outputs(record)
        bundle_update = gr.update(value=str(archive) if archive else None, visible=bool(archive))
        lang = request_lang(request)
        parts = (run_card(record, lang), transcript_markdown(record, lang))
        return bundle_update, "\n\n".join(part for part in parts if part)

    # A failed run is when its transcript matters most; Gradio runs only .failure() after one.
    for after in (event.then, event.failure):
        after(fill_run_card, None, [bundle, card], api_visibility="private", show_progress="hidden")


def connect_stop(services: StudioServices, capability: Capability, stop: gr.Button) -> None:
    """Stop ends the session's running job of this tab. The tab's event is not cancelled: it
    receives the job's end like any other and shows it, calmly, with the files kept. A job
    that had already finished is left as it is (the button is hidden by then anyway)."""

    def stop_job(request: gr.Request) -> None:
        job_id = services.recent.latest(session_of(request), capability)
        owner = services.owner_scope(visitor_of(services, request))
        if job_id is not None and services.store.get(job_id, owner=owner) is not None:
            services.jobs.cancel(job_id)

    stop.click(stop_job, None, None, api_visibility="private", show_progress="hidden")


# ---------------------------------------------------------------------------------------------
# The transcript: every provider call of the job (core/transcript.py), as an API inspector.
# The card shows the first calls and the latest ones; transcript.json keeps more.
CARD_CALLS_FIRST = 10
CARD_CALLS_LAST = 30
CARD_BODY_CHARS = 3000


def transcript_markdown(record: JobRecord, lang: Lang = DEFAULT_LANG) -> str:
    """A job's provider calls (Markdown): a line per call (method, URL, status, time), its
    headers and bodies folded under it. For the run card and History, for any job that has
    its files: '' for an offline job, a sentence for a remote one that kept no transcript."""
    transcript = transcript_of(record.output_dir)
    if transcript is None or not transcript.exchanges:
        return "" if record.provider == "offline" else tr(lang, "transcript_none")
    calls = transcript.exchanges
    if len(calls) > CARD_CALLS_FIRST + CARD_CALLS_LAST:
        calls = calls[:CARD_CALLS_FIRST] + calls[-CARD_CALLS_LAST:]
    lines = [tr(lang, "transcript_heading", count=transcript.total), ""]
    start, previous = calls[0].at, 0
    for exchange in calls:
        if exchange.n > previous + 1 and previous:
            lines += [tr(lang, "transcript_gap", count=exchange.n - previous - 1), ""]
        lines += _exchange_markdown(exchange, exchange.at - start, lang)
        previous = exchange.n
    return without_file_paths("\n".join(lines))


def _exchange_markdown(exchange: Exchange, offset_s: float, lang: Lang) -> list[str]:
    outcome = (
        str(exchange.status)
        if exchange.status is not None
        else tr(lang, "transcript_no_answer", error=exchange.error or "?")
    )
    notes = [f"{exchange.ms:,.0f} ms", f"+{offset_s:.1f} s"]
    if exchange.role != "call":
        create = exchange.role == "create"
        notes.append(tr(lang, "transcript_create" if create else "transcript_download"))
    if exchange.attempt > 1:
        notes.append(tr(lang, "transcript_attempt", attempt=exchange.attempt))
    summary = (
        f"#{exchange.n} · <b>{html.escape(exchange.method)}</b> "
        f"{html.escape(shown_url(exchange.url))} → <b>{html.escape(outcome)}</b> · "
        + html.escape(" · ".join(notes))
    )
    request = [f"{exchange.method} {exchange.url}", *_header_lines(exchange.request_headers)]
    lines = [f"<details><summary>{summary}</summary>", "", f"**{tr(lang, 'transcript_request')}**"]
    lines += _fenced("\n".join(request), "http") + _body_markdown(exchange.request_body, lang)
    if exchange.status is not None:
        answer = [f"HTTP {exchange.status}", *_header_lines(exchange.response_headers)]
        lines += ["", f"**{tr(lang, 'transcript_answer')}**"]
        lines += _fenced("\n".join(answer), "http") + _body_markdown(exchange.response_body, lang)
    return [*lines, "", "</details>", ""]


def _header_lines(headers: dict[str, str]) -> list[str]:
    return [f"{name}: {value}" for name, value in headers.items()]


def _body_markdown(body: Body | None, lang: Lang) -> list[str]:
    if body is None or (not body.size and body.data is None and not body.text):
        return []
    if body.binary:
        kind = body.content_type or "?"
        return ["", tr(lang, "transcript_binary", size=f"{body.size:,}", type=kind)]
    if body.data is not None:
        text, tag = json.dumps(body.data, ensure_ascii=False, indent=2), "json"
    else:
        text, tag = body.text or "", "text"
    cut = body.cut or len(text) > CARD_BODY_CHARS
    lines = _fenced(text[:CARD_BODY_CHARS], tag)
    return [*lines, tr(lang, "transcript_cut", size=f"{body.size:,}")] if cut else lines


def _fenced(text: str, tag: str) -> list[str]:
    # A provider's answer may hold backticks: the fence is longer than any run of them.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{tag}", text, fence]
