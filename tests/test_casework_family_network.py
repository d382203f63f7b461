"""Family network meetings (issue 14): the network from the record (the genogram's people but the
children), the offer, the family's answer in their words, and the meeting with the family's own
plan; each step through the allowed moves, never from a stale page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework.models import FamilyNetworkMeeting
from earlyhelp.casework.networks import (
    Answer,
    Held,
    Offer,
    network_meeting_answer,
    network_meeting_hold,
    network_meeting_offer,
    the_network,
)
from earlyhelp.people.models import FamilyMembership, Relationship
from tests.conftest import signed_in
from tests.factories import AdultFactory, episode_allocated, relate

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


@pytest.fixture
def grandmother(episode):
    mother = episode.family.memberships.get(role=FamilyMembership.Role.PARENT).person
    nora = AdultFactory(first_name="Nora", last_name="Kelly")
    relate(nora, mother)
    relate(nora, episode.children.get().person, Relationship.Kind.SIGNIFICANT_ADULT_TO)
    return nora


def test_the_network_is_the_familys_adults_and_the_people_related_to_them_not_the_children(episode, grandmother):
    network = the_network(episode)
    names = [person.full_name for person in network]
    assert "Nora Kelly" in names
    assert "Siobhan Brennan" in names
    assert "Maya Brennan" not in names


def test_a_meeting_offered_accepted_and_held_with_the_familys_own_plan(episode, coach, grandmother):
    today = timezone.localdate()
    client = signed_in(coach)
    page = client.get(f"/episodes/{episode.pk}/family-network/").content.decode()
    assert "Nora Kelly" in page
    refused = client.post(
        f"/episodes/{episode.pk}/family-network/", {"offered_to": "", **_date_fields("offered_on", today)}
    )
    assert "Say who in the family the meeting was offered to" in refused.content.decode()
    response = client.post(
        f"/episodes/{episode.pk}/family-network/",
        {
            "offered_to": "Siobhan Brennan",
            "invited": [str(grandmother.pk)],
            "others_invited": "Aunt Clare (not on the record)",
            **_date_fields("offered_on", today),
        },
    )
    assert response.status_code == 302
    meeting = FamilyNetworkMeeting.objects.get()
    assert list(meeting.invited.all()) == [grandmother]
    response = client.post(
        f"/episodes/{episode.pk}/family-network/{meeting.pk}/",
        {
            "version": str(meeting.version),
            "accepted": "yes",
            "answered_by": "Siobhan",
            **_date_fields("answered_on", today),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == FamilyNetworkMeeting.Status.ACCEPTED
    response = client.post(
        f"/episodes/{episode.pk}/family-network/{meeting.pk}/",
        {
            "version": str(meeting.version),
            "coordinator": "Pat Lee (independent coordinator)",
            "who_came": "Siobhan, Nora, Aunt Clare",
            "private_time": "yes",
            "family_plan": "Nora takes Maya to school on Mondays and Wednesdays; Clare has the children on Saturdays.",
            **_date_fields("held_on", today),
            **_date_fields("review_on", today + timedelta(days=42)),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == FamilyNetworkMeeting.Status.HELD
    page = client.get(f"/episodes/{episode.pk}/family-network/").content.decode()
    assert "Nora takes Maya to school" in page


def test_a_declined_offer_keeps_the_familys_words_and_stays_on_the_record(episode, coach, grandmother):
    today = timezone.localdate()
    meeting = network_meeting_offer(
        actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", invited=[grandmother.pk])
    )
    with pytest.raises(ValidationError) as refused:
        network_meeting_answer(actor=coach, meeting=meeting, answer=Answer(False, today, "Siobhan"), seen_version=None)
    assert "declined_because" in refused.value.message_dict
    declined = network_meeting_answer(
        actor=coach,
        meeting=meeting,
        answer=Answer(False, today, "Siobhan", "We don't want my mum involved"),
        seen_version=None,
    )
    assert declined.status == FamilyNetworkMeeting.Status.DECLINED
    with pytest.raises(ValidationError, match="This meeting is declined"):
        network_meeting_hold(
            actor=coach, meeting=declined, held=Held(today, "", "x", True, "plan", None), seen_version=None
        )
    # A new offer can be made later.
    again = network_meeting_offer(
        actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", others_invited="Clare")
    )
    assert again.status == FamilyNetworkMeeting.Status.OFFERED


def test_one_offer_in_hand_and_only_the_network_invited(episode, coach, grandmother):
    today = timezone.localdate()
    stranger = AdultFactory(first_name="Not", last_name="Related")
    with pytest.raises(ValidationError, match="only people in the family's network"):
        network_meeting_offer(
            actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", invited=[stranger.pk])
        )
    network_meeting_offer(
        actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", invited=[grandmother.pk])
    )
    with pytest.raises(ValidationError, match="already offered"):
        network_meeting_offer(
            actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", invited=[grandmother.pk])
        )


def test_a_meeting_is_held_only_with_the_familys_plan_and_after_the_offer(episode, coach, grandmother):
    today = timezone.localdate()
    meeting = network_meeting_offer(
        actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Siobhan", invited=[grandmother.pk])
    )
    meeting = network_meeting_answer(
        actor=coach, meeting=meeting, answer=Answer(True, today, "Siobhan"), seen_version=None
    )
    with pytest.raises(ValidationError) as refused:
        network_meeting_hold(
            actor=coach,
            meeting=meeting,
            held=Held(today - timedelta(days=1), "", "", None, "", today - timedelta(days=2)),
            seen_version=None,
        )
    assert set(refused.value.message_dict) == {"held_on", "who_came", "private_time", "family_plan", "review_on"}


def test_only_those_who_work_the_episode_record_it(episode, front_door, grandmother):
    with pytest.raises(ValidationError, match="Only the family's coach"):
        network_meeting_offer(
            actor=front_door,
            episode=episode,
            offer=Offer(offered_on=timezone.localdate(), offered_to="Siobhan", invited=[grandmother.pk]),
        )
