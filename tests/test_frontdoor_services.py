"""The front door's rules, tested through its services: whole referrals or nothing, consent,
the signpost override, re-referrals, the family link, and telling people the outcome."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.directory.models import Service
from earlyhelp.frontdoor import consent, deciding, decision_rules, matching, receiving, selectors
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails
from earlyhelp.organisations.models import Team
from earlyhelp.people.models import FamilyMembership, Involvement
from earlyhelp.thresholds.rules import Facts
from tests.factories import AreaFactory, PersonFactory, TeamFactory, a_referral, contact_received

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_team(authority):
    return TeamFactory(area__authority=authority, name="Families First East", kind=Team.Kind.FAMILY_SUPPORT)


@pytest.fixture
def youth_club(authority):
    return Service.objects.create(
        authority=authority, name="Kingsthorpe Youth Club", provider="The council", description="Evenings for 11-18s."
    )


def matched_and_levelled(contact, actor, frameworks, indicators=("l2-learning-01",), level=2, reason=""):
    for entry in contact.people.all():
        matching.contact_person_record(seen_version=None, actor=actor, entry=entry)
    version = frameworks["northamptonshire"]
    deciding.contact_level_of_need_record(
        actor=actor,
        contact=contact,
        version=version,
        indicators=list(indicators),
        facts=Facts(consent_given=True),
        level=level,
        override_reason=reason,
    )
    contact.refresh_from_db()
    return contact


def test_a_referral_is_saved_whole_with_its_people_and_audit_rows(alice, frameworks):
    contact = contact_received(alice)
    assert contact.status == Contact.Status.AWAITING_DECISION
    assert contact.reference.startswith("EH")
    assert [entry.role for entry in contact.people.all()] == ["child", "parent"]
    assert sorted(contact.needs.values_list("code", flat=True)) == ["emotional-wellbeing", "family-conflict"]
    assert AuditEvent.objects.filter(target_type="frontdoor.contact", target_id=contact.pk).exists()
    assert contact.referrer_agency == alice.agency


def test_a_referral_with_problems_saves_nothing_and_names_every_problem(alice, frameworks):
    referral = a_referral(
        referrer_email="not-an-address",
        children=[PersonDetails(role="child", first_name="", last_name="Brennan", nhs_number="1234567890")],
        needs=[],
        reason="",
        consent=ConsentDetails(status="given"),
    )
    with pytest.raises(receiving.ReferralInvalidError) as raised:
        receiving.contact_receive(
            referral=referral, source=Contact.Source.PROFESSIONAL, authority_id=alice.authority_id, referrer_user=alice
        )
    assert set(raised.value.problems) == {
        "referrer_email",
        "children.0.first_name",
        "children.0.date_of_birth",
        "children.0.nhs_number",
        "needs",
        "reason",
        "consent.given_by",
        "consent.given_on",
        "consent.how",
        "consent.covers",
    }
    assert not Contact.objects.exists()
    assert not ContactPerson.objects.exists()


def test_an_immediate_danger_referral_is_saved_and_flagged_without_the_rest(alice, frameworks):
    contact = receiving.contact_receive(
        referral=a_referral(immediate_danger=True, children=[], adults=[], needs=[], reason=""),
        source=Contact.Source.PROFESSIONAL,
        authority_id=alice.authority_id,
        referrer_user=alice,
    )
    assert contact.immediate_danger
    assert "999" in contact.reason


def test_no_allocation_to_a_family_support_team_without_consent(front_door, alice, frameworks, support_team):
    contact = contact_received(alice, consent=ConsentDetails(status="not_asked"))
    matched_and_levelled(contact, front_door, frameworks)
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(
            actor=front_door, contact=contact, outcome="allocate", reasons="Meets the criteria", team=support_team
        )
    assert "consented" in str(raised.value.message_dict["outcome"])
    assert not TriageDecision.objects.exists()


def test_allocation_puts_the_family_on_the_teams_list_and_links_a_family(front_door, alice, frameworks, support_team):
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    deciding.contact_decide(
        actor=front_door, contact=contact, outcome="allocate", reasons="Meets the criteria", team=support_team
    )
    contact.refresh_from_db()
    assert contact.status == Contact.Status.ALLOCATED
    assert contact.decided_at is not None
    assert contact.family is not None
    roles = set(FamilyMembership.objects.filter(family=contact.family).values_list("role", flat=True))
    assert roles == {"child", "parent"}
    from earlyhelp.frontdoor.selectors import team_new_referrals

    assert list(team_new_referrals(team=support_team)) == [contact]


def test_deciding_needs_everyone_matched_and_the_level_recorded(front_door, alice, frameworks, youth_club):
    contact = contact_received(alice)
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(actor=front_door, contact=contact, outcome="signpost", reasons="x", service=youth_club)
    assert "Match or record everyone" in str(raised.value)


def test_a_signpost_against_an_immediate_referral_needs_a_reason_and_a_team_leaders_confirmation(
    front_door, team_leader, alice, frameworks, youth_club
):
    contact = matched_and_levelled(
        contact_received(alice), front_door, frameworks, indicators=("safeguarding-01",), level=2, reason="Known"
    )
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(actor=front_door, contact=contact, outcome="signpost", reasons="x", service=youth_club)
    assert "override_reason" in raised.value.message_dict
    decision = deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="signpost",
        reasons="Parents already working with the youth club",
        service=youth_club,
        override_reason="The concern was historic and is resolved",
    )
    contact.refresh_from_db()
    assert contact.status == Contact.Status.AWAITING_CONFIRMATION
    assert mail.outbox == []
    with pytest.raises(ValidationError):
        deciding.triage_confirm(actor=front_door, decision=decision)
    deciding.triage_confirm(actor=team_leader, decision=decision)
    contact.refresh_from_db()
    assert contact.status == Contact.Status.SIGNPOSTED


def test_a_team_leader_can_return_a_signpost_for_a_new_decision(front_door, team_leader, alice, frameworks, youth_club):
    contact = matched_and_levelled(
        contact_received(alice), front_door, frameworks, indicators=("safeguarding-01",), level=2, reason="Known"
    )
    decision = deciding.contact_decide(
        actor=front_door, contact=contact, outcome="signpost", reasons="x", service=youth_club, override_reason="y"
    )
    deciding.triage_return(actor=team_leader, decision=decision, because="Refer to social care")
    contact.refresh_from_db()
    assert contact.status == Contact.Status.AWAITING_DECISION
    deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="As the team leader said")
    contact.refresh_from_db()
    assert contact.status == Contact.Status.REDIRECTED


def test_the_referrer_and_the_family_are_emailed_the_outcome(
    front_door, alice, frameworks, youth_club, django_capture_on_commit_callbacks
):
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.contact_decide(
            actor=front_door, contact=contact, outcome="signpost", reasons="A good fit", service=youth_club
        )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "priya.shah@school.example.test",
        "siobhan@example.test",
    ]
    assert "Kingsthorpe Youth Club" in mail.outbox[0].body
    assert contact.reference in mail.outbox[0].subject


def test_the_family_is_not_emailed_when_the_practitioner_says_so(
    front_door, alice, frameworks, django_capture_on_commit_callbacks
):
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.contact_decide(
            actor=front_door, contact=contact, outcome="redirect", reasons="Risk", tell_family=False
        )
    assert [message.to[0] for message in mail.outbox] == ["priya.shah@school.example.test"]


def test_a_family_referred_again_within_twelve_months_is_flagged_as_a_re_referral(front_door, alice, frameworks):
    child = PersonFactory(first_name="Maya", last_name="Brennan", date_of_birth=date(2016, 5, 4))
    earlier = contact_received(alice)
    matching.contact_person_match(
        seen_version=None, actor=front_door, entry=earlier.people.get(role="child"), person=child
    )
    later = contact_received(alice)
    matching.contact_person_match(
        seen_version=None, actor=front_door, entry=later.people.get(role="child"), person=child
    )
    later.refresh_from_db()
    assert later.re_referral
    assert list(selectors.earlier_contacts(later)) == [earlier]


def test_a_contact_more_than_twelve_months_later_is_not_a_re_referral(front_door, alice, frameworks):
    child = PersonFactory(first_name="Maya", last_name="Brennan", date_of_birth=date(2016, 5, 4))
    earlier = receiving.contact_receive(
        referral=a_referral(),
        source=Contact.Source.PROFESSIONAL,
        authority_id=alice.authority_id,
        referrer_user=alice,
        received_at=timezone.now() - timedelta(days=400),
    )
    matching.contact_person_match(
        seen_version=None, actor=front_door, entry=earlier.people.get(role="child"), person=child
    )
    later = contact_received(alice)
    matching.contact_person_match(
        seen_version=None, actor=front_door, entry=later.people.get(role="child"), person=child
    )
    later.refresh_from_db()
    assert not later.re_referral


def test_matching_lets_the_referring_partner_see_the_child(front_door, bob, frameworks):
    contact = contact_received(bob)
    person = matching.contact_person_record(seen_version=None, actor=front_door, entry=contact.people.get(role="child"))
    assert Involvement.objects.filter(person=person, practitioner=bob, kind="referred").exists()


def test_scheduling_for_a_meeting_lists_the_family_as_awaiting_a_meeting(front_door, alice, frameworks, authority):
    area = AreaFactory(authority=authority, name="Northampton North")
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="schedule",
        reasons="Needs several agencies",
        meeting_area=area,
        discuss_anonymously=True,
    )
    from earlyhelp.frontdoor.selectors import awaiting_meeting

    assert list(awaiting_meeting(contacts=Contact.objects.all())) == [contact]


def test_an_immediate_danger_contact_naming_no_child_can_only_be_redirected(front_door, alice, frameworks, youth_club):
    contact = receiving.contact_receive(
        referral=a_referral(immediate_danger=True, children=[], adults=[], needs=[], reason=""),
        source=Contact.Source.PROFESSIONAL,
        authority_id=alice.authority_id,
        referrer_user=alice,
    )
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(actor=front_door, contact=contact, outcome="signpost", reasons="x", service=youth_club)
    assert "can only be redirected" in str(raised.value)
    deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="Police attended")
    contact.refresh_from_db()
    assert contact.status == Contact.Status.REDIRECTED


# The social-care rule on every outcome (FF §5.3, §5.6b) ------------------------------------


@pytest.mark.parametrize(
    ("outcome", "extra"),
    [
        ("signpost", {"service": "youth_club"}),
        ("allocate", {"team": "support_team"}),
        ("schedule", {"meeting_area": "area", "discuss_anonymously": True}),
    ],
)
def test_every_outcome_but_a_redirect_against_advice_to_refer_needs_a_reason_and_a_team_leader(
    front_door, team_leader, alice, frameworks, youth_club, support_team, authority, outcome, extra
):
    fixtures = {"youth_club": youth_club, "support_team": support_team, "area": AreaFactory(authority=authority)}
    chosen = {key: fixtures[value] if isinstance(value, str) else value for key, value in extra.items()}
    contact = matched_and_levelled(
        contact_received(alice), front_door, frameworks, indicators=("safeguarding-01",), level=2, reason="Known"
    )
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(actor=front_door, contact=contact, outcome=outcome, reasons="x", **chosen)
    assert "override_reason" in raised.value.message_dict
    decision = deciding.contact_decide(
        actor=front_door, contact=contact, outcome=outcome, reasons="x", override_reason="Historic, resolved", **chosen
    )
    contact.refresh_from_db()
    assert decision.needs_confirmation
    assert contact.status == Contact.Status.AWAITING_CONFIRMATION
    deciding.triage_confirm(actor=team_leader, decision=decision)
    contact.refresh_from_db()
    assert contact.status == decision_rules.STATUS_FOR_OUTCOME[TriageDecision.Outcome(decision.outcome)]


def test_a_redirect_to_social_care_needs_no_override(front_door, alice, frameworks):
    contact = matched_and_levelled(
        contact_received(alice), front_door, frameworks, indicators=("safeguarding-01",), level=2, reason="Known"
    )
    decision = deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="As advised")
    assert not decision.needs_confirmation


# Consent in triage (FF §5.5) ---------------------------------------------------------------


def _verbal(**changes):
    values: dict[str, Any] = {
        "status": "given",
        "given_by": "Siobhan Brennan (mother)",
        "given_on": date.today(),
        "how": "verbal",
        "covers": ["early_help_service"],
    }
    values.update(changes)
    return ConsentDetails(**values)


def test_consent_recorded_in_triage_lets_a_family_referred_without_it_be_allocated(
    front_door, alice, frameworks, support_team
):
    contact = matched_and_levelled(
        contact_received(alice, consent=ConsentDetails(status="not_asked")), front_door, frameworks
    )
    consent.contact_consent_record(seen_version=None, actor=front_door, contact=contact, consent=_verbal(how="written"))
    deciding.contact_decide(actor=front_door, contact=contact, outcome="allocate", reasons="Fits", team=support_team)
    contact.refresh_from_db()
    assert contact.status == Contact.Status.ALLOCATED
    history = consent.consent_history(contact)
    assert [entry.status for entry in history] == ["given", "not_asked"]
    assert history[0].recorded_by == front_door


def test_correcting_consent_says_why_and_keeps_what_was_there_before(front_door, alice, frameworks):
    contact = contact_received(alice)
    with pytest.raises(ValidationError) as raised:
        consent.contact_consent_record(seen_version=None, actor=front_door, contact=contact, consent=_verbal())
    assert "note" in raised.value.message_dict
    consent.contact_consent_record(
        seen_version=None,
        actor=front_door,
        contact=contact,
        consent=_verbal(),
        note="The mother agreed by phone, not in writing",
    )
    contact.refresh_from_db()
    assert contact.consent_how == "verbal"
    history = consent.consent_history(contact)
    assert [(entry.how, entry.note) for entry in history] == [
        ("verbal", "The mother agreed by phone, not in writing"),
        ("written", ""),
    ]
    change = AuditEvent.objects.filter(target_type="frontdoor.contact", target_id=contact.pk, verb="updated").first()
    assert change is not None
    assert change.details["consent_how"] == ["written", "verbal"]


def test_consent_with_problems_changes_nothing(front_door, alice, frameworks):
    contact = contact_received(alice, consent=ConsentDetails(status="not_asked"))
    with pytest.raises(ValidationError) as raised:
        consent.contact_consent_record(
            seen_version=None, actor=front_door, contact=contact, consent=_verbal(given_by="", covers=[], how="")
        )
    assert set(raised.value.message_dict) == {"given_by", "how", "covers"}
    contact.refresh_from_db()
    assert contact.consent == "not_asked"
    assert len(consent.consent_history(contact)) == 1


def test_allocating_on_verbal_consent_asks_why_and_marks_it_to_be_obtained_in_writing(
    front_door, alice, frameworks, support_team
):
    contact = matched_and_levelled(contact_received(alice, consent=_verbal()), front_door, frameworks)
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(
            actor=front_door, contact=contact, outcome="allocate", reasons="Fits", team=support_team
        )
    assert "consent_not_in_writing_because" in raised.value.message_dict
    decision = deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="allocate",
        reasons="Fits",
        team=support_team,
        consent_not_in_writing_because="Agreed on the phone; no form signed yet",
    )
    assert decision.written_consent_at_first_visit
    assert decision.consent_not_in_writing_because == "Agreed on the phone; no form signed yet"


def test_a_self_referral_counts_as_consent_in_writing(front_door, alice, frameworks, support_team):
    contact = matched_and_levelled(contact_received(alice, consent=_verbal(how="online")), front_door, frameworks)
    decision = deciding.contact_decide(
        actor=front_door, contact=contact, outcome="allocate", reasons="Fits", team=support_team
    )
    assert not decision.written_consent_at_first_visit


def test_a_service_that_requires_written_consent_refuses_allocation_on_verbal_consent(
    front_door, alice, frameworks, support_team, authority
):
    authority.require_written_consent = True  # the authority's own setting (ADR 13)
    authority.save()
    contact = matched_and_levelled(contact_received(alice, consent=_verbal()), front_door, frameworks)
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(
            actor=front_door,
            contact=contact,
            outcome="allocate",
            reasons="Fits",
            team=support_team,
            consent_not_in_writing_because="Phone",
        )
    assert "in writing" in raised.value.message_dict["outcome"][0]


# Discussing at a meeting: anonymously without consent (EHF; T&P Appendix 1) -----------------


def test_without_consent_to_be_named_a_family_can_only_be_discussed_anonymously(
    front_door, alice, frameworks, authority
):
    area = AreaFactory(authority=authority)
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    with pytest.raises(ValidationError) as raised:
        deciding.contact_decide(
            actor=front_door,
            contact=contact,
            outcome="schedule",
            reasons="x",
            meeting_area=area,
            discuss_anonymously=False,
        )
    assert "anonymously" in raised.value.message_dict["discuss_anonymously"][0]


def test_an_anonymous_family_is_not_named_on_the_list_or_in_the_emails(
    front_door, alice, frameworks, authority, django_capture_on_commit_callbacks
):
    from earlyhelp.frontdoor.selectors import awaiting_meeting_rows

    area = AreaFactory(authority=authority, name="Kingsthorpe")
    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    with django_capture_on_commit_callbacks(execute=True):
        deciding.contact_decide(
            actor=front_door,
            contact=contact,
            outcome="schedule",
            reasons="x",
            meeting_area=area,
            discuss_anonymously=True,
        )
    [row] = awaiting_meeting_rows(contacts=Contact.objects.all(), today=date.today())
    assert row.anonymous
    assert not any("Maya" in child or "Brennan" in child for child in row.children)
    assert row.children[0].startswith("A child aged")
    assert mail.outbox
    for message in mail.outbox:
        assert "Maya" not in message.body
        assert "will not be told" in message.body


def test_a_family_who_agreed_to_be_named_is_named_on_the_list(front_door, alice, frameworks, authority):
    from earlyhelp.frontdoor.selectors import awaiting_meeting_rows

    named = ConsentDetails(
        status="given",
        given_by="Siobhan Brennan",
        given_on=date.today(),
        how="written",
        covers=["early_help_service", "discuss_at_meeting"],
    )
    contact = matched_and_levelled(contact_received(alice, consent=named), front_door, frameworks)
    deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="schedule",
        reasons="x",
        meeting_area=AreaFactory(authority=authority),
        discuss_anonymously=False,
    )
    [row] = awaiting_meeting_rows(contacts=Contact.objects.all(), today=date.today())
    assert not row.anonymous
    assert row.children == ["Maya Brennan"]
