"""A build directory of the browser files in a temporary folder, served by the real routes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from collector.kit.http.error_handlers import EXCEPTION_HANDLERS
from collector.sdkfiles.endpoints import build_routes
from collector.sdkfiles.files import Directories, locate

CORE = b"(()=>{window.waypost={}})();"


@pytest.fixture
def built(tmp_path: Path) -> Directories:
    """A checkout whose core (version 1.2.3) and widgets add-on are built."""
    directories = locate(tmp_path)
    directories.sdk.mkdir(parents=True)
    directories.widgets.mkdir(parents=True)
    directories.package_json.write_text('{"name": "@waypost/browser", "version": "1.2.3"}')
    for name in ("waypost.js", "waypost.mjs", "waypost.js.map"):
        (directories.sdk / name).write_bytes(CORE)
    (directories.widgets / "survey.js").write_text("export function mount() {}")
    (directories.widgets / "widgets.css").write_text(".wp-root {}")
    return directories


@pytest.fixture
def files_client(built: Directories) -> Iterator[TestClient]:
    app = Starlette(routes=build_routes(built), exception_handlers=EXCEPTION_HANDLERS)
    with TestClient(app) as client:
        yield client
