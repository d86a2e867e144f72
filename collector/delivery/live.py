"""Each project's live experiences as delivery decides on them, kept by each process.

Every ``GET /v1/flows`` decides on all of a project's live experiences. Reading and parsing
their definitions, checking their audience rules, ordering them and resolving their texts
cost more than everything else the request does, and they change only when someone edits
them (or the project's settings) through the admin API. So each app keeps them per
project, in its lifespan state (``DeliveryState``), with each experience's content
resolved for each locale the first time it is asked for.

Kept, but never trusted: every request reads the project's settings and its experiences'
stamp (how many there are and when one last changed, ``Statements.experiences_stamp``) in
the statement
that reads the person, and when either differs from what is kept, the experiences are read
again before deciding. An edit is therefore seen by the very next request, in every worker.
The stamp relies on ``updated_at``, which an edit made while the clock had stepped back
could leave unchanged: an entry is also read again once it is ``MAX_AGE_SECONDS`` old.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, TypedDict, cast

from sqlalchemy.engine.interfaces import DBAPICursor
from starlette.requests import HTTPConnection

from collector.delivery.loading import moment, spelt
from collector.experiences.localization import localize
from collector.kit.db.backends import Backend, Statements
from collector.kit.db.base import json_serializer
from collector.kit.project_settings import DEFAULTS, ProjectSettings
from collector.targeting.candidates import Candidate
from collector.targeting.rules import Audience

MAX_AGE_SECONDS = 60.0
MAX_PROJECTS = 1000
MAX_CONTENTS = 2000
"""Resolved contents kept per project: one per experience and locale asked for."""
SERVER_ONLY = ("audience", "throttle")
"""Definition parts the browser never receives: who is targeted is the customer's business."""

_READ = (
    "SELECT st.stamp, p.settings, x.id, x.kind, x.type, x.name, x.version, x.priority,"
    " x.definition, x.updated_at FROM projects AS p CROSS JOIN (SELECT {stamp} AS stamp) AS st"
    " LEFT JOIN experiences AS x ON x.project_id = p.id AND x.status = 'live'"
    " WHERE p.id = {project}"
)


@dataclass(frozen=True, slots=True)
class Experience:
    id: uuid.UUID
    kind: str
    type: str
    name: str
    version: int
    priority: int
    definition: Mapping[str, Any]
    updated_at: datetime
    """When it went live or was last changed: how recent a resource center finds it."""


class Live:
    """One project's live experiences and settings, as read when the stamp was ``stamp``."""

    def __init__(
        self, stamp: str, settings: ProjectSettings, experiences: list[Experience]
    ) -> None:
        self.stamp = stamp
        self.settings = settings
        self.read_at = time.monotonic()
        self.throttle = settings.throttle
        self.impressions_window = timedelta(days=max(1, self.throttle.survey_gap_days or 0))
        """How far back the impressions that the project's caps count go."""
        self.experiences = {experience.id: experience for experience in experiences}
        self.candidates = tuple(
            sorted(map(_candidate, experiences), key=lambda c: (-c.priority, c.id))
        )
        """Without history, highest priority first, each audience already checked."""
        self.positions = {candidate.id: n for n, candidate in enumerate(self.candidates)}
        self.events = json_serializer(sorted(_events_in_rules(experiences)))
        """The events whose counters the audience rules read, as a JSON array."""
        self._contents: dict[tuple[uuid.UUID, str | None], dict[str, Any]] = {}

    def content(self, experience_id: uuid.UUID, locale: str | None) -> dict[str, Any]:
        """What the browser receives of an experience in ``locale``, but its progress.

        Kept and shared between requests: copy it before changing it.
        """
        key = (experience_id, locale)
        content = self._contents.get(key)
        if content is None:
            content = _content(self.experiences[experience_id], locale)
            if len(self._contents) < MAX_CONTENTS:
                self._contents[key] = content
        return content


def _candidate(experience: Experience) -> Candidate:
    return Candidate(
        id=experience.id,
        kind="flow" if experience.kind == "flow" else "survey",
        type=experience.type,
        priority=experience.priority,
        definition=experience.definition,
        audience=Audience.of(experience.definition.get("audience")),
    )


def _events_in_rules(experiences: list[Experience]) -> set[str]:
    names = set()
    for experience in experiences:
        audience = experience.definition.get("audience") or {}
        for rule in audience.get("rules") or ():
            if (
                isinstance(rule, dict)
                and rule.get("type") == "event"
                and isinstance(rule.get("event"), str)
            ):
                names.add(rule["event"])
    return names


def _content(experience: Experience, locale: str | None) -> dict[str, Any]:
    content = localize(experience.definition, experience.kind, locale)
    for key in SERVER_ONLY:
        content.pop(key, None)
    return {
        "id": experience.id,
        "type": experience.type,
        "name": experience.name,
        "version": experience.version,
        "priority": experience.priority,
        **content,
    }


class LiveCache:
    """The kept ``Live`` of each project; reads and replacements may come from any thread."""

    def __init__(self) -> None:
        self._kept: dict[uuid.UUID, Live] = {}
        self._lock = threading.Lock()

    def get(self, project_id: uuid.UUID) -> Live | None:
        """The kept experiences, unless there are none or they are too old to trust."""
        live = self._kept.get(project_id)
        if live is None or time.monotonic() - live.read_at > MAX_AGE_SECONDS:
            return None
        return live

    def read(self, cursor: DBAPICursor, backend: Backend, project_id: uuid.UUID) -> Live:
        """Read the project's live experiences and settings, and keep them."""
        live = _read(cursor, backend, project_id)
        with self._lock:
            self._kept.pop(project_id, None)
            while len(self._kept) >= MAX_PROJECTS:
                self._kept.pop(next(iter(self._kept)))
            self._kept[project_id] = live
        return live


class DeliveryState(TypedDict):
    """What delivery keeps in the app's lifespan state, beside the kit's ``AppState``."""

    live_experiences: LiveCache


def live_experiences_of(connection: HTTPConnection) -> LiveCache:
    return cast(DeliveryState, connection.scope["state"])["live_experiences"]


@cache
def _statement(sql: Statements) -> str:
    return spelt(sql, _READ.format(stamp=sql.experiences_stamp, project="{project}"))


def _read(cursor: DBAPICursor, backend: Backend, project_id: uuid.UUID) -> Live:
    values = backend.values
    cursor.execute(_statement(backend.sql), {"project": values.bind_uuid(project_id)})
    rows = cursor.fetchall()
    if not rows:  # no such project: nothing is live, and its keys are refused
        return Live("", DEFAULTS, [])
    experiences = [
        Experience(
            id=values.read_uuid(id_),
            kind=kind,
            type=type_,
            name=name,
            version=version,
            priority=priority,
            definition=values.read_json(definition),
            updated_at=moment(updated_at),
        )
        for _, _, id_, kind, type_, name, version, priority, definition, updated_at in rows
        if id_ is not None
    ]
    stamp, settings = rows[0][0], rows[0][1]
    return Live(stamp, ProjectSettings.from_stored(values.read_json(settings)), experiences)
