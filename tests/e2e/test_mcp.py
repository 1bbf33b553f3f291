"""The studio as an MCP server: agents see the five capabilities as tools and can run them.

Launches the real studio with `mcp_server=True` (what app.py passes on Spaces) and talks to it
with the official `mcp` client over Streamable HTTP, the transport Gradio serves at
/gradio_api/mcp/.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import soundfile as sf

if TYPE_CHECKING:
    from mcp import ClientSession

    from tests.studio_server import RunningStudio

CAPABILITY_TOOLS = {
    "text_to_music": {"prompt", "seconds", "steps", "cfg", "seed", "provider"},
    "image_to_music": {"image", "image_url", "provider"},
    "extend_music": {"audio", "upload_url", "continue_at", "provider"},
    "text_to_image": {"prompt", "negative_prompt", "width", "height", "seed", "provider"},
    "video_upscale": {"video", "creation_id", "scale", "provider"},
}


def _mcp_available() -> None:
    try:
        import mcp  # noqa: F401
    except ImportError:
        reason = 'the `mcp` package is missing (requirements.txt: mcp>=1.21,<2 or "gradio[mcp]")'
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is an error)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def mcp_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStudio]:
    _mcp_available()
    from app import build_studio
    from core.config import Settings
    from tests.studio_server import RunningStudio, free_port

    settings = Settings(studio_data_dir=tmp_path_factory.mktemp("mcp"), _env_file=None)  # type: ignore[call-arg]
    port = free_port()
    studio = build_studio(settings, port=port)
    kwargs = {**studio.launch_kwargs(), "mcp_server": True}
    with warnings.catch_warnings():
        # Gradio notes that the session-keys State is not an MCP parameter: keys never are.
        warnings.filterwarnings("ignore", message=".*gr.State input", category=UserWarning)
        _, url, _ = studio.demo.launch(
            server_name="127.0.0.1",
            server_port=port,
            prevent_thread_lock=True,
            quiet=True,
            **kwargs,
        )
    running = RunningStudio(studio=studio, url=url.rstrip("/"))
    try:
        yield running
    finally:
        running.close()


@asynccontextmanager
async def mcp_session(studio: RunningStudio) -> AsyncIterator[ClientSession]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with (
        httpx.AsyncClient(timeout=60) as http,
        streamable_http_client(f"{studio.url}/gradio_api/mcp/", http_client=http) as (
            read,
            write,
            _,
        ),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def texts(result: Any) -> list[str]:
    return [item.text for item in result.content if getattr(item, "type", "") == "text"]


def test_schema_lists_the_five_capabilities_with_their_api_parameters(
    mcp_studio: RunningStudio,
) -> None:
    response = httpx.get(f"{mcp_studio.url}/gradio_api/mcp/schema", timeout=30)
    assert response.status_code == 200
    tools = {tool["name"]: tool for tool in response.json()}
    assert set(CAPABILITY_TOOLS) <= set(tools), sorted(tools)
    for name, expected in CAPABILITY_TOOLS.items():
        properties = set(tools[name]["inputSchema"]["properties"])
        assert expected <= properties, (name, sorted(properties))
        # Keys live in a session State and must never become a tool parameter.
        assert not any("key" in prop or "secret" in prop for prop in properties), properties
    # Nothing private leaks as a tool: every tool is a capability or the read-only history.
    assert set(tools) == {*CAPABILITY_TOOLS, "history_list"}


async def test_an_agent_lists_the_tools_over_streamable_http(mcp_studio: RunningStudio) -> None:
    async with mcp_session(mcp_studio) as session:
        listed = await session.list_tools()
    names = {tool.name for tool in listed.tools}
    assert set(CAPABILITY_TOOLS) <= names, sorted(names)
    ttm = next(tool for tool in listed.tools if tool.name == "text_to_music")
    assert ttm.inputSchema["required"] == ["prompt"]
    assert ttm.inputSchema["properties"]["seconds"]["default"] == 30


async def test_an_agent_makes_a_song_and_finds_it_in_history(
    mcp_studio: RunningStudio,
) -> None:
    prompt = f"calm lofi piano in A minor, 80 bpm {uuid.uuid4().hex[:8]}"
    progress: list[float] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async with mcp_session(mcp_studio) as session:
        made = await session.call_tool(
            "text_to_music",
            {"prompt": prompt, "seconds": 2, "seed": 11, "provider": "offline"},
            progress_callback=on_progress,
        )
        assert not made.isError, texts(made)
        listed = await session.call_tool("history_list", {"capability": "text_to_music"})
        result = json.loads(texts(made)[0])
        (song,) = result["files"]
        async with httpx.AsyncClient(timeout=30) as http:
            fetched = await http.get(song["url"])
    # Data an agent reads without parsing Python: status, seed, parameters, files by kind.
    assert result["status"] == "succeeded"
    assert "Done" in result["message"]
    assert result["seed"] == 11
    assert result["parameters"]["prompt"] == prompt
    assert song["kind"] == "audio"
    song_url = song["url"]
    # The song itself comes along as MCP audio content.
    (audio,) = [item for item in made.content if getattr(item, "type", "") == "audio"]
    assert base64.b64decode(audio.data)[:4] == b"RIFF"
    assert progress, "no progress notification reached the agent"
    (job,) = [
        j
        for j in mcp_studio.studio.services.store.list(capability="text_to_music")
        if j.params["prompt"] == prompt
    ]
    assert job.state == "succeeded"
    assert job.params["seed"] == 11
    song = Path(job.outputs[0].path)
    assert abs(sf.info(song).duration - 2.0) < 0.01
    # The tool result links the song on the studio, where the agent can fetch it.
    assert song_url.endswith(song.name)
    assert fetched.status_code == 200
    assert fetched.content == song.read_bytes()
    # history_list (read-only) answers JSON and sees the job the agent just made.
    assert job.id in {row["id"] for row in json.loads(texts(listed)[0])}


def test_every_tool_tells_the_agent_what_it_does_and_what_each_parameter_means(
    mcp_studio: RunningStudio,
) -> None:
    tools = httpx.get(f"{mcp_studio.url}/gradio_api/mcp/schema", timeout=30).json()
    for tool in tools:
        # Gradio appends an upload hint to tools with file inputs; that alone says nothing.
        own = tool["description"].split(" If a user passes a file")[0].strip()
        assert own, f"{tool['name']} has no description"
        blank = [
            p
            for p, spec in tool["inputSchema"]["properties"].items()
            if not spec.get("description")
        ]
        assert not blank, f"{tool['name']}: no description for {blank}"


async def test_a_tool_call_without_progress_token_succeeds(mcp_studio: RunningStudio) -> None:
    async with mcp_session(mcp_studio) as session:
        made = await session.call_tool(
            "text_to_music", {"prompt": "calm piano", "seconds": 1, "provider": "offline"}
        )
    assert not made.isError, texts(made)
    assert "Done" in json.loads(texts(made)[0])["message"]
