"""Endpoint filters: a small expression language over an event's fields, parsed, never evaluated
as code.

::

    survey_type = nps and score <= 6
    person.traits.plan in ("pro", "enterprise") and not text contains "refund"

Grammar (keywords are case-insensitive)::

    expression  := conjunction ("or" conjunction)*
    conjunction := negation ("and" negation)*
    negation    := "not" negation | "(" expression ")" | comparison
    comparison  := field ("=" | "!=" | "<" | "<=" | ">" | ">=" | "contains") value
                 | field "in" "(" value ("," value)* ")"
                 | field "exists"
    value       := number | "string" | 'string' | true | false | null | bareword

A field is a dotted path into the event (``person.traits.plan``); a bare word on the right
is a string (``nps``). A missing field is null. Ordering compares numbers with numbers and
strings with strings, anything else is false; ``contains`` finds a substring in a string or
an element in a list. Expressions are bounded in length and nesting, so parsing one cannot
exhaust the stack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 32

Value = str | int | float | bool | None

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]))
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    | (?P<symbol>!=|<=|>=|[=<>(),])
    )""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">=", "contains"})
_KEYWORDS = frozenset({"and", "or", "not", "in", "exists", "contains", "true", "false", "null"})
_CONSTANTS: dict[str, Value] = {"true": True, "false": False, "null": None}


class FilterError(ValueError):
    """An expression that does not parse; the message says where and why."""


@dataclass(frozen=True)
class Token:
    kind: str
    """``number``, ``string``, ``word``, ``symbol`` or ``end``."""
    text: str
    position: int

    @property
    def keyword(self) -> str | None:
        lowered = self.text.lower()
        return lowered if self.kind == "word" and lowered in _KEYWORDS else None


@dataclass(frozen=True)
class Comparison:
    field: str
    operator: str
    values: tuple[Value, ...]

    def matches(self, facts: Mapping[str, Any]) -> bool:
        actual = lookup(facts, self.field)
        if self.operator == "exists":
            return actual is not None
        if self.operator == "in":
            return any(_equal(actual, value) for value in self.values)
        return _compare(actual, self.operator, self.values[0])


@dataclass(frozen=True)
class Not:
    operand: Node

    def matches(self, facts: Mapping[str, Any]) -> bool:
        return not self.operand.matches(facts)


@dataclass(frozen=True)
class BoolOp:
    operator: str
    """``and`` or ``or``."""
    operands: tuple[Node, ...]

    def matches(self, facts: Mapping[str, Any]) -> bool:
        results = (operand.matches(facts) for operand in self.operands)
        return all(results) if self.operator == "and" else any(results)


Node = Comparison | Not | BoolOp


def lookup(facts: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, or None where any part is missing."""
    current: Any = facts
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(actual: Any, expected: Value) -> bool:
    if _is_number(actual) and _is_number(expected):
        return bool(actual == expected)
    return type(actual) is type(expected) and actual == expected


def _compare(actual: Any, operator: str, expected: Value) -> bool:
    if operator == "=":
        return _equal(actual, expected)
    if operator == "!=":
        return not _equal(actual, expected)
    if operator == "contains":
        if isinstance(actual, str):
            return isinstance(expected, str) and expected in actual
        return isinstance(actual, list) and any(_equal(item, expected) for item in actual)
    comparable = (_is_number(actual) and _is_number(expected)) or (
        isinstance(actual, str) and isinstance(expected, str)
    )
    if not comparable:
        return False
    ordered = {"<": actual < expected, "<=": actual <= expected, ">": actual > expected}
    return bool(ordered.get(operator, actual >= expected))


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].isspace():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            offset = len(text[position:]) - len(text[position:].lstrip())
            raise FilterError(f"unexpected character at position {position + offset}")
        tokens.append(
            Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup))
        )
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.current
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def fail(self, expected: str) -> FilterError:
        token = self.current
        found = "the end" if token.kind == "end" else repr(token.text)
        return FilterError(f"expected {expected} at position {token.position}, found {found}")

    def expect_symbol(self, symbol: str) -> None:
        if self.current.kind != "symbol" or self.current.text != symbol:
            raise self.fail(f"'{symbol}'")
        self.advance()

    def expression(self) -> Node:
        return self._chain("or", self.conjunction)

    def conjunction(self) -> Node:
        return self._chain("and", self.negation)

    def _chain(self, keyword: str, operand: Any) -> Node:
        operands = [operand()]
        while self.current.keyword == keyword:
            self.advance()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else BoolOp(keyword, tuple(operands))

    def negation(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"expression is nested deeper than {MAX_DEPTH} levels")
        try:
            if self.current.keyword == "not":
                self.advance()
                return Not(self.negation())
            if self.current.kind == "symbol" and self.current.text == "(":
                self.advance()
                node = self.expression()
                self.expect_symbol(")")
                return node
            return self.comparison()
        finally:
            self.depth -= 1

    def comparison(self) -> Comparison:
        token = self.current
        if token.kind != "word" or token.keyword is not None:
            raise self.fail("a field name")
        self.advance()
        operator = self.current.keyword or (
            self.current.text if self.current.kind == "symbol" else ""
        )
        if operator == "exists":
            self.advance()
            return Comparison(token.text, "exists", ())
        if operator == "in":
            self.advance()
            return Comparison(token.text, "in", self.value_list())
        if operator not in _COMPARISONS:
            raise self.fail("an operator (=, !=, <, <=, >, >=, contains, in, exists)")
        self.advance()
        return Comparison(token.text, operator, (self.value(),))

    def value_list(self) -> tuple[Value, ...]:
        self.expect_symbol("(")
        values = [self.value()]
        while self.current.kind == "symbol" and self.current.text == ",":
            self.advance()
            values.append(self.value())
        self.expect_symbol(")")
        return tuple(values)

    def value(self) -> Value:
        token = self.current
        if token.kind == "number":
            self.advance()
            return _number(token)
        if token.kind == "string":
            self.advance()
            return _ESCAPE.sub(r"\1", token.text[1:-1])
        if token.keyword in _CONSTANTS:
            self.advance()
            return _CONSTANTS[token.text.lower()]
        if token.kind == "word" and token.keyword is None:
            self.advance()
            return token.text
        raise self.fail("a value")


def _number(token: Token) -> int | float:
    if re.fullmatch(r"-?\d+", token.text):
        return int(token.text)
    number = float(token.text)
    if not math.isfinite(number):
        raise FilterError(f"number at position {token.position} is out of range")
    return number


def parse(text: str) -> Node:
    """The expression's tree, or :class:`FilterError` naming the position of the problem."""
    if len(text) > MAX_LENGTH:
        raise FilterError(f"expression is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise FilterError("expression is empty")
    parser = _Parser(tokenize(text))
    node = parser.expression()
    if parser.current.kind != "end":
        raise parser.fail("'and', 'or' or the end")
    return node


def render(node: Node) -> str:
    """The expression in canonical form; ``parse(render(node)) == node``."""
    if isinstance(node, Not):
        return f"not {_operand(node.operand)}"
    if isinstance(node, BoolOp):
        return f" {node.operator} ".join(_operand(operand) for operand in node.operands)
    if node.operator == "exists":
        return f"{node.field} exists"
    if node.operator == "in":
        return f"{node.field} in ({', '.join(map(_literal, node.values))})"
    return f"{node.field} {node.operator} {_literal(node.values[0])}"


def _operand(node: Node) -> str:
    """A nested ``and``/``or`` keeps its parentheses, so the tree reads back the same."""
    return f"({render(node)})" if isinstance(node, BoolOp) else render(node)


def _literal(value: Value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


@lru_cache(maxsize=1024)
def compiled(expression: str) -> Node:
    """:func:`parse`, remembered: the outbox checks the same few filters on every batch."""
    return parse(expression)


def matches(expression: str | None, facts: Mapping[str, Any]) -> bool:
    """Whether an event with these facts passes the filter (no filter passes everything)."""
    return expression is None or compiled(expression).matches(facts)
