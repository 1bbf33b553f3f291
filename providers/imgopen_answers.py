"""Img Open's answers read (pure): states and phases, results, previews and percent, which
status call knows a task (docs/providers.md#imgopen-status). providers/imgopen.py sends the calls.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from core.errors import ProviderError
from core.media import sniff_bytes
from core.messages import Text, msg
from core.provider import Artifact, TaskState, TaskStatus
from providers.declarations import IMGOPEN
from providers.remote_base import (
    AUDIO_SUFFIXES,
    IMAGE_SUFFIXES,
    file_name,
    is_http_url,
    unreadable,
    unreadable_status,
    url_suffix,
)
from providers.wire.imgopen import (
    ARCHIVE_STATUS_PATH,
    MUSIC_TOOL_CODES,
    STATUS_PATH,
    TOOL_STATUS_PATH,
    Envelope,
    ResultItem,
    TaskInfo,
    Text2ImageBody,
    Text2MusicBody,
)

LABEL = IMGOPEN.label
CREDENTIAL_FIELDS = IMGOPEN.credential_fields
Kind = Literal["music", "image"]
Phase = Literal["running", "done", "failed", "unknown"]

DONE_STATUS = 2
# Only 2 ("done") is documented; 1 and 3 are read as still running, as a public client reads
# them (docs/providers.md#imgopen-status).
RUNNING_STATUSES: frozenset[int] = frozenset({1, 3})
# No failure status is documented: a state name or `desc` with one of these in it is a clear
# failure; any other state the studio does not know is waited out (docs/providers.md#imgopen-status).
FAILURE_WORDS: tuple[str, ...] = (
    "失败",
    "错误",
    "异常",
    "超时",
    "未通过",
    "违规",
    "取消",
    "fail",
    "error",
    "exception",
    "timeout",
    "timed out",
    "reject",
    "cancel",
)
# A task in a state the studio does not know is followed this long after it was sent, then
# given up: the job manager sets no deadline of its own.
UNKNOWN_STATE_DEADLINE_S = 30 * 60.0
# A task no status call knows yet is given this long to appear, then the job fails
# (docs/providers.md#imgopen-status).
UNKNOWN_TASK_GRACE_S = 60.0
# The handle's data key naming the status call that answered last (shown in the job's data).
STATUS_QUERY_KEY = "status_query"
SD_QUERY = "sd"
ARCHIVE_QUERY = "archive"
TOOL_QUERY_PREFIX = "tool:"
# How much of a state and its `desc` the status line quotes.
RAW_STATE_CHARS = 40
RAW_DESC_CHARS = 200

PreviewSaver = Callable[[bytes, str], Path]


# --- answer mapping (pure) --------------------------------------------------------------


def find_audio_url(item: Mapping[str, Any]) -> str | None:
    """The audio URL of a text-to-music result item (docs/providers.md#imgopen-results).

    Any field whose name contains "url" and whose value ends in an audio suffix, `image_url`
    first; failing that, `image_url` itself (the provider reuses its image result list).
    """
    candidates = [("image_url", item.get("image_url"))] + [
        (key, value) for key, value in item.items() if key != "image_url"
    ]
    for key, value in candidates:
        if "url" in key.lower() and is_http_url(value) and url_suffix(value) in AUDIO_SUFFIXES:
            return value.strip()
    image_url = item.get("image_url")
    return image_url.strip() if is_http_url(image_url) else None


_PERCENT_NUMBER = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*%?\s*$")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = _PERCENT_NUMBER.match(value)
        if match:
            return float(match.group(1))
    return None


def find_percent(data: Mapping[str, Any]) -> float | None:
    """A progress percent when the answer carries one (none is documented)."""
    for key, value in data.items():
        lowered = key.lower()
        if "url" in lowered or not ("percent" in lowered or "progress" in lowered):
            continue
        number = _number(value)
        if number is None:
            continue
        # 0.0-1.0 as a float (A1111's "progress") is a fraction; whole numbers are percents.
        is_fraction = (
            "percent" not in lowered
            and 0.0 <= number <= 1.0
            and (isinstance(value, float) or (isinstance(value, str) and "." in value))
            and not (isinstance(value, str) and "%" in value)
        )
        return max(0.0, min(100.0, number * 100.0 if is_fraction else number))
    return None


def find_eta(data: Mapping[str, Any]) -> float | None:
    for key in ("eta_relative", "eta", "eta_s"):
        number = _number(data.get(key))
        if number is not None and number >= 0:
            return number
    return None


_DATA_URI = re.compile(r"^data:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)


def _decode_image(text: str) -> bytes | None:
    text = text.strip()
    if _DATA_URI.match(text):
        text = text.split(",", 1)[1]
    elif len(text) < 64:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if sniff_bytes(raw[:64]) in ("png", "jpeg", "webp", "gif") else None


def find_preview(value: Any, depth: int = 0) -> str | bytes | None:
    """The first http(s) URL or base64 image inside `temporaryImageDto` (shape undocumented)."""
    if depth > 6 or value is None:
        return None
    if isinstance(value, str):
        if is_http_url(value):
            return value.strip()
        return _decode_image(value)
    items = value.values() if isinstance(value, Mapping) else value
    if isinstance(items, list | tuple) or isinstance(value, Mapping):
        for item in items:
            found = find_preview(item, depth + 1)
            if found is not None:
                return found
    return None


def _status_code(value: int | str | None) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        return int(value.strip())
    return None


def parse_envelope(answer: Any, *, retryable: bool) -> Envelope:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        raise unreadable(LABEL, retryable=retryable) from None


def maybe_envelope(answer: Any) -> Envelope | None:
    try:
        return Envelope.model_validate(answer)
    except ValidationError:
        return None


def envelope_error(envelope: Envelope, *, when: str, retryable: bool) -> ProviderError:
    """An error envelope as a ProviderError; `when` is the message key of what went wrong
    ("imgopen_refused_task", "imgopen_no_report", "imgopen_refused_request")."""
    said = (envelope.msg or "").strip() or msg("provider_no_reason")
    message = msg(when, provider=LABEL, code=envelope.code, said=said)
    if envelope.code.strip() in ("401", "403"):
        # Bad keys do not get better by asking again.
        names = " and ".join(CREDENTIAL_FIELDS)
        return ProviderError(msg("provider_check_keys", what=message, names=names))
    return ProviderError(message, retryable=retryable)


def _preview(info: TaskInfo, save_preview: PreviewSaver | None) -> Artifact | None:
    found = find_preview(info.temporaryImageDto)
    if isinstance(found, str):
        suffix = url_suffix(found) if url_suffix(found) in IMAGE_SUFFIXES else ".png"
        return Artifact(kind="image", name=f"preview{suffix}", url=found)
    if isinstance(found, bytes) and save_preview is not None:
        fmt = sniff_bytes(found[:64])
        suffix = ".jpg" if fmt == "jpeg" else f".{fmt}"
        path = save_preview(found, suffix)
        return Artifact(kind="image", name=path.name, path=path)
    return None


def _outputs(items: list[ResultItem], kind: Kind) -> tuple[list[Artifact], int]:
    outputs: list[Artifact] = []
    blocked = 0
    for index, item in enumerate(items, start=1):
        if item.img_audit_status is False:
            blocked += 1
            continue
        fields = item.model_dump(exclude_none=True)
        url = find_audio_url(fields) if kind == "music" else item.image_url
        if not is_http_url(url):
            continue
        metadata: dict[str, Any] = {"index": index}
        if item.seed is not None:
            metadata["seed"] = item.seed
        if kind == "music":
            name = file_name(url, f"music-{index}", ".mp3", AUDIO_SUFFIXES)
            outputs.append(Artifact(kind="audio", name=name, url=url, metadata=metadata))
        else:
            name = file_name(url, f"image-{index}", ".png", IMAGE_SUFFIXES)
            outputs.append(Artifact(kind="image", name=name, url=url, metadata=metadata))
    return outputs, blocked


def looks_failed(text: str) -> bool:
    """Whether a state name or `desc` reads as a failure (FAILURE_WORDS)."""
    lowered = text.lower()
    return any(word in lowered for word in FAILURE_WORDS)


def task_phase(status: Any, desc: str, *, has_results: bool, results_mean_done: bool) -> Phase:
    """Where a task is, from its raw `status` and `desc` (docs/providers.md#imgopen-status).

    `results_mean_done`: an answer carrying results is done whatever its status (the tools
    query's; its pages show a finished task with status 1).
    """
    code = _status_code(status)
    if code == DONE_STATUS:
        return "done"
    if results_mean_done and has_results and not looks_failed(desc):
        return "done"
    if code in RUNNING_STATUSES:
        return "running"
    name = status if isinstance(status, str) and code is None else ""
    if looks_failed(desc) or looks_failed(name):
        return "failed"
    return "unknown"


def raw_state(status: Any) -> str:
    """A state as the provider wrote it (7, "7", "AUDITING", null), for the status line."""
    text = json.dumps(status, ensure_ascii=False, default=str)
    return text if len(text) <= RAW_STATE_CHARS else text[: RAW_STATE_CHARS - 1] + "…"


def _quoted_desc(desc: str) -> Text:
    if not desc:
        return msg("imgopen_no_desc")
    return desc if len(desc) <= RAW_DESC_CHARS else desc[: RAW_DESC_CHARS - 1] + "…"


def _has_audio_url(fields: Mapping[str, Any]) -> bool:
    return any(
        "url" in key.lower() and is_http_url(value) and url_suffix(value) in AUDIO_SUFFIXES
        for key, value in fields.items()
    )


def _as_items(values: list[Any]) -> list[ResultItem]:
    items: list[ResultItem] = []
    for value in values:
        try:
            if isinstance(value, Mapping):
                items.append(ResultItem.model_validate(value))
            elif is_http_url(value):
                items.append(ResultItem(image_url=value))
        except ValidationError:
            continue
    return items


def result_items(info: TaskInfo, kind: Kind) -> list[ResultItem]:
    """A task's results: `differentialImageRspList`; for music, failing that, the answer itself
    when it names an audio file, else the first list of objects or URLs in it (the tools
    query's answer is not documented)."""
    if info.differentialImageRspList or kind != "music":
        return info.differentialImageRspList or []
    extra = dict(info.model_extra or {})
    if _has_audio_url(extra):
        return _as_items([extra])
    for value in extra.values():
        items = _as_items(value) if isinstance(value, list) else []
        if items:
            return items
    return []


def map_task_info(
    info: TaskInfo,
    kind: Kind,
    *,
    save_preview: PreviewSaver | None = None,
    results_mean_done: bool = False,
    overdue_after_s: float | None = None,
) -> TaskStatus:
    """A task's `data` in the studio's terms; `overdue_after_s`: the task has run past this
    deadline, up to which a state the studio does not know is waited out (None: it has not)."""
    extra = dict(info.model_extra or {})
    what = msg("imgopen_images" if kind == "image" else "imgopen_audio_files")
    desc = (info.desc or "").strip()
    items = result_items(info, kind)
    phase = task_phase(
        info.status, desc, has_results=bool(items), results_mean_done=results_mean_done
    )
    if phase == "unknown" and overdue_after_s is not None:
        minutes = f"{overdue_after_s / 60:.3g}"
        error = msg(
            "imgopen_state_overdue",
            provider=LABEL,
            state=raw_state(info.status),
            said=_quoted_desc(desc),
            minutes=minutes,
        )
        return TaskStatus(state=TaskState.FAILED, error=error)
    if phase in ("running", "unknown"):
        message = (
            msg("provider_working", provider=LABEL)
            if phase == "running"
            else msg(
                "imgopen_state_unknown",
                provider=LABEL,
                state=raw_state(info.status),
                said=_quoted_desc(desc),
            )
        )
        return TaskStatus(
            state=TaskState.RUNNING,
            percent=find_percent(extra),
            eta_s=find_eta(extra),
            message=message,
            preview=_preview(info, save_preview) if kind == "image" else None,
        )
    if phase == "failed":
        error = (
            msg("imgopen_failed_said", provider=LABEL, said=desc)
            if desc
            else msg("imgopen_failed_status", provider=LABEL, status=raw_state(info.status))
        )
        return TaskStatus(state=TaskState.FAILED, error=error)
    outputs, blocked = _outputs(items, kind)
    if not outputs:
        if blocked:
            return TaskStatus(
                state=TaskState.FAILED,
                error=msg("imgopen_all_blocked", provider=LABEL, blocked=blocked, what=what),
            )
        return TaskStatus(
            state=TaskState.FAILED, error=msg("imgopen_none_sent", provider=LABEL, what=what)
        )
    message = (
        msg("imgopen_some_blocked", provider=LABEL, blocked=blocked, total=len(items), what=what)
        if blocked
        else ""
    )
    return TaskStatus(state=TaskState.SUCCEEDED, percent=100.0, outputs=outputs, message=message)


def knows_task(envelope: Envelope) -> bool:
    """Whether a status answer describes the task (code "200" with task data)."""
    return envelope.ok and isinstance(envelope.data, Mapping) and bool(envelope.data)


def says_unknown(envelope: Envelope) -> bool:
    """Whether a status answer says the call does not know the task: code "200" without task
    data, or code "404"."""
    return (envelope.ok and not knows_task(envelope)) or envelope.code.strip() == "404"


def not_listed_yet() -> TaskStatus:
    return TaskStatus(
        state=TaskState.QUEUED, message=msg("imgopen_waiting_listing", provider=LABEL)
    )


def map_status(
    answer: Any,
    kind: Kind,
    *,
    save_preview: PreviewSaver | None = None,
    results_mean_done: bool = False,
    overdue_after_s: float | None = None,
) -> TaskStatus:
    """A status answer (queryTaskInfo, or the tools' queryTask) in the studio's terms.

    An error envelope raises a retryable ProviderError (the job is not failed by one answer);
    an answer without task data means the task is not listed yet: queued.
    """
    envelope = parse_envelope(answer, retryable=True)
    if not envelope.ok:
        raise envelope_error(envelope, when="imgopen_no_report", retryable=True)
    if not knows_task(envelope):
        return not_listed_yet()
    try:
        info = TaskInfo.model_validate(envelope.data)
    except ValidationError:
        raise unreadable_status(LABEL) from None
    return map_task_info(
        info,
        kind,
        save_preview=save_preview,
        results_mean_done=results_mean_done,
        overdue_after_s=overdue_after_s,
    )


def status_queries(kind: Kind, answered_last: Any = None) -> tuple[str, ...]:
    """The status calls that may know a task, in the order to ask them: the one that answered
    last first, then the SD call, for music the tools' calls, and the archive."""
    tools = tuple(TOOL_QUERY_PREFIX + code for code in MUSIC_TOOL_CODES)
    order = (SD_QUERY, *(tools if kind == "music" else ()), ARCHIVE_QUERY)
    if answered_last in order:
        return (answered_last, *(query for query in order if query != answered_last))
    return order


def query_path(query: str) -> str:
    if query == SD_QUERY:
        return STATUS_PATH
    if query == ARCHIVE_QUERY:
        return ARCHIVE_STATUS_PATH
    return TOOL_STATUS_PATH.format(tool_code=query.removeprefix(TOOL_QUERY_PREFIX))


def wants_checkpoint(envelope: Envelope, body: Text2MusicBody | Text2ImageBody) -> bool:
    """Whether a refused SD create names the checkpoint the studio left out."""
    return (
        isinstance(body, Text2ImageBody)
        and body.alwayson_scripts.sd_model_checkpoint is None
        and "sd_model_checkpoint" in (envelope.msg or "")
    )
