"""The demo SaaS app: three static pages that embed the Waypost SDK.

It plays the customer's own web app, on its own origin beside the collector. The pages
load the SDK from the collector (``/sdk/waypost.js``), which loads the widgets from
``/sdk/widgets/``; ``/config.js`` hands them the collector's address and the demo project's
write key, read from the keys file ``waypost demo`` writes.

    python -m examples.demo_saas.server --collector http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PAGES = {"/": "index.html", "/reports": "reports.html", "/team": "team.html"}
TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}


class DemoApp:
    """The app's files and the settings its pages read from ``/config.js``."""

    def __init__(self, *, collector: str, write_key: str, widgets_base: str | None = None) -> None:
        self.config: dict[str, Any] = {"collector": collector.rstrip("/"), "writeKey": write_key}
        if widgets_base:
            self.config["widgetsBase"] = widgets_base

    def answer(self, path: str) -> tuple[int, str, bytes]:
        """Status, media type and body for a GET of ``path``."""
        if path == "/config.js":
            body = f"window.DEMO_CONFIG = {json.dumps(self.config)};\n"
            return 200, "text/javascript", body.encode()
        name = PAGES.get(path) or (path.removeprefix("/") if path.startswith("/static/") else "")
        found = (HERE / name).resolve() if name else None
        if found is None or not found.is_relative_to(HERE) or not found.is_file():
            return 404, "text/plain", b"not found"
        return 200, TYPES.get(found.suffix, "application/octet-stream"), found.read_bytes()


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, app: DemoApp, *args: Any) -> None:
        self.app = app
        super().__init__(*args)

    def do_GET(self) -> None:
        status, kind, body = self.app.answer(self.path.split("?")[0])
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the collector's log is the one worth reading."""


def serve(app: DemoApp, host: str = "127.0.0.1", port: int = 8001) -> ThreadingHTTPServer:
    """Start serving ``app`` in a background thread; ``shutdown()`` the result to stop."""
    server = ThreadingHTTPServer((host, port), partial(_Handler, app))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serving(app: DemoApp) -> Iterator[str]:
    """``app`` on a free loopback port for a block: yields its base URL."""
    server = serve(app, port=0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collector", default="http://127.0.0.1:8000", help="collector URL")
    parser.add_argument("--keys", default="var/demo-project.json", help="waypost demo keys file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    if not Path(args.keys).is_file():
        parser.error(f"{args.keys} does not exist: run `waypost demo` first")
    keys = json.loads(Path(args.keys).read_text())
    app = DemoApp(collector=args.collector, write_key=keys["write_key"])
    server = ThreadingHTTPServer((args.host, args.port), partial(_Handler, app))
    print(f"demo app on http://{args.host}:{args.port}/ (collector {args.collector})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
