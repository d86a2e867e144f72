"""What the app holds while it runs, built by the lifespan and read by endpoints.

The caches are here rather than in modules: each app (each worker, each test's app) keeps
its own, for as long as it runs, and whatever invalidates one reaches it through the app.
"""

from __future__ import annotations

from typing import TypedDict, cast

from sqlalchemy import Engine
from starlette.requests import HTTPConnection

from collector.kit.auth.cache import KeyOwners, ProjectSettingsCache
from collector.kit.settings import Settings


class AppState(TypedDict):
    settings: Settings
    engine: Engine
    key_owners: KeyOwners
    project_settings: ProjectSettingsCache


def app_state(connection: HTTPConnection) -> AppState:
    return cast(AppState, connection.scope["state"])


def engine_of(connection: HTTPConnection) -> Engine:
    return app_state(connection)["engine"]


def settings_of(connection: HTTPConnection) -> Settings:
    return app_state(connection)["settings"]
