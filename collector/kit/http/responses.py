"""JSON responses encoded with orjson (datetimes as ISO 8601, UUIDs as strings)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse as StarletteJSONResponse


def dumps(content: Any) -> bytes:
    # Non-string keys: marshmallow names a list item's errors by its index, an int.
    return orjson.dumps(
        content, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS
    )


class JSONResponse(StarletteJSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content)
