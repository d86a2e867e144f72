"""Errors rendered in the one JSON envelope: ours, Starlette's own 404/405, a client that
hung up, and anything unexpected (logged, answered 500 without details)."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from collector.kit.errors import BadRequest, ClientDisconnected, NotFound, WaypostError
from collector.kit.http.responses import JSONResponse

logger = logging.getLogger("waypost.errors")


def render(error: WaypostError) -> Response:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def handle_waypost_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WaypostError)
    return render(exc)


_HTTP_CODES = {404: NotFound, 405: BadRequest}


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 answers, in our envelope."""
    assert isinstance(exc, HTTPException)
    error_class = _HTTP_CODES.get(exc.status_code, WaypostError)
    error = error_class(str(exc.detail), headers=exc.headers)
    error.status = exc.status_code
    if exc.status_code == 405:
        error.code = "method_not_allowed"
    return render(error)


async def handle_client_disconnect(request: Request, exc: Exception) -> Response:
    logger.info("client disconnected during %s %s", request.method, request.url.path)
    return render(ClientDisconnected("the client disconnected before sending its whole body"))


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return render(WaypostError("internal error; the request was not processed"))


EXCEPTION_HANDLERS = {
    WaypostError: handle_waypost_error,
    HTTPException: handle_http_exception,
    ClientDisconnect: handle_client_disconnect,
    Exception: handle_unexpected,
}
