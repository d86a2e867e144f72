"""Audience rules: who an experience is for, checked against what is known of one person.

Every rule is checked for shape with :func:`rule_error` before it is evaluated, so the
evaluators can trust a rule's fields, and a malformed rule fails instead of being skipped:
a broken rule must never widen an audience. Trait values come from customers' apps and are
untrusted, so comparing incompatible types (``"10"`` with ``5``, ``true`` with ``1``) is
false, never an exception. A trait set to null counts as missing.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from collector.kit.project_settings import is_count
from collector.targeting.facts import Decision, PageFacts, PersonFacts, Reason
from collector.targeting.urls import pattern_error, url_matches

EVENT_OPS = ("did", "did_not")
PASSES_WHEN_MISSING = ("neq", "not_in", "not_exists")
"""The trait operators that hold for a person who does not have the trait at all."""

Problem = tuple[str, str]
Holds = Callable[[Mapping[str, Any], PersonFacts, PageFacts, datetime], bool]


@dataclass(frozen=True, slots=True)
class _RuleType:
    problems: Callable[[Mapping[str, Any]], Iterator[Problem]]
    holds: Holds
    reason: Reason = "not_in_audience"


def audience_decision(
    audience: Mapping[str, Any] | None, person: PersonFacts, page: PageFacts, *, now: datetime
) -> Decision:
    """Whether the person is in ``audience`` now; the first failing rule is the reason.

    No audience, or one without rules, is everyone. ``sample_percent`` is not checked here.
    """
    return Audience.of(audience).decision(person, page, now=now)


@dataclass(frozen=True, slots=True)
class Audience:
    """An audience whose rules were checked for shape once, to be decided for many persons.

    Checking a rule's shape (:func:`rule_error`) costs more than evaluating it, and an
    experience's audience is the same for every person: delivery keeps one of these per
    live experience instead of checking every rule again on every request.
    """

    checks: tuple[tuple[Any, Holds | None, Decision], ...]
    """Each rule, how it is evaluated (None when it is malformed), the decision if it fails."""
    malformed: bool = False
    """Whether the audience itself is malformed: then nobody is in it."""

    @classmethod
    def of(cls, audience: Any) -> Audience:
        rules = _rules_of(audience)
        if rules is None:
            return cls((), malformed=True)
        return cls(tuple(_check(rule) for rule in rules))

    def decision(self, person: PersonFacts, page: PageFacts, *, now: datetime) -> Decision:
        """As :func:`audience_decision`: the first malformed or failing rule is the reason."""
        if self.malformed:
            return Decision.no("not_in_audience")
        for rule, holds, refusal in self.checks:
            if holds is None or not holds(rule, person, page, now):
                return refusal
        return Decision.yes()


def _rules_of(audience: Any) -> Sequence[Any] | None:
    """The audience's rules, or None when the audience itself is malformed."""
    if audience is None:
        return ()
    if not isinstance(audience, Mapping):
        return None
    rules = audience.get("rules")
    if rules is None:
        return ()
    return rules if isinstance(rules, list | tuple) else None


def _check(rule: Any) -> tuple[Any, Holds | None, Decision]:
    if rule_error(rule) is not None:
        return rule, None, Decision.no("not_in_audience", rule=_mapping_or_none(rule))
    rule_type = _TYPES[rule["type"]]
    return rule, rule_type.holds, Decision.no(rule_type.reason, rule=rule)


def _mapping_or_none(rule: Any) -> Mapping[str, Any] | None:
    return rule if isinstance(rule, Mapping) else None


def rule_error(rule: Any) -> dict[str, list[str]] | None:
    """Why one audience rule is malformed, field by field, or None when it is usable."""
    errors: dict[str, list[str]] = {}
    for field, message in _problems(rule):
        errors.setdefault(field, []).append(message)
    return errors or None


def _problems(rule: Any) -> Iterator[Problem]:
    if not isinstance(rule, Mapping):
        yield "_schema", "must be an object"
        return
    kind = rule.get("type")
    rule_type = _TYPES.get(kind) if isinstance(kind, str) else None
    if rule_type is None:
        yield "type", _one_of(tuple(_TYPES))
        return
    yield from rule_type.problems(rule)


def _one_of(choices: Sequence[str]) -> str:
    return "must be one of: " + ", ".join(choices)


def _field(
    rule: Mapping[str, Any], name: str, valid: Callable[[Any], bool], message: str
) -> Iterator[Problem]:
    if name not in rule:
        yield name, "is required"
    elif not valid(rule[name]):
        yield name, message


def _optional_count(rule: Mapping[str, Any], name: str, minimum: int) -> Iterator[Problem]:
    value = rule.get(name)
    if value is not None and not (is_count(value) and value >= minimum):
        yield name, f"must be a whole number of at least {minimum}"


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | bool) or _is_number(value)


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(_is_scalar(item) for item in value)


# --- traits -------------------------------------------------------------------------------


def _trait_problems(rule: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _field(rule, "name", _is_text, "must be a non-empty string")
    yield from _field(rule, "op", lambda op: op in TRAIT_OPS, _one_of(TRAIT_OPS))
    op = rule.get("op")
    if op in ("in", "not_in"):
        message = "must be a list of strings, numbers or booleans"
        yield from _field(rule, "value", _is_scalar_list, message)
    elif op in ("gt", "gte", "lt", "lte"):
        yield from _field(rule, "value", _is_orderable, "must be a number or a string")
    elif op in ("eq", "neq", "contains"):
        yield from _field(rule, "value", _is_scalar, "must be a string, a number or a boolean")


def _is_orderable(value: Any) -> bool:
    return _is_number(value) or isinstance(value, str)


def _trait_holds(rule: Mapping[str, Any], person: PersonFacts, _: PageFacts, __: datetime) -> bool:
    return _op_holds(rule["op"], person.traits.get(rule["name"]), rule.get("value"))


def _account_trait_holds(
    rule: Mapping[str, Any], person: PersonFacts, _: PageFacts, __: datetime
) -> bool:
    # A person in no account has every account trait missing, like a person without a trait.
    accounts = person.account_traits or ({},)
    name, op, value = rule["name"], rule["op"], rule.get("value")
    return any(_op_holds(op, account.get(name), value) for account in accounts)


def _op_holds(op: str, actual: Any, expected: Any) -> bool:
    if actual is None:
        return op in PASSES_WHEN_MISSING
    return _OPERATORS[op](actual, expected)


def _equal(actual: Any, expected: Any) -> bool:
    """JSON equality: ``true`` is not ``1``."""
    return isinstance(actual, bool) == isinstance(expected, bool) and bool(actual == expected)


def _member(actual: Any, choices: Sequence[Any]) -> bool:
    return any(_equal(actual, choice) for choice in choices)


def _ordered(compare: Callable[[Any, Any], bool], actual: Any, expected: Any) -> bool:
    """Numbers with numbers and strings with strings (ISO dates order as strings)."""
    both_numbers = _is_number(actual) and _is_number(expected)
    both_strings = isinstance(actual, str) and isinstance(expected, str)
    return (both_numbers or both_strings) and compare(actual, expected)


def _contains(actual: Any, expected: Any) -> bool:
    """A substring of a string trait, or a member of a list trait."""
    if isinstance(actual, str):
        return isinstance(expected, str) and expected in actual
    return isinstance(actual, list | tuple) and _member(expected, actual)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _equal,
    "neq": lambda actual, expected: not _equal(actual, expected),
    "in": _member,
    "not_in": lambda actual, expected: not _member(actual, expected),
    "gt": partial(_ordered, operator.gt),
    "gte": partial(_ordered, operator.ge),
    "lt": partial(_ordered, operator.lt),
    "lte": partial(_ordered, operator.le),
    "contains": _contains,
    "exists": lambda actual, expected: True,
    "not_exists": lambda actual, expected: False,
}
TRAIT_OPS = tuple(_OPERATORS)


# --- events and first seen -----------------------------------------------------------------


def _event_problems(rule: Mapping[str, Any]) -> Iterator[Problem]:
    yield from _field(rule, "event", _is_text, "must be a non-empty string")
    yield from _field(rule, "op", lambda op: op in EVENT_OPS, _one_of(EVENT_OPS))
    yield from _optional_count(rule, "min_count", 1)
    yield from _optional_count(rule, "within_days", 1)


def _event_holds(rule: Mapping[str, Any], person: PersonFacts, _: PageFacts, now: datetime) -> bool:
    days = person.event_days.get(rule["event"], {})
    did = _event_count(days, rule.get("within_days"), now) >= (rule.get("min_count") or 1)
    return did if rule["op"] == "did" else not did


def _event_count(days: Mapping[date, int], within_days: int | None, now: datetime) -> int:
    """Times done in the last ``within_days`` UTC days including today, or ever."""
    if within_days is None:
        return sum(days.values())
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=within_days - 1)
    return sum(count for day, count in days.items() if first <= day <= today)


def _first_seen_problems(rule: Mapping[str, Any]) -> Iterator[Problem]:
    low, high = rule.get("min_days"), rule.get("max_days")
    if low is None and high is None:
        yield "min_days", "min_days or max_days is required"
    yield from _optional_count(rule, "min_days", 0)
    yield from _optional_count(rule, "max_days", 0)
    if is_count(low) and is_count(high) and low > high:
        yield "min_days", "must not be greater than max_days"


def _first_seen_holds(
    rule: Mapping[str, Any], person: PersonFacts, _: PageFacts, now: datetime
) -> bool:
    """Whole days since first seen (floored) within ``min_days``…``max_days``, both included."""
    if person.first_seen_at is None:
        return False
    age = (now - person.first_seen_at).days
    low, high = rule.get("min_days"), rule.get("max_days")
    return (low is None or age >= low) and (high is None or age <= high)


# --- page ---------------------------------------------------------------------------------


def _url_problems(rule: Mapping[str, Any]) -> Iterator[Problem]:
    pattern = rule.get("pattern")
    if "pattern" not in rule:
        yield "pattern", "is required"
    elif not isinstance(pattern, str):
        yield "pattern", "must be a string"
    elif (error := pattern_error(pattern)) is not None:
        yield "pattern", error


def _url_holds(rule: Mapping[str, Any], _: PersonFacts, page: PageFacts, __: datetime) -> bool:
    return page.url is not None and url_matches(rule["pattern"], page.url)


def _locale_problems(rule: Mapping[str, Any]) -> Iterator[Problem]:
    def valid(tags: Any) -> bool:
        return isinstance(tags, list | tuple) and bool(tags) and all(map(_is_text, tags))

    yield from _field(rule, "in", valid, "must be a non-empty list of locale tags")


def _locale_holds(rule: Mapping[str, Any], _: PersonFacts, page: PageFacts, __: datetime) -> bool:
    """``he`` in the rule takes ``he``, ``he-IL`` and ``he_IL``; ``he-IL`` takes only ``he-IL``."""
    if page.locale is None:
        return False
    tag = _normal_locale(page.locale)
    wanted = (_normal_locale(choice) for choice in rule["in"])
    return any(tag == choice or tag.startswith(choice + "-") for choice in wanted)


def _normal_locale(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


_TYPES: dict[str, _RuleType] = {
    "trait": _RuleType(_trait_problems, _trait_holds),
    "account_trait": _RuleType(_trait_problems, _account_trait_holds),
    "event": _RuleType(_event_problems, _event_holds),
    "first_seen": _RuleType(_first_seen_problems, _first_seen_holds),
    "url": _RuleType(_url_problems, _url_holds, "wrong_page"),
    "locale": _RuleType(_locale_problems, _locale_holds, "wrong_locale"),
}
RULE_TYPES = tuple(_TYPES)
