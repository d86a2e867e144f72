"""Strict and unordered funnels, exclusions and breakdowns, against hand-computed
expectations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from collector.analytics.definitions import EventMatch, Exclusion
from collector.projects.service import CreatedProject
from tests import factories
from tests.collector.analytics.conftest import Counts, Store, at, did

A, B, C = "Signed Up", "Project Created", "Report Created"
Answer = Callable[..., dict[str, Any]]


def test_strict_order_is_broken_by_any_other_event(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", "Page Viewed", at(1, hours=1)), did("ada", B, at(2)))
    assert counts(A, B, order="strict") == [1, 0]


def test_strict_order_allows_repeats_of_the_current_step(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", A, at(1, hours=1)),
        did("ada", B, at(2)),
        did("ada", B, at(2, hours=1)),
        did("ada", C, at(3)),
    )
    assert counts(order="strict") == [1, 1, 1]


def test_strict_order_is_broken_by_going_back_a_step(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(2)), did("ada", A, at(3)), did("ada", C, at(4)))
    assert counts(order="strict") == [1, 1, 0]


def test_strict_order_sorts_equal_timestamps_by_step_then_other_events(
    store: Store, counts: Counts
) -> None:
    store(
        did("ada", "Page Viewed", at(1)),
        did("ada", B, at(1)),
        did("ada", A, at(1)),
        did("ada", C, at(2)),
    )
    # At the same instant: A, B, then Page Viewed, which breaks the chain before C.
    assert counts(order="strict") == [1, 1, 0]


def test_strict_order_can_start_again_after_a_break(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", "Page Viewed", at(1, hours=1)),
        did("ada", A, at(2)),
        did("ada", B, at(2, hours=1)),
    )
    assert counts(A, B, order="strict") == [1, 1]


def test_strict_order_keeps_the_window(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(9)))
    assert counts(A, B, order="strict", window_days=7) == [1, 0]


def test_strict_order_times_the_latest_start_of_repeated_first_steps(
    store: Store, answer: Answer
) -> None:
    store(did("ada", A, at(1)), did("ada", A, at(1, hours=2)), did("ada", B, at(1, hours=3)))
    assert answer(A, B, order="strict")["steps"][1]["median_seconds_from_previous"] == 3600


def test_unordered_steps_may_come_in_any_order(store: Store, counts: Counts) -> None:
    store(did("ada", C, at(1)), did("ada", A, at(2)), did("ada", B, at(3)))
    assert counts(order="unordered") == [1, 1, 1]


def test_unordered_counts_how_many_different_steps_were_done(store: Store, counts: Counts) -> None:
    store(
        did("ada", B, at(1)),
        did("ada", B, at(2)),
        did("bob", C, at(1)),
        did("bob", A, at(1, hours=5)),
    )
    assert counts(order="unordered") == [2, 1, 0]


def test_unordered_steps_must_fall_within_the_window(store: Store, counts: Counts) -> None:
    store(did("ada", B, at(1)), did("ada", A, at(9)))
    assert counts(A, B, order="unordered", window_days=7) == [1, 0]


def test_unordered_times_are_between_the_kth_and_previous_different_step(
    store: Store, answer: Answer
) -> None:
    store(did("ada", C, at(1)), did("ada", A, at(1, hours=2)), did("ada", B, at(1, hours=5)))
    steps = answer(order="unordered")["steps"]
    assert [s["median_seconds_from_previous"] for s in steps] == [None, 7200, 10800]


def test_an_exclusion_between_the_steps_removes_the_person(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", "Plan Downgraded", at(2)),
        did("ada", B, at(3)),
        did("bob", A, at(1)),
        did("bob", B, at(3)),
    )
    downgrade = Exclusion(EventMatch("Plan Downgraded"), 1, 2)
    assert counts(A, B, exclusions=(downgrade,)) == [1, 1]


def test_an_exclusion_outside_the_steps_keeps_the_person(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(3)), did("ada", "Plan Downgraded", at(4)))
    downgrade = Exclusion(EventMatch("Plan Downgraded"), 1, 2)
    assert counts(A, B, exclusions=(downgrade,)) == [1, 1]


def test_an_exclusion_only_counts_between_its_two_steps(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", "Plan Downgraded", at(2)),
        did("ada", B, at(3)),
        did("ada", C, at(4)),
    )
    downgrade = Exclusion(EventMatch("Plan Downgraded"), 2, 3)
    assert counts(exclusions=(downgrade,)) == [1, 1, 1]


def test_an_exclusion_before_an_unreached_step_counts_within_the_window(
    store: Store, counts: Counts
) -> None:
    store(did("ada", A, at(1)), did("ada", "Plan Downgraded", at(3)))
    downgrade = Exclusion(EventMatch("Plan Downgraded"), 1, 2)
    assert counts(A, B, window_days=7, exclusions=(downgrade,)) == [0, 0]


def test_an_exclusion_after_the_window_of_an_unreached_step_is_ignored(
    store: Store, counts: Counts
) -> None:
    store(did("ada", A, at(1)), did("ada", "Plan Downgraded", at(9)))
    downgrade = Exclusion(EventMatch("Plan Downgraded"), 1, 2)
    assert counts(A, B, window_days=7, exclusions=(downgrade,)) == [1, 0]


def test_breakdown_by_a_property_of_the_first_step_event(store: Store, answer: Answer) -> None:
    store(
        did("ada", A, at(1), source="ads"),
        did("ada", B, at(2)),
        did("bob", A, at(1), source="seo"),
        did("cy", A, at(1)),
    )
    breakdown = answer(A, B, breakdown="properties.source")["breakdown"]
    assert {value: [s["persons"] for s in steps] for value, steps in breakdown.items()} == {
        "ads": [1, 1],
        "seo": [1, 0],
        "(none)": [1, 0],
    }


def test_breakdown_by_property_takes_the_attributed_attempts_first_touch(
    store: Store, answer: Answer
) -> None:
    store(
        did("ada", A, at(1), source="ads"),
        did("ada", A, at(5), source="seo"),
        did("ada", B, at(6)),
    )
    breakdown = answer(A, B, window_days=2, breakdown="properties.source")["breakdown"]
    assert list(breakdown) == ["seo"]


def test_breakdown_by_a_person_trait(store: Store, answer: Answer) -> None:
    store(
        factories.message("identify", userId="ada", anonymousId=None, traits={"plan": "pro"}),
        did("ada", A, at(1)),
        did("ada", B, at(2)),
        did("bob", A, at(1)),
    )
    breakdown = answer(A, B, breakdown="person.plan")["breakdown"]
    assert {value: steps[1]["persons"] for value, steps in breakdown.items()} == {
        "pro": 1,
        "(none)": 0,
    }


def test_breakdown_by_an_account_trait(store: Store, answer: Answer) -> None:
    store(
        factories.message(
            "group", userId="ada", anonymousId=None, groupId="acme", traits={"plan": "team"}
        ),
        did("ada", A, at(1)),
        did("bob", A, at(1)),
    )
    breakdown = answer(A, B, breakdown="account.plan")["breakdown"]
    assert {value: steps[0]["persons"] for value, steps in breakdown.items()} == {
        "team": 1,
        "(none)": 1,
    }


def test_breakdown_values_come_with_the_overall_steps(store: Store, answer: Answer) -> None:
    store(did("ada", A, at(1), source="ads"), did("bob", A, at(1), source="seo"))
    result = answer(A, B, breakdown="properties.source")
    assert [s["persons"] for s in result["steps"]] == [2, 0]


def test_breakdown_medians_are_per_value(store: Store, answer: Answer) -> None:
    store(
        did("ada", A, at(1), source="ads"),
        did("ada", B, at(1, hours=1)),
        did("bob", A, at(1), source="seo"),
        did("bob", B, at(1, hours=3)),
    )
    result = answer(A, B, breakdown="properties.source")
    medians = {v: s[1]["median_seconds_from_previous"] for v, s in result["breakdown"].items()}
    assert medians == {"ads": 3600, "seo": 3 * 3600}
    assert result["steps"][1]["median_seconds_from_previous"] == 2 * 3600


def test_anonymous_history_joins_the_person_once_identified(store: Store, counts: Counts) -> None:
    anonymous = {**did("x", A, at(1)), "userId": None, "anonymousId": "anon-9"}
    store(anonymous)
    store(factories.message("identify", userId="ada", anonymousId="anon-9", timestamp=at(2)))
    store(did("ada", B, at(3)))
    assert counts(A, B) == [1, 1]


def test_a_message_sent_twice_counts_once(store: Store, answer: Answer) -> None:
    first, second = did("ada", A, at(1)), did("ada", B, at(1, hours=1))
    again = {**did("ada", B, at(1, hours=5)), "messageId": second["messageId"]}
    store(first, second)
    store(again)
    assert answer(A, B)["steps"][1]["median_seconds_from_previous"] == 3600


def test_another_projects_events_never_count(
    engine: Engine, store: Store, counts: Counts, other_project: CreatedProject
) -> None:
    factories.ingest_messages(engine, other_project, did("ada", A, at(1)), did("ada", B, at(2)))
    store(did("bob", A, at(1)))
    assert counts(A, B) == [1, 0]
