"""SQL expressions the databases spell differently, for statements built with Core.

Statements are built before they meet a connection, so these are SQLAlchemy constructs
rather than methods of a backend: each backend module registers how its dialect compiles
them (``@compiles``), and a statement is spelt for whichever database runs it.

- ``epoch_us(t)``: a timestamp as integer microseconds since 1970, exact on both.
- ``epoch_seconds(t)``: a timestamp as float seconds since 1970.
- ``shifted(t, seconds)``: a timestamp moved by whole seconds, comparable with stored ones.
- ``json_text(document, *keys)``: a value inside a JSON document as text, the same text on
  both databases (``true``, ``3``, ``funnel``), or NULL when it is missing or null.
- ``json_list_has(column, value)``: whether a JSON array column holds a string value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, String
from sqlalchemy.sql.expression import FunctionElement

from collector.kit.db.base import UtcDateTime


class epoch_us(FunctionElement[int]):
    type = BigInteger()
    inherit_cache = True


class epoch_seconds(FunctionElement[float]):
    type = Float()
    name = "epoch_seconds"
    inherit_cache = True


class shifted(FunctionElement[Any]):
    type = UtcDateTime()
    inherit_cache = True


class json_text(FunctionElement[str]):
    type = String()
    inherit_cache = True


class json_list_has(FunctionElement[bool]):
    type = Boolean()
    name = "json_list_has"
    inherit_cache = True
