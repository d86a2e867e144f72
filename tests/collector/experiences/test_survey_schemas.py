"""Survey definitions: defaults of NPS, CSAT and CES, and each refusal by field."""

from __future__ import annotations

from typing import Any

import pytest

from collector.experiences.schemas import load_experience
from collector.experiences.schemas.surveys import CES_QUESTION, CSAT_QUESTION, NPS_QUESTION
from tests.collector.experiences.helpers import assert_refused_at
from tests.factories import nps


def csat(**fields: Any) -> dict[str, Any]:
    return {"name": "CSAT", "type": "csat", **fields}


def ces(**fields: Any) -> dict[str, Any]:
    return {"name": "CES", "type": "ces", **fields}


def text_question(question_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": question_id, "type": "text", "text": "Anything else?", **fields}


def choice_question(question_id: str, *choice_ids: str, **fields: Any) -> dict[str, Any]:
    choices = [{"id": choice, "label": choice.title()} for choice in choice_ids]
    return {
        "id": question_id,
        "type": "single_choice",
        "text": "Why?",
        "choices": choices,
        **fields,
    }


REFUSALS = [
    pytest.param(nps(type="poll"), "type", "must be one of: nps, csat, ces", id="unknown type"),
    pytest.param(nps(type="tour"), "type", "must be one of", id="flow type"),
    pytest.param({"name": "NPS"}, "type", "must be one of", id="no type"),
    pytest.param(nps(scale={"min": 1, "max": 5}), "scale", "always", id="nps on 1-5"),
    pytest.param(csat(scale={}), "scale.min", "Missing", id="empty scale"),
    pytest.param(csat(scale={"min": 3, "max": 3}), "scale.max", "greater", id="one-point scale"),
    pytest.param(csat(scale={"min": 5, "max": 1}), "scale.max", "greater", id="inverted scale"),
    pytest.param(csat(scale={"min": 1, "max": 7}), "scale", "binary", id="csat on 1-7"),
    pytest.param(csat(scale={"binary": True, "min": 1}), "scale.binary", "0 to 1", id="binary 1"),
    pytest.param(csat(scale={"binary": "yes"}), "scale.binary", "true or false", id="binary yes"),
    pytest.param(csat(scale={"min": 1, "max": 5, "step": 1}), "scale.step", "Unknown", id="step"),
    pytest.param(csat(dimensions=["price"]), "dimensions.0", "one of", id="price dimension"),
    pytest.param(
        csat(dimensions=["product", "service", "product"]),
        "dimensions",
        "at most 2 dimensions",
        id="three dimensions",
    ),
    pytest.param(csat(dimensions=["service"] * 2), "dimensions", "repeat", id="same dimension"),
    pytest.param(nps(dimensions=["product"]), "dimensions", "Unknown", id="nps dimensions"),
    pytest.param(ces(scale={"min": 1, "max": 5}), "scale", '1, "max": 7', id="ces on 1-5"),
    pytest.param(ces(scale={"min": 0, "max": 10}), "scale", "10", id="ces on 0-10"),
    pytest.param(ces(scale={"min": "1", "max": 7}), "scale.min", "integer", id="string min"),
    pytest.param(ces(scale={"min": 1.5, "max": 7}), "scale.min", "integer", id="fractional"),
    pytest.param(nps(position="top"), "position", "one of: corner, center", id="top position"),
    pytest.param(nps(position=None), "position", "null", id="null position"),
    pytest.param(
        nps(questions=[{"id": "why", "type": "single_choice", "text": "Why?"}]),
        "questions.0.choices",
        "at least one choice",
        id="choice question without choices",
    ),
    pytest.param(
        nps(questions=[choice_question("why")]),
        "questions.0.choices",
        "at least one choice",
        id="choice question with no choices",
    ),
    pytest.param(
        nps(questions=[text_question("more", choices=[{"id": "a", "label": "A"}])]),
        "questions.0.choices",
        "no choices",
        id="text question with choices",
    ),
    pytest.param(
        nps(questions=[text_question("more", type="rating")]),
        "questions.0.type",
        "one of",
        id="rating question",
    ),
    pytest.param(
        nps(questions=[{"id": "more", "type": "text"}]),
        "questions.0.text",
        "Missing",
        id="question without text",
    ),
    pytest.param(
        nps(questions=[{"type": "text", "text": "More?"}]),
        "questions.0.id",
        "Missing",
        id="question without id",
    ),
    pytest.param(
        nps(questions=[text_question("a"), text_question("a")]),
        "questions.1.id",
        "earlier",
        id="duplicate question ids",
    ),
    pytest.param(
        nps(questions=[choice_question("why", "a", "a")]),
        "questions.0.choices.1.id",
        "earlier",
        id="duplicate choice ids",
    ),
    pytest.param(
        nps(questions=[text_question("end")]), "questions.0.id", "reserved", id="question end"
    ),
    pytest.param(
        nps(questions=[choice_question("why", "default")]),
        "questions.0.choices.0.id",
        "reserved",
        id="choice default",
    ),
    pytest.param(
        nps(questions=[choice_question("why", "a", next={"a": "nowhere"})]),
        "questions.0.next",
        "no question 'nowhere'",
        id="branch to unknown question",
    ),
    pytest.param(
        nps(questions=[text_question("a"), text_question("b", next={"default": "a"})]),
        "questions.1.next",
        "branches go forward",
        id="branch backwards",
    ),
    pytest.param(
        nps(questions=[text_question("a", next={"default": "a"})]),
        "questions.0.next",
        "branches go forward",
        id="branch to itself",
    ),
    pytest.param(
        nps(questions=[choice_question("why", "a", next={"b": "end"})]),
        "questions.0.next",
        "b: must be 'default' or a choice id",
        id="branch on unknown choice",
    ),
    pytest.param(
        nps(questions=[text_question("more", next={"yes": "end"})]),
        "questions.0.next",
        "yes: must be",
        id="text question branching on a choice",
    ),
    pytest.param(
        nps(questions=[choice_question("why", "a", type="multiple_choice", next={"a": "end"})]),
        "questions.0.next",
        "single_choice",
        id="multiple choice branching on a choice",
    ),
    pytest.param(
        nps(questions=[text_question(str(n)) for n in range(21)]),
        "questions",
        "at most 20 questions",
        id="21 questions",
    ),
    pytest.param(
        nps(follow_up={"neutral": "Hmm?"}), "follow_up.neutral", "Unknown", id="neutral group"
    ),
    pytest.param(
        csat(follow_up={"detractor": "Why?"}),
        "follow_up.detractor",
        "Unknown",
        id="csat detractor",
    ),
    pytest.param(nps(question=""), "question", "non-empty", id="empty question"),
    pytest.param(
        nps(question={"he": "?"}), "question", "default locale 'en'", id="question without en"
    ),
    pytest.param(
        nps(
            questions=[
                choice_question("why", "a") | {"choices": [{"id": "a", "label": {"zh": "甲"}}]}
            ]
        ),
        "questions.0.choices.0.label",
        "default locale 'en'",
        id="choice label without en",
    ),
    pytest.param(
        nps(throttle={"reask_days": -1}), "throttle.reask_days", "greater", id="negative reask"
    ),
    pytest.param(
        nps(throttle={"max_dismissals": 0}), "throttle.max_dismissals", "greater", id="0 dismissals"
    ),
    pytest.param(
        nps(throttle={"show_once": True}), "throttle.show_once", "Unknown", id="survey show once"
    ),
]


@pytest.mark.parametrize(("body", "path", "words"), REFUSALS)
def test_survey_refusal_names_the_field(body: dict[str, Any], path: str, words: str) -> None:
    assert_refused_at("survey", body, path, words)


def test_minimal_nps_is_accepted_with_every_default() -> None:
    assert load_experience("survey", nps()) == {
        "name": "NPS",
        "type": "nps",
        "status": "live",
        "priority": 0,
        "default_locale": "en",
        "audience": {"rules": [], "sample_percent": 100},
        "trigger": {"type": "page_load"},
        "theme": {},
        "follow_up": {},
        "questions": [],
        "throttle": {"reask_days": 90, "max_dismissals": 3},
        "question": NPS_QUESTION,
        "scale": {"min": 0, "max": 10},
        "position": "corner",
    }


def test_survey_may_show_as_a_centred_modal() -> None:
    assert load_experience("survey", csat(position="center"))["position"] == "center"


def test_nps_default_question_is_the_doc_s() -> None:
    assert NPS_QUESTION == "How likely are you to recommend us to a friend or colleague?"


def test_nps_keeps_follow_ups_by_group() -> None:
    follow_up = {
        "detractor": {"en": "What let you down?", "he": "מה אכזב?"},
        "passive": "What would make it a 10?",
        "promoter": "What do you love?",
        "default": "Why?",
    }
    assert load_experience("survey", nps(follow_up=follow_up))["follow_up"] == follow_up


def test_csat_defaults_to_one_to_five_without_dimensions() -> None:
    loaded = load_experience("survey", csat())
    assert (loaded["scale"], loaded["dimensions"], loaded["question"]) == (
        {"min": 1, "max": 5},
        [],
        CSAT_QUESTION,
    )


def test_binary_csat_is_stored_as_zero_to_one() -> None:
    loaded = load_experience("survey", csat(scale={"binary": True}))
    assert loaded["scale"] == {"min": 0, "max": 1, "binary": True}


def test_csat_may_ask_about_product_and_service() -> None:
    loaded = load_experience("survey", csat(dimensions=["product", "service"]))
    assert loaded["dimensions"] == ["product", "service"]


def test_ces_defaults_to_one_to_seven() -> None:
    loaded = load_experience("survey", ces())
    assert (loaded["scale"], loaded["question"]) == ({"min": 1, "max": 7}, CES_QUESTION)


def test_ces_may_use_one_to_ten() -> None:
    assert load_experience("survey", ces(scale={"min": 1, "max": 10}))["scale"]["max"] == 10


def test_branches_may_skip_forward_and_end() -> None:
    questions = [
        choice_question("why", "price", "speed", next={"price": "cost", "default": "end"}),
        text_question("speed"),
        text_question("cost", next={"default": "end"}),
    ]
    loaded = load_experience("survey", nps(questions=questions))
    assert loaded["questions"][0]["next"] == {"price": "cost", "default": "end"}


def test_multiple_choice_question_keeps_its_choices() -> None:
    question = choice_question("which", "a", "b", type="multiple_choice")
    assert load_experience("survey", nps(questions=[question]))["questions"] == [question]


def test_survey_throttle_fills_in_what_is_left_out() -> None:
    loaded = load_experience("survey", nps(throttle={"reask_days": 0}))
    assert loaded["throttle"] == {"reask_days": 0, "max_dismissals": 3}


@pytest.mark.parametrize(
    "body",
    [nps(questions=[choice_question("why", "a", next={"a": "end"})]), csat(scale={"binary": True})],
    ids=["nps", "binary csat"],
)
def test_loaded_survey_loads_again_unchanged(body: dict[str, Any]) -> None:
    loaded = load_experience("survey", body)
    assert load_experience("survey", loaded) == loaded
