"""Which limits a call meets, and the 429 that names the one it broke.

Limits are requests per second: the installation's defaults (``WAYPOST_RATE_LIMIT_*``)
unless the project sets its own (``rate_limits`` in its settings). A limit of 0 is no
limit. Buckets are per write key, per (project, client address) and per secret key (or
dashboard session); a call whose key is unknown is limited by its address alone, with
the default.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import NoReturn

from sqlalchemy import Engine

from collector.kit.auth.cache import key_project, project_settings
from collector.kit.errors import Forbidden, RateLimited
from collector.kit.http.origins import origin_allowed
from collector.kit.metrics import record_rate_limited
from collector.kit.project_settings import ProjectSettings, RateLimitName
from collector.kit.settings import Settings
from collector.ratelimit.gcra import Limit, retry_after_header
from collector.ratelimit.store import store_for

LIMIT_HEADER = "x-waypost-rate-limit"
LIMITED = {
    "write_key": "write key",
    "client_ip": "client address",
    "secret_key": "secret key or dashboard session",
}


def _digest(key: str) -> str:
    """Buckets are named by a hash: the table never holds a key."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def limit_for(
    name: RateLimitName, settings: Settings, project: ProjectSettings | None
) -> Limit | None:
    """The limit ``name`` for a project (its own, else the installation's), None if off."""
    own = None if project is None else project.rate_limits.of(name)
    rate = own or getattr(settings, f"rate_limit_{name}")
    if not rate:
        return None
    return Limit(
        name=name, rate=float(rate), burst=max(1, rate * settings.rate_limit_burst_seconds)
    )


def enforce(engine: Engine, buckets: list[tuple[str, Limit | None]]) -> None:
    """Count one request in each bucket that has a limit; 429 naming the first one over."""
    checks = [(f"{limit.name}:{bucket}", limit) for bucket, limit in buckets if limit is not None]
    decisions = store_for(engine).check_all(checks, time.time())
    for (_key, limit), decision in zip(checks, decisions, strict=True):
        if not decision.allowed:
            _refuse(limit, decision.retry_after)


def _refuse(limit: Limit, retry_after: float) -> NoReturn:
    record_rate_limited(limit.name)
    raise RateLimited(
        f"rate limit exceeded: {limit.rate:g} requests per second per {LIMITED[limit.name]}",
        fields={"limit": [limit.name]},
        headers={"Retry-After": retry_after_header(retry_after), LIMIT_HEADER: limit.name},
    )


def guard_write_key_call(
    engine: Engine,
    settings: Settings,
    key: str | None,
    client_ip: str | None,
    origin: str | None,
) -> None:
    """Rate limits and the origin allow-list of a call made with a write key (or none)."""
    project_id = key_project(engine, key, "write") if key else None
    if project_id is None:
        enforce(engine, [(f"-:{client_ip}", limit_for("client_ip", settings, None))])
        return
    project = project_settings(engine, project_id)
    if origin is not None and not origin_allowed(origin, project.allowed_origins):
        raise Forbidden(f"origin {origin!r} is not allowed to use this write key")
    enforce(
        engine,
        [
            (_digest(key or ""), limit_for("write_key", settings, project)),
            (f"{project_id}:{client_ip}", limit_for("client_ip", settings, project)),
        ],
    )


def guard_secret_key_call(engine: Engine, settings: Settings, key: str | None) -> None:
    """The rate limit of an admin call, per secret key (a missing key is not limited here)."""
    if not key:
        return
    project_id: uuid.UUID | None = key_project(engine, key, "secret")
    project = project_settings(engine, project_id) if project_id is not None else None
    enforce(engine, [(_digest(key), limit_for("secret_key", settings, project))])


def guard_session_call(
    engine: Engine, settings: Settings, cookie: str, project_header: str | None
) -> None:
    """The rate limit of an admin call made by the dashboard: per session, with the
    ``secret_key`` limit of the project it names (the route checks membership)."""
    try:
        project_id: uuid.UUID | None = uuid.UUID(project_header or "")
    except ValueError:
        project_id = None
    project = project_settings(engine, project_id) if project_id is not None else None
    enforce(engine, [(f"session:{_digest(cookie)}", limit_for("secret_key", settings, project))])
