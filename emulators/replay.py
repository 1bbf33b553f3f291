"""Replay a recorded job: a server that answers exactly what the provider answered.

`python -m emulators --replay <fixture>` serves a fixture: a transcript written whole with
STUDIO_RECORD (core/recording.py), or one written by hand from an API page's examples
(tests/fixtures/replay/). Every origin the recording talked to is served under `/o<n>` of the
replay server, so a provider's API and the hosts of its result files stay apart. A request is
answered by the next recorded exchange with the same method, origin and path (the query and the
body are not compared: the same adapter asks the same things in the same order); once a path's
answers are used up, its last one is repeated (a job that polls more often than the recorded
one sees the end it saw). Every recorded URL in an answer (body and headers) is rewritten to the
replay server, so result files are fetched from it, byte for byte as recorded.

Exchanges that got no answer (a timeout, a Stop) are not replayed. Like every emulator, this
never imports an adapter; it reads the transcript model, and the providers' declarations to
name their keys.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from pathlib import Path
from types import TracebackType

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.transcript import TRANSCRIPT_NAME, Exchange, Transcript
from emulators.serving import BackgroundServer, bound_socket
from providers.declarations import DECLARATIONS

ORIGIN_PREFIX = "/o"
# The replay's own transport sets these; a recorded one would contradict it.
DROPPED_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding",
     "date", "server"}
)  # fmt: skip
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
# Any key works against a replay; this one passes the studio's key rule (core/keys.py).
REPLAY_KEY = "replay-any-key"

Key = tuple[str, int, str]


def load_fixture(path: Path) -> tuple[Transcript, Path]:
    """The fixture at `path` (its transcript.json, or the folder holding it) and its folder."""
    file = path / TRANSCRIPT_NAME if path.is_dir() else path
    return Transcript.model_validate_json(file.read_bytes()), file.parent


def origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


def _raw_path(url: str) -> str:
    return httpx.URL(url).raw_path.split(b"?", 1)[0].decode("ascii")


class Replay:
    """The recorded answers of one fixture, handed out in order; `base_url` is where the
    replay server is reached."""

    def __init__(self, fixture: Transcript, folder: Path, base_url: str) -> None:
        self.fixture = fixture
        self.folder = folder.resolve()
        self.base_url = base_url.rstrip("/")
        urls = [exchange.url for exchange in fixture.exchanges]
        self.origins: list[str] = list(
            dict.fromkeys(origin(url) for url in [*urls, *fixture.addresses.values()])
        )
        alternatives = "|".join(re.escape(o) for o in sorted(self.origins, key=len, reverse=True))
        # An origin only where it ends (":80" must not match ":8080"); none: match nothing.
        self._pattern = re.compile(
            f"(?:{alternatives})" + r"(?=[/?#\"'\s]|$)" if alternatives else "(?!)"
        )
        self._answers: dict[Key, list[Exchange]] = defaultdict(list)
        for exchange in sorted(fixture.exchanges, key=lambda e: e.n):
            if exchange.status is not None:
                self._answers[self._key_of(exchange.method, exchange.url)].append(exchange)
        self._served: dict[Key, int] = defaultdict(int)
        self._lock = threading.Lock()

    def _key_of(self, method: str, url: str) -> Key:
        return (method.upper(), self.origins.index(origin(url)), _raw_path(url))

    def replay_url(self, url: str) -> str:
        """A recorded URL (or any text holding some) pointed at the replay server."""
        return self._pattern.sub(lambda m: self._origin_url(self.origins.index(m.group(0))), url)

    def recorded_url(self, url: str) -> str:
        """The inverse of `replay_url`: a replay server URL as it was recorded."""
        # Highest first: "/o1" is the beginning of "/o10".
        for index in reversed(range(len(self.origins))):
            url = url.replace(self._origin_url(index), self.origins[index])
        return url

    def _origin_url(self, index: int) -> str:
        return f"{self.base_url}{ORIGIN_PREFIX}{index}"

    def env(self) -> dict[str, str]:
        """Settings that point a studio at this replay: the recorded provider's addresses,
        and a key for each of its key settings."""
        env = {name: self.replay_url(url) for name, url in self.fixture.addresses.items()}
        for declared in DECLARATIONS:
            if declared.name == self.fixture.provider:
                env.update(dict.fromkeys(declared.credential_fields, REPLAY_KEY))
        return env

    def unserved(self) -> list[str]:
        """The recorded calls no request has asked for yet ("POST /o0/path #2")."""
        with self._lock:
            return [
                f"{method} {ORIGIN_PREFIX}{index}{path} #{n + 1}"
                for (method, index, path), answers in self._answers.items()
                for n in range(self._served[(method, index, path)], len(answers))
            ]

    def answer(self, method: str, raw_path: str) -> Response:
        """The next recorded answer to this request, or a 404 that says none was recorded."""
        key = self._key_of_request(method, raw_path)
        with self._lock:
            answers = self._answers.get(key) if key else None
            if not answers:
                return JSONResponse(
                    {"replay": "no recorded answer", "method": method, "path": raw_path},
                    status_code=404,
                )
            exchange = answers[min(self._served[key], len(answers) - 1)]
            self._served[key] += 1
        return self._response(exchange)

    def _key_of_request(self, method: str, raw_path: str) -> Key | None:
        match = re.fullmatch(rf"{ORIGIN_PREFIX}(\d+)(/.*)?", raw_path)
        if match is None or int(match.group(1)) >= len(self.origins):
            return None
        return (method.upper(), int(match.group(1)), match.group(2) or "/")

    def _response(self, exchange: Exchange) -> Response:
        headers = {
            name: self.replay_url(value)
            for name, value in exchange.response_headers.items()
            if name not in DROPPED_HEADERS
        }
        body = exchange.response_body
        content = b""
        if body is not None and body.file:
            content = self._file(body.file).read_bytes()
            if body.content_encoding:
                headers["content-encoding"] = body.content_encoding
        elif body is not None and body.data is not None:
            # Compact, as most APIs (and the emulators) write it.
            text = json.dumps(body.data, ensure_ascii=False, separators=(",", ":"))
            content = self.replay_url(text).encode()
        elif body is not None and body.text is not None:
            content = self.replay_url(body.text).encode()
        assert exchange.status is not None
        return Response(content, status_code=exchange.status, headers=headers)

    def _file(self, name: str) -> Path:
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder):
            raise ValueError(f"a fixture's body file must be in its folder: {name}")
        return path


def build_replay_app(replay: Replay) -> Starlette:
    async def serve(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        return replay.answer(request.method, raw.split(b"?", 1)[0].decode("ascii"))

    return Starlette(routes=[Route("/{path:path}", serve, methods=METHODS)])


class ReplayServer:
    """A fixture replayed on 127.0.0.1:<free port>, as a context manager (tests)."""

    def __init__(self, fixture: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self._fixture = fixture
        self.host = host
        self._port = port
        self._server = BackgroundServer()
        self.replay: Replay | None = None

    def start(self) -> Replay:
        sock = bound_socket(self.host, self._port)
        transcript, folder = load_fixture(self._fixture)
        replay = Replay(transcript, folder, f"http://{self.host}:{sock.getsockname()[1]}")
        self._server.start(build_replay_app(replay), sock, "replay")
        self.replay = replay
        return replay

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Replay:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(fixture: Path, host: str, port: int) -> None:
    """Serve `fixture` until interrupted, after printing the settings that point at it."""
    transcript, folder = load_fixture(fixture)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    replay = Replay(transcript, folder, f"http://{shown}:{port}")
    print(f"# Replay of job {transcript.job_id} ({transcript.provider}, {transcript.capability})")
    if transcript.note:
        print(f"# {transcript.note}")
    for index, recorded in enumerate(replay.origins):
        print(f"# {recorded} is served at {replay.replay_url(recorded)} ({ORIGIN_PREFIX}{index})")
    print("# use these settings:")
    for name, value in replay.env().items():
        print(f"{name}={value}")
    uvicorn.run(build_replay_app(replay), host=host, port=port, log_level="info")
