"""Consent and information sharing (issue 13; T&P §8; ADR 21): three separate records, consent that
binds what a partner may open, decisions to share with the seven questions answered, and the
duty to share for safeguarding recorded both ways."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.frontdoor import consent as frontdoor_consent
from earlyhelp.frontdoor import matching
from earlyhelp.frontdoor.referrals import ConsentDetails as ReferralConsentDetails
from earlyhelp.organisations.roles import Role
from earlyhelp.people import services
from earlyhelp.sharing import recording, rules
from earlyhelp.sharing.models import AgreementToHelp, ConsentToShare, RecordPart, SharingDecision
from earlyhelp.sharing.recording import SAFEGUARDING_DUTY, DecisionDetails, Statement
from tests.conftest import signed_in
from tests.factories import AgencyFactory, UserFactory, consent_to_share, contact_received, system_user
from tests.test_casework_pages import casework_people  # noqa: F401 (a fixture)
from tests.test_people import person_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(authority):
    return AgencyFactory(authority=authority, name="Northamptonshire Police", kind="police")


def _statement(people, **changes):
    values = {
        "people": people,
        "given_by": "Grace Okafor",
        "given_by_who": "parent",
        "given_on": timezone.localdate(),
        "how": "written",
    }
    return Statement(**(values | changes))


def _decision(people, **changes):
    values = {
        "people": people,
        "shared": True,
        "purpose": "To keep Tobi safe after the incident reported at school",
        "identifiable": True,
        "confidential": True,
        "consent": "refused",
        "public_interest": "A risk of significant harm outweighs the family's wish",
        "recipient": "PC Ward, safeguarding team",
        "what": "The school's account of the incident",
        "how_shared": "Secure e-mail",
        "family_told": "not_safe",
    }
    return DecisionDetails(**(values | changes))


# Three records -------------------------------------------------------------------------------


def test_agreement_consent_and_decision_are_three_separate_records(okafor, coach, school):
    recording.agreement_record(actor=coach, statement=_statement([okafor.mother, okafor.child]), agreed=True)
    consent_to_share([okafor.mother, okafor.child], [school], ("health",), actor=coach)
    recording.sharing_decision_record(
        actor=coach, details=_decision([okafor.child], consent="given", public_interest="", recipient_agency=school)
    )
    assert AgreementToHelp.objects.get().agreed
    consent = ConsentToShare.objects.get()
    assert (consent.given, consent.parts, list(consent.agencies.all())) == (True, ["health"], [school])
    assert SharingDecision.objects.get().basis == "Consent"
    created = AuditEvent.objects.filter(verb="created", target_type__startswith="sharing.")
    assert sorted(created.values_list("target_type", flat=True)) == [
        "sharing.agreementtohelp",
        "sharing.consenttoshare",
        "sharing.sharingdecision",
    ]


def test_consent_says_who_gave_it_with_what_capacity_for_what_with_whom_and_which_parts(okafor, coach):
    with pytest.raises(ValidationError) as refused:
        recording.consent_record(
            actor=coach,
            statement=_statement([], given_by=" ", given_by_who="", given_on=None, how=""),
            consent=recording.ConsentDetails(given=True, capacity=""),
        )
    assert refused.value.message_dict == {
        "people": ["Choose who this is about"],
        "given_by": ["Enter the name of the person who said so"],
        "given_by_who": ["Say who they are: the person, a parent or carer, or someone else with authority"],
        "given_on": ["Enter the date they said so"],
        "how": ["Say how they said so: in writing, verbally or online"],
        "capacity": ["Say whether they could decide for themselves, or decided for someone who cannot"],
        "purpose": ["Say what the information may be shared for"],
        "agencies": ["Choose the agencies it may be shared with, or multi-agency meetings"],
    }
    assert not ConsentToShare.objects.exists()


def test_an_agency_named_without_parts_or_a_parent_said_to_decide_for_themselves_is_refused(okafor, coach, school):
    with pytest.raises(ValidationError) as refused:
        recording.consent_record(
            actor=coach,
            statement=_statement([okafor.child], given_on=timezone.localdate() + timedelta(days=1)),
            consent=recording.ConsentDetails(given=True, capacity="has_capacity", purpose="School", agencies=[school]),
        )
    assert refused.value.message_dict == {
        "given_on": ["The date must be today or in the past"],
        "capacity": [
            "When someone decides for another person, say that it was for a child or someone who lacks capacity"
        ],
        "parts": ["Choose which parts of the record the agencies may see"],
    }


def test_a_refusal_needs_no_purpose_and_opens_nothing(okafor, coach, school, alice):
    recording.consent_record(
        actor=coach,
        statement=_statement([okafor.child]),
        consent=recording.ConsentDetails(given=False, capacity="for_a_child", agencies=[school], parts=["health"]),
    )
    refusal = ConsentToShare.objects.get()
    assert (refusal.given, refusal.parts, refusal.agencies.count()) == (False, [], 0)
    assert rules.parts_open_to(alice, okafor.child.pk) == frozenset()


# Consent binds what a partner opens ---------------------------------------------------------


def test_a_partner_opens_only_the_parts_the_familys_consent_names_for_their_agency(okafor, alice, police):
    assert rules.parts_open_to(alice, okafor.child.pk) == frozenset()
    consent_to_share([okafor.child], [police], ("health",))
    assert rules.parts_open_to(alice, okafor.child.pk) == frozenset()
    consent_to_share([okafor.child], [alice.agency], ("levels_of_need",))
    assert rules.parts_open_to(alice, okafor.child.pk) == {RecordPart.LEVELS_OF_NEED}
    assert rules.parts_open_to(alice, okafor.mother.pk) == frozenset()


def test_a_withdrawn_consent_opens_nothing_from_that_moment(okafor, alice, coach):
    consent = consent_to_share([okafor.child], [alice.agency])
    assert rules.parts_open_to(alice, okafor.child.pk) == rules.EVERY_PART
    recording.withdraw(actor=coach, record=consent, on=timezone.localdate(), because="Mum rang", seen_version=None)
    assert rules.parts_open_to(alice, okafor.child.pk) == frozenset()
    event = AuditEvent.objects.filter(verb="updated", target_type="sharing.consenttoshare").get()
    assert event.details["withdrawn_because"] == "Mum rang"


def test_withdrawing_twice_or_before_it_was_given_or_without_a_reason_is_refused(okafor, alice, coach):
    consent = consent_to_share([okafor.child], [alice.agency])
    with pytest.raises(ValidationError) as refused:
        recording.withdraw(
            actor=coach, record=consent, on=consent.given_on - timedelta(days=1), because=" ", seen_version=None
        )
    assert refused.value.message_dict == {
        "withdrawn_on": ["The date must be on or after the date it was given"],
        "because": ["Say who withdrew it and what they said"],
    }
    recording.withdraw(actor=coach, record=consent, on=timezone.localdate(), because="Dad rang", seen_version=None)
    with pytest.raises(ValidationError) as again:
        recording.withdraw(actor=coach, record=consent, on=timezone.localdate(), because="Again", seen_version=None)
    assert again.value.message_dict["withdrawn_on"] == [
        f"This was already withdrawn on {timezone.localdate():%-d %B %Y}"
    ]


def test_the_authoritys_staff_read_every_part_but_health_details_only_where_their_role_needs_them(
    okafor, coach, business_support, forum_coordinator
):
    assert rules.parts_open_to(coach, okafor.child.pk) == rules.EVERY_PART
    for reader in (business_support, forum_coordinator):
        assert rules.parts_open_to(reader, okafor.child.pk) == rules.EVERY_PART - {RecordPart.HEALTH}


def test_the_person_page_hides_health_details_and_levels_of_need_from_a_partner_without_consent(okafor, alice):
    services.person_update(
        actor=system_user(),
        person=okafor.child,
        details={"nhs_number": "9434765919", "disability": "yes", "disability_details": "Hearing loss, left ear"},
        seen_version=None,
    )
    client = signed_in(alice)
    page = client.get(f"/people/{okafor.child.pk}/").content.decode()
    assert "943 476 5919" not in page
    assert "Hearing loss" not in page
    assert page.count("Not shared with your agency: the family’s consent to share does not cover it") == 2

    consent = consent_to_share([okafor.child], [alice.agency], ("health", "levels_of_need"))
    page = client.get(f"/people/{okafor.child.pk}/").content.decode()
    assert "943 476 5919" in page
    assert "Hearing loss, left ear" in page
    assert "Not shared with your agency" not in page

    recording.withdraw(actor=alice, record=consent, on=timezone.localdate(), because="Mum said no", seen_version=None)
    assert "943 476 5919" not in client.get(f"/people/{okafor.child.pk}/").content.decode()


def test_business_support_reads_the_record_but_not_its_health_details(okafor, business_support, coach):
    services.person_update(
        actor=system_user(), person=okafor.child, details={"nhs_number": "9434765919"}, seen_version=None
    )
    page = signed_in(business_support).get(f"/people/{okafor.child.pk}/").content.decode()
    assert "943 476 5919" not in page
    assert "Not shown to your role" in page
    assert "943 476 5919" in signed_in(coach).get(f"/people/{okafor.child.pk}/").content.decode()


def test_a_partner_changing_a_record_without_health_consent_neither_sees_nor_clears_its_nhs_number(okafor, alice):
    services.person_update(
        actor=system_user(), person=okafor.child, details={"nhs_number": "9434765919"}, seen_version=None
    )
    client = signed_in(alice)
    form = client.get(f"/people/{okafor.child.pk}/edit/").content.decode()
    assert 'name="nhs_number"' not in form
    assert "9434765919" not in form
    okafor.child.refresh_from_db()
    response = client.post(
        f"/people/{okafor.child.pk}/edit/",
        person_form(first_name="Tobias", last_name="Okafor", nhs_number="", version=okafor.child.version),
    )
    assert response.status_code == 302, response.content.decode()
    okafor.child.refresh_from_db()
    assert (okafor.child.first_name, okafor.child.nhs_number) == ("Tobias", "9434765919")


# Decisions to share ---------------------------------------------------------------------------


def test_sharing_without_consent_needs_the_public_interest_weighed(okafor, coach):
    with pytest.raises(ValidationError) as refused:
        recording.sharing_decision_record(actor=coach, details=_decision([okafor.child], public_interest=""))
    assert refused.value.message_dict == {
        "public_interest": [
            "Without consent, say why the public interest or the child's safety justifies sharing: "
            "what might happen if it is shared, and if it is not"
        ]
    }


def test_a_decision_answers_the_seven_questions(okafor, coach):
    with pytest.raises(ValidationError) as refused:
        recording.sharing_decision_record(
            actor=coach,
            details=DecisionDetails(
                people=[], shared=None, purpose=" ", identifiable=None, confidential=None, consent=""
            ),
        )
    assert refused.value.message_dict == {
        "people": ["Choose who the information is about"],
        "shared": ["Say whether you shared the information or decided not to"],
        "purpose": ["Say why the information is, or would be, shared and what it is to achieve"],
        "identifiable": ["Say whether the information identifies a living person"],
        "confidential": ["Say whether the information is confidential"],
        "consent": ["Say whether you have the family's consent to share"],
    }


def test_a_decision_to_share_says_with_whom_what_how_and_whether_the_family_knows(okafor, coach):
    with pytest.raises(ValidationError) as refused:
        recording.sharing_decision_record(
            actor=coach,
            details=_decision([okafor.child], recipient="", what="", how_shared="", family_told="", parts=["health"]),
        )
    assert refused.value.message_dict == {
        "recipient_agency": ["Say who you shared it with: an agency, a person or both"],
        "what": ["Say what you shared: only what was needed, fact and opinion told apart"],
        "how_shared": [
            "Say how it was shared securely (for example secure e-mail, a call that could not be overheard)"
        ],
        "family_told": ["Say whether the family has been told it was shared"],
        "parts": ["Parts of the record open only to an agency: choose the agency"],
    }


def test_a_decision_not_to_share_says_why_and_opens_nothing(okafor, coach, police):
    with pytest.raises(ValidationError) as refused:
        recording.sharing_decision_record(
            actor=coach, details=_decision([okafor.child], shared=False, why_not="", parts=["health"])
        )
    assert refused.value.message_dict == {
        "why_not": ["Say why you decided not to share"],
        "parts": ["A decision not to share opens no part of the record"],
    }
    decision = recording.sharing_decision_record(
        actor=coach,
        details=_decision([okafor.child], shared=False, why_not="Not needed for the purpose", recipient_agency=police),
    )
    assert (decision.shared, decision.parts, decision.recipient_agency, decision.basis) == (
        False,
        [],
        None,
        "Not shared",
    )


def test_the_safeguarding_duty_is_recorded_both_ways(okafor, coach):
    """Children's Wellbeing and Schools Act 2026, s4: share for safeguarding unless that would be
    more detrimental to the child. The judgement is recorded whether or not the information is shared."""
    with pytest.raises(ValidationError) as unjudged:
        recording.sharing_decision_record(actor=coach, details=_decision([okafor.child], for_safeguarding=True))
    assert unjudged.value.message_dict == {
        "detriment": ["For safeguarding, record whether sharing would be more detrimental to the child than not"]
    }
    with pytest.raises(ValidationError) as unreasoned:
        recording.sharing_decision_record(
            actor=coach, details=_decision([okafor.child], for_safeguarding=True, detriment="not_more")
        )
    assert unreasoned.value.message_dict == {"detriment_reasons": ["Give the reasons for that judgement"]}
    with pytest.raises(ValidationError) as duty:
        recording.sharing_decision_record(
            actor=coach,
            details=_decision(
                [okafor.child],
                shared=False,
                why_not="The family asked us not to",
                for_safeguarding=True,
                detriment="not_more",
                detriment_reasons="Nothing suggests sharing would harm Tobi",
            ),
        )
    assert duty.value.message_dict == {"shared": [SAFEGUARDING_DUTY]}
    kept_back = recording.sharing_decision_record(
        actor=coach,
        details=_decision(
            [okafor.child],
            shared=False,
            why_not="Sharing now would alert the person harming him",
            for_safeguarding=True,
            detriment="more",
            detriment_reasons="Disclosure would put Tobi at greater risk tonight",
        ),
    )
    shared = recording.sharing_decision_record(
        actor=coach,
        details=_decision(
            [okafor.child], for_safeguarding=True, detriment="not_more", detriment_reasons="Police need it today"
        ),
    )
    assert (kept_back.detriment, shared.detriment) == ("more", "not_more")
    assert shared.basis == "The duty to share for safeguarding (Children's Wellbeing and Schools Act 2026, s4)"


def test_a_decision_to_share_opens_parts_to_the_agency_until_its_date(okafor, coach, police, authority):
    officer = UserFactory(authority=authority, agency=police, roles=[Role.PARTNER_PRACTITIONER])
    recording.sharing_decision_record(
        actor=coach,
        details=_decision(
            [okafor.child],
            recipient_agency=police,
            parts=["levels_of_need"],
            open_until=timezone.localdate() + timedelta(days=7),
        ),
    )
    assert rules.shared_parts(agency_id=police.pk, people=[okafor.child.pk]) == {
        okafor.child.pk: {RecordPart.LEVELS_OF_NEED}
    }
    later = timezone.localdate() + timedelta(days=8)
    assert rules.shared_parts(agency_id=police.pk, people=[okafor.child.pk], on=later) == {}
    assert rules.parts_open_to(officer, okafor.child.pk) == {RecordPart.LEVELS_OF_NEED}


def test_sharing_without_consent_is_shown_on_the_case_file_to_the_lead_practitioner(
    casework_people,  # noqa: F811
    police,
):
    episode, people = casework_people
    child = episode.family.members.filter(kind="child").first()
    recording.sharing_decision_record(
        actor=people["coach"], details=_decision([child], recipient_agency=police, recipient="")
    )
    page = signed_in(people["partner_lead"]).get(f"/episodes/{episode.pk}/").content.decode()
    assert "Shared without consent" in page
    assert "shared with Northamptonshire Police on the basis of the public interest" in page


# The referral's consent, taken over ----------------------------------------------------------


def test_a_referrals_consent_becomes_the_two_records_when_its_people_are_matched(okafor, front_door, alice):
    contact = contact_received(alice)
    child_entry = contact.people.get(role="child")
    assert not AgreementToHelp.objects.exists()
    matching.contact_person_match(actor=front_door, entry=child_entry, person=okafor.child, seen_version=None)
    agreement, consent = AgreementToHelp.objects.get(), ConsentToShare.objects.get()
    assert (agreement.agreed, agreement.from_contact, list(agreement.people.all())) == (
        True,
        contact.reference,
        [okafor.child],
    )
    assert (consent.given, consent.agencies.count(), consent.parts) == (True, 0, [])
    assert consent.with_whom.startswith("Other agencies, not named on the referral")
    # Consent that names no agency opens nothing to any partner.
    assert rules.parts_open_to(alice, okafor.child.pk) == frozenset()
    mother_entry = contact.people.get(role="parent")
    matching.contact_person_match(actor=front_door, entry=mother_entry, person=okafor.mother, seen_version=None)
    assert set(ConsentToShare.objects.get().people.all()) == {okafor.child, okafor.mother}


def test_a_correction_at_the_front_door_withdraws_what_the_referral_said_and_takes_over_the_new(
    okafor, front_door, alice
):
    contact = contact_received(alice)
    matching.contact_person_match(
        actor=front_door, entry=contact.people.get(role="child"), person=okafor.child, seen_version=None
    )
    contact.refresh_from_db()
    frontdoor_consent.contact_consent_record(
        actor=front_door,
        contact=contact,
        consent=ReferralConsentDetails(status="refused"),
        note="Mum says she never agreed",
        seen_version=contact.version,
    )
    withdrawn = AgreementToHelp.objects.filter(withdrawn_on__isnull=False).get()
    assert withdrawn.withdrawn_because == "Corrected at the front door: Mum says she never agreed"
    now = AgreementToHelp.objects.filter(withdrawn_on__isnull=True).get()
    assert (now.agreed, now.from_contact) == (False, contact.reference)
    assert ConsentToShare.objects.filter(withdrawn_on__isnull=True, given=False).count() == 1


# Pages -----------------------------------------------------------------------------------------


def test_a_practitioner_records_consent_through_the_page_and_a_wrong_answer_keeps_what_was_typed(okafor, coach, school):
    client = signed_in(coach)
    url = f"/people/{okafor.child.pk}/sharing/consent/"
    page = client.post(url, {"people": [okafor.child.pk], "given": "yes", "given_by": "Grace Okafor"}).content.decode()
    assert "Say what the information may be shared for" in page
    assert 'value="Grace Okafor"' in page
    assert not ConsentToShare.objects.exists()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "people": [okafor.child.pk, okafor.mother.pk],
            "given": "yes",
            "given_by": "Grace Okafor",
            "given_by_who": "parent",
            "capacity": "for_a_child",
            "given_on_0": today.day,
            "given_on_1": today.month,
            "given_on_2": today.year,
            "how": "written",
            "purpose": "Support at school",
            "other_agency": school.pk,
            "parts": ["levels_of_need"],
        },
    )
    assert response.status_code == 302
    consent = ConsentToShare.objects.get()
    assert list(consent.agencies.all()) == [school]
    sharing_page = client.get(f"/people/{okafor.child.pk}/sharing/").content.decode()
    assert "Levels of need and the reasons for them" in sharing_page
    assert school.name in sharing_page


def test_a_partner_sees_the_familys_consents_but_only_decisions_to_share_with_their_own_agency(
    okafor, coach, alice, police
):
    recording.sharing_decision_record(actor=coach, details=_decision([okafor.child], recipient_agency=police))
    recording.sharing_decision_record(
        actor=coach, details=_decision([okafor.child], recipient_agency=alice.agency, recipient="Head teacher")
    )
    page = signed_in(alice).get(f"/people/{okafor.child.pk}/sharing/").content.decode()
    assert "Head teacher" in page
    assert "Northamptonshire Police" not in page
    assert "Northamptonshire Police" in signed_in(coach).get(f"/people/{okafor.child.pk}/sharing/").content.decode()


def test_the_sharing_page_reads_in_the_same_number_of_queries_however_many_records(okafor, coach, school, police):
    def count() -> int:
        client = signed_in(coach)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/people/{okafor.child.pk}/sharing/").status_code == 200
        return len(queries)

    consent_to_share([okafor.child], [school])
    recording.agreement_record(actor=coach, statement=_statement([okafor.child]), agreed=True)
    recording.sharing_decision_record(actor=coach, details=_decision([okafor.child], recipient_agency=police))
    before = count()
    for _ in range(3):
        consent_to_share([okafor.child, okafor.mother], [school, police])
        recording.agreement_record(actor=coach, statement=_statement([okafor.child]), agreed=True)
        recording.sharing_decision_record(actor=coach, details=_decision([okafor.child], recipient_agency=police))
    assert count() == before


def test_opening_the_sharing_page_is_audited_and_never_cached(okafor, coach):
    response = signed_in(coach).get(f"/people/{okafor.child.pk}/sharing/")
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(verb="viewed", target_type="people.person", target_id=okafor.child.pk).exists()


def test_a_partner_cannot_withdraw_a_consent_about_someone_they_cannot_change(okafor, bob, alice, authority):
    consent = consent_to_share([okafor.child], [alice.agency])
    assert signed_in(bob).post(f"/people/{okafor.child.pk}/sharing/consent/{consent.pk}/withdraw/").status_code == 404
    assert signed_in(alice).get(f"/people/{okafor.mother.pk}/sharing/consent/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert not consent.is_withdrawn


def test_a_list_scoped_by_consent_takes_only_consents_given_in_force_naming_that_part(okafor, alice, coach, authority):
    school = alice.agency
    assert rules.people_opening(agency_id=school.pk, part=RecordPart.EARLY_HELP) == set()
    consent_to_share([okafor.child], [school], ("health",))
    recording.consent_record(
        actor=coach,
        statement=_statement([okafor.mother], given_by_who="the_person"),
        consent=recording.ConsentDetails(given=False, capacity="has_capacity"),
    )
    assert rules.people_opening(agency_id=school.pk, part=RecordPart.EARLY_HELP) == set()
    assert rules.people_opening(agency_id=school.pk, part=RecordPart.HEALTH) == {okafor.child.pk}
    opened = consent_to_share([okafor.mother], [school], ("early_help",))
    assert rules.people_opening(agency_id=school.pk, part=RecordPart.EARLY_HELP) == {okafor.mother.pk}
    recording.withdraw(actor=coach, record=opened, on=timezone.localdate(), because="Withdrawn", seen_version=None)
    assert rules.people_opening(agency_id=school.pk, part=RecordPart.EARLY_HELP) == set()


def test_someone_of_a_named_agency_whose_role_reads_no_records_opens_nothing(okafor, authority, school):
    analyst = UserFactory(authority=authority, agency=school, roles=[Role.PERFORMANCE_ANALYST])
    consent_to_share([okafor.child], [school])
    assert rules.parts_open_to(analyst, okafor.child.pk) == frozenset()
