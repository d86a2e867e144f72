"""Endpoint filters: what each operator selects, how bad expressions are named, and that no
input, however odd, does anything but parse or refuse."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.webhooks.filters import (
    MAX_DEPTH,
    MAX_LENGTH,
    BoolOp,
    Comparison,
    FilterError,
    Node,
    Not,
    matches,
    parse,
    render,
    tokenize,
)

NPS_DETRACTOR = {
    "survey_type": "nps",
    "score": 3,
    "text": "Too slow, I want a refund",
    "choices": ["speed", "price"],
    "person": {"traits": {"plan": "pro", "seats": 12}},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("survey_type = nps and score <= 6", True),
        ("survey_type = nps and score > 6", False),
        ("survey_type != csat", True),
        ("score < 3", False),
        ("score >= 3", True),
        ("score = 3.0", True),
        ("text contains 'refund'", True),
        ("choices contains speed", True),
        ("choices contains 'support'", False),
        ("person.traits.plan in (pro, enterprise)", True),
        ("person.traits.plan in ('free')", False),
        ("person.traits.seats > 10 or score = 10", True),
        ("not (score <= 6)", False),
        ("NOT score > 6 AND survey_type = nps", True),
        ("person.traits.plan exists", True),
        ("person.traits.region exists", False),
        ("person.traits.region = null", True),
        ("person.traits.region != 'EU'", True),
    ],
)
def test_expressions_select_the_events_they_describe(expression: str, expected: bool) -> None:
    assert matches(expression, NPS_DETRACTOR) is expected


def test_no_filter_passes_every_event() -> None:
    assert matches(None, {}) is True


def test_and_binds_tighter_than_or() -> None:
    assert matches("score = 10 or score = 3 and survey_type = nps", NPS_DETRACTOR) is True
    assert matches("(score = 10 or score = 3) and survey_type = csat", NPS_DETRACTOR) is False


@pytest.mark.parametrize(
    "expression",
    ["score < 'high'", "text > 5", "person.traits < 3", "score contains 3", "text contains 3"],
)
def test_comparisons_across_types_are_false(expression: str) -> None:
    assert matches(expression, NPS_DETRACTOR) is False


def test_strings_order_alphabetically() -> None:
    assert matches("survey_type < 'zzz'", NPS_DETRACTOR) is True


def test_booleans_are_not_numbers() -> None:
    assert matches("flag = 1", {"flag": True}) is False
    assert matches("flag = true", {"flag": True}) is True
    assert matches("flag = false", {"flag": True}) is False


def test_a_path_through_a_non_object_is_missing() -> None:
    assert matches("text.length exists", NPS_DETRACTOR) is False


def test_quoted_strings_keep_escaped_quotes() -> None:
    assert matches(r'text = "say \"hi\""', {"text": 'say "hi"'}) is True


def test_numbers_parse_as_ints_floats_and_exponents() -> None:
    node = parse("a in (1, -2.5, 3e2)")
    assert isinstance(node, Comparison)
    assert node.values == (1, -2.5, 300.0)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "expression is empty"),
        ("   ", "expression is empty"),
        ("score <=", "expected a value at position 8, found the end"),
        ("score ~ 3", "unexpected character at position 6"),
        ("score 3", "expected an operator"),
        ("= 3", "expected a field name at position 0"),
        ("and = 3", "expected a field name at position 0"),
        ("(score = 3", "expected ')' at position 10"),
        ("score = 3 score = 4", "expected 'and', 'or' or the end at position 10"),
        ("score in 3", "expected '(' at position 9"),
        ("score = and", "expected a value at position 8"),
        ("score = 1e999", "number at position 8 is out of range"),
        ("score = 6and", "unexpected character at position 8"),
    ],
)
def test_bad_expressions_are_refused_saying_where(expression: str, message: str) -> None:
    with pytest.raises(FilterError, match=re.escape(message)):
        parse(expression)


def test_an_expression_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(FilterError, match="longer than"):
        parse("a = 1 or " * (MAX_LENGTH // 9) + "a = 1")


def test_nesting_deeper_than_the_limit_is_refused_without_exhausting_the_stack() -> None:
    with pytest.raises(FilterError, match="nested deeper"):
        parse("not " * (MAX_DEPTH + 1) + "a = 1")
    with pytest.raises(FilterError, match="nested deeper"):
        parse("(" * (MAX_DEPTH + 1) + "a = 1" + ")" * (MAX_DEPTH + 1))


def test_tokens_carry_their_positions() -> None:
    assert [(t.kind, t.position) for t in tokenize(" a >= 'x' ")] == [
        ("word", 1),
        ("symbol", 3),
        ("string", 6),
        ("end", 10),
    ]


def test_render_writes_the_canonical_form() -> None:
    tree = parse("not a = 1 and (b in (x, 2) or c exists) and d != null and e = true")
    assert render(tree) == ('not a = 1 and (b in ("x", 2) or c exists) and d != null and e = true')


# --- fuzzing: every input parses or is refused with FilterError, nothing else -----------------

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
)
fields = st.from_regex(r"[a-z_][a-z0-9_]{0,5}(\.[a-z0-9_]{1,4}){0,2}", fullmatch=True).filter(
    lambda name: (
        name.lower()
        not in {"and", "or", "not", "in", "exists", "contains", "true", "false", "null"}
    )
)
comparisons = st.one_of(
    st.builds(
        lambda f, op, v: Comparison(f, op, (v,)),
        fields,
        st.sampled_from(["=", "!=", "<", "<=", ">", ">=", "contains"]),
        values,
    ),
    st.builds(
        lambda f, vs: Comparison(f, "in", tuple(vs)),
        fields,
        st.lists(values, min_size=1, max_size=3),
    ),
    st.builds(lambda f: Comparison(f, "exists", ()), fields),
)
trees: st.SearchStrategy[Node] = st.recursive(
    comparisons,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(
            lambda op, xs: BoolOp(op, tuple(xs)),
            st.sampled_from(["and", "or"]),
            st.lists(inner, min_size=2, max_size=3),
        ),
    ),
    max_leaves=6,
)
json_values: st.SearchStrategy[Any] = st.recursive(
    values,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(st.text(max_size=200))
def test_any_text_parses_or_is_refused_with_a_filter_error(text: str) -> None:
    with contextlib.suppress(FilterError):
        parse(text)


@given(st.text(alphabet="ab=!<>()'\" ,.0123456789-notandorinexists", max_size=60))
def test_text_made_of_the_language_parses_or_is_refused(text: str) -> None:
    with contextlib.suppress(FilterError):
        parse(text)


@given(trees)
def test_rendered_trees_parse_back_to_themselves(tree: Node) -> None:
    assert parse(render(tree)) == tree


@given(trees, st.dictionaries(st.text(max_size=4), json_values, max_size=4))
def test_evaluating_any_filter_on_any_event_answers_a_boolean(
    tree: Node, facts: dict[str, Any]
) -> None:
    assert isinstance(tree.matches(facts), bool)
