"""Run an emulator: in a background thread (tests) or from the command line (sandbox mode)."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server, run_simple


@dataclass
class ServerHandle:
    """A running emulator server."""

    server: BaseWSGIServer
    thread: threading.Thread
    host: str
    port: int

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321."""
        return f"http://{self.host}:{self.port}"

    def shutdown(self) -> None:
        """Stop serving and release the port."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_in_thread(wsgi_app: Any, host: str = "127.0.0.1", port: int = 0) -> ServerHandle:
    """Serve `wsgi_app` on host:port (0 = a free port) from a daemon thread."""
    server = make_server(host, port, wsgi_app, threaded=True)
    # A short poll interval makes shutdown() return quickly (tests start and stop many servers).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"emulator:{server.port}"
    )
    thread.daemon = True
    thread.start()
    return ServerHandle(server=server, thread=thread, host=host, port=server.port)


def run_cli(
    create_app: Callable[..., Any],
    name: str,
    default_port: int,
    *,
    templates: list[str] | None = None,
) -> None:
    """Parse --host/--port (and --template when `templates` is given) and serve in the
    foreground; the template name is passed as create_app(template=...)."""
    parser = argparse.ArgumentParser(prog=f"python -m emulators.{name}", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=default_port)
    if templates:
        parser.add_argument("--template", choices=templates, default=None)
    args = parser.parse_args()
    app = create_app(template=args.template) if templates else create_app()
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)
