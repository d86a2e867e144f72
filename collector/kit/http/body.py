"""Reading request bodies: size limits, gzip, JSON.

Limits apply to the decompressed body, and decompression stops one byte past the limit,
so a small gzip bomb can never be inflated in memory. A parsed body is also one that can
be stored: its nesting stays within what the JSON encoder writes.

A body may be read before the routes (:func:`keep_json_body`: a write key can ride in it)
and is then parsed only once: the route's :func:`read_json` finds what came of it, its
refusal included, and answers it at the same point as if it read the body itself.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import orjson
from marshmallow import Schema, ValidationError
from starlette.requests import HTTPConnection, Request
from starlette.types import Message, Receive, Scope

from collector.kit.errors import (
    MalformedBody,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    WaypostError,
)

JSON_MEDIA_TYPES = frozenset({"application/json", "text/plain", ""})
# orjson encodes at most 254 levels of arrays and objects; a deeper body could be parsed
# but never stored, and would fail after validation, inside the ingest transaction.
MAX_JSON_DEPTH = 254
# A JSON "\u0000" escape (not an escaped backslash followed by "u0000").
_NUL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")
# A JSON surrogate escape: a high one followed by a low one is a pair (one character);
# any other is alone. Browsers send lone ones: JSON.stringify escapes a string cut inside
# an emoji that way, and orjson refuses them (no database could store them either).
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)((?:\\\\)*)"
    rb"(\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_SURROGATE_PAIR_LENGTH = len(rb"\ud83d\ude00")
KEPT_BODY = "waypost.kept_body"
"""Where a JSON body read before the routes is kept, in the request's scope."""


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"request body is larger than the limit of {limit // 1024} KB")


def check_json_content_type(request: Request) -> None:
    """JSON, or ``text/plain`` as ``navigator.sendBeacon`` sends it to avoid a preflight."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"content type {media_type!r} is not supported; send application/json"
        )


async def read_body(request: Request, limit: int) -> bytes:
    """The decompressed body, refused with 413 past ``limit`` bytes."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise UnsupportedMediaType(f"content encoding {encoding!r} is not supported; use gzip")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise _too_large(limit)
    return gunzip(bytes(received), limit) if encoding == "gzip" else bytes(received)


def gunzip(data: bytes, limit: int) -> bytes:
    """Every member of a gzip body (RFC 1952 allows several), inflated to at most ``limit``.

    Bytes after the last member that are not gzip are refused rather than ignored, so
    nothing a client sent is silently dropped.
    """
    body = bytearray()
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            # The budget is never 0, which zlib would read as "no limit".
            body += inflater.decompress(rest, limit + 1 - len(body))
        except zlib.error as exc:
            raise MalformedBody(f"body is not valid gzip: {exc}") from None
        if len(body) > limit or inflater.unconsumed_tail:
            raise _too_large(limit)
        if not inflater.eof:
            raise MalformedBody("gzip body is truncated")
        rest = inflater.unused_data
        if not rest:
            return bytes(body)


def parse_json(body: bytes) -> Any:
    """Parsed JSON; NUL characters and lone surrogates become U+FFFD, so that one bad
    character in a string costs that character, not the whole request."""
    # RFC 8259 lets a parser ignore a byte order mark; some Windows clients send one.
    body = body.removeprefix(b"\xef\xbb\xbf")
    if b"\\u0000" in body:
        body = _NUL_ESCAPE.sub(rb"\1\\ufffd", body)
    try:
        parsed = _loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedBody(f"body is not valid JSON: {exc}") from None
    _check_depth(parsed)
    return parsed


def _loads(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        if b"\\ud" not in body and b"\\uD" not in body:
            raise
    # Only a body that failed to parse pays for looking for lone surrogates.
    return orjson.loads(_SURROGATE_ESCAPE.sub(_keep_surrogate_pairs, body))


def _keep_surrogate_pairs(match: re.Match[bytes]) -> bytes:
    if len(match.group(2)) == _SURROGATE_PAIR_LENGTH:
        return match.group(0)
    return match.group(1) + rb"\ufffd"


def _check_depth(parsed: Any) -> None:
    """Refuse a body nested deeper than ``MAX_JSON_DEPTH``.

    Encoding it again is the cheapest exact test (a tenth of parsing it): the only value
    orjson parses but cannot encode is one nested too deep.
    """
    try:
        orjson.dumps(parsed)
    except orjson.JSONEncodeError:
        raise MalformedBody(
            f"body is nested deeper than {MAX_JSON_DEPTH} levels of arrays and objects"
        ) from None


@dataclass(frozen=True, slots=True)
class KeptBody:
    """What came of reading a JSON body with ``limit``: its value, or why it was refused."""

    limit: int
    value: Any = None
    error: WaypostError | None = None


async def read_json(request: Request, limit: int) -> Any:
    kept = request.scope.get(KEPT_BODY)
    if isinstance(kept, KeptBody) and kept.limit == limit:
        if kept.error is not None:
            raise kept.error
        return kept.value
    check_json_content_type(request)
    return parse_json(await read_body(request, limit))


@dataclass(frozen=True)
class JsonBody:
    """A JSON object body: read within ``limit``, then loaded with ``schema``, the same
    schema that documents the body in ``/openapi.json``.

    Malformed JSON and a body that is not an object answer 400; a value the schema refuses
    answers 422 with ``invalid`` as the message and every refused field named. ``document``
    describes a body marshmallow cannot name, which its service then validates itself.
    """

    schema: type[Schema] | None = None
    limit: int = 64 * 1024
    invalid: str = "invalid body"
    optional: bool = False
    document: Mapping[str, Any] | None = None

    @cached_property
    def _loader(self) -> Schema | None:
        return None if self.schema is None else self.schema()

    async def read(self, request: Request) -> dict[str, Any]:
        """The body as a JSON object, not yet validated (an empty optional body is ``{}``)."""
        if self.optional and request.headers.get("content-length", "0") == "0":
            return {}
        body = await read_json(request, self.limit)
        if not isinstance(body, dict):
            raise MalformedBody("body must be a JSON object")
        return body

    async def load(self, request: Request) -> dict[str, Any]:
        """The body as the schema loads it."""
        body = await self.read(request)
        if self._loader is None:
            return body
        try:
            loaded: dict[str, Any] = self._loader.load(body)
        except ValidationError as error:
            raise ValidationFailed(self.invalid, fields=error.messages_dict) from None
        return loaded


async def keep_json_body(scope: Scope, receive: Receive, limit: int) -> Receive:
    """Read the JSON body now and keep what came of it for :func:`read_json`; the
    ``receive`` to go on with, which hands on again the messages read."""
    received: list[Message] = []

    async def recording() -> Message:
        message = await receive()
        received.append(message)
        return message

    try:
        kept = KeptBody(limit, value=await read_json(Request(scope, recording), limit))
    except WaypostError as error:
        kept = KeptBody(limit, error=error)
    scope[KEPT_BODY] = kept

    async def replaying() -> Message:
        return received.pop(0) if received else await receive()

    return replaying


def kept_json(connection: HTTPConnection) -> Any:
    """The body read before the routes, None when it was not (or could not be) read."""
    kept = connection.scope.get(KEPT_BODY)
    return kept.value if isinstance(kept, KeptBody) else None
