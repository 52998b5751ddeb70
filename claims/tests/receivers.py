"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) for outbound-request tests: it
records every request and answers from a script of responses."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    base_url: str
    requests: list[Received] = field(default_factory=list)
    # Each entry: (status, headers, body); the last one repeats once the script runs out.
    script: list[tuple[int, dict[str, str], bytes]] = field(default_factory=lambda: [(200, {}, b"ok")])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *responses: tuple[int, dict[str, str], bytes] | int) -> None:
        with self.lock:
            self.script = [r if isinstance(r, tuple) else (r, {}, b"") for r in responses]

    def next_response(self):
        with self.lock:
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]


@contextlib.contextmanager
def http_receiver():
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with receiver.lock:
                receiver.requests.append(Received(self.command, self.path, dict(self.headers.items()), body))
            status, headers, payload = receiver.next_response()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
