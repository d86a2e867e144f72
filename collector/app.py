"""The application factory. Nothing connects or reads the environment at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount

from collector.db.engine import build_engine
from collector.delivery import endpoints as delivery_endpoints
from collector.errors import EXCEPTION_HANDLERS
from collector.events import endpoints as event_endpoints
from collector.experiences import endpoints as experience_endpoints
from collector.http import openapi
from collector.http.state import AppState
from collector.ingest import endpoints as ingest_endpoints
from collector.ops import health
from collector.persons import endpoints as person_endpoints
from collector.projects import endpoints as project_endpoints
from collector.responses import endpoints as response_endpoints
from collector.settings import Settings


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


def create_app(settings: Settings) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[AppState]:
        engine = build_engine(settings.database_url, pool_size=settings.db_pool_size)
        try:
            yield {"settings": settings, "engine": engine}
        finally:
            engine.dispose()

    routes = [
        *health.routes,
        Mount(
            "/v1",
            routes=[*ingest_endpoints.routes, *delivery_endpoints.sdk_routes],
            middleware=[_browser_cors(settings)],
        ),
        Mount(
            "/api/v1",
            routes=[
                *event_endpoints.routes,
                *experience_endpoints.routes,
                *response_endpoints.routes,
                *delivery_endpoints.admin_routes,
                *person_endpoints.routes,
                *project_endpoints.routes,
            ],
        ),
        openapi.route,
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
    )
