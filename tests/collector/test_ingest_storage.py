"""The ingestion service on real SQLite and PostgreSQL, without HTTP: what a batch stores."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, select

from collector.kit.db.engine import read_transaction
from collector.kit.db.models import Account, AccountMember, Event, Identity, Person, table_of
from collector.projects.service import CreatedProject
from tests import factories
from tests.factories import RECEIVED_AT, ingest_messages, message, track

_events = table_of(Event)
_persons = table_of(Person)
_identities = table_of(Identity)
_accounts = table_of(Account)
_members = table_of(AccountMember)

T1 = "2026-11-25T09:00:00Z"
T2 = "2026-11-25T10:00:00Z"


def stored_events(engine: Engine, project: CreatedProject) -> list[Row[Any]]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_events).where(_events.c.project_id == project.id).order_by(_events.c.id)
        )
        return list(rows)


def person_of(engine: Engine, project: CreatedProject, distinct_id: str) -> Row[Any]:
    """The person row a user id or anonymous id resolves to."""
    with read_transaction(engine) as connection:
        return connection.execute(
            select(_persons)
            .join(_identities, _identities.c.person_id == _persons.c.id)
            .where(_identities.c.project_id == project.id, _identities.c.distinct_id == distinct_id)
        ).one()


def person_ids(engine: Engine, project: CreatedProject) -> set[uuid.UUID]:
    with read_transaction(engine) as connection:
        rows = connection.execute(select(_persons.c.id).where(_persons.c.project_id == project.id))
        return set(rows.scalars())


def event_persons(engine: Engine, project: CreatedProject) -> set[uuid.UUID | None]:
    return {event.person_id for event in stored_events(engine, project)}


def account(engine: Engine, project: CreatedProject, group_id: str) -> Row[Any]:
    with read_transaction(engine) as connection:
        return connection.execute(
            select(_accounts).where(
                _accounts.c.project_id == project.id, _accounts.c.group_id == group_id
            )
        ).one()


def members(engine: Engine, project: CreatedProject) -> list[tuple[uuid.UUID, uuid.UUID]]:
    with read_transaction(engine) as connection:
        rows = connection.execute(
            select(_members.c.account_id, _members.c.person_id).where(
                _members.c.project_id == project.id
            )
        )
        return [(row.account_id, row.person_id) for row in rows]


def identify(user_id: str, anonymous_id: str | None, **fields: Any) -> dict[str, Any]:
    return message("identify", userId=user_id, anonymousId=anonymous_id, **fields)


# Deduplication


def test_same_message_id_in_two_projects_is_two_events(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    sent = track()
    ingest_messages(engine, project, sent)
    ingest_messages(engine, other_project, sent)
    assert len(stored_events(engine, project)) == 1
    assert len(stored_events(engine, other_project)) == 1


def test_retried_message_is_stored_once(engine: Engine, project: CreatedProject) -> None:
    sent = track()
    ingest_messages(engine, project, sent)
    ingest_messages(engine, project, sent)
    assert [event.message_id for event in stored_events(engine, project)] == [sent["messageId"]]


def test_retried_message_is_counted_as_accepted(engine: Engine, project: CreatedProject) -> None:
    sent = track()
    ingest_messages(engine, project, sent)
    result = ingest_messages(engine, project, sent)
    assert (result.accepted, result.rejected) == (1, [])


def test_retry_keeps_the_first_stored_copy(engine: Engine, project: CreatedProject) -> None:
    sent = track(properties={"attempt": 1})
    ingest_messages(engine, project, sent)
    ingest_messages(engine, project, {**sent, "properties": {"attempt": 2}})
    assert [event.properties for event in stored_events(engine, project)] == [{"attempt": 1}]


def test_same_message_id_twice_in_one_batch_is_stored_once(
    engine: Engine, project: CreatedProject
) -> None:
    sent = track()
    ingest_messages(engine, project, sent, sent)
    assert len(stored_events(engine, project)) == 1


# Clock-skew correction


def test_clock_skew_is_corrected_in_the_stored_timestamp(
    engine: Engine, project: CreatedProject
) -> None:
    # The device clock is a day behind; the event happened 5 minutes before the batch left.
    ingest_messages(
        engine,
        project,
        track(timestamp="2026-11-24T11:55:00Z"),
        sent_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
    )
    [event] = stored_events(engine, project)
    assert event.timestamp == RECEIVED_AT - timedelta(minutes=5)


def test_client_times_are_stored_as_sent(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(
        engine,
        project,
        track(timestamp="2026-11-24T11:55:00Z", sentAt="2026-11-24T12:00:00Z"),
    )
    [event] = stored_events(engine, project)
    assert event.original_timestamp == datetime(2026, 11, 24, 11, 55, tzinfo=UTC)
    assert event.sent_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert event.received_at == RECEIVED_AT


def test_message_sent_at_is_preferred_to_the_batch_sent_at(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(
        engine,
        project,
        track(timestamp="2026-11-24T11:55:00Z", sentAt="2026-11-24T11:56:00Z"),
        sent_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
    )
    [event] = stored_events(engine, project)
    assert event.timestamp == RECEIVED_AT - timedelta(minutes=1)


def test_timestamp_without_sent_at_is_kept_as_given(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(timestamp="2025-01-01T00:00:00+02:00"))
    [event] = stored_events(engine, project)
    assert event.timestamp == datetime(2024, 12, 31, 22, 0, tzinfo=UTC)


# Identity


def test_anonymous_history_joins_the_user_after_identify(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(anonymousId="anon-1"), track(anonymousId="anon-1"))
    ingest_messages(engine, project, identify("user-1", "anon-1"))
    user = person_of(engine, project, "user-1")
    assert event_persons(engine, project) == {user.id}
    assert user.user_id == "user-1"


def test_later_events_of_the_user_alone_go_to_the_same_person(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(anonymousId="anon-1"))
    ingest_messages(engine, project, identify("user-1", "anon-1"))
    ingest_messages(engine, project, track(userId="user-1", anonymousId=None))
    assert len(event_persons(engine, project)) == 1


def test_ids_linked_through_one_user_resolve_to_one_person(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", "anon-1"))
    ingest_messages(engine, project, identify("user-1", "anon-2"))
    ingest_messages(engine, project, track(anonymousId="anon-2"), track(anonymousId="anon-1"))
    assert person_of(engine, project, "anon-1").id == person_of(engine, project, "anon-2").id
    assert len(event_persons(engine, project)) == 1


def test_anonymous_person_linked_to_a_known_user_is_merged_into_them(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", "anon-1"))
    ingest_messages(engine, project, track(anonymousId="anon-2"))
    ingest_messages(engine, project, track(userId="user-1", anonymousId="anon-2"))
    user = person_of(engine, project, "user-1")
    assert person_ids(engine, project) == {user.id}
    assert event_persons(engine, project) == {user.id}


def test_alias_merges_two_persons_and_moves_their_events(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", "anon-1"), identify("user-2", "anon-2"))
    ingest_messages(engine, project, track(userId="user-2", anonymousId="anon-2"))
    ingest_messages(engine, project, message("alias", userId="user-1", previousId="user-2"))
    survivor = person_of(engine, project, "user-1")
    assert person_of(engine, project, "anon-2").id == survivor.id
    assert person_ids(engine, project) == {survivor.id}
    assert event_persons(engine, project) == {survivor.id}


def test_alias_keeps_the_newer_trait_of_the_merged_persons(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(
        engine,
        project,
        identify("user-1", "anon-1", timestamp=T1, traits={"plan": "free", "name": "Ada"}),
        identify("user-2", "anon-2", timestamp=T2, traits={"plan": "pro"}),
    )
    ingest_messages(engine, project, message("alias", userId="user-1", previousId="user-2"))
    assert person_of(engine, project, "user-1").traits == {"plan": "pro", "name": "Ada"}


def test_merge_chain_within_one_batch_is_stored(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(engine, project, track(anonymousId="anon-1"), identify("user-2", "anon-2"))
    ingest_messages(
        engine,
        project,
        track(userId="user-1", anonymousId=None),
        identify("user-1", "anon-1"),
        message("alias", userId="user-2", previousId="user-1"),
    )
    survivor = person_of(engine, project, "user-2")
    assert person_ids(engine, project) == {survivor.id}
    assert event_persons(engine, project) == {survivor.id}


def test_two_identified_users_sharing_an_anonymous_id_are_not_merged(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", "shared-browser"))
    ingest_messages(engine, project, identify("user-2", "shared-browser"))
    assert person_of(engine, project, "user-1").id != person_of(engine, project, "user-2").id


def test_event_of_the_second_user_on_a_shared_anonymous_id_is_theirs(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", "shared-browser"))
    ingest_messages(engine, project, track(userId="user-2", anonymousId="shared-browser"))
    [_, event] = stored_events(engine, project)
    assert event.person_id == person_of(engine, project, "user-2").id


def test_identify_traits_are_stored_on_the_person(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(engine, project, identify("user-1", None, traits={"email": "ada@example.com"}))
    assert person_of(engine, project, "user-1").traits == {"email": "ada@example.com"}


def test_newer_identify_traits_replace_older_ones(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(
        engine, project, identify("user-1", None, timestamp=T1, traits={"plan": "free"})
    )
    ingest_messages(engine, project, identify("user-1", None, timestamp=T2, traits={"plan": "pro"}))
    assert person_of(engine, project, "user-1").traits == {"plan": "pro"}


def test_identify_traits_arriving_out_of_order_keep_the_newest_value(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", None, timestamp=T2, traits={"plan": "pro"}))
    ingest_messages(
        engine,
        project,
        identify("user-1", None, timestamp=T1, traits={"plan": "free", "seats": 3}),
    )
    assert person_of(engine, project, "user-1").traits == {"plan": "pro", "seats": 3}


def test_identify_traits_out_of_order_within_a_batch_keep_the_newest_value(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(
        engine,
        project,
        identify("user-1", None, timestamp=T2, traits={"plan": "pro"}),
        identify("user-1", None, timestamp=T1, traits={"plan": "free"}),
    )
    assert person_of(engine, project, "user-1").traits == {"plan": "pro"}


# Accounts


def test_group_creates_the_account_with_its_traits(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(engine, project, message("group", groupId="acme", traits={"plan": "pro"}))
    assert account(engine, project, "acme").traits == {"plan": "pro"}


def test_group_makes_the_caller_a_member(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(engine, project, message("group", userId="user-1", groupId="acme"))
    assert members(engine, project) == [
        (account(engine, project, "acme").id, person_of(engine, project, "user-1").id)
    ]


def test_repeated_group_call_keeps_one_membership(engine: Engine, project: CreatedProject) -> None:
    ingest_messages(engine, project, message("group", groupId="acme"))
    ingest_messages(engine, project, message("group", groupId="acme"))
    assert len(members(engine, project)) == 1


def test_group_traits_arriving_out_of_order_keep_the_newest_value(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(
        engine, project, message("group", groupId="acme", timestamp=T2, traits={"plan": "pro"})
    )
    ingest_messages(
        engine, project, message("group", groupId="acme", timestamp=T1, traits={"plan": "free"})
    )
    assert account(engine, project, "acme").traits == {"plan": "pro"}


def test_group_call_without_traits_keeps_the_accounts_traits(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, message("group", groupId="acme", traits={"plan": "pro"}))
    ingest_messages(engine, project, message("group", groupId="acme", traits=None))
    assert account(engine, project, "acme").traits == {"plan": "pro"}


def test_identify_without_traits_keeps_the_persons_traits(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, identify("user-1", None, traits={"plan": "pro"}))
    ingest_messages(engine, project, identify("user-1", None, traits=None))
    assert person_of(engine, project, "user-1").traits == {"plan": "pro"}


def test_same_group_id_in_two_projects_is_two_accounts(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    ingest_messages(engine, project, message("group", groupId="acme", traits={"plan": "pro"}))
    ingest_messages(engine, other_project, message("group", groupId="acme", traits={"plan": "x"}))
    assert account(engine, project, "acme").traits == {"plan": "pro"}


def test_merged_persons_in_one_account_are_one_member(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(
        engine,
        project,
        message("group", userId=None, anonymousId="anon-1", groupId="acme"),
        message("group", userId="user-1", anonymousId=None, groupId="acme"),
    )
    ingest_messages(engine, project, identify("user-1", "anon-1"))
    assert members(engine, project) == [
        (account(engine, project, "acme").id, person_of(engine, project, "user-1").id)
    ]


# Batches with bad messages


def test_batch_with_bad_messages_stores_the_good_ones(
    engine: Engine, project: CreatedProject
) -> None:
    good = [track(), track()]
    ingest_messages(engine, project, good[0], track(event=""), "not an object", good[1])
    stored = [event.message_id for event in stored_events(engine, project)]
    assert stored == [sent["messageId"] for sent in good]


def test_batch_with_bad_messages_names_each_rejected_one(
    engine: Engine, project: CreatedProject
) -> None:
    bad = track(event="")
    result = ingest_messages(engine, project, track(), bad, "not an object")
    assert result.accepted == 1
    assert [(r.index, r.message_id, list(r.errors)) for r in result.rejected] == [
        (1, bad["messageId"], ["event"]),
        (2, None, ["_schema"]),
    ]


def test_batch_of_bad_messages_only_stores_nothing(engine: Engine, project: CreatedProject) -> None:
    result = ingest_messages(engine, project, message("track", event=None))
    assert result.accepted == 0
    assert stored_events(engine, project) == []


def test_ingesting_for_one_project_writes_nothing_in_another(
    engine: Engine, project: CreatedProject, other_project: CreatedProject
) -> None:
    factories.ingest_messages(engine, project, identify("user-1", "anon-1"), track())
    assert stored_events(engine, other_project) == []
    assert person_ids(engine, other_project) == set()


# First seen


def test_a_new_person_was_first_seen_at_their_earliest_message(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(anonymousId="a-7", timestamp=T2))
    ingest_messages(
        engine,
        project,
        track(anonymousId="a-8", timestamp=T2),
        track(anonymousId="a-8", timestamp=T1),
    )
    assert person_of(engine, project, "a-8").created_at == datetime(2026, 11, 25, 9, tzinfo=UTC)


def test_a_message_dated_after_its_arrival_does_not_date_the_person_in_the_future(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(anonymousId="a-9", timestamp="2030-01-01T00:00:00Z"))
    assert person_of(engine, project, "a-9").created_at <= RECEIVED_AT


def test_merged_persons_were_first_seen_when_the_earlier_of_them_was(
    engine: Engine, project: CreatedProject
) -> None:
    ingest_messages(engine, project, track(userId="u-70", anonymousId=None, timestamp=T2))
    ingest_messages(engine, project, track(anonymousId="a-70", timestamp=T1))
    ingest_messages(engine, project, message("alias", userId="u-70", previousId="a-70"))
    assert person_of(engine, project, "u-70").created_at == datetime(2026, 11, 25, 9, tzinfo=UTC)
