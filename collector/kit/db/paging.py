"""Keyset pagination over row ids: pages for JSON lists, bounded chunks for exports.

A cursor is opaque to clients but only names a position among the caller's own project's
rows (every query filters by project), so it needs no signature; a malformed one is
refused naming ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar

import orjson
from sqlalchemy import Engine, Row, Select

from collector.kit.db.engine import read_transaction
from collector.kit.errors import BadRequest

PageQuery = Callable[[int, int], Select[Any]]
"""``(after_id, limit)`` → the statement for the rows after ``after_id``, by id."""
EXPORT_CHUNK = 1000
MAX_ROW_ID = 2**63 - 1
"""Row ids are 64-bit; a larger cursor cannot be bound (SQLite raises OverflowError)."""


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"after": last_id})).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The row id a cursor continues after; 0 (the start) when there is none."""
    if not cursor:
        return 0
    try:
        after = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ROW_ID:
        raise BadRequest("invalid cursor", fields={"cursor": ["is not a cursor this API gave"]})
    return after


Item = TypeVar("Item")


class PageAnswer(TypedDict, Generic[Item]):
    """A page as answers carry it."""

    data: list[Item]
    has_more: bool
    next_cursor: str | None


@dataclass(frozen=True)
class Page(Generic[Item]):
    data: list[Item]
    has_more: bool
    next_cursor: str | None
    """Where to continue: after this page's last row, even on the last page, so a client
    can come back later for what arrived since. Null only before any row."""

    def as_dict(self) -> PageAnswer[Item]:
        return {"data": self.data, "has_more": self.has_more, "next_cursor": self.next_cursor}


def read_page(
    engine: Engine,
    query: PageQuery,
    shape: Callable[[Row[Any]], Item],
    *,
    cursor: str | None,
    limit: int,
) -> Page[Item]:
    after = decode_cursor(cursor)
    with read_transaction(engine) as connection:
        rows = connection.execute(query(after, limit + 1)).all()
    rows, more = rows[:limit], len(rows) > limit
    return Page(
        data=[shape(row) for row in rows],
        has_more=more,
        next_cursor=encode_cursor(rows[-1].id) if rows else cursor or None,
    )


def all_rows(engine: Engine, query: PageQuery, chunk: int = EXPORT_CHUNK) -> Iterator[Row[Any]]:
    """Every row, read a chunk per short transaction so an export never holds one open."""
    after = 0
    while True:
        with read_transaction(engine) as connection:
            rows = connection.execute(query(after, chunk)).all()
        yield from rows
        if len(rows) < chunk:
            return
        after = rows[-1].id
