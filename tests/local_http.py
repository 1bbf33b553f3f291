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
    # Honour `Range: bytes=a-b` (and `bytes=-n`) with 206 and Content-Range, as file servers do.
    ranges: bool = False


@dataclass
class Script:
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    # Each request's path and headers, and the body bytes sent in all.
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    sent_bytes: int = 0

    def next_answer(self, path: str) -> Answer:
        self.calls[path] = self.calls.get(path, 0) + 1
        queue = self.answers.get(path) or [Answer(status=404)]
        answer = queue[0]
        if answer.times is not None:
            answer.times -= 1
            if answer.times <= 0 and len(queue) > 1:
                queue.pop(0)
        return answer


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte of a single `bytes=` range, clipped to the body; None if none."""
    unit, _, spec = header.partition("=")
    first, dash, last = spec.strip().partition("-")
    if unit.strip() != "bytes" or not dash or not size:
        return None
    if not first:
        return (max(0, size - int(last)), size - 1) if last.isdigit() else None
    if not first.isdigit() or int(first) >= size:
        return None
    end = min(int(last), size - 1) if last.isdigit() else size - 1
    return int(first), end


@contextmanager
def serve(script: Script) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            script.requests.append((self.path, dict(self.headers.items())))
            answer = script.next_answer(self.path)
            status, body, headers = answer.status, answer.body, dict(answer.headers)
            if answer.ranges and status == 200:
                headers["Accept-Ranges"] = "bytes"
                wanted = _byte_range(self.headers.get("Range", ""), len(body))
                if wanted is not None:
                    first, last = wanted
                    status, body = 206, body[first : last + 1]
                    headers["Content-Range"] = f"bytes {first}-{last}/{len(answer.body)}"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            script.sent_bytes += len(body)

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
