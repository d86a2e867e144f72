"""Trait merging: per trait, the newest message timestamp wins, whatever the arrival order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from collector.identity.traits import combine, merge_traits, stamp

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
EARLIER = NOON - timedelta(hours=1)
LATER = NOON + timedelta(hours=1)


def test_stamp_is_utc_iso_8601_with_microseconds() -> None:
    assert stamp(NOON) == "2026-11-25T12:00:00.000000+00:00"


def test_stamp_converts_other_offsets_to_utc() -> None:
    paris = timezone(timedelta(hours=1))
    assert stamp(datetime(2026, 11, 25, 13, 0, tzinfo=paris)) == stamp(NOON)


def test_stamps_sort_in_time_order_across_offsets() -> None:
    two_hours_east = timezone(timedelta(hours=2))
    earlier_but_larger_clock = datetime(2026, 11, 25, 13, 0, tzinfo=two_hours_east)
    assert stamp(earlier_but_larger_clock) < stamp(NOON)


def test_stamp_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        stamp(datetime(2026, 11, 25, 12, 0))


def test_update_adds_a_new_trait_with_its_time() -> None:
    traits, times = merge_traits({}, {}, {"plan": "pro"}, NOON)
    assert traits == {"plan": "pro"}
    assert times == {"plan": stamp(NOON)}


def test_newer_update_replaces_a_trait() -> None:
    traits, times = merge_traits({"plan": "free"}, {"plan": stamp(EARLIER)}, {"plan": "pro"}, NOON)
    assert (traits, times) == ({"plan": "pro"}, {"plan": stamp(NOON)})


def test_older_update_arriving_late_loses() -> None:
    traits, times = merge_traits({"plan": "pro"}, {"plan": stamp(LATER)}, {"plan": "free"}, NOON)
    assert (traits, times) == ({"plan": "pro"}, {"plan": stamp(LATER)})


def test_update_at_the_same_time_wins() -> None:
    traits, _ = merge_traits({"plan": "free"}, {"plan": stamp(NOON)}, {"plan": "pro"}, NOON)
    assert traits == {"plan": "pro"}


def test_each_trait_is_judged_on_its_own_time() -> None:
    traits, _ = merge_traits(
        {"plan": "pro", "seats": 3},
        {"plan": stamp(LATER), "seats": stamp(EARLIER)},
        {"plan": "free", "seats": 5},
        NOON,
    )
    assert traits == {"plan": "pro", "seats": 5}


def test_traits_not_updated_are_kept() -> None:
    traits, times = merge_traits({"name": "Ada"}, {"name": stamp(EARLIER)}, {"plan": "pro"}, NOON)
    assert traits == {"name": "Ada", "plan": "pro"}
    assert times["name"] == stamp(EARLIER)


def test_merging_does_not_change_its_inputs() -> None:
    traits, times = {"plan": "free"}, {"plan": stamp(EARLIER)}
    merge_traits(traits, times, {"plan": "pro"}, NOON)
    assert (traits, times) == ({"plan": "free"}, {"plan": stamp(EARLIER)})


def test_combine_keeps_the_later_value_of_each_trait() -> None:
    first = ({"plan": "pro", "seats": 3}, {"plan": stamp(LATER), "seats": stamp(EARLIER)})
    second = ({"plan": "free", "seats": 5}, {"plan": stamp(NOON), "seats": stamp(NOON)})
    assert combine(first, second) == (
        {"plan": "pro", "seats": 5},
        {"plan": stamp(LATER), "seats": stamp(NOON)},
    )


def test_combine_prefers_the_second_on_a_tie() -> None:
    first = ({"plan": "free"}, {"plan": stamp(NOON)})
    second = ({"plan": "pro"}, {"plan": stamp(NOON)})
    assert combine(first, second)[0] == {"plan": "pro"}


def test_trait_without_a_time_loses_to_one_with_a_time() -> None:
    first = ({"plan": "pro"}, {"plan": stamp(EARLIER)})
    second: tuple[dict[str, str], dict[str, str]] = ({"plan": "free"}, {})
    assert combine(first, second)[0] == {"plan": "pro"}


def test_trait_without_a_time_still_fills_a_missing_trait() -> None:
    assert combine(({}, {}), ({"plan": "free"}, {})) == ({"plan": "free"}, {"plan": ""})
