"""What an agent gets back from a capability tool: data, not the repr of the output tuple.

Gradio's MCP server turns an event's outputs into MCP content one by one, which leaves a
Python list repr for a file list or a gallery. For a call that comes through the MCP server
(its client sends `x-gradio-user: mcp`), the capability handler puts a JSON result in its
status output instead; at start-up `studio_lifespan` teaches Gradio's MCP server to answer with
that JSON (files by URL and kind) followed by the media themselves: images and songs as MCP
image and audio content (small ones), anything else as resource links. gradio_client callers
see today's outputs, unchanged.
"""

from __future__ import annotations

import base64
import contextlib
import json
import mimetypes
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import gradio as gr
from gradio_client import utils as client_utils

from core.store import JobStore, without_server_paths
from core.visitors import MCP_CLIENT_HEADER

RESULT_MARKER = "aigc_studio_result"
# Media larger than this go as a link only: an agent's context is no place for a long video.
INLINE_MAX_BYTES = 4 * 1024 * 1024


def from_mcp(request: gr.Request | None) -> bool:
    headers = getattr(request, "headers", None) or {}
    name, value = MCP_CLIENT_HEADER
    return headers.get(name) == value


def result_json(store: JobStore, job_id: str, files: list[Any], status: str) -> str:
    """The JSON an agent reads: what was made, from what, where the files are (paths here; the
    MCP server turns them into URLs)."""
    record = store.get(job_id)
    params = without_server_paths(record.params) if record is not None else {}
    return json.dumps(
        {
            RESULT_MARKER: 1,
            "status": record.state if record is not None else "unknown",
            "message": status,
            "job_id": job_id,
            "capability": record.capability if record is not None else None,
            "provider": record.provider if record is not None else None,
            "seed": params.get("seed"),
            "parameters": params,
            "files": [{"kind": output.kind, "path": str(output.path)} for output in files],
        },
        ensure_ascii=False,
    )


def _content(types: Any, data: dict[str, Any], root_url: str) -> list[Any]:
    contents: list[Any] = []
    files = []
    for item in data.pop("files", []):
        path = Path(item["path"])
        url = f"{root_url}/gradio_api/file={path}"
        files.append({"name": path.name, "kind": item["kind"], "url": url})
    data.pop(RESULT_MARKER, None)
    data["files"] = files
    contents.append(types.TextContent(type="text", text=json.dumps(data, ensure_ascii=False)))
    for item in files:
        path = Path(item["url"].split("/gradio_api/file=", 1)[1])
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        small = path.is_file() and path.stat().st_size <= INLINE_MAX_BYTES
        if item["kind"] == "image" and small:
            encoded = base64.b64encode(path.read_bytes()).decode("ascii")
            contents.append(types.ImageContent(type="image", data=encoded, mimeType=mime))
        elif item["kind"] == "audio" and small:
            encoded = base64.b64encode(path.read_bytes()).decode("ascii")
            contents.append(types.AudioContent(type="audio", data=encoded, mimeType=mime))
        else:
            contents.append(
                types.ResourceLink(
                    type="resource_link", uri=item["url"], name=item["name"], mimeType=mime
                )
            )
    return contents


def _plain_data(data: Any) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(v, list | dict) for v in data)
        and not any(client_utils.is_file_obj_with_meta(v) for v in data)
    )


def _studio_postprocess(server: Any) -> Callable[[Any, str], list[Any]]:
    original = server.postprocess_output_data

    def postprocess(data: Any, root_url: str) -> list[Any]:
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], list | tuple):
            inner = list(data[0])
            if inner and isinstance(inner[0], str) and RESULT_MARKER in inner[0]:
                # Without a progress token Gradio hands the whole output tuple as one item.
                data = inner
        first = data[0] if isinstance(data, list) and data else None
        if isinstance(first, str) and RESULT_MARKER in first:
            try:
                parsed = json.loads(first)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and parsed.get(RESULT_MARKER):
                return _content(server.types, parsed, root_url.rstrip("/"))
        if _plain_data(data):
            # history_list: JSON, not a Python repr.
            return [
                server.types.TextContent(type="text", text=json.dumps(v, ensure_ascii=False))
                for v in data
            ]
        return original(data, root_url)

    return postprocess


def studio_lifespan(
    demo: gr.Blocks,
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan for `launch(app_kwargs={"lifespan": …})`: at start-up, once Gradio has made
    its MCP server, its answers for capability tools become the studio's data."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        server = getattr(demo, "mcp_server_obj", None)
        if server is not None:
            server.postprocess_output_data = _studio_postprocess(server)
        yield

    return lifespan
