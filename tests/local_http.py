"""A tiny real HTTP server on 127.0.0.1 whose answers a test scripts per path."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # None: every call; else this many calls, then the next answer


@dataclass
class Script:
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)

    def next_answer(self, path: str) -> Answer:
        self.calls[path] = self.calls.get(path, 0) + 1
        queue = self.answers.get(path) or [Answer(status=404)]
        answer = queue[0]
        if answer.times is not None:
            answer.times -= 1
            if answer.times <= 0 and len(queue) > 1:
                queue.pop(0)
        return answer


@contextmanager
def serve(script: Script) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = script.next_answer(self.path)
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
