"""The application factory. Nothing connects or reads the environment at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.authentication import AuthenticationBackend
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount

from collector import __version__
from collector.analytics import endpoints as analytics_endpoints
from collector.analytics.accounts import endpoints as account_endpoints
from collector.analytics.events import endpoints as event_endpoints
from collector.analytics.flows import endpoints as onboarding_endpoints
from collector.analytics.persons import endpoints as person_endpoints
from collector.analytics.responses import endpoints as response_endpoints
from collector.analytics.surveys import endpoints as survey_endpoints
from collector.audit import endpoints as audit_endpoints
from collector.audit.middleware import AuditMiddleware
from collector.dashboard import endpoints as dashboard_endpoints
from collector.delivery import endpoints as delivery_endpoints
from collector.delivery.live import DeliveryState, LiveCache
from collector.experiences import endpoints as experience_endpoints
from collector.ingest import endpoints as ingest_endpoints
from collector.kit.auth.cache import KeyOwners, ProjectSettingsCache
from collector.kit.db.engine import build_engine
from collector.kit.http.authentication import (
    Backends,
    BodyKeyMiddleware,
    SecretKeyBackend,
    SessionBackend,
    WriteKeyBackend,
)
from collector.kit.http.error_handlers import EXCEPTION_HANDLERS
from collector.kit.http.faults import FAULT_HANDLERS
from collector.kit.http.openapi import build_document, openapi_route
from collector.kit.http.requests import RequestMiddleware
from collector.kit.http.state import AppState
from collector.kit.settings import Settings
from collector.ops import endpoints as ops_endpoints
from collector.ops import health
from collector.privacy import endpoints as privacy_endpoints
from collector.projects import endpoints as project_endpoints
from collector.ratelimit.middleware import GuardMiddleware, admin_guard, sdk_guard
from collector.sdkfiles import endpoints as sdkfiles_endpoints
from collector.webhooks import endpoints as webhook_endpoints
from collector.worker import serve_jobs


def _browser_cors(settings: Settings) -> Middleware:
    """Browsers call the ingestion routes from the customer's own origin."""
    return Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=[
            "authorization",
            "content-type",
            "content-encoding",
            delivery_endpoints.IDENTITY_HASH_HEADER,
        ],
        max_age=86400,
    )


class ServingState(AppState, DeliveryState):
    """What the app holds while it serves: the kit's state and what delivery keeps."""


def _authentication(*backends: AuthenticationBackend) -> Middleware:
    """The caller of each request, in ``request.auth`` before the guards and the routes."""
    return Middleware(AuthenticationMiddleware, backend=Backends(*backends))


TITLE = "Waypost collector"


def build_routes(settings: Settings) -> list[BaseRoute]:
    """Every route, ``/openapi.json`` included, with the middleware of each mount."""
    routes: list[BaseRoute] = [
        *health.routes,
        Mount(
            "/v1",
            routes=[*ingest_endpoints.routes, *delivery_endpoints.sdk_routes],
            middleware=[
                _browser_cors(settings),
                Middleware(BodyKeyMiddleware, limits=ingest_endpoints.BODY_LIMITS),
                _authentication(WriteKeyBackend()),
                Middleware(GuardMiddleware, guard=sdk_guard),
            ],
        ),
        Mount(
            "/api/v1",
            routes=[
                *event_endpoints.routes,
                *experience_endpoints.routes,
                *response_endpoints.routes,
                *delivery_endpoints.admin_routes,
                *privacy_endpoints.routes,
                *person_endpoints.routes,
                *audit_endpoints.routes,
                *project_endpoints.routes,
                *survey_endpoints.routes,
                *analytics_endpoints.routes,
                *account_endpoints.routes,
                *onboarding_endpoints.routes,
                *webhook_endpoints.routes,
            ],
            middleware=[
                _authentication(SecretKeyBackend(), SessionBackend()),
                Middleware(GuardMiddleware, guard=admin_guard),
                Middleware(AuditMiddleware),
            ],
        ),
        *ops_endpoints.routes,
        *dashboard_endpoints.routes,
        *sdkfiles_endpoints.routes,
    ]
    routes.append(openapi_route(routes, title=TITLE, version=__version__))
    return routes


def openapi_document(settings: Settings) -> dict[str, Any]:
    """The document ``/openapi.json`` answers, without a server."""
    return build_document(build_routes(settings), title=TITLE, version=__version__)


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[ServingState]:
        engine = build_engine(settings.database_url, pool_size=settings.db_pool_size)
        try:
            async with serve_jobs(settings, engine):
                yield ServingState(
                    settings=settings,
                    engine=engine,
                    key_owners=KeyOwners(engine),
                    project_settings=ProjectSettingsCache(engine),
                    live_experiences=LiveCache(),
                )
        finally:
            engine.dispose()

    return Starlette(
        routes=build_routes(settings),
        lifespan=lifespan,
        exception_handlers={**EXCEPTION_HANDLERS, **FAULT_HANDLERS},
        middleware=[Middleware(RequestMiddleware)],
    )
