"""What a resource center lists besides its links: the person's recent announcements and
their checklists, with their progress.

Everything comes from what delivery has already read and decided for the request (the
project's live experiences, the person's states with them, and each one's decision), so the
lists cost no query and follow the very targeting rules that decide what is shown. Only the
project-wide caps are set aside: they limit how often a person is interrupted, and a list
the person opens interrupts nobody.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from collector.delivery.live import Live
from collector.delivery.loading import Loaded, State
from collector.targeting.candidates import Candidate
from collector.targeting.facts import Decision

RECENT = timedelta(days=30)
"""How long an announcement stays in the list after it went live or was last changed."""
MAX_ANNOUNCEMENTS = 5
LISTABLE_REASONS = frozenset({"throttled"})
"""Refusals that keep an experience off the screen but not out of the list."""


def listings(
    live: Live,
    loaded: Loaded,
    decisions: Sequence[tuple[Candidate, Decision]],
    locale: str | None,
    now: datetime,
) -> dict[str, list[dict[str, Any]]]:
    """``announcements`` (most recent first) and ``checklists`` (by priority) for this person."""
    found: dict[str, list[dict[str, Any]]] = {"announcements": [], "checklists": []}
    for candidate, decision in decisions:
        state = loaded.states.get(candidate.id)
        if candidate.type == "announcement" and _recent_announcement(live, candidate, now):
            if _allowed(decision) or _seen(state):
                found["announcements"].append(_announcement(live, candidate.id, state, locale))
        elif candidate.type == "checklist" and (_allowed(decision) or _completed(state)):
            found["checklists"].append(_checklist(live, candidate.id, state, locale))
    found["announcements"].sort(key=lambda entry: entry["published_at"], reverse=True)
    del found["announcements"][MAX_ANNOUNCEMENTS:]
    return found


def _allowed(decision: Decision) -> bool:
    return decision.eligible or decision.reason in LISTABLE_REASONS


def _recent_announcement(live: Live, candidate: Candidate, now: datetime) -> bool:
    return live.experiences[candidate.id].updated_at >= now - RECENT


def _seen(state: State | None) -> bool:
    return state is not None and state.history.shown_count > 0


def _completed(state: State | None) -> bool:
    return state is not None and state.history.status == "completed"


def _announcement(
    live: Live, experience_id: uuid.UUID, state: State | None, locale: str | None
) -> dict[str, Any]:
    content = live.content(experience_id, locale)
    steps = content.get("steps") or [{}]
    step: Mapping[str, Any] = steps[0]
    buttons: Mapping[str, Any] = step.get("buttons") or {}
    return {
        "id": experience_id,
        "title": step.get("title"),
        "body": step.get("body"),
        "cta": {"label": buttons.get("done"), "url": content.get("cta_url")},
        "published_at": live.experiences[experience_id].updated_at,
        "seen": _seen(state),
        "dismissed": state is not None and state.history.dismiss_count > 0,
    }


def _checklist(
    live: Live, experience_id: uuid.UUID, state: State | None, locale: str | None
) -> dict[str, Any]:
    content = live.content(experience_id, locale)
    completed = set(state.completed_items) if state is not None else set()
    items = [
        {"id": item.get("id"), "title": item.get("title"), "done": item.get("id") in completed}
        for item in content.get("items") or ()
    ]
    return {
        "id": experience_id,
        "title": content.get("name"),
        "items": items,
        "done": sum(item["done"] for item in items),
        "total": len(items),
    }
