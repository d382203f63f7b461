"""The pages of issue 14 make the same number of queries however many records they list: counted,
never timed (the chronology's and the pictures' own tests count theirs)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.casework.networks import Answer, Offer, network_meeting_answer, network_meeting_offer
from earlyhelp.casework.stepping_down import Proposal, step_down_propose
from earlyhelp.casework.supervising import SupervisionDetails, case_supervision_record, individual_supervision_record
from earlyhelp.casework.transfers import StepUpDecision, step_up_decide, step_up_raise
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.documents import DocumentDetails, document_upload
from earlyhelp.records.referring import ReferralDetails, agency_referral_make
from tests.conftest import signed_in
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, add_member, episode_allocated

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def counted(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grown(url: str, client, grow) -> tuple[int, int]:
    grow(1)
    small = counted(client, url)
    grow(6)
    return small, counted(client, url)


def test_the_referrals_page(episode, coach):
    def grow(count: int) -> None:
        for _ in range(count):
            details = ReferralDetails(None, "CAMHS", "Assessment", "Sleep", timezone.localdate(), True)
            agency_referral_make(actor=coach, episode=episode, details=details)

    small, large = _grown(f"/episodes/{episode.pk}/referrals-to-agencies/", signed_in(coach), grow)
    assert small == large


def test_the_documents_page(episode, coach):
    def grow(count: int) -> None:
        for number in range(count):
            upload = SimpleUploadedFile(f"letter{number}.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
            document_upload(
                actor=coach,
                episode=episode,
                details=DocumentDetails(kind="correspondence", title="Letter", upload=upload),
            )

    small, large = _grown(f"/episodes/{episode.pk}/documents/", signed_in(coach), grow)
    assert small == large


def test_the_step_up_page(episode, coach, team_leader):
    def grow(count: int) -> None:
        for _ in range(count):
            step_up = step_up_raise(actor=coach, episode=episode, concerns="Worse")
            step_up_decide(
                actor=team_leader,
                step_up=step_up,
                details=StepUpDecision("staying", "Plan changed instead", family_told=True),
                seen_version=None,
            )

    small, large = _grown(f"/episodes/{episode.pk}/step-up/", signed_in(team_leader), grow)
    assert small == large


def test_the_family_network_page(episode, coach):
    def grow(count: int) -> None:
        mother = episode.family.memberships.get(role=FamilyMembership.Role.PARENT).person
        for _ in range(count):
            relative = AdultFactory(last_name="Kelly")
            from tests.factories import relate

            relate(relative, mother)
            today = timezone.localdate()
            meeting = network_meeting_offer(
                actor=coach, episode=episode, offer=Offer(offered_on=today, offered_to="Mum", invited=[relative.pk])
            )
            network_meeting_answer(
                actor=coach, meeting=meeting, answer=Answer(False, today, "Mum", "Not now"), seen_version=None
            )

    small, large = _grown(f"/episodes/{episode.pk}/family-network/", signed_in(coach), grow)
    assert small == large


def test_the_transfer_panel(social_worker, team_leader):
    def grow(count: int) -> None:
        for _ in range(count):
            family = FamilyFactory()
            add_member(family, PersonFactory(date_of_birth=date(2015, 1, 1)))
            child = family.memberships.get().person_id
            step_down_propose(
                actor=social_worker, family=family, proposal=Proposal([child], "Needs lessened", "Check-ins")
            )

    small, large = _grown("/transfer-panel/", signed_in(team_leader), grow)
    assert small == large


def test_the_supervision_page(episode, team, coach, team_leader):
    def grow(count: int) -> None:
        for _ in range(count):
            details = SupervisionDetails(held_on=timezone.localdate(), note="Supervised")
            individual_supervision_record(actor=team_leader, team=team, supervisee=coach, details=details)
            case_supervision_record(actor=team_leader, episode=episode, details=details)

    small, large = _grown(f"/teams/{team.pk}/supervision/", signed_in(team_leader), grow)
    assert small == large
