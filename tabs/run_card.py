"""The run card under a tab's results: parameters, the provider request as curl, a zip of all files."""

from __future__ import annotations

import json
import shlex
import zipfile
from pathlib import Path
from typing import Any

import gradio as gr

from core.requests import Capability
from core.store import JobRecord, without_server_paths
from tabs.i18n import DEFAULT_LANG, Lang, i18n, request_lang, tr
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
    return " \\\n  ".join(
        " ".join(parts[i : i + 2]) if i else " ".join(parts[:4]) for i in _groups(parts)
    )


def _groups(parts: list[str]) -> list[int]:
    # The first line is "curl -X METHOD URL"; each option and its value then get a line.
    return [0, *range(4, len(parts), 2)]


def run_card(record: JobRecord, lang: Lang = DEFAULT_LANG) -> str:
    """Markdown: what was asked, of whom, and the exact request sent to a remote provider."""
    params = {k: v for k, v in without_server_paths(record.params).items() if v not in (None, "")}
    heading = tr(
        lang,
        "card_job",
        job_id=record.id,
        capability=record.capability,
        provider=record.provider,
        state=record.state,
    )
    lines = [
        heading,
        "",
        tr(lang, "card_parameters"),
        "```json",
        json.dumps(params, ensure_ascii=False, indent=2),
        "```",
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
    """All of a job's files (with their JSON sidecars) in one zip beside them."""
    files = [output.path for output in record.outputs if output.path.is_file()]
    if len(files) < 2:
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
        return bundle_update, run_card(record, request_lang(request))

    event.then(fill_run_card, None, [bundle, card], api_visibility="private")


def connect_stop(
    services: StudioServices,
    capability: Capability,
    stop: gr.Button,
    event: Any,
    status: gr.Markdown,
) -> None:
    """Stop cancels the running event (and with it the job) and says so in the status line."""

    def stopped(request: gr.Request) -> str:
        job_id = services.recent.latest(session_of(request), capability)
        owner = services.owner_scope(visitor_of(services, request))
        if job_id is not None and services.store.get(job_id, owner=owner) is not None:
            services.jobs.cancel(job_id)
        return "⏹️ " + tr(request_lang(request), "job_stopped")

    stop.click(stopped, None, status, cancels=[event], api_visibility="private")
