"""The expressions each backend compiles give the same values on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import ColumnElement, Engine, Integer, String, literal, select

from collector.kit.db.backends.expressions import (
    epoch_seconds,
    epoch_us,
    json_list_has,
    json_text,
    shifted,
)
from collector.kit.db.base import Document, UtcDateTime
from collector.kit.db.engine import read_transaction

MOMENT = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DOCUMENT = {"flag": True, "count": 3, "name": "funnel", "none": None, "nested": {"deep": "yes"}}


def _value(engine: Engine, expression: ColumnElement[Any]) -> Any:
    with read_transaction(engine) as connection:
        return connection.execute(select(expression)).scalar_one()


def _moment() -> ColumnElement[datetime]:
    return literal(MOMENT, UtcDateTime())


def test_epoch_us_is_exact_to_the_microsecond(engine: Engine) -> None:
    assert _value(engine, epoch_us(_moment())) == (MOMENT - EPOCH) // timedelta(microseconds=1)


def test_epoch_seconds_is_within_a_millisecond(engine: Engine) -> None:
    seconds = _value(engine, epoch_seconds(_moment()))
    assert seconds == pytest.approx((MOMENT - EPOCH).total_seconds(), abs=1e-3)


@pytest.mark.parametrize("seconds", [90, 86_400])
def test_a_shifted_moment_keeps_its_microseconds(engine: Engine, seconds: int) -> None:
    moved = _value(engine, shifted(_moment(), literal(seconds, Integer)))
    assert moved == MOMENT + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("flag",), "true"),
        (("count",), "3"),
        (("name",), "funnel"),
        (("nested", "deep"), "yes"),
        (("none",), None),
        (("missing",), None),
    ],
)
def test_json_text_is_the_same_text_on_both_databases(
    engine: Engine, path: tuple[str, ...], text: str | None
) -> None:
    keys = [literal(key, String) for key in path]
    assert _value(engine, json_text(literal(DOCUMENT, Document), *keys)) == text


@pytest.mark.parametrize(("value", "held"), [("b", True), ("c", False)])
def test_json_list_has_finds_a_string_in_an_array(engine: Engine, value: str, held: bool) -> None:
    assert _value(engine, json_list_has(literal(["a", "b"], Document), literal(value))) is held
