"""Serve a fake's WSGI app over real loopback HTTP (``wsgiref``, one thread per connection).

Why not plain ``wsgiref.simple_server``: it answers one request per connection,
logs every request line (URLs may carry personal search terms) and prints
tracebacks. This server keeps HTTP/1.1 connections alive when the response has a
Content-Length, never logs a request line, and turns a body that raises
``ConnectionResetError`` (the ``reset`` fault) into a real TCP reset.
"""

from __future__ import annotations

import contextlib
import io
import socket
import socketserver
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer
from wsgiref.types import WSGIApplication

__all__ = ["serve_forever", "serve_in_thread"]

_IDLE_TIMEOUT = 30.0  # seconds an idle keep-alive connection may stay open


class _BoundedInput:
    """``wsgi.input`` limited to the request's Content-Length, so the next request on a
    kept-alive connection is never read as this one's body."""

    def __init__(self, stream: io.BufferedIOBase, length: int) -> None:
        self._stream = stream
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self._stream.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self._stream.readline(size) if size else b""
        self.remaining -= len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def drain(self) -> None:
        while self.remaining and self.read(65536):
            pass


class _Handler(ServerHandler):
    http_version = "1.1"
    completed = False
    keep_alive = False

    def close(self) -> None:
        # Reached only when the whole body went out (not on a reset).
        self.completed = True
        headers = getattr(self, "headers", None)  # set by start_response
        self.keep_alive = headers is not None and "Content-Length" in headers
        super().close()

    def log_exception(self, exc_info: Any) -> None:
        # The class name only: messages and tracebacks may quote request data.
        sys.stderr.write(f"kamei fake server: the app raised {exc_info[0].__name__}\n")


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _IDLE_TIMEOUT

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in separate writes; without NODELAY, Nagle's
        # algorithm and the client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # never log request lines

    def handle(self) -> None:
        self.close_connection = True
        self._handle_one()
        while not self.close_connection:
            self._handle_one()

    def _handle_one(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except OSError:  # idle timeout, or the client went away
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():
            return
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        body = _BoundedInput(self.rfile, int(self.headers.get("Content-Length") or 0))
        environ = self.get_environ()
        handler = _Handler(body, self.wfile, sys.stderr, environ, multithread=True)  # type: ignore[arg-type]
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref's back-pointer
        handler.run(self.server.get_app())  # type: ignore[attr-defined]
        if not handler.completed:
            self._reset()
            return
        body.drain()
        if chunked or not handler.keep_alive:
            self.close_connection = True

    def _reset(self) -> None:
        # SO_LINGER 0 makes close() send RST: the client sees a reset, not a clean EOF.
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    # Non-daemon threads are joined by server_close(), so no socket outlives the server.
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)
        self.setup_environ()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[0]
        name = exc.__name__ if exc else "error"
        sys.stderr.write(f"kamei fake server: a connection failed with {name}\n")

    def server_close(self) -> None:
        # Wake handler threads blocked on idle keep-alive connections, then join them.
        with self._connections_lock:
            open_connections = list(self._connections)
        for connection in open_connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        super().server_close()


def _make_server(app: WSGIApplication, host: str, port: int) -> _Server:
    server = _Server((host, port))
    server.set_app(app)
    return server


def _base_url(server: _Server) -> str:
    host, port = server.server_address[:2]
    name = host.decode() if isinstance(host, bytes) else str(host)
    shown = f"[{name}]" if ":" in name else name
    return f"http://{shown}:{port}"


@contextlib.contextmanager
def serve_in_thread(app: WSGIApplication, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields the base URL (``http://127.0.0.1:PORT``).

    ``port=0`` picks a free port. Leaving the block stops the server and closes
    every connection.
    """
    server = _make_server(app, host, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield _base_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_forever(
    app: WSGIApplication,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve ``app`` until interrupted or until ``stop`` is set (``kamei fake serve``).

    ``ready`` is called with the base URL once the socket listens.
    """
    server = _make_server(app, host, port)
    if stop is not None:

        def watch() -> None:
            stop.wait()
            server.shutdown()

        threading.Thread(target=watch, daemon=True).start()
    try:
        if ready is not None:
            ready(_base_url(server))
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
