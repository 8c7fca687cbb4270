"""The local HTTP server: a thin shell that hands each request to the emulated gateway."""

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from local.gateway import LocalGateway


def make_server(gateway: LocalGateway, host: str, port: int, quiet: bool = False) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            started = time.perf_counter()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            response = gateway.handle(self.command, self.path, dict(self.headers.items()), body)
            payload = response.payload
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            if not quiet:
                millis = (time.perf_counter() - started) * 1000
                sys.stderr.write(f"{self.command} {self.path} {response.status} {millis:.1f} ms\n")

        def __getattr__(self, name: str) -> object:
            # Every method reaches the gateway, which answers like API Gateway: a JSON 405 with
            # Allow for one the path does not have (HEAD, TRACE, CONNECT, ...), never a 501 page.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: object) -> None:
            """Access lines are written by _serve."""

    server = _Server((host, port), Handler)
    server.daemon_threads = True
    return server


class _Server(ThreadingHTTPServer):
    # The listen backlog: bursts of clients queue instead of being reset (the default is 5).
    request_queue_size = 128
