"""Durations and property paths as analyses read them; the CSV and time-range helpers the
analyses answer and parse with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError
from starlette.requests import Request

from collector.analytics.definitions import PropertyPath, parse_duration
from collector.analytics.params import event_match
from collector.kit.http.csv import cell, wants_csv
from collector.kit.http.params import ZonedTimeRangeSchema


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("90m", 5400), ("36h", 129600), ("7d", 604800), ("2w", 1209600)],
)
def test_durations_are_a_number_and_a_unit(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["7", "d", "0d", "-1d", "1.5d", "7 d", "7D", "1y"])
def test_durations_refuse_other_spellings(text: str) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_duration(text)


def test_durations_stop_at_a_year() -> None:
    with pytest.raises(ValueError, match="366 days"):
        parse_duration("367d")


def test_property_paths_name_a_source_and_keys() -> None:
    path = PropertyPath.parse("properties.chart.kind", ("properties",))
    assert (path.source, path.keys, str(path)) == (
        "properties",
        ("chart", "kind"),
        "properties.chart.kind",
    )


@pytest.mark.parametrize(
    "text", ["plan", "person.", "person..plan", "group.plan", 'person.pl"an', "person.a\\b"]
)
def test_property_paths_refuse_unknown_sources_and_unsafe_keys(text: str) -> None:
    with pytest.raises(ValueError, match="must look like"):
        PropertyPath.parse(text, ("person", "account"))


def request_with(query: str = "", accept: str | None = None) -> Request:
    headers = [] if accept is None else [(b"accept", accept.encode())]
    return Request({"type": "http", "query_string": query.encode(), "headers": headers})


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("format=csv", None, True),
        ("", "text/csv", True),
        ("", "text/csv;q=0.9, application/json;q=0.8", True),
        ("", "application/json, text/csv", False),
        ("", "*/*", False),
        ("format=json", None, False),
    ],
)
def test_csv_is_chosen_by_format_or_accept(query: str, accept: str | None, expected: bool) -> None:
    assert wants_csv(request_with(query, accept)) is expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (True, "true"),
        (datetime(2026, 3, 2, tzinfo=UTC), "2026-03-02T00:00:00+00:00"),
        ({"a": 1}, '{"a":1}'),
        ("=SUM(A1)", "'=SUM(A1)"),
        (-3, "-3"),
    ],
)
def test_csv_cells_are_plain_text_with_formulas_defused(value: Any, shown: str) -> None:
    assert cell(value) == shown


def test_a_range_without_offset_is_read_in_its_time_zone() -> None:
    loaded = ZonedTimeRangeSchema().load({"from": "2026-03-29T01:30:00", "tz": "Europe/Paris"})
    assert loaded["from_"] == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert loaded["tz"] == ZoneInfo("Europe/Paris")


def test_a_range_with_an_offset_keeps_it_whatever_the_time_zone() -> None:
    loaded = ZonedTimeRangeSchema().load({"to": "2026-03-29T01:30:00+00:00", "tz": "Asia/Tokyo"})
    assert loaded["to"] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_range_is_in_utc_by_default() -> None:
    loaded = ZonedTimeRangeSchema().load({"from": "2026-03-29T01:30:00"})
    assert (loaded["from_"].hour, loaded["tz"]) == (1, ZoneInfo("UTC"))


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../../etc/passwd"])
def test_a_range_refuses_an_unknown_time_zone(zone: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ZonedTimeRangeSchema().load({"tz": zone})
    assert "tz" in refused.value.messages_dict


def test_a_range_leaves_a_malformed_time_for_its_field_to_refuse() -> None:
    with pytest.raises(ValidationError) as refused:
        ZonedTimeRangeSchema().load({"from": "soon", "tz": "UTC"})
    assert "from" in refused.value.messages_dict


def test_a_range_leaves_a_time_that_is_not_text_for_its_field_to_refuse() -> None:
    with pytest.raises(ValidationError) as refused:
        ZonedTimeRangeSchema().load({"to": 1772409600, "tz": "UTC"})
    assert "to" in refused.value.messages_dict


def test_a_step_filter_takes_a_value_or_a_list_of_values() -> None:
    match = event_match({"event": "Report Created", "where": {"properties.type": ["a", "b"]}})
    single = event_match({"event": "Report Created", "where": {"properties.type": "a"}})
    path = PropertyPath("properties", ("type",))
    assert (match.where[path], single.where[path]) == (("a", "b"), ("a",))
