"""Localised texts: what a text may be, and which translation a user of a locale reads."""

from __future__ import annotations

from typing import Any

import pytest

from collector.experiences.localization import (
    MAX_TEXT_LENGTH,
    locale_error,
    localize,
    resolve_text,
    text_error,
    texts_of,
)

WELCOME = {"en": "Welcome", "he": "ברוכים הבאים", "ar": "مرحبا", "zh": "欢迎"}


@pytest.mark.parametrize("tag", ["en", "he", "ar", "zh", "pt-BR", "zh-Hant-TW", "es-419", "fil"])
def test_locale_tag_is_accepted(tag: str) -> None:
    assert locale_error(tag) is None


@pytest.mark.parametrize(
    "tag",
    [
        "",
        "EN",
        "english",
        "e",
        "pt_BR",
        "en-",
        "-en",
        "en US",
        5,
        None,
        "en-" + "-".join(["abcdefgh"] * 4),
    ],
)
def test_locale_tag_is_refused(tag: Any) -> None:
    assert locale_error(tag) is not None


def test_string_is_a_text() -> None:
    assert text_error("Welcome aboard") is None


def test_text_of_the_maximum_length_is_accepted() -> None:
    assert text_error("x" * MAX_TEXT_LENGTH) is None


def test_text_longer_than_the_maximum_is_refused() -> None:
    assert text_error("x" * (MAX_TEXT_LENGTH + 1)) == "must be at most 5000 characters"


def test_translation_longer_than_the_maximum_is_refused() -> None:
    problem = text_error({"en": "Hi", "he": "x" * (MAX_TEXT_LENGTH + 1)})
    assert problem == "he: must be at most 5000 characters"


def test_empty_string_is_refused() -> None:
    assert text_error("") == "must be a non-empty string"


def test_translations_in_four_scripts_are_a_text() -> None:
    assert text_error(WELCOME, "en") is None


def test_translations_without_the_default_locale_are_refused() -> None:
    assert text_error({"he": "שלום"}, "en") == "must include the default locale 'en'"


def test_translations_are_checked_for_shape_only_without_a_default_locale() -> None:
    assert text_error({"he": "שלום"}) is None


def test_translation_under_a_bad_locale_tag_is_refused() -> None:
    assert text_error({"en": "Hi", "Hebrew": "שלום"}, "en") == (
        "Hebrew: must be a locale tag such as en, he or pt-BR"
    )


def test_translation_that_is_not_a_string_is_refused() -> None:
    assert text_error({"en": ["Hi"]}, "en") == "en: must be a non-empty string"


@pytest.mark.parametrize("value", [{}, ["Hi"], 5, None, True])
def test_value_neither_string_nor_translations_is_refused(value: Any) -> None:
    assert text_error(value) == "must be a string or a non-empty object of locale to string"


def test_string_reads_the_same_in_every_locale() -> None:
    assert resolve_text("Welcome", "he", "en") == "Welcome"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Welcome"), ("he", "ברוכים הבאים"), ("ar", "مرحبا"), ("zh", "欢迎")],
)
def test_user_reads_their_own_locale(locale: str, expected: str) -> None:
    assert resolve_text(WELCOME, locale, "en") == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("he-IL", "ברוכים הבאים"), ("ar-EG", "مرحبا"), ("zh-CN", "欢迎"), ("en-GB", "Welcome")],
)
def test_regional_locale_falls_back_to_its_language(locale: str, expected: str) -> None:
    assert resolve_text(WELCOME, locale, "en") == expected


def test_most_specific_translation_wins() -> None:
    texts = {"en": "Hi", "zh": "你好", "zh-Hant": "妳好"}
    assert resolve_text(texts, "zh-Hant-TW", "en") == "妳好"


def test_locale_matches_whatever_its_case() -> None:
    assert resolve_text({"en": "Hi", "pt-BR": "Oi"}, "PT-br", "en") == "Oi"


def test_underscore_locale_is_read_as_a_hyphen() -> None:
    assert resolve_text(WELCOME, "he_IL", "en") == "ברוכים הבאים"


def test_another_region_of_the_language_beats_the_default() -> None:
    assert resolve_text({"en": "Hi", "pt-BR": "Oi"}, "pt-PT", "en") == "Oi"


def test_unknown_locale_falls_back_to_the_default() -> None:
    assert resolve_text(WELCOME, "fr", "en") == "Welcome"


def test_no_locale_reads_the_default() -> None:
    assert resolve_text(WELCOME, None, "he") == "ברוכים הבאים"


def test_default_locale_other_than_english_is_the_fallback() -> None:
    assert resolve_text({"he": "שלום", "en": "Hello"}, "fr", "he") == "שלום"


def tour_definition() -> dict[str, Any]:
    return {
        "default_locale": "en",
        "trigger": {"type": "page_load"},
        "steps": [
            {
                "id": "step-1",
                "target": "#report",
                "title": WELCOME,
                "body": "Plain",
                "buttons": {"next": {"en": "Next", "he": "הבא"}, "done": "Done"},
            },
            {"id": "step-2", "target": None, "title": {"en": "Bye", "ar": "وداعا"}},
        ],
    }


def test_localize_resolves_every_text_of_a_tour() -> None:
    localized = localize(tour_definition(), "flow", "he-IL")
    first, second = localized["steps"]
    assert (first["title"], first["body"], first["buttons"]) == (
        "ברוכים הבאים",
        "Plain",
        {"next": "הבא", "done": "Done"},
    )
    assert second["title"] == "Bye"


def test_localize_keeps_what_is_not_a_text() -> None:
    localized = localize(tour_definition(), "flow", "ar")
    assert [step["id"] for step in localized["steps"]] == ["step-1", "step-2"]
    assert localized["steps"][0]["target"] == "#report"
    assert localized["trigger"] == {"type": "page_load"}


def test_localize_leaves_the_stored_definition_unchanged() -> None:
    definition = tour_definition()
    localize(definition, "flow", "zh")
    assert definition == tour_definition()


def test_localize_resolves_checklist_items_and_completion_message() -> None:
    definition = {
        "default_locale": "en",
        "items": [{"id": "item-1", "title": {"en": "Invite", "zh": "邀请"}, "description": "x"}],
        "completion_message": {"en": "Done!", "zh": "完成!"},
    }
    localized = localize(definition, "flow", "zh")
    assert localized["items"][0]["title"] == "邀请"
    assert localized["completion_message"] == "完成!"


def test_localize_resolves_resource_center_links() -> None:
    definition = {"links": [{"title": {"en": "Help", "ar": "مساعدة"}, "url": "https://x.io"}]}
    assert localize(definition, "flow", "ar")["links"][0]["title"] == "مساعدة"


def test_localize_resolves_every_text_of_a_survey() -> None:
    definition = {
        "default_locale": "he",
        "question": {"he": "האם תמליצו?", "en": "Would you recommend us?"},
        "follow_up": {"detractor": {"he": "מה חסר?", "en": "What is missing?"}},
        "questions": [
            {
                "id": "why",
                "type": "single_choice",
                "text": {"he": "למה?", "en": "Why?"},
                "choices": [{"id": "price", "label": {"he": "מחיר", "en": "Price"}}],
            }
        ],
    }
    localized = localize(definition, "survey", "en-US")
    assert localized["question"] == "Would you recommend us?"
    assert localized["follow_up"] == {"detractor": "What is missing?"}
    assert localized["questions"][0]["text"] == "Why?"
    assert localized["questions"][0]["choices"][0]["label"] == "Price"


def test_localize_falls_back_to_the_definitions_default_locale() -> None:
    definition = {"default_locale": "he", "question": {"he": "שאלה", "en": "Question"}}
    assert localize(definition, "survey", "fr")["question"] == "שאלה"


def test_texts_of_names_where_each_text_sits() -> None:
    paths = [path for path, _ in texts_of(tour_definition(), "flow")]
    assert paths == [
        ("steps", 0, "title"),
        ("steps", 1, "title"),
        ("steps", 0, "body"),
        ("steps", 0, "buttons", "next"),
        ("steps", 0, "buttons", "done"),
    ]


def test_texts_of_skips_what_is_not_there() -> None:
    assert list(texts_of({"question": "Hi?", "steps": "not a list"}, "survey")) == [
        (("question",), "Hi?")
    ]
