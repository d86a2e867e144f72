"""``GET /sdk/…``: the browser SDK's script and module, and the widgets add-on.

Module scripts are fetched with CORS, and the add-on is ``import()``-ed from the customer's
own origin, so every file is answered with ``Access-Control-Allow-Origin: *``; they are
public and carry no credentials.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from collector.kit.errors import NotFound
from collector.kit.http.answers import Answer
from collector.kit.http.openapi import Auth, Operation, OperationRoute, route
from collector.sdkfiles.files import (
    MEDIA_TYPES,
    Directories,
    Served,
    core_file,
    locate,
    widget_file,
)


def _answer(served: Served | None, name: str, build: str) -> Response:
    if served is None:
        raise NotFound(f"no browser SDK file is named {name!r}")
    if not served.path.is_file():
        raise NotFound(f"{name} is not built; run `make` (or `npm run build` in {build})")
    headers = {"Cache-Control": served.cache_control, "Access-Control-Allow-Origin": "*"}
    # The bundles carry no sourceMappingURL comment (bytes every visitor would download);
    # developer tools find the map through this header instead.
    if served.path.with_name(served.path.name + ".map").is_file():
        headers["SourceMap"] = name.rsplit("/", 1)[-1] + ".map"
    return FileResponse(served.path, media_type=MEDIA_TYPES[served.path.suffix], headers=headers)


_file = Answer(description="the file (JavaScript, CSS or a source map)", media=("text/javascript",))


def build_routes(directories: Directories) -> list[OperationRoute]:
    """The routes serving the files of ``directories`` (tests point them at their own)."""

    async def core(request: Request) -> Response:
        name = request.path_params["name"]
        return _answer(core_file(directories, name), name, "sdk/js")

    async def widgets(request: Request) -> Response:
        path = request.path_params["path"]
        return _answer(widget_file(directories, path), f"widgets/{path}", "widgets")

    return [
        route(
            "/sdk/widgets/{path:path}",
            widgets,
            name="sdk_widgets",
            get=Operation(
                "The widgets add-on the SDK loads when an experience is due: tour.js, "
                "checklist.js, survey.js, widgets.css…",
                Auth.NONE,
                _file,
                errors=(404,),
            ),
        ),
        route(
            "/sdk/{name}",
            core,
            name="sdk_core",
            get=Operation(
                "The browser SDK: waypost.js (script), waypost.mjs (module), their .map, or "
                "waypost-<version>.js and .mjs (cached for a year)",
                Auth.NONE,
                _file,
                errors=(404,),
            ),
        ),
    ]


routes = build_routes(locate())
