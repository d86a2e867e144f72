"""Rows as CSV for spreadsheets, and the answer that carries them.

Survey answers, traits and event properties are untrusted text, so a cell that a
spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
CSV_NOTE = "; CSV with format=csv or Accept: text/csv"
"""Ends the summary of an operation that also answers CSV."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = orjson.dumps(value).decode()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The header, then one line per row, each as soon as it is ready."""
    yield _line(columns)
    for row in rows:
        yield _line([cell(row.get(name)) for name in columns])


def _line(values: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def wants_csv(request: Request) -> bool:
    """CSV when asked by ``?format=csv`` or by an ``Accept`` header that prefers it."""
    if request.query_params.get("format") == "csv":
        return True
    accepted = [part.split(";")[0].strip() for part in request.headers.get("accept", "").split(",")]
    return (
        "text/csv" in accepted and "application/json" not in accepted[: accepted.index("text/csv")]
    )


def csv_response(
    filename: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> Response:
    """A small table (an analysis, not an export stream) as a CSV attachment."""
    return Response(
        "".join(csv_lines(columns, rows)),
        media_type=CSV_MEDIA_TYPE,
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
