"""Localised texts: a string in the definition's default locale, or locale → string.

Pure functions shared by validation (every text must carry the default locale) and by
delivery (every text resolved to the user's locale). Which fields of a definition are
texts is listed once, in ``TEXT_PATHS``, so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

DEFAULT_LOCALE = "en"
MAX_TEXT_LENGTH = 5000
MAX_LOCALE_LENGTH = 35
"""The longest locale tag kept (``survey_responses.locale`` has room for 35)."""

# A BCP 47 tag as apps send it: lowercase language, then subtags (pt-BR, zh-Hant-TW, es-419).
_LOCALE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

Path = tuple[str | int, ...]

TEXT_PATHS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "flow": (
        ("steps", "*", "title"),
        ("steps", "*", "body"),
        ("steps", "*", "buttons", "next"),
        ("steps", "*", "buttons", "back"),
        ("steps", "*", "buttons", "done"),
        ("items", "*", "title"),
        ("items", "*", "description"),
        ("completion_message",),
        ("links", "*", "title"),
        ("links", "*", "description"),
    ),
    "survey": (
        ("question",),
        ("follow_up", "detractor"),
        ("follow_up", "passive"),
        ("follow_up", "promoter"),
        ("follow_up", "default"),
        ("questions", "*", "text"),
        ("questions", "*", "choices", "*", "label"),
    ),
}
"""Where the texts a user reads sit in a definition of each kind; ``*`` is every list item."""


def locale_error(tag: object) -> str | None:
    """Why ``tag`` is not a locale tag such as ``en``, ``he`` or ``pt-BR``, or None."""
    if not isinstance(tag, str) or not _LOCALE_TAG.fullmatch(tag):
        return "must be a locale tag such as en, he or pt-BR"
    if len(tag) > MAX_LOCALE_LENGTH:
        return f"must be at most {MAX_LOCALE_LENGTH} characters"
    return None


def _string_error(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be a non-empty string"
    if len(value) > MAX_TEXT_LENGTH:
        return f"must be at most {MAX_TEXT_LENGTH} characters"
    return None


def text_error(value: object, default_locale: str | None = None) -> str | None:
    """Why ``value`` is not a localised text, or None when it is.

    With ``default_locale``, an object of translations must include that locale; without
    it only the shape is checked (the schemas check the locale once the whole definition,
    and so its ``default_locale``, is known).
    """
    if isinstance(value, str):
        return _string_error(value)
    if not isinstance(value, dict) or not value:
        return "must be a string or a non-empty object of locale to string"
    for locale, text in value.items():
        problem = locale_error(locale) or _string_error(text)
        if problem is not None:
            return f"{locale}: {problem}"
    if default_locale is not None and default_locale not in value:
        return f"must include the default locale {default_locale!r}"
    return None


def _subtags(locale: str) -> list[str]:
    """``zh_Hant-TW`` → ``["zh", "hant", "tw"]``: apps send both separators, any case."""
    return locale.replace("_", "-").lower().split("-")


def _fallbacks(locale: str) -> Iterator[str]:
    """``zh-Hant-TW``, then ``zh-Hant``, then ``zh``."""
    parts = _subtags(locale)
    for end in range(len(parts), 0, -1):
        yield "-".join(parts[:end])


def resolve_text(value: str | Mapping[str, str], locale: str | None, default_locale: str) -> str:
    """The text to show a user of ``locale``: ``he-IL`` → ``he`` → same language → default.

    A text with no translation in the user's language shows in the default locale; one
    with a translation for another region of it (``pt-BR`` for a ``pt-PT`` user) shows
    that, since it is closer than the default. Matching ignores case.
    """
    if isinstance(value, str):
        return value
    by_tag = {tag.lower(): text for tag, text in value.items()}
    if locale:
        for candidate in _fallbacks(locale):
            if candidate in by_tag:
                return by_tag[candidate]
        language = _subtags(locale)[0]
        for tag, text in by_tag.items():
            if _subtags(tag)[0] == language:
                return text
    return by_tag.get(default_locale.lower(), next(iter(value.values()), ""))


def _walk(node: Any, path: tuple[str, ...], at: Path) -> Iterator[tuple[Path, Any]]:
    if not path:
        yield at, node
    elif path[0] == "*":
        for index, item in enumerate(node if isinstance(node, list) else ()):
            yield from _walk(item, path[1:], (*at, index))
    elif isinstance(node, dict) and node.get(path[0]) is not None:
        yield from _walk(node[path[0]], path[1:], (*at, path[0]))


def texts_of(definition: Mapping[str, Any], kind: str) -> Iterator[tuple[Path, Any]]:
    """Every text of a ``flow`` or ``survey`` definition, with where it sits."""
    for path in TEXT_PATHS[kind]:
        yield from _walk(definition, path, ())


def localize(definition: Mapping[str, Any], kind: str, locale: str | None) -> dict[str, Any]:
    """A copy of a stored ``flow`` or ``survey`` definition with every text resolved.

    Everything that is not a text (ids, targets, triggers) is kept unchanged, so the
    result has the stored shape with plain strings where translations were. Only the
    objects and lists on the way to a translation are copied; the rest (a trigger, a
    step whose texts are all plain strings) is shared with ``definition``, which is never
    changed: change no more than the result's top level.
    """
    default_locale = definition.get("default_locale") or DEFAULT_LOCALE

    def resolve(value: Any) -> str:
        return resolve_text(value, locale, default_locale)

    localized: dict[str, Any] = dict(definition)
    for path in TEXT_PATHS[kind]:
        localized = _resolved(localized, path, resolve)
    return localized


def _resolved(node: Any, path: tuple[str, ...], resolve: Callable[[Any], str]) -> Any:
    """``node`` with the texts at ``path`` resolved, copied only where a text changes."""
    if not path:
        return node if isinstance(node, str) else resolve(node)
    if path[0] == "*":
        if not isinstance(node, list):
            return node
        items = [_resolved(item, path[1:], resolve) for item in node]
        return node if all(new is old for new, old in zip(items, node, strict=True)) else items
    if not isinstance(node, dict) or node.get(path[0]) is None:
        return node
    value = _resolved(node[path[0]], path[1:], resolve)
    return node if value is node[path[0]] else {**node, path[0]: value}
