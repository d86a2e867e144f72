"""``/dashboard``: the web app's page and assets, and its sign-in API.

``POST /dashboard/api/session`` signs in with email and password and sets the session
cookie (HttpOnly, SameSite=Lax, Secure over HTTPS); ``GET`` tells the web app who is
signed in and hands it the CSRF token; ``DELETE`` signs out. Everything else the web app
shows comes from the public API, with the session standing in for the secret key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, fields, validate
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from collector.dashboard.schemas import DashboardSessionSchema
from collector.dashboard.service import (
    current_view,
    require_session,
    sign_in,
    sign_out,
)
from collector.dashboard.users import MAX_EMAIL_LENGTH
from collector.kit.auth.access import check_csrf
from collector.kit.auth.passwords import MAX_PASSWORD_LENGTH
from collector.kit.auth.sessions import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    SessionRequired,
    sign_token,
)
from collector.kit.errors import (
    Forbidden,
    NotFound,
    UnsupportedMediaType,
    WaypostError,
)
from collector.kit.http.answers import Answer
from collector.kit.http.authentication import session_token
from collector.kit.http.body import JsonBody
from collector.kit.http.openapi import Auth, Operation, route
from collector.kit.http.state import engine_of, settings_of

DIST = Path(__file__).resolve().parents[2] / "dashboard" / "dist"
"""Where ``npm run build`` in ``dashboard/`` writes the web app."""
MAX_SIGN_IN_BYTES = 4 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class DashboardNotBuilt(WaypostError):
    status = 503
    code = "dashboard_not_built"


class SignInSchema(Schema):
    class Meta:
        unknown = RAISE

    email = fields.String(required=True, validate=validate.Length(min=1, max=MAX_EMAIL_LENGTH))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=MAX_PASSWORD_LENGTH)
    )


_sign_in = JsonBody(SignInSchema, limit=MAX_SIGN_IN_BYTES, invalid="invalid sign-in")
_session = Answer(DashboardSessionSchema, description="who is signed in")
_signed_out = Answer(status=204, description="signed out", media=())
_page = Answer(description="the page", media=("text/html",))


class Assets(StaticFiles):
    """The built scripts and styles; a clear 503 rather than a crash when not built yet."""

    async def check_config(self) -> None:
        if not (DIST / "assets").is_dir():
            raise DashboardNotBuilt("the dashboard is not built; run `make dashboard`")


async def page(request: Request) -> Response:
    """The web app's one HTML page, for every path under ``/dashboard`` it routes itself."""
    if request.path_params.get("page", "").startswith(("api/", "assets/")):
        raise NotFound(f"no such path: {request.url.path}")
    index = DIST / "index.html"
    if not index.is_file():
        raise DashboardNotBuilt("the dashboard is not built; run `make dashboard`")
    return FileResponse(index, headers=PAGE_HEADERS, media_type="text/html")


def _check_same_origin(request: Request) -> None:
    """Sign-in takes JSON only, from this origin: no other site can sign a browser in."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType("send the sign-in as application/json")
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin is not None and origin != own:
        raise Forbidden("sign-in from another site is refused", fields={"Origin": [origin]})


async def _credentials(request: Request) -> dict[str, Any]:
    _check_same_origin(request)
    return await _sign_in.load(request)


def _set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        sign_token(str(settings_of(request).signing_secret), token),
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


async def create_session(request: Request) -> Response:
    credentials = await _credentials(request)
    address = request.client.host if request.client else "unknown"
    signed_in = await run_in_threadpool(
        sign_in,
        engine_of(request),
        credentials["email"],
        credentials["password"],
        address,
        now=datetime.now(UTC),
    )
    response = _session.render(signed_in.view, headers={"cache-control": "no-store"})
    _set_cookie(request, response, signed_in.token)
    return response


async def read_session(request: Request) -> Response:
    view = await run_in_threadpool(
        current_view, engine_of(request), session_token(request), now=datetime.now(UTC)
    )
    return _session.render(view, headers={"cache-control": "no-store"})


async def delete_session(request: Request) -> Response:
    engine = engine_of(request)
    token = session_token(request)
    if token is None:
        raise SessionRequired("not signed in")
    session = await run_in_threadpool(require_session, engine, token, now=datetime.now(UTC))
    check_csrf(request, session.csrf_token)
    await run_in_threadpool(sign_out, engine, token, now=datetime.now(UTC))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


routes: list[BaseRoute] = [
    route(
        "/dashboard/api/session",
        read_session,
        name="dashboard_session",
        get=Operation(
            "The signed-in dashboard user, their projects and CSRF token", Auth.SESSION, _session
        ),
    ),
    route(
        "/dashboard/api/session",
        create_session,
        name="dashboard_sign_in",
        post=Operation(
            "Sign in to the dashboard; sets the session cookie",
            Auth.NONE,
            _session,
            body=_sign_in,
            errors=(401, 403, 429),
        ),
    ),
    route(
        "/dashboard/api/session",
        delete_session,
        name="dashboard_sign_out",
        delete=Operation("Sign out (needs X-CSRF-Token)", Auth.SESSION, _signed_out, errors=(403,)),
    ),
    Mount(
        "/dashboard/assets",
        app=Assets(directory=DIST / "assets", check_dir=False),
        name="dashboard_assets",
    ),
    route(
        "/dashboard",
        page,
        name="dashboard",
        get=Operation("The dashboard web app", Auth.NONE, _page, errors=(404, 503)),
    ),
    route(
        "/dashboard/{page:path}",
        page,
        name="dashboard_page",
        get=Operation(
            "The dashboard web app, opened at one of its pages",
            Auth.NONE,
            _page,
            errors=(404, 503),
        ),
    ),
]
