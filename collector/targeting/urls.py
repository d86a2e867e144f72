"""URL patterns of targeting rules, triggers and multi-page tour steps.

A pattern is a path (``/app/*``) or a full URL (``https://app.example.com/reports/*``);
``*`` matches any run of characters and everything else matches literally, so a pattern
never needs escaping and can never be a slow regular expression.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

MAX_PATTERN_LENGTH = 2048


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable URL pattern, or None when it is."""
    if not pattern:
        return "must not be empty"
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"must be at most {MAX_PATTERN_LENGTH} characters"
    if any(character.isspace() for character in pattern):
        return "must not contain whitespace"
    if pattern.startswith(("http://", "https://")):
        host = urlsplit(pattern.replace("*", "x")).netloc
        return None if host else "must name a host after the scheme"
    if not pattern.startswith("/"):
        return "must start with /, http:// or https://"
    return None


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if part == "*" else re.escape(part) for part in _split(pattern)))


def _split(pattern: str) -> list[str]:
    return [part for part in re.split(r"(\*)", pattern) if part]


def url_matches(pattern: str, url: str) -> bool:
    """Whether the page ``url`` (a full URL or a path) matches ``pattern``.

    A path pattern is compared with the URL's path; a trailing ``/`` is not significant.
    """
    target = url if pattern.startswith(("http://", "https://")) else _path_of(url)
    compiled = _compiled(pattern.rstrip("/") or "/")
    bare = target.rstrip("/")
    # Tried with the slash put back too: ``/app/*`` takes ``/app/``, its ``*`` matching nothing.
    return any(compiled.fullmatch(form) is not None for form in (bare or "/", bare + "/"))


def _path_of(url: str) -> str:
    if url.startswith("/"):
        return url.split("?", 1)[0].split("#", 1)[0]
    return urlsplit(url).path or "/"
