"""Audience rules: traits, account traits, events, first seen, page URL and locale."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.targeting.facts import Decision, PageFacts, PersonFacts
from collector.targeting.rules import (
    EVENT_OPS,
    RULE_TYPES,
    TRAIT_OPS,
    audience_decision,
    rule_error,
)
from tests.collector.targeting.factories import NOW, TODAY, person

Rule = dict[str, Any]
NO_PAGE = PageFacts()


def holds(rule: Rule, who: PersonFacts, page: PageFacts = NO_PAGE) -> bool:
    return audience_decision({"rules": [rule]}, who, page, now=NOW).eligible


def trait(op: str, value: Any = None) -> Rule:
    return {"type": "trait", "name": "plan", "op": op, "value": value}


# --- traits -------------------------------------------------------------------------------

TRAIT_CASES = [
    pytest.param("pro", "eq", "pro", True, id="eq-same-string"),
    pytest.param("pro", "eq", "free", False, id="eq-other-string"),
    pytest.param(3, "eq", 3.0, True, id="eq-int-equals-float"),
    pytest.param(True, "eq", 1, False, id="eq-true-is-not-1"),
    pytest.param(1, "eq", True, False, id="eq-1-is-not-true"),
    pytest.param("10", "eq", 10, False, id="eq-string-is-not-number"),
    pytest.param("pro", "neq", "free", True, id="neq-other-value"),
    pytest.param("pro", "neq", "pro", False, id="neq-same-value"),
    pytest.param("pro", "in", ["pro", "enterprise"], True, id="in-listed"),
    pytest.param("free", "in", ["pro", "enterprise"], False, id="in-not-listed"),
    pytest.param(True, "in", [1], False, id="in-compares-like-json"),
    pytest.param("free", "not_in", ["pro"], True, id="not-in-not-listed"),
    pytest.param("pro", "not_in", ["pro"], False, id="not-in-listed"),
    pytest.param(10, "gt", 5, True, id="gt-larger"),
    pytest.param(5, "gt", 5, False, id="gt-equal"),
    pytest.param(5, "gte", 5, True, id="gte-equal"),
    pytest.param(4.5, "gte", 5, False, id="gte-smaller"),
    pytest.param(4, "lt", 5, True, id="lt-smaller"),
    pytest.param(5, "lt", 5, False, id="lt-equal"),
    pytest.param(5, "lte", 5, True, id="lte-equal"),
    pytest.param(6, "lte", 5, False, id="lte-larger"),
    pytest.param("2026-03-01", "gte", "2026-01-01", True, id="gte-iso-dates-as-strings"),
    pytest.param("10", "gte", 5, False, id="gte-string-against-number-is-false"),
    pytest.param(10, "lt", "50", False, id="lt-number-against-string-is-false"),
    pytest.param(True, "gt", 0, False, id="gt-boolean-is-not-a-number"),
    pytest.param([1, 2], "gt", 0, False, id="gt-list-is-not-comparable"),
    pytest.param("enterprise-eu", "contains", "prise", True, id="contains-substring"),
    pytest.param("enterprise", "contains", "pro", False, id="contains-missing-substring"),
    pytest.param("10", "contains", 1, False, id="contains-number-in-string-is-false"),
    pytest.param(["admin", "billing"], "contains", "admin", True, id="contains-list-member"),
    pytest.param(["admin"], "contains", "adm", False, id="contains-list-needs-whole-member"),
    pytest.param([1, 2], "contains", True, False, id="contains-list-compares-like-json"),
    pytest.param(42, "contains", 4, False, id="contains-on-a-number-is-false"),
    pytest.param("", "exists", None, True, id="exists-even-when-empty"),
    pytest.param(False, "exists", None, True, id="exists-even-when-false"),
    pytest.param("pro", "not_exists", None, False, id="not-exists-when-set"),
]


@pytest.mark.parametrize(("actual", "op", "value", "expected"), TRAIT_CASES)
def test_trait_operator(actual: Any, op: str, value: Any, expected: bool) -> None:
    assert holds(trait(op, value), person(traits={"plan": actual})) is expected


MISSING_VALUES = {
    "eq": "pro",
    "neq": "pro",
    "in": ["pro"],
    "not_in": ["pro"],
    "gt": 1,
    "gte": 1,
    "lt": 1,
    "lte": 1,
    "contains": "p",
    "exists": None,
    "not_exists": None,
}


@pytest.mark.parametrize("op", TRAIT_OPS)
@pytest.mark.parametrize(
    "traits",
    [pytest.param({}, id="absent"), pytest.param({"plan": None}, id="null")],
)
def test_missing_trait_fails_all_but_the_negative_operators(
    op: str, traits: Mapping[str, Any]
) -> None:
    expected = op in ("neq", "not_in", "not_exists")
    assert holds(trait(op, MISSING_VALUES[op]), person(traits=traits)) is expected


def test_failing_trait_rule_is_reported_as_not_in_audience() -> None:
    rule = trait("eq", "pro")
    decision = audience_decision({"rules": [rule]}, person(), NO_PAGE, now=NOW)
    assert decision == Decision.no("not_in_audience", rule=rule)


# --- account traits -----------------------------------------------------------------------


def size(op: str, value: Any = 50) -> Rule:
    return {"type": "account_trait", "name": "size", "op": op, "value": value}


@pytest.mark.parametrize(
    ("accounts", "rule", "expected"),
    [
        pytest.param([{"size": 80}], size("gte"), True, id="the-one-account-qualifies"),
        pytest.param([{"size": 10}], size("gte"), False, id="the-one-account-is-too-small"),
        pytest.param([{"size": 10}, {"size": 80}], size("gte"), True, id="any-account-qualifies"),
        pytest.param(
            [{"size": 10}, {"plan": "pro"}], size("gte"), False, id="no-account-qualifies"
        ),
        pytest.param([], size("gte"), False, id="no-account-fails-a-comparison"),
        pytest.param([], size("not_exists"), True, id="no-account-has-no-trait"),
        pytest.param([], size("neq"), True, id="no-account-passes-neq"),
        pytest.param(
            [{"size": 50}, {"size": 10}], size("neq"), True, id="neq-holds-for-some-account"
        ),
        pytest.param([{"size": 50}], size("neq"), False, id="neq-fails-for-the-only-account"),
    ],
)
def test_account_trait_holds_for_any_account(
    accounts: list[Mapping[str, Any]], rule: Rule, expected: bool
) -> None:
    assert holds(rule, person(account_traits=accounts)) is expected


def test_account_trait_ignores_the_persons_own_traits() -> None:
    assert not holds(size("gte"), person(traits={"size": 80}))


# --- events -------------------------------------------------------------------------------


def event(op: str = "did", **fields: Any) -> Rule:
    return {"type": "event", "event": "Report Created", "op": op, **fields}


def reports(*days_ago_and_counts: tuple[int, int]) -> PersonFacts:
    days = {TODAY - timedelta(days=ago): count for ago, count in days_ago_and_counts}
    return person(event_days={"Report Created": days})


@pytest.mark.parametrize(
    ("rule", "who", "expected"),
    [
        pytest.param(event(), reports((400, 1)), True, id="did-once-ever"),
        pytest.param(event(), reports(), False, id="did-never"),
        pytest.param(event(), person(event_days={"Other": {TODAY: 5}}), False, id="did-other"),
        pytest.param(event(min_count=3), reports((1, 2)), False, id="did-fewer-than-min-count"),
        pytest.param(
            event(min_count=3), reports((1, 2), (90, 1)), True, id="did-min-count-over-days"
        ),
        pytest.param(event(min_count=None), reports((1, 1)), True, id="null-min-count-is-1"),
        pytest.param(event(within_days=1), reports((0, 1)), True, id="within-1-day-is-today"),
        pytest.param(
            event(within_days=1), reports((1, 1)), False, id="within-1-day-excludes-yesterday"
        ),
        pytest.param(
            event(within_days=30), reports((29, 1)), True, id="within-includes-the-first-day"
        ),
        pytest.param(
            event(within_days=30), reports((30, 1)), False, id="within-excludes-the-day-before"
        ),
        pytest.param(
            event(within_days=30), reports((-1, 1)), False, id="within-excludes-future-days"
        ),
        pytest.param(
            event(min_count=3, within_days=30),
            reports((0, 1), (10, 1), (31, 5)),
            False,
            id="within-counts-only-the-window",
        ),
        pytest.param(event("did_not"), reports(), True, id="did-not-never-did"),
        pytest.param(event("did_not"), reports((3, 1)), False, id="did-not-but-did"),
        pytest.param(
            event("did_not", min_count=3), reports((3, 2)), True, id="did-not-fewer-than-min"
        ),
        pytest.param(
            event("did_not", within_days=7), reports((10, 4)), True, id="did-not-in-the-window"
        ),
    ],
)
def test_event_rule(rule: Rule, who: PersonFacts, expected: bool) -> None:
    assert holds(rule, who) is expected


def test_event_days_are_utc_days_even_when_now_is_not_utc() -> None:
    # 23:30 on the 24th in New York is already the 25th, today, in UTC.
    new_york_now = datetime(2026, 11, 24, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    rule = event(within_days=1)
    decision = audience_decision({"rules": [rule]}, reports((0, 1)), NO_PAGE, now=new_york_now)
    assert decision.eligible


# --- first seen ---------------------------------------------------------------------------


def first_seen(**days: Any) -> Rule:
    return {"type": "first_seen", **days}


def seen_ago(age: timedelta) -> PersonFacts:
    return person(first_seen_at=NOW - age)


@pytest.mark.parametrize(
    ("rule", "age", "expected"),
    [
        pytest.param(first_seen(min_days=7), timedelta(days=7), True, id="min-days-reached"),
        pytest.param(
            first_seen(min_days=7), timedelta(days=6, hours=23), False, id="min-days-not-yet"
        ),
        pytest.param(
            first_seen(max_days=90), timedelta(days=90, hours=23), True, id="max-days-whole-days"
        ),
        pytest.param(first_seen(max_days=90), timedelta(days=91), False, id="max-days-passed"),
        pytest.param(
            first_seen(max_days=0), timedelta(hours=20), True, id="max-0-days-is-first-24-hours"
        ),
        pytest.param(
            first_seen(min_days=7, max_days=90), timedelta(days=30), True, id="inside-the-range"
        ),
        pytest.param(
            first_seen(min_days=7, max_days=None), timedelta(days=300), True, id="null-max-is-open"
        ),
    ],
)
def test_first_seen_rule(rule: Rule, age: timedelta, expected: bool) -> None:
    assert holds(rule, seen_ago(age)) is expected


def test_first_seen_fails_for_a_person_never_seen() -> None:
    assert not holds(first_seen(max_days=90), person(first_seen_at=None))


# --- page: url and locale -----------------------------------------------------------------

APP_PAGES: Rule = {"type": "url", "pattern": "/app/*"}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("/app/reports", True, id="matching-path"),
        pytest.param("https://x.example.com/app/reports?tab=1", True, id="matching-full-url"),
        pytest.param("/settings", False, id="other-page"),
    ],
)
def test_url_rule(url: str, expected: bool) -> None:
    assert holds(APP_PAGES, person(), PageFacts(url=url)) is expected


@pytest.mark.parametrize(
    ("page", "rule"),
    [
        pytest.param(PageFacts(url="/settings"), APP_PAGES, id="other-page"),
        pytest.param(PageFacts(url=None), APP_PAGES, id="no-url-given"),
    ],
)
def test_url_rule_failure_is_wrong_page(page: PageFacts, rule: Rule) -> None:
    decision = audience_decision({"rules": [rule]}, person(), page, now=NOW)
    assert decision == Decision.no("wrong_page", rule=rule)


def locales(*tags: str) -> Rule:
    return {"type": "locale", "in": list(tags)}


@pytest.mark.parametrize(
    ("rule", "locale", "expected"),
    [
        pytest.param(locales("en", "he"), "he", True, id="language-listed"),
        pytest.param(locales("he"), "he-IL", True, id="region-of-a-listed-language"),
        pytest.param(locales("he"), "he_IL", True, id="underscore-tag"),
        pytest.param(locales("he"), "HE-il", True, id="case-insensitive"),
        pytest.param(locales("zh-Hant"), "zh-Hant-TW", True, id="script-subtag-prefix"),
        pytest.param(locales("he-IL"), "he-IL", True, id="exact-region"),
        pytest.param(locales("he-IL"), "he", False, id="language-does-not-match-a-region"),
        pytest.param(locales("he-IL"), "he-US", False, id="other-region"),
        pytest.param(locales("en"), "eng", False, id="prefix-must-end-at-a-subtag"),
        pytest.param(locales("en"), "fr-FR", False, id="other-language"),
    ],
)
def test_locale_rule(rule: Rule, locale: str, expected: bool) -> None:
    assert holds(rule, person(), PageFacts(locale=locale)) is expected


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(PageFacts(locale="fr"), id="other-locale"),
        pytest.param(PageFacts(locale=None), id="no-locale-given"),
    ],
)
def test_locale_rule_failure_is_wrong_locale(page: PageFacts) -> None:
    rule = locales("en")
    decision = audience_decision({"rules": [rule]}, person(), page, now=NOW)
    assert decision == Decision.no("wrong_locale", rule=rule)


# --- the audience as a whole --------------------------------------------------------------


@pytest.mark.parametrize(
    "audience",
    [
        pytest.param(None, id="no-audience"),
        pytest.param({}, id="no-rules-key"),
        pytest.param({"rules": None}, id="null-rules"),
        pytest.param({"rules": []}, id="empty-rules"),
        pytest.param({"sample_percent": 10}, id="only-a-sample"),
    ],
)
def test_audience_without_rules_is_everyone(audience: Mapping[str, Any] | None) -> None:
    assert audience_decision(audience, person(), NO_PAGE, now=NOW) == Decision.yes()


def test_all_rules_must_hold() -> None:
    rules = [trait("eq", "pro"), {"type": "trait", "name": "role", "op": "eq", "value": "admin"}]
    who = person(traits={"plan": "pro", "role": "admin"})
    assert audience_decision({"rules": rules}, who, NO_PAGE, now=NOW).eligible


def test_first_failing_rule_is_the_reason() -> None:
    rules = [trait("eq", "pro"), APP_PAGES, locales("he")]
    page = PageFacts(url="/settings", locale="en")
    decision = audience_decision({"rules": rules}, person(traits={"plan": "pro"}), page, now=NOW)
    assert decision == Decision.no("wrong_page", rule=APP_PAGES)


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param({"type": "trait", "name": "plan", "op": "like", "value": "p"}, id="bad-op"),
        pytest.param({"type": "url", "pattern": "app/*"}, id="bad-url-pattern"),
        pytest.param({"type": "locale", "in": []}, id="empty-locale-list"),
        pytest.param({"type": "segment", "id": 3}, id="unknown-type"),
    ],
)
def test_malformed_rule_fails_rather_than_widening_the_audience(rule: Rule) -> None:
    who = person(traits={"plan": "pro"})
    page = PageFacts(url="/app/x", locale="en")
    decision = audience_decision({"rules": [rule]}, who, page, now=NOW)
    assert decision == Decision.no("not_in_audience", rule=rule)


@pytest.mark.parametrize(
    "audience",
    [
        pytest.param({"rules": "plan = pro"}, id="rules-not-a-list"),
        pytest.param({"rules": ["plan = pro"]}, id="rule-not-an-object"),
        pytest.param(["plan = pro"], id="audience-not-an-object"),
    ],
)
def test_malformed_audience_fails_without_a_rule(audience: Any) -> None:
    decision = audience_decision(audience, person(), NO_PAGE, now=NOW)
    assert decision == Decision.no("not_in_audience")


# --- rule_error ---------------------------------------------------------------------------

VALID_RULES = [
    pytest.param(trait("in", ["pro", "enterprise"]), id="trait-in"),
    pytest.param(trait("gte", 50), id="trait-gte-number"),
    pytest.param(trait("lt", "2026-01-01"), id="trait-lt-string"),
    pytest.param(trait("eq", False), id="trait-eq-boolean"),
    pytest.param({"type": "trait", "name": "plan", "op": "exists"}, id="trait-exists-no-value"),
    pytest.param(size("gte", 50), id="account-trait"),
    pytest.param(event(min_count=3, within_days=30), id="event-with-count-and-window"),
    pytest.param(event("did_not"), id="event-did-not"),
    pytest.param(event(min_count=None, within_days=None), id="event-null-options"),
    pytest.param(first_seen(min_days=7, max_days=90), id="first-seen-range"),
    pytest.param(first_seen(min_days=0), id="first-seen-from-day-0"),
    pytest.param(first_seen(min_days=7, max_days=7), id="first-seen-one-day"),
    pytest.param(APP_PAGES, id="url"),
    pytest.param(locales("en", "he-IL"), id="locale"),
]


@pytest.mark.parametrize("rule", VALID_RULES)
def test_rule_error_accepts_documented_rules(rule: Rule) -> None:
    assert rule_error(rule) is None


TRAIT_OPS_MESSAGE = "must be one of: " + ", ".join(TRAIT_OPS)
COUNT_AT_LEAST_1 = "must be a whole number of at least 1"
COUNT_AT_LEAST_0 = "must be a whole number of at least 0"


@pytest.mark.parametrize(
    ("rule", "errors"),
    [
        pytest.param("trait", {"_schema": ["must be an object"]}, id="not-an-object"),
        pytest.param(
            {"name": "plan"}, {"type": ["must be one of: " + ", ".join(RULE_TYPES)]}, id="no-type"
        ),
        pytest.param(
            {"type": ["trait"]},
            {"type": ["must be one of: " + ", ".join(RULE_TYPES)]},
            id="type-not-a-string",
        ),
        pytest.param(
            {"type": "trait"},
            {"name": ["is required"], "op": ["is required"]},
            id="trait-missing-fields",
        ),
        pytest.param(
            {"type": "trait", "name": " ", "op": "like"},
            {"name": ["must be a non-empty string"], "op": [TRAIT_OPS_MESSAGE]},
            id="trait-blank-name-unknown-op",
        ),
        pytest.param(
            {"type": "trait", "name": "plan", "op": ["eq"]},
            {"op": [TRAIT_OPS_MESSAGE]},
            id="trait-op-not-a-string",
        ),
        pytest.param(
            {"type": "trait", "name": "plan", "op": "eq"},
            {"value": ["is required"]},
            id="trait-missing-value",
        ),
        pytest.param(
            trait("eq", None),
            {"value": ["must be a string, a number or a boolean"]},
            id="trait-eq-null",
        ),
        pytest.param(
            trait("contains", {"a": 1}),
            {"value": ["must be a string, a number or a boolean"]},
            id="trait-contains-object",
        ),
        pytest.param(
            trait("in", "pro"),
            {"value": ["must be a list of strings, numbers or booleans"]},
            id="trait-in-not-a-list",
        ),
        pytest.param(
            trait("not_in", ["pro", None]),
            {"value": ["must be a list of strings, numbers or booleans"]},
            id="trait-not-in-with-null",
        ),
        pytest.param(
            trait("gte", True), {"value": ["must be a number or a string"]}, id="trait-gte-boolean"
        ),
        pytest.param(
            size("lt", [1]), {"value": ["must be a number or a string"]}, id="account-trait-lt-list"
        ),
        pytest.param(
            {"type": "event"},
            {"event": ["is required"], "op": ["is required"]},
            id="event-missing-fields",
        ),
        pytest.param(
            {"type": "event", "event": 3, "op": "did_twice"},
            {
                "event": ["must be a non-empty string"],
                "op": ["must be one of: " + ", ".join(EVENT_OPS)],
            },
            id="event-wrong-types",
        ),
        pytest.param(
            event(min_count=0, within_days=-1),
            {"min_count": [COUNT_AT_LEAST_1], "within_days": [COUNT_AT_LEAST_1]},
            id="event-zero-count-negative-days",
        ),
        pytest.param(
            event(min_count=2.5, within_days=True),
            {"min_count": [COUNT_AT_LEAST_1], "within_days": [COUNT_AT_LEAST_1]},
            id="event-fraction-and-boolean",
        ),
        pytest.param(
            first_seen(), {"min_days": ["min_days or max_days is required"]}, id="first-seen-empty"
        ),
        pytest.param(
            first_seen(min_days=-1, max_days="90"),
            {"min_days": [COUNT_AT_LEAST_0], "max_days": [COUNT_AT_LEAST_0]},
            id="first-seen-negative-and-string",
        ),
        pytest.param(
            first_seen(min_days=91, max_days=90),
            {"min_days": ["must not be greater than max_days"]},
            id="first-seen-min-above-max",
        ),
        pytest.param({"type": "url"}, {"pattern": ["is required"]}, id="url-missing-pattern"),
        pytest.param(
            {"type": "url", "pattern": 7}, {"pattern": ["must be a string"]}, id="url-not-a-string"
        ),
        pytest.param(
            {"type": "url", "pattern": "app/*"},
            {"pattern": ["must start with /, http:// or https://"]},
            id="url-bad-pattern",
        ),
        pytest.param({"type": "locale"}, {"in": ["is required"]}, id="locale-missing-list"),
        pytest.param(
            locales("en", ""),
            {"in": ["must be a non-empty list of locale tags"]},
            id="locale-blank-tag",
        ),
        pytest.param(
            {"type": "locale", "in": "en"},
            {"in": ["must be a non-empty list of locale tags"]},
            id="locale-not-a-list",
        ),
    ],
)
def test_rule_error_says_what_is_wrong(rule: Any, errors: dict[str, list[str]]) -> None:
    assert rule_error(rule) == errors


# --- never raises -------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = (
    *("name", "op", "value", "event", "min_count", "within_days"),
    *("min_days", "max_days", "pattern", "in"),
)
NEAR_VALID = st.dictionaries(
    st.sampled_from(FIELDS),
    st.sampled_from([*TRAIT_OPS, *EVENT_OPS, "plan", "/app/*", "he"]) | st.integers(-3, 3) | JSON,
).flatmap(lambda fields: st.sampled_from(RULE_TYPES).map(lambda kind: {"type": kind, **fields}))
PERSONS = st.builds(
    person,
    traits=st.dictionaries(st.sampled_from(["plan", "name", "size"]), JSON),
    account_traits=st.lists(st.dictionaries(st.sampled_from(["size", "plan"]), JSON), max_size=3),
    first_seen_at=st.none() | st.just(NOW - timedelta(days=10)),
    event_days=st.dictionaries(
        st.sampled_from(["plan", "Report Created"]),
        st.dictionaries(st.just(TODAY) | st.just(TODAY - timedelta(days=5)), st.integers(0, 9)),
    ),
)
PAGES = st.builds(
    PageFacts,
    url=st.none() | st.sampled_from(["/app/x", "https://a.example.com/app/"]) | st.text(),
    locale=st.none() | st.sampled_from(["he-IL", "en"]) | st.text(),
)


@given(rule=JSON | NEAR_VALID)
def test_rule_error_never_raises(rule: Any) -> None:
    errors = rule_error(rule)
    assert errors is None or all(isinstance(messages, list) for messages in errors.values())


@given(rule=JSON | NEAR_VALID, who=PERSONS, page=PAGES)
def test_audience_decision_never_raises_and_fails_malformed_rules(
    rule: Any, who: PersonFacts, page: PageFacts
) -> None:
    decision = audience_decision({"rules": [rule]}, who, page, now=NOW)
    if rule_error(rule) is not None:
        assert not decision.eligible
