"""Lists that span pages, read as one iterator that fetches the next page when it needs it.

``cursor`` is where the iterator has read up to: pass it back (``cursor=``) to resume
later, which for events also returns what arrived since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")
FetchPage = Callable[[str | None], Mapping[str, Any]]
"""Fetches the page after a cursor (``None``: the first page)."""


class Pages(Generic[T]):
    """Iterates over every item of a paginated list, one request per page, lazily."""

    def __init__(
        self, fetch: FetchPage, parse: Callable[[Mapping[str, Any]], T], cursor: str | None
    ) -> None:
        self._fetch, self._parse = fetch, parse
        self.cursor = cursor
        self._items = self._read()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._items)

    def _read(self) -> Iterator[T]:
        while True:
            page = self._fetch(self.cursor)
            for item in page["data"]:
                yield self._parse(item)
            self.cursor = page.get("next_cursor") or self.cursor
            if not page["has_more"]:
                return
