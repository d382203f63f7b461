"""The chronology of significant events (FF §17): built from the record and added to by hand, one
for the family and one for each child, filtered by what the reader chooses, read by whom it may
be, every reading audited, in a fixed number of queries however long the family's history."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework import leading
from earlyhelp.casework.visiting import case_note_record
from earlyhelp.frontdoor.referrals import PersonDetails
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.chronology import Event, Filters, Kind, family_chronology
from earlyhelp.records.models import ChronologyEntry
from earlyhelp.records.recording import EntryDetails, chronology_entry_add
from tests.conftest import signed_in
from tests.factories import PersonFactory, add_member, episode_allocated
from tests.test_casework_visits import a_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _entry(episode, actor, *, children=(), days_ago=3, what="Police called to the home: an argument"):
    return chronology_entry_add(
        actor=actor,
        episode=episode,
        details=EntryDetails(
            happened_on=timezone.localdate() - timedelta(days=days_ago),
            what=what,
            significance="The children heard the argument; Maya was frightened",
            source="Police notification",
            children=[child.pk for child in children],
        ),
    )


def _brother(episode):
    brother = PersonFactory(first_name="Liam", last_name="Brennan", date_of_birth=date(2019, 2, 1))
    add_member(episode.family, brother)
    return brother


def test_the_family_chronology_holds_the_record_and_what_was_added_oldest_first(episode, coach):
    case_note_record(actor=coach, episode=episode, details=a_visit(happened_at=timezone.now()))
    _entry(episode, coach, days_ago=0)
    page = signed_in(coach).get(f"/episodes/{episode.pk}/chronology/").content.decode()
    # The contact came two days ago; the rest today, where an event known by its day comes first.
    order = [
        "Contact received: professional, online",
        "Police called to the home",
        "Level of need for Maya Brennan: level 2",
        "Front door decision: allocate to a family support team",
        "Case opened: Family Support Team North",
        "Allocated to Family coach",
        "Home visit (first visit)",
    ]
    places = [page.index(words) for words in order]
    assert places == sorted(places)
    assert "The children heard the argument" in page
    assert "Police notification" in page


def test_a_childs_chronology_keeps_their_events_and_the_whole_familys(episode, coach):
    maya = episode.children.get().person
    liam = _brother(episode)
    _entry(episode, coach, children=[liam], what="Liam excluded from nursery for a day")
    _entry(episode, coach, children=[], what="The family moved to a new flat")
    client = signed_in(coach)
    mayas = client.get(f"/episodes/{episode.pk}/chronology/", {"child": maya.pk}).content.decode()
    assert "Chronology of Maya Brennan" in mayas
    assert "The family moved to a new flat" in mayas
    assert "Liam excluded" not in mayas
    assert "Level of need for Maya Brennan" in mayas
    liams = client.get(f"/episodes/{episode.pk}/chronology/", {"child": liam.pk}).content.decode()
    assert "Liam excluded from nursery" in liams
    assert "Level of need for Maya Brennan" not in liams


def test_the_chronology_is_filtered_by_kind_and_period_and_the_filters_stay_in_its_address(episode, coach):
    case_note_record(actor=coach, episode=episode, details=a_visit())
    _entry(episode, coach, days_ago=30, what="An old event")
    _entry(episode, coach, days_ago=1, what="A recent event")
    client = signed_in(coach)
    since = timezone.localdate() - timedelta(days=7)
    page = client.get(
        f"/episodes/{episode.pk}/chronology/", {"kinds": ["added"], **_date_fields("since", since)}
    ).content.decode()
    assert "A recent event" in page
    assert "An old event" not in page
    assert "Home visit" not in page
    assert "1 event from" in page


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_field(episode, coach):
    today = timezone.localdate()
    page = signed_in(coach).get(
        f"/episodes/{episode.pk}/chronology/",
        {**_date_fields("since", today), **_date_fields("until", today - timedelta(days=3))},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "The end of the period must be on or after its start" in body
    assert 'id="until-error"' in body or "govuk-error-message" in body


def test_filters_keep_only_what_was_asked_for():
    day = date(2026, 3, 2)
    whole = Event(day=day, kind=Kind.MEETING, title="Review")
    about_one = Event(day=day, kind=Kind.ADDED, title="Excluded", children=frozenset({7}))
    assert Filters(child=7).keeps(whole)
    assert Filters(child=7).keeps(about_one)
    assert not Filters(child=8).keeps(about_one)
    assert not Filters(kinds=frozenset({"meeting"})).keeps(about_one)
    assert Filters(since=day, until=day).keeps(whole)
    assert not Filters(since=day + timedelta(days=1)).keeps(whole)
    assert not Filters(until=day - timedelta(days=1)).keeps(whole)


def test_an_event_known_by_its_day_only_comes_first_on_that_day():
    day = date(2026, 3, 2)
    timed = Event(day=day, kind=Kind.VISIT, title="Visit", at=timezone.now())
    dated = Event(day=day, kind=Kind.ADDED, title="Added")
    assert sorted([timed, dated], key=lambda event: event.sort_key) == [dated, timed]


def test_adding_an_event_with_mistakes_shows_each_beside_its_field_and_keeps_what_was_typed(episode, coach):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/chronology/add/",
        {
            "what": "Dad returned to the family home",
            "significance": "",
            "source": "",
            **_date_fields("happened_on", tomorrow),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date it happened must be today or in the past" in page
    assert "Say why it matters for the children" in page
    assert "Say who told us, or where it is recorded" in page
    assert "Dad returned to the family home" in page
    assert not ChronologyEntry.objects.exists()


def test_an_event_added_in_the_browser_is_in_the_chronology_and_audited(episode, coach):
    liam = _brother(episode)
    client = signed_in(coach)
    response = client.post(
        f"/episodes/{episode.pk}/chronology/add/",
        {
            "what": "Liam's nursery raised a concern about bruising",
            "significance": "Explained by a fall; watch for a pattern",
            "source": "Nursery manager, by phone",
            "children": [str(liam.pk)],
            **_date_fields("happened_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert list(entry.children.all()) == [liam]
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATED, target_type="records.chronologyentry").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Liam&#x27;s nursery raised a concern" in page
    assert "About: Liam Brennan" in page


def test_an_event_cannot_be_about_a_child_of_another_family(episode, coach):
    stranger = PersonFactory(first_name="Other", last_name="Child")
    with pytest.raises(Exception, match="Choose only the family"):
        _entry(episode, coach, children=[stranger])


def test_a_closed_or_someone_elses_episode_takes_no_entry(episode, front_door):
    with pytest.raises(Exception, match="Only the family's coach"):
        _entry(episode, front_door)


def test_reading_the_chronology_is_audited_for_the_episode_the_family_and_its_members(episode, coach):
    signed_in(coach).get(f"/episodes/{episode.pk}/chronology/")
    read = AuditEvent.objects.filter(actor=coach)
    assert read.filter(verb=AuditEvent.Verb.VIEWED, target_type="casework.episode", target_id=episode.pk).exists()
    assert read.filter(verb=AuditEvent.Verb.VIEWED, target_type="people.family", target_id=episode.family_id).exists()
    members = set(FamilyMembership.objects.filter(family=episode.family).values_list("person_id", flat=True))
    listed = set(
        read.filter(verb=AuditEvent.Verb.LISTED, target_type="people.person").values_list("target_id", flat=True)
    )
    assert members <= listed


def test_a_partner_who_leads_the_episode_reads_its_events_and_not_the_front_doors(episode, coach, alice):
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=alice,
        agreed_with_family=True,
        handover="Handover meeting at school",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    page = signed_in(alice).get(f"/episodes/{episode.pk}/chronology/").content.decode()
    assert "Allocated to Family coach" in page
    assert "Contact received" not in page
    assert "You see the events of the episode you lead" in page


def test_the_chronology_makes_a_fixed_number_of_queries_however_long_the_history(episode, coach):
    client = signed_in(coach)
    url = f"/episodes/{episode.pk}/chronology/"

    def counted() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = counted()
    liam = _brother(episode)
    for days_ago in range(1, 8):
        case_note_record(
            actor=coach, episode=episode, details=a_visit(happened_at=timezone.now() - timedelta(hours=days_ago))
        )
        _entry(episode, coach, children=[liam], days_ago=days_ago)
    assert counted() == small


def test_the_chronology_builder_reads_one_family_only(episode, coach, team, team_leader):
    other_child = PersonDetails(role="child", first_name="Zara", last_name="Other", date_of_birth=date(2015, 1, 9))
    other_parent = PersonDetails(role="parent", first_name="Amy", last_name="Other")
    other = episode_allocated(team, coach, team_leader, children=[other_child], adults=[other_parent])
    _entry(other, coach, what="Another family's event")
    built = family_chronology(episode.family, episodes=[episode], whole_history=True)
    assert all("Another family's event" not in event.detail for event in built.events)
