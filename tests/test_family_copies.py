"""The family's copies as PDF (issue 14): the assessment, the plan and every letter, as the same
page drawn for paper by WeasyPrint, downloaded by whoever may read the page; nothing fetched."""

import pytest
from django.utils import timezone

from earlyhelp.casework.models import StepUp
from earlyhelp.casework.transfers import StepUpDecision, step_up_decide, step_up_hand_over, step_up_raise
from earlyhelp.core.pdf import _fetch_nothing
from tests.conftest import signed_in
from tests.factories import episode_allocated
from tests.test_access import an_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def _pdf_text(content: bytes) -> str:
    """The words of a PDF, read back as a reader's PDF viewer would find them."""
    import io

    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def _assert_pdf(response, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"%PDF-")
    return response.content


def test_the_plan_is_the_familys_copy_as_a_pdf(episode, coach):
    from tests.test_access import a_plan_action

    a_plan_action()
    client = signed_in(coach)
    page = client.get(f"/episodes/{episode.pk}/plan/").content.decode()
    assert "Download the plan as a PDF" in page
    pdf = _assert_pdf(client.get(f"/episodes/{episode.pk}/plan/", {"as": "pdf"}), f"plan-{episode.reference}.pdf")
    text = _pdf_text(pdf)
    assert "The family's plan" in text
    assert "Morning routine chart" in text
    assert "Add an action" not in text  # the form is not part of the copy


def test_the_assessment_as_a_pdf(episode, coach):
    assessment = an_assessment()
    response = signed_in(coach).get(f"/episodes/{episode.pk}/assessments/{assessment.pk}/", {"as": "pdf"})
    _assert_pdf(response, f"assessment-{episode.reference}.pdf")


def test_the_ending_letter_of_a_step_up_as_a_pdf(episode, coach, team_leader):
    today = timezone.localdate()
    step_up = step_up_raise(actor=coach, episode=episode, concerns="Worse")
    step_up = step_up_decide(
        actor=team_leader,
        step_up=step_up,
        details=StepUpDecision("stepping_up", "Needs social care", "MASH lead", True, "", today),
        seen_version=None,
    )
    step_up_hand_over(
        actor=team_leader,
        step_up=step_up,
        handover_on=today,
        note="Met",
        receiving_worker="Sam Ortiz",
        seen_version=None,
    )
    assert StepUp.objects.get().status == StepUp.Status.HANDED_OVER
    response = signed_in(coach).get(f"/episodes/{episode.pk}/step-up/{step_up.pk}/ending-letter/", {"as": "pdf"})
    text = _pdf_text(_assert_pdf(response, f"ending-letter-{episode.reference}.pdf"))
    assert "Sam Ortiz" in text
    assert "Our work with your family is changing" in text


def test_someone_who_may_not_read_the_page_gets_no_pdf(episode, bob):
    response = signed_in(bob).get(f"/episodes/{episode.pk}/plan/", {"as": "pdf"})
    assert response.status_code == 404


def test_drawing_a_copy_fetches_nothing():
    with pytest.raises(ValueError, match="load nothing"):
        _fetch_nothing("http://169.254.169.254/latest/meta-data/")
