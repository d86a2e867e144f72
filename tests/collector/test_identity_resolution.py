"""The identity planner: which person each id of a batch resolves to, with no database."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from collector.identity.resolution import (
    IdentityPlan,
    KnownIdentity,
    distinct_ids,
    plan_identities,
)

ANON_PERSON = uuid.UUID(int=1)
ADA_PERSON = uuid.UUID(int=2)
BOB_PERSON = uuid.UUID(int=3)


@dataclass(frozen=True)
class Call:
    """The ids of one message, as the planner reads them."""

    type: str = "track"
    user_id: str | None = None
    anonymous_id: str | None = None
    previous_id: str | None = None


def sequential_ids() -> Callable[[], uuid.UUID]:
    """New person ids 100, 101, … so that plans can be compared exactly."""
    counter = itertools.count(100)
    return lambda: uuid.UUID(int=next(counter))


def new(number: int) -> uuid.UUID:
    """The ``number``-th person id handed out by ``sequential_ids`` (0 is the first)."""
    return uuid.UUID(int=100 + number)


def plan(calls: list[Call], known: dict[str, KnownIdentity] | None = None) -> IdentityPlan:
    return plan_identities(calls, known or {}, sequential_ids())


KNOWN_ANON = {"anon-1": KnownIdentity(ANON_PERSON, None)}
KNOWN_ADA = {"ada": KnownIdentity(ADA_PERSON, "ada")}
KNOWN_BOB = {"bob": KnownIdentity(BOB_PERSON, "bob")}


def test_first_seen_anonymous_id_gets_an_anonymous_person() -> None:
    result = plan([Call(anonymous_id="anon-1")])
    assert result.owner == {"anon-1": new(0)}
    assert result.user_of == {new(0): None}
    assert result.new_identities == [("anon-1", "anonymous", new(0))]


def test_first_seen_user_id_gets_a_person_carrying_it() -> None:
    result = plan([Call(user_id="ada")])
    assert result.new_persons == [new(0)]
    assert result.user_of == {new(0): "ada"}
    assert result.new_identities == [("ada", "user", new(0))]


def test_known_id_resolves_to_its_person_and_changes_nothing() -> None:
    result = plan([Call(anonymous_id="anon-1")], KNOWN_ANON)
    assert result.owner == {"anon-1": ANON_PERSON}
    assert not result.changes_anything


def test_repeated_new_id_gets_one_person() -> None:
    result = plan([Call(user_id="ada"), Call(user_id="ada")])
    assert result.new_persons == [new(0)]


def test_user_and_anonymous_ids_seen_together_first_share_a_new_person() -> None:
    result = plan([Call(type="identify", user_id="ada", anonymous_id="anon-1")])
    assert result.owner == {"ada": new(0), "anon-1": new(0)}
    assert result.user_of == {new(0): "ada"}
    assert result.new_identities == [("ada", "user", new(0)), ("anon-1", "anonymous", new(0))]


def test_identify_gives_a_known_anonymous_person_the_user_id() -> None:
    result = plan([Call(type="identify", user_id="ada", anonymous_id="anon-1")], KNOWN_ANON)
    assert result.owner["ada"] == ANON_PERSON
    assert result.new_persons == []
    assert result.newly_identified == {ANON_PERSON: "ada"}
    assert result.new_identities == [("ada", "user", ANON_PERSON)]


def test_identify_in_the_same_batch_names_the_new_anonymous_person_directly() -> None:
    calls = [
        Call(anonymous_id="anon-1"),
        Call(type="identify", user_id="ada", anonymous_id="anon-1"),
    ]
    result = plan(calls)
    assert result.user_of == {new(0): "ada"}
    assert result.newly_identified == {}


def test_new_anonymous_id_joins_the_known_user() -> None:
    result = plan([Call(user_id="ada", anonymous_id="anon-2")], KNOWN_ADA)
    assert result.owner["anon-2"] == ADA_PERSON
    assert result.new_identities == [("anon-2", "anonymous", ADA_PERSON)]


def test_ids_already_of_one_person_stay_unchanged() -> None:
    known = {**KNOWN_ADA, "anon-1": KnownIdentity(ADA_PERSON, "ada")}
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], known)
    assert not result.changes_anything


def test_known_anonymous_person_merges_into_the_known_user() -> None:
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], {**KNOWN_ADA, **KNOWN_ANON})
    assert result.merges == [(ANON_PERSON, ADA_PERSON)]
    assert result.owner == {"ada": ADA_PERSON, "anon-1": ADA_PERSON}
    assert ANON_PERSON not in result.user_of


def test_anonymous_id_of_another_user_is_not_merged_implicitly() -> None:
    known = {**KNOWN_ADA, "anon-1": KnownIdentity(BOB_PERSON, "bob")}
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], known)
    assert result.merges == []
    assert result.owner == {"ada": ADA_PERSON, "anon-1": BOB_PERSON}


def test_new_user_on_another_users_anonymous_id_gets_a_person_of_their_own() -> None:
    known = {"anon-1": KnownIdentity(BOB_PERSON, "bob")}
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], known)
    assert result.owner == {"anon-1": BOB_PERSON, "ada": new(0)}
    assert result.user_of[new(0)] == "ada"
    assert result.newly_identified == {}


def test_message_goes_to_the_person_of_its_user_id() -> None:
    known = {**KNOWN_ADA, "anon-1": KnownIdentity(BOB_PERSON, "bob")}
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], known)
    assert result.person_for(Call(user_id="ada", anonymous_id="anon-1")) == ADA_PERSON


def test_anonymous_message_goes_to_the_person_of_its_anonymous_id() -> None:
    result = plan([Call(anonymous_id="anon-1")], KNOWN_ANON)
    assert result.person_for(Call(anonymous_id="anon-1")) == ANON_PERSON


def test_message_without_ids_has_no_person() -> None:
    result = plan([Call()])
    assert result.person_for(Call()) is None
    assert not result.changes_anything


def test_same_user_and_anonymous_id_is_one_user_identity() -> None:
    result = plan([Call(user_id="ada", anonymous_id="ada")])
    assert result.new_identities == [("ada", "user", new(0))]


def test_alias_merges_two_identified_persons() -> None:
    result = plan(
        [Call(type="alias", user_id="ada", previous_id="bob")], {**KNOWN_ADA, **KNOWN_BOB}
    )
    assert result.merges == [(BOB_PERSON, ADA_PERSON)]
    assert result.owner == {"ada": ADA_PERSON, "bob": ADA_PERSON}
    assert result.user_of == {ADA_PERSON: "ada"}


def test_alias_to_an_anonymous_survivor_carries_the_losers_user_id() -> None:
    known = {"anon-9": KnownIdentity(ANON_PERSON, None), **KNOWN_BOB}
    result = plan([Call(type="alias", user_id="anon-9", previous_id="bob")], known)
    assert result.merges == [(BOB_PERSON, ANON_PERSON)]
    assert result.newly_identified == {ANON_PERSON: "bob"}


def test_alias_gives_an_identified_person_a_further_user_id() -> None:
    result = plan([Call(type="alias", user_id="ada-2", previous_id="ada")], KNOWN_ADA)
    assert result.owner["ada-2"] == ADA_PERSON
    assert result.new_identities == [("ada-2", "user", ADA_PERSON)]
    assert result.user_of[ADA_PERSON] == "ada"


def test_alias_with_unknown_previous_id_attaches_it_to_the_user() -> None:
    result = plan([Call(type="alias", user_id="ada", previous_id="old-id")], KNOWN_ADA)
    assert result.new_identities == [("old-id", "anonymous", ADA_PERSON)]


def test_alias_without_previous_id_is_read_like_any_call() -> None:
    result = plan([Call(type="alias", user_id="ada", anonymous_id="anon-1")], KNOWN_ANON)
    assert result.owner["ada"] == ANON_PERSON


def test_new_person_merged_into_a_known_one_is_never_created() -> None:
    calls = [Call(anonymous_id="anon-2"), Call(type="alias", user_id="ada", previous_id="anon-2")]
    result = plan(calls, KNOWN_ADA)
    assert result.new_persons == []
    assert result.merges == []
    assert result.new_identities == [("anon-2", "anonymous", ADA_PERSON)]


def test_new_user_person_merged_away_passes_its_user_id_to_a_new_survivor() -> None:
    calls = [
        Call(user_id="ada"),
        Call(anonymous_id="anon-9"),
        Call(type="alias", user_id="anon-9", previous_id="ada"),
    ]
    result = plan(calls)
    assert result.new_persons == [new(1)]
    assert result.user_of == {new(1): "ada"}
    assert result.newly_identified == {}


def test_known_person_identified_then_merged_away_is_not_renamed() -> None:
    calls = [
        Call(type="identify", user_id="bob", anonymous_id="anon-1"),
        Call(type="alias", user_id="ada", previous_id="bob"),
    ]
    result = plan(calls, {**KNOWN_ANON, **KNOWN_ADA})
    assert result.newly_identified == {}
    assert result.merges == [(ANON_PERSON, ADA_PERSON)]


def test_merge_chain_ends_in_the_last_survivor() -> None:
    calls = [
        Call(user_id="ada"),
        Call(type="identify", user_id="ada", anonymous_id="anon-1"),
        Call(type="alias", user_id="bob", previous_id="ada"),
    ]
    result = plan(calls, {**KNOWN_ANON, **KNOWN_BOB})
    assert result.new_persons == []
    assert result.merges == [(ANON_PERSON, BOB_PERSON)]
    assert set(result.owner.values()) == {BOB_PERSON}


def test_links_are_transitive_across_a_batch() -> None:
    calls = [
        Call(anonymous_id="anon-1"),
        Call(anonymous_id="anon-2"),
        Call(type="identify", user_id="ada", anonymous_id="anon-1"),
        Call(type="identify", user_id="ada", anonymous_id="anon-2"),
    ]
    result = plan(calls)
    assert result.owner == {"anon-1": new(0), "anon-2": new(0), "ada": new(0)}
    assert result.new_persons == [new(0)]


def test_known_identities_changed_only_by_a_new_identity_still_change_something() -> None:
    result = plan([Call(user_id="ada", anonymous_id="anon-2")], KNOWN_ADA)
    assert result.changes_anything


def test_merge_alone_changes_something() -> None:
    result = plan([Call(user_id="ada", anonymous_id="anon-1")], {**KNOWN_ADA, **KNOWN_ANON})
    assert result.new_persons == [] and result.new_identities == []
    assert result.changes_anything


def test_plans_use_uuid4_by_default() -> None:
    result = plan_identities([Call(user_id="ada")], {})
    assert result.owner["ada"].version == 4


def test_distinct_ids_collects_every_id_named() -> None:
    calls = [
        Call(user_id="ada", anonymous_id="anon-1"),
        Call(type="alias", user_id="ada", previous_id="old"),
        Call(anonymous_id=""),
        Call(),
    ]
    assert distinct_ids(calls) == {"ada", "anon-1", "old"}
