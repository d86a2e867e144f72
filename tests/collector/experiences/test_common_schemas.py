"""Fields every flow and survey has: name, status, priority, locale, audience, trigger,
throttle and theme; each refusal names its field."""

from __future__ import annotations

from typing import Any

import pytest

from collector.experiences.schemas import load_experience
from tests.collector.experiences.helpers import assert_refused_at, refusal
from tests.factories import nps, tour

PLAN_RULE = {"type": "trait", "name": "plan", "op": "in", "value": ["pro", "enterprise"]}
DOC_AUDIENCE = {
    "rules": [
        PLAN_RULE,
        {"type": "account_trait", "name": "size", "op": "gte", "value": 50},
        {
            "type": "event",
            "event": "Report Created",
            "op": "did",
            "min_count": 3,
            "within_days": 30,
        },
        {"type": "event", "event": "Invited Teammate", "op": "did_not"},
        {"type": "first_seen", "min_days": 7, "max_days": 90},
        {"type": "url", "pattern": "/app/*"},
        {"type": "locale", "in": ["en", "he"]},
    ],
    "sample_percent": 25,
}

REFUSALS = [
    pytest.param(nps(status="deleted"), "status", "one of", id="unknown status"),
    pytest.param(nps(priority="1"), "priority", "integer", id="string priority"),
    pytest.param(nps(priority=1.5), "priority", "integer", id="fractional priority"),
    pytest.param(nps(priority=True), "priority", "integer", id="boolean priority"),
    pytest.param(nps(priority=10**7), "priority", "less than", id="huge priority"),
    pytest.param(nps(name=5), "name", "string", id="numeric name"),
    pytest.param(nps(default_locale="english"), "default_locale", "locale tag", id="english"),
    pytest.param(
        nps(default_locale="he", question={"en": "Hi?"}),
        "question",
        "default locale 'he'",
        id="texts without the default locale",
    ),
    pytest.param(nps(audience=[]), "audience._schema", "Invalid input", id="audience list"),
    pytest.param(nps(audience={"rules": {}}), "audience.rules", "list", id="rules object"),
    pytest.param(nps(audience={"rules": [5]}), "audience.rules.0", "mapping", id="rule number"),
    pytest.param(
        nps(audience={"rules": [{**PLAN_RULE, "op": "like"}]}),
        "audience.rules.0.op",
        "must be one of",
        id="unknown trait operator",
    ),
    pytest.param(
        nps(audience={"rules": [{"type": "cohort"}]}),
        "audience.rules.0.type",
        "must be one of",
        id="unknown rule type",
    ),
    pytest.param(
        nps(audience={"rules": [{"type": "url", "pattern": "app/*"}]}),
        "audience.rules.0.pattern",
        "start with",
        id="url rule without slash",
    ),
    pytest.param(
        nps(audience={"sample_percent": 101}), "audience.sample_percent", "100", id="101%"
    ),
    pytest.param(nps(audience={"sample_percent": -1}), "audience.sample_percent", "0", id="-1%"),
    pytest.param(
        nps(audience={"sample_percent": "25"}), "audience.sample_percent", "number", id="'25'"
    ),
    pytest.param(
        nps(audience={"sample_percent": True}), "audience.sample_percent", "number", id="true%"
    ),
    pytest.param(nps(audience={"segment": "vip"}), "audience.segment", "Unknown", id="segment"),
    pytest.param(nps(trigger="page_load"), "trigger", "object", id="trigger string"),
    pytest.param(nps(trigger={}), "trigger.type", "must be one of", id="trigger without type"),
    pytest.param(nps(trigger={"type": "scroll"}), "trigger.type", "page_load", id="scroll"),
    pytest.param(
        nps(trigger={"type": "page_load", "url": "dashboard"}),
        "trigger.url",
        "start with",
        id="page pattern without slash",
    ),
    pytest.param(nps(trigger={"type": "event"}), "trigger.event", "Missing", id="no event"),
    pytest.param(
        nps(trigger={"type": "event", "event": ""}), "trigger.event", "between", id="empty event"
    ),
    pytest.param(nps(trigger={"type": "delay"}), "trigger.seconds", "Missing", id="no delay"),
    pytest.param(
        nps(trigger={"type": "delay", "seconds": 3601}), "trigger.seconds", "3600", id="3601 s"
    ),
    pytest.param(nps(trigger={"type": "delay", "seconds": -1}), "trigger.seconds", "0", id="-1 s"),
    pytest.param(
        nps(trigger={"type": "delay", "seconds": "30"}), "trigger.seconds", "integer", id="'30'"
    ),
    pytest.param(
        nps(trigger={"type": "manual", "url": "/a"}), "trigger.url", "Unknown", id="manual url"
    ),
    pytest.param(
        tour(throttle={"max_dismissals": 0}),
        "throttle.max_dismissals",
        "greater",
        id="zero dismissals",
    ),
    pytest.param(
        tour(throttle={"show_once": "true"}), "throttle.show_once", "true or false", id="'true'"
    ),
    pytest.param(tour(throttle={"show_once": 1}), "throttle.show_once", "true or", id="1"),
    pytest.param(nps(theme=[]), "theme", "mapping", id="theme list"),
    pytest.param(nps(theme={"Accent": "#fff"}), "theme.Accent.key", "lowercase", id="Accent"),
    pytest.param(nps(theme={"--accent!": "#fff"}), "theme.--accent!.key", "lowercase", id="!"),
    pytest.param(nps(theme={"accent": 5}), "theme.accent.value", "string", id="number value"),
    pytest.param(
        nps(theme={"accent": {"light": "#fff"}}),
        "theme.accent.value",
        "string",
        id="nested theme",
    ),
    pytest.param(nps(theme={"accent": "x" * 201}), "theme.accent.value", "200", id="long value"),
    pytest.param(nps(priorty=1), "priorty", "Unknown", id="misspelt field"),
    pytest.param(nps(id="x"), "id", "Unknown", id="id in a new body"),
]


@pytest.mark.parametrize(("body", "path", "words"), REFUSALS)
def test_common_refusal_names_the_field(body: dict[str, Any], path: str, words: str) -> None:
    assert_refused_at("survey" if body.get("type") == "nps" else "flow", body, path, words)


@pytest.mark.parametrize("character", [";", "{", "}", "<", ">", "\\", "\n"])
def test_theme_value_that_could_escape_its_declaration_is_refused(character: str) -> None:
    assert_refused_at(
        "survey", nps(theme={"accent": f"red{character}"}), "theme.accent.value", "must not"
    )


def test_refusal_names_every_wrong_field_at_once() -> None:
    fields = refusal("survey", nps(status="gone", priority="high", theme=[]))
    assert set(fields) == {"status", "priority", "theme"}


def test_non_string_type_is_refused_as_unknown() -> None:
    assert_refused_at("survey", nps(type=["nps"]), "type", "must be one of")


def test_doc_audience_is_accepted() -> None:
    assert load_experience("survey", nps(audience=DOC_AUDIENCE))["audience"] == DOC_AUDIENCE


def test_audience_defaults_to_everyone() -> None:
    assert load_experience("survey", nps())["audience"] == {"rules": [], "sample_percent": 100}


def test_audience_sample_may_be_a_fraction_of_a_percent() -> None:
    loaded = load_experience("survey", nps(audience={"sample_percent": 0.5}))
    assert loaded["audience"] == {"rules": [], "sample_percent": 0.5}


@pytest.mark.parametrize(
    "trigger",
    [
        {"type": "page_load"},
        {"type": "page_load", "url": "/dashboard*"},
        {"type": "page_load", "url": "https://app.example.com/reports/*"},
        {"type": "event", "event": "Report Created"},
        {"type": "delay", "seconds": 0},
        {"type": "delay", "seconds": 3600},
        {"type": "manual"},
    ],
    ids=["page load", "page pattern", "full url", "event", "no delay", "an hour", "manual"],
)
def test_trigger_of_the_doc_is_accepted(trigger: dict[str, Any]) -> None:
    assert load_experience("survey", nps(trigger=trigger))["trigger"] == trigger


def test_trigger_defaults_to_page_load() -> None:
    assert load_experience("flow", tour())["trigger"] == {"type": "page_load"}


def test_theme_of_the_doc_is_accepted() -> None:
    theme = {"accent": "#0b5cff", "radius": "8px", "font-family": "Inter, sans-serif"}
    assert load_experience("flow", tour(theme=theme))["theme"] == theme


def test_status_priority_and_locale_have_defaults() -> None:
    loaded = load_experience("flow", tour())
    assert (loaded["status"], loaded["priority"], loaded["default_locale"]) == ("live", 0, "en")


@pytest.mark.parametrize("status", ["draft", "live", "paused", "archived"])
def test_every_status_of_the_doc_is_accepted(status: str) -> None:
    assert load_experience("flow", tour(status=status))["status"] == status


def test_negative_priority_is_accepted() -> None:
    assert load_experience("flow", tour(priority=-5))["priority"] == -5


def test_hebrew_default_locale_takes_hebrew_strings() -> None:
    body = nps(default_locale="he", question="האם תמליצו עלינו?")
    assert load_experience("survey", body)["question"] == "האם תמליצו עלינו?"


def test_regional_default_locale_is_accepted() -> None:
    body = nps(default_locale="pt-BR", question={"pt-BR": "Recomendaria?", "en": "Recommend?"})
    assert load_experience("survey", body)["default_locale"] == "pt-BR"
