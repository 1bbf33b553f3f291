"""Read-only share links: one job's result, parameters and run card for someone without access.

The owner makes a link in History (`/share/<token>`) and can revoke it; the token is the only
way in, and it opens that one job: its files by index under the same token, its parameters
with file names only, and the provider request as curl with keys already masked. Nothing else
of the studio is reachable through it.
"""

from __future__ import annotations

import html
import mimetypes
from datetime import datetime

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute

from core.store import JobRecord, JobStore, without_server_paths
from tabs.i18n import DEFAULT_LANG, Lang, language, tr
from tabs.picker import provider_name
from tabs.plain_names import capability_name, parameters, state_name
from tabs.run_card import curl_command

SHARE_PREFIX = "/share"
_NOT_FOUND = "This share link does not exist or was revoked by its owner."


def share_path(token: str) -> str:
    return f"{SHARE_PREFIX}/{token}"


def _file_tag(token: str, index: int, kind: str, name: str) -> str:
    url = html.escape(f"{share_path(token)}/files/{index}")
    title = html.escape(name)
    if kind == "audio":
        media = f'<audio controls preload="metadata" src="{url}"></audio>'
    elif kind == "video":
        media = f'<video controls preload="metadata" src="{url}"></video>'
    else:
        media = f'<img alt="{title}" src="{url}">'
    return f'<figure>{media}<figcaption><a href="{url}" download>{title}</a></figcaption></figure>'


def render_share(record: JobRecord, token: str, lang: Lang = DEFAULT_LANG) -> str:
    """The page: what was made, from what, by which provider, in plain names (never a key,
    never a path)."""
    params = parameters(record.capability, without_server_paths(record.params), lang)
    listed = "".join(
        f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>" for name, value in params
    )
    files = "".join(
        _file_tag(token, index, output.kind, output.path.name)
        for index, output in enumerate(record.outputs)
        if output.path.is_file()
    )
    call = (record.task.data.get("request") if record.task else None) or None
    request_block = (
        f"<h2>{html.escape(tr(lang, 'share_request'))}</h2><pre>{html.escape(curl_command(call))}</pre>"
        if call
        else ""
    )
    when = datetime.fromtimestamp(record.created_at).strftime("%Y-%m-%d %H:%M")
    heading = tr(
        lang,
        "share_heading",
        capability=capability_name(record.capability, lang),
        provider=provider_name(record.provider, lang),
        state=state_name(record.state, lang),
        when=when,
    )
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AIGC Studio · {html.escape(capability_name(record.capability, lang))}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 900px; margin: 2rem auto; padding: 0 1rem; }}
figure {{ margin: 1rem 0; }} img, video {{ max-width: 100%; }} audio {{ width: 100%; }}
pre {{ background: #f4f4f5; padding: .75rem; overflow-x: auto; white-space: pre-wrap; }}
dt {{ font-weight: 600; margin-top: .5rem; }} dd {{ margin: 0; overflow-wrap: anywhere; }}
</style></head><body>
<h1>AIGC Studio</h1>
<p>{html.escape(heading)}</p>
{files or f"<p>{html.escape(tr(lang, 'share_no_files'))}</p>"}
<h2>{html.escape(tr(lang, "share_parameters"))}</h2>
<dl>{listed}</dl>
{request_block}
</body></html>"""


def make_share_routes(store: JobStore) -> list[APIRoute]:
    """`GET /share/{token}` (the page) and `GET /share/{token}/files/{index}` (one file)."""

    async def page(token: str, request: Request) -> Response:
        record = store.shared_job(token)
        if record is None:
            return HTMLResponse(html.escape(_NOT_FOUND), status_code=404)
        lang = language(request.headers.get("accept-language"))
        return HTMLResponse(render_share(record, token, lang))

    async def file(token: str, index: int) -> Response:
        record = store.shared_job(token)
        if record is None or not 0 <= index < len(record.outputs):
            return Response(_NOT_FOUND, status_code=404, media_type="text/plain")
        path = record.outputs[index].path
        folder = record.output_dir.resolve()
        if not path.resolve().is_relative_to(folder) or not path.is_file():
            return Response(_NOT_FOUND, status_code=404, media_type="text/plain")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=media_type, filename=path.name)

    return [
        APIRoute(SHARE_PREFIX + "/{token}", page, methods=["GET"]),
        APIRoute(SHARE_PREFIX + "/{token}/files/{index}", file, methods=["GET"]),
    ]
