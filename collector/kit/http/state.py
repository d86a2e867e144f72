"""What the app holds while it runs, built by the lifespan and read by endpoints."""

from __future__ import annotations

from typing import TypedDict, cast

from sqlalchemy import Engine
from starlette.requests import Request

from collector.kit.settings import Settings


class AppState(TypedDict):
    settings: Settings
    engine: Engine


def app_state(request: Request) -> AppState:
    return cast(AppState, request.state._state)


def engine_of(request: Request) -> Engine:
    return app_state(request)["engine"]


def settings_of(request: Request) -> Settings:
    return app_state(request)["settings"]
