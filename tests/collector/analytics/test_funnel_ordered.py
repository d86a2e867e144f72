"""Ordered funnels, against hand-computed expectations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from collector.analytics.definitions import EventMatch, PropertyPath, TimeRange
from tests.collector.analytics.conftest import DAY0, Counts, Store, at, did

A, B, C = "Signed Up", "Project Created", "Report Created"


def test_persons_reach_each_step_in_order(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", B, at(1, hours=1)),
        did("ada", C, at(1, hours=2)),
        did("bob", A, at(2)),
        did("bob", B, at(2, hours=1)),
        did("cy", A, at(3)),
    )
    assert counts() == [3, 2, 1]


def test_steps_out_of_order_do_not_convert(store: Store, counts: Counts) -> None:
    store(did("ada", B, at(1)), did("ada", A, at(2)), did("ada", C, at(3)))
    assert counts() == [1, 0, 0]


def test_other_events_between_steps_are_allowed(store: Store, counts: Counts) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", "Page Viewed", at(1, hours=1)),
        did("ada", B, at(1, hours=2)),
    )
    assert counts(A, B) == [1, 1]


def test_equal_timestamps_count_as_in_order(store: Store, counts: Counts) -> None:
    store(did("ada", B, at(1)), did("ada", A, at(1)), did("ada", C, at(1)))
    assert counts() == [1, 1, 1]


def test_a_conversion_exactly_at_the_window_counts(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(8)))
    assert counts(A, B, window_days=7) == [1, 1]


def test_a_conversion_a_millisecond_after_the_window_does_not(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(8, seconds=0.001)))
    assert counts(A, B, window_days=7) == [1, 0]


def test_the_window_runs_from_the_first_step_not_the_previous(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(5)), did("ada", C, at(9)))
    assert counts(window_days=7) == [1, 1, 0]


def test_only_steps_1_events_inside_the_range_start_attempts(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(-1)), did("ada", B, at(1)), did("bob", A, at(14)))
    assert counts(A, B) == [0, 0]


def test_later_steps_may_fall_after_the_range_within_the_window(
    store: Store, counts: Counts
) -> None:
    store(did("ada", A, at(13)), did("ada", B, at(15)))
    assert counts(A, B) == [1, 1]


def test_a_later_attempt_can_convert_when_the_first_did_not(store: Store, counts: Counts) -> None:
    store(did("ada", A, at(1)), did("ada", A, at(10)), did("ada", B, at(12)))
    assert counts(A, B, window_days=7) == [1, 1]


def test_a_person_counts_once_however_many_attempts(store: Store, counts: Counts) -> None:
    store(
        *(
            did("ada", step, at(day, hours=hour))
            for day in (1, 2)
            for hour, step in enumerate((A, B))
        )
    )
    assert counts(A, B) == [1, 1]


def test_a_step_is_the_earliest_event_after_the_previous_step(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    store(did("ada", A, at(1)), did("ada", B, at(1, hours=1)), did("ada", B, at(1, hours=5)))
    steps = answer(A, B)["steps"]
    assert steps[1]["median_seconds_from_previous"] == 3600


def test_times_come_from_the_attempt_reaching_furthest_earliest_latest_start(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    # Starts at day 1 and day 1 + 2h both reach B at day 1 + 3h: the latest start wins.
    store(did("ada", A, at(1)), did("ada", A, at(1, hours=2)), did("ada", B, at(1, hours=3)))
    assert answer(A, B)["steps"][1]["median_seconds_from_previous"] == 3600


def test_the_deepest_attempt_is_attributed_even_if_it_started_later(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    store(
        did("ada", A, at(1)),
        did("ada", B, at(1, hours=1)),
        did("ada", A, at(20)),
        did("ada", B, at(20, hours=4)),
        did("ada", C, at(20, hours=5)),
    )
    steps = answer(window_days=2, within=TimeRange(DAY0, DAY0 + timedelta(days=30)))["steps"]
    assert [step["median_seconds_from_previous"] for step in steps] == [None, 4 * 3600, 3600]


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    gaps = {"ada": 1, "bob": 2, "cy": 4, "dee": 10}
    store(
        *(did(user, A, at(1)) for user in gaps),
        *(did(user, B, at(1, hours=hours)) for user, hours in gaps.items()),
    )
    step = answer(A, B)["steps"][1]
    assert step["median_seconds_from_previous"] == 3 * 3600
    assert step["average_seconds_from_previous"] == 4.25 * 3600


def test_median_of_an_odd_count_is_the_middle_value(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    gaps = {"ada": 1, "bob": 7, "cy": 2}
    store(
        *(did(user, A, at(1)) for user in gaps),
        *(did(user, B, at(1, hours=hours)) for user, hours in gaps.items()),
    )
    assert answer(A, B)["steps"][1]["median_seconds_from_previous"] == 2 * 3600


def test_conversions_are_fractions_of_the_first_and_previous_step(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    store(
        *(did(user, A, at(1)) for user in ("ada", "bob", "cy", "dee")),
        *(did(user, B, at(2)) for user in ("ada", "bob")),
        did("ada", C, at(3)),
    )
    steps = answer()["steps"]
    assert [s["conversion_from_first"] for s in steps] == [1.0, 0.5, 0.25]
    assert [s["conversion_from_previous"] for s in steps] == [1.0, 0.5, 0.5]
    assert [s["dropped"] for s in steps] == [2, 1, 0]


def test_an_empty_funnel_answers_zeros(answer: Callable[..., dict[str, Any]]) -> None:
    steps = answer()["steps"]
    assert [(s["persons"], s["conversion_from_first"]) for s in steps] == [(0, 0.0)] * 3


def test_step_filters_match_property_values(store: Store, counts: Counts) -> None:
    funnel_report = EventMatch(C, {PropertyPath("properties", ("type",)): ("funnel",)})
    store(
        did("ada", A, at(1)),
        did("ada", C, at(2), type="funnel"),
        did("bob", A, at(1)),
        did("bob", C, at(2), type="table"),
    )
    assert counts(A, funnel_report) == [2, 1]


def test_step_filters_accept_any_of_several_values(store: Store, counts: Counts) -> None:
    report = EventMatch(C, {PropertyPath("properties", ("type",)): ("funnel", "table")})
    store(
        did("ada", A, at(1)),
        did("ada", C, at(2), type="funnel"),
        did("bob", A, at(1)),
        did("bob", C, at(2), type="table"),
        did("cy", A, at(1)),
        did("cy", C, at(2), type="chart"),
    )
    assert counts(A, report) == [3, 2]


def test_step_filters_compare_numbers_and_booleans(store: Store, counts: Counts) -> None:
    paid = EventMatch(B, {PropertyPath("properties", ("seats",)): (3,)})
    trial = EventMatch(B, {PropertyPath("properties", ("trial",)): (True,)})
    store(
        did("ada", A, at(1)),
        did("ada", B, at(2), seats=3, trial=False),
        did("bob", A, at(1)),
        did("bob", B, at(2), seats=4, trial=True),
    )
    assert counts(A, paid) == [2, 1]
    assert counts(A, trial) == [2, 1]


def test_a_null_filter_matches_a_missing_property(store: Store, counts: Counts) -> None:
    untyped = EventMatch(C, {PropertyPath("properties", ("type",)): (None,)})
    store(
        did("ada", A, at(1)),
        did("ada", C, at(2)),
        did("bob", A, at(1)),
        did("bob", C, at(2), type="x"),
    )
    assert counts(A, untyped) == [2, 1]


def test_nested_property_filters(store: Store, counts: Counts) -> None:
    nested = EventMatch(C, {PropertyPath("properties", ("chart", "kind")): ("bar",)})
    store(did("ada", A, at(1)), did("ada", C, at(2), chart={"kind": "bar"}))
    assert counts(A, nested) == [1, 1]


def test_page_calls_named_like_a_step_are_not_track_events(store: Store, counts: Counts) -> None:
    page = {**did("ada", B, at(2)), "type": "page", "name": B}
    del page["event"]
    store(did("ada", A, at(1)), page)
    assert counts(A, B) == [1, 0]


def test_times_between_steps_keep_their_milliseconds(
    store: Store, answer: Callable[..., dict[str, Any]]
) -> None:
    store(did("ada", A, at(1, seconds=0.75)), did("ada", B, at(1, hours=1, seconds=0.25)))
    assert answer(A, B)["steps"][1]["median_seconds_from_previous"] == 3599.5
