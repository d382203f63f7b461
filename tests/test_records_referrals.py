"""Referrals to other agencies made during the episode (FF §17): recorded with the family's
agreement or why not, their outcome moved on only as the model allows and never from a stale page,
shown in the chronology and, while in hand or taken up, on the ecomap."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.records.models import AgencyReferral
from earlyhelp.records.referring import ReferralDetails, agency_referral_make, agency_referral_outcome
from tests.conftest import signed_in
from tests.factories import AgencyFactory, AuthorityFactory, episode_allocated

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _referral(episode, actor, **changes) -> AgencyReferral:
    values: dict[str, Any] = {
        "agency": None,
        "agency_name": "Northamptonshire CAMHS",
        "service": "Emotional wellbeing assessment",
        "reason": "Maya has stopped sleeping since the separation",
        "made_on": timezone.localdate(),
        "family_agreed": True,
        "children": [episode.children.get().person_id],
    }
    values.update(changes)
    return agency_referral_make(actor=actor, episode=episode, details=ReferralDetails(**values))


def test_a_coach_records_a_referral_in_the_browser_and_it_joins_the_chronology_and_the_ecomap(episode, coach):
    maya = episode.children.get().person
    client = signed_in(coach)
    response = client.post(
        f"/episodes/{episode.pk}/referrals-to-agencies/",
        {
            "agency": "",
            "agency_name": "Northamptonshire CAMHS",
            "service": "Emotional wellbeing assessment",
            "reason": "Maya has stopped sleeping since the separation",
            "family_agreed": "yes",
            "children": [str(maya.pk)],
            **_date_fields("made_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    referral = AgencyReferral.objects.get()
    assert referral.outcome == AgencyReferral.Outcome.AWAITING
    assert list(referral.children.all()) == [maya]
    listed = client.get(f"/episodes/{episode.pk}/referrals-to-agencies/").content.decode()
    assert "Awaiting a reply" in listed
    chronology = client.get(f"/episodes/{episode.pk}/chronology/", {"child": maya.pk}).content.decode()
    assert "Referred to Northamptonshire CAMHS: Emotional wellbeing assessment" in chronology
    maps = client.get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
    assert f'data-edge="referral-{referral.pk}-{maya.pk}"' in maps
    assert "Northamptonshire CAMHS: Referred for Emotional wellbeing assessment (awaiting a reply), with Maya" in maps


def test_a_referral_with_mistakes_is_refused_beside_each_field_and_keeps_what_was_typed(episode, coach):
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/referrals-to-agencies/",
        {
            "agency": "",
            "agency_name": "",
            "service": "Parenting course",
            "reason": "",
            "family_agreed": "no",
            **_date_fields("made_on", timezone.localdate()),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why: what the referral is to help with" in page
    assert "Parenting course" in page
    assert not AgencyReferral.objects.exists()


def test_a_referral_without_the_familys_agreement_says_why(episode, coach):
    with pytest.raises(ValidationError) as refused:
        _referral(episode, coach, family_agreed=False)
    assert "without_agreement_because" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _referral(episode, coach, agency_name=" ", family_agreed=None)
    assert set(refused.value.message_dict) == {"agency_name", "family_agreed"}
    made = _referral(episode, coach, family_agreed=False, without_agreement_because="A safeguarding concern")
    assert made.without_agreement_because == "A safeguarding concern"


def test_a_known_agency_is_named_as_the_authority_knows_it(episode, coach, authority):
    known = AgencyFactory(authority=authority, name="Hope Family Centre")
    made = _referral(episode, coach, agency=known, agency_name="ignored")
    assert made.agency_name == "Hope Family Centre"
    elsewhere = AgencyFactory(
        authority=AuthorityFactory(name="Elsewhere Council", code="999"), name="Another council's agency"
    )
    with pytest.raises(ValidationError, match="Choose an agency from the list"):
        _referral(episode, coach, agency=elsewhere)


def test_a_referral_cannot_be_dated_in_the_future_or_before_the_episode(episode, coach):
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=400)):
        with pytest.raises(ValidationError) as refused:
            _referral(episode, coach, made_on=day)
        assert "made_on" in refused.value.message_dict


def test_the_outcome_moves_only_as_the_model_allows(episode, coach):
    referral = _referral(episode, coach)
    today = timezone.localdate()
    agency_referral_outcome(
        actor=coach, referral=referral, outcome="waiting_list", details="12 weeks", on=today, seen_version=None
    )
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot become"):
        agency_referral_outcome(
            actor=coach, referral=referral, outcome="no_response", details="", on=today, seen_version=None
        )
    agency_referral_outcome(actor=coach, referral=referral, outcome="accepted", details="", on=today, seen_version=None)
    referral.refresh_from_db()
    assert referral.is_settled
    with pytest.raises(ValidationError, match="cannot become"):
        agency_referral_outcome(
            actor=coach, referral=referral, outcome="declined", details="", on=today, seen_version=None
        )
    assert AuditEvent.objects.filter(target_type="records.agencyreferral", verb=AuditEvent.Verb.UPDATED).count() == 2


def test_an_outcome_from_a_stale_page_is_refused_and_keeps_what_was_typed(episode, coach, team_leader):
    referral = _referral(episode, coach)
    today = timezone.localdate()
    stale = referral.version
    agency_referral_outcome(
        actor=team_leader,
        referral=referral,
        outcome="accepted",
        details="Starts Monday",
        on=today,
        seen_version=stale,
    )
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/referrals-to-agencies/{referral.pk}/",
        {
            "version": str(stale),
            "outcome": "declined",
            "outcome_details": "They said no",
            **_date_fields("outcome_on", today),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "They said no" in page
    referral.refresh_from_db()
    assert referral.outcome == AgencyReferral.Outcome.ACCEPTED


def test_an_outcome_cannot_come_before_the_referral(episode, coach):
    referral = _referral(episode, coach)
    with pytest.raises(ValidationError, match="on or after the referral"):
        agency_referral_outcome(
            actor=coach,
            referral=referral,
            outcome="accepted",
            details="",
            on=referral.made_on - timedelta(days=1),
            seen_version=None,
        )


def test_only_those_who_work_the_episode_refer(episode, front_door):
    with pytest.raises(ValidationError, match="Only the family's coach"):
        _referral(episode, front_door)
    response = signed_in(front_door).post(f"/episodes/{episode.pk}/referrals-to-agencies/", {"service": "x"})
    assert response.status_code == 404
    assert not AgencyReferral.objects.exists()


def test_a_declined_referral_leaves_the_ecomap(episode, coach):
    referral = _referral(episode, coach, children=[])
    client = signed_in(coach)
    assert (
        f'data-edge="referral-{referral.pk}"'
        in client.get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
    )
    agency_referral_outcome(
        actor=coach, referral=referral, outcome="declined", details="", on=timezone.localdate(), seen_version=None
    )
    assert "referral-" not in client.get(f"/episodes/{episode.pk}/genogram-and-ecomap/").content.decode()
