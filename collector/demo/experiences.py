"""The experiences the demo SaaS app (``examples/demo_saas``) shows: an onboarding tour
across its dashboard and reports pages, a checklist its buttons complete, and an NPS survey
on its team page. Created once, with the project's caps lifted so that one visit shows all
three (a real project keeps the defaults: one new experience per session)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from collector.experiences.schemas import Kind
from collector.experiences.service import create_experience, list_experiences
from collector.kit.db.engine import write_transaction
from collector.projects.service import update_settings

DEMO_TOUR: dict[str, Any] = {
    "name": "Welcome tour",
    "type": "tour",
    "priority": 30,
    "trigger": {"type": "page_load"},
    "steps": [
        {
            "id": "welcome",
            "url": "/",
            "target": None,
            "title": {"en": "Welcome to Acme Analytics", "he": "ברוכים הבאים ל-Acme Analytics"},
            "body": {"en": "A one-minute tour of what matters.", "he": "סיור של דקה במה שחשוב."},
        },
        {
            "id": "new-report",
            "url": "/",
            "target": "#new-report",
            "placement": "bottom",
            "title": {"en": "Create a report", "he": "יצירת דוח"},
            "body": {"en": "Every chart starts here.", "he": "כל תרשים מתחיל כאן."},
        },
        {
            "id": "reports",
            "url": "/reports",
            "target": "#report-list",
            "placement": "top",
            "title": {"en": "Your reports", "he": "הדוחות שלך"},
            "body": {
                "en": "Everything you create is listed here.",
                "he": "כל מה שתיצרו מופיע כאן.",
            },
        },
        {
            "id": "share",
            "url": "/reports",
            "target": "#share-report",
            "placement": "end",
            "title": {"en": "Share it", "he": "שתפו"},
            "body": {"en": "Send a report to your team.", "he": "שלחו דוח לצוות."},
        },
    ],
}
DEMO_CHECKLIST: dict[str, Any] = {
    "name": "Get started",
    "type": "checklist",
    "priority": 20,
    "items": [
        {"id": "create", "title": "Create a report", "completed_by": {"event": "Report Created"}},
        {"id": "share", "title": "Share a report", "completed_by": {"event": "Report Shared"}},
        {
            "id": "invite",
            "title": "Invite a teammate",
            "completed_by": {"event": "Teammate Invited"},
        },
        {"id": "guide", "title": "Read the guide", "description": "Tick it yourself"},
    ],
    "completion_message": "You are all set up. Thank you!",
}
DEMO_NPS: dict[str, Any] = {
    "name": "NPS",
    "type": "nps",
    "priority": 40,
    "trigger": {"type": "page_load", "url": "/team"},
    "follow_up": {
        "detractor": "What should we fix first?",
        "passive": "What would make it a 10?",
        "promoter": "What do you like most?",
    },
}


def seed_demo_experiences(engine: Engine, project_id: uuid.UUID, *, now: datetime) -> None:
    """Create the demo app's tour, checklist and NPS survey unless the project has them."""
    wanted: list[tuple[Kind, dict[str, Any]]] = [
        ("flow", DEMO_TOUR),
        ("flow", DEMO_CHECKLIST),
        ("survey", DEMO_NPS),
    ]
    names = {
        (kind, experience["name"])
        for kind in ("flow", "survey")
        for experience in list_experiences(engine, project_id, kind)
    }
    for kind, body in wanted:
        if (kind, body["name"]) not in names:
            create_experience(engine, project_id, kind, body, now=now)
    with write_transaction(engine) as connection:
        throttle = {"max_per_session": None, "survey_gap_days": None}
        update_settings(connection, project_id, {"throttle": throttle})
