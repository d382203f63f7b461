"""The ways in and out of help in the browser (issue 14): a step-up to children's social care end
to end (raised, decided, the referral with its chronology, handed over, the ending letter as a
PDF), a step-down through the transfer panel end to end (proposed, accepted, handed over with
consent reaffirmed, social care closing), and a document uploaded and downloaded. Every page, and
every form in its error state, passes axe-core (WCAG 2.2 A/AA)."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from earlyhelp.casework.allocating import episode_allocate
from earlyhelp.casework.models import Episode, StepDown, StepUp
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.models import Document
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import AdultFactory, FamilyFactory, PersonFactory, add_member, allocation_note, episode_allocated

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _fill_date(page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _sign_out(accessible_page) -> None:
    accessible_page.page.context.clear_cookies()


def test_a_step_up_end_to_end_with_a_document_and_the_ending_letter_as_a_pdf(
    accessible_page, team, coach, team_leader, frameworks, tmp_path: Path
):
    episode = episode_allocated(team, coach, team_leader)
    today = timezone.localdate()
    page = accessible_page.page
    sign_in(accessible_page, coach.email, PASSWORD)

    # A document: direct work uploaded, first with a file that is not what its name says.
    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Documents").click()
    accessible_page.check()
    fake = tmp_path / "drawing.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    page.locator("#id_upload").set_input_files(str(fake))
    page.get_by_label("Direct work with a child or the family").check()
    page.get_by_label("Title").fill("Maya's three houses")
    page.get_by_role("button", name="Upload the document").click()
    accessible_page.check()
    assert "The file must be a PDF" in page.content()
    real = tmp_path / "three-houses.pdf"
    real.write_bytes(PDF)
    page.locator("#id_upload").set_input_files(str(real))
    page.get_by_role("button", name="Upload the document").click()
    accessible_page.check()
    assert "Document uploaded." in page.content()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Maya's three houses").click()
    assert Path(downloading.value.path()).read_bytes() == PDF
    assert Document.objects.get().content_type == "application/pdf"

    # The coach raises the step-up: first empty, then with the concerns.
    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Step up to children's social care").click()
    accessible_page.check()
    page.get_by_role("button", name="Alert a team leader").click()
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("What has got worse, and why are you worried?").fill("Maya disclosed that she was hit")
    page.get_by_role("button", name="Alert a team leader").click()
    accessible_page.check()
    step_up = StepUp.objects.get()

    _sign_out(accessible_page)
    sign_in(accessible_page, team_leader.email, PASSWORD)
    accessible_page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name="The Brennan family").first.click()
    accessible_page.check()
    accessible_page.goto(f"/episodes/{episode.pk}/step-up/")
    page.get_by_role("link", name="Decide this step-up").click()
    accessible_page.check()
    page.get_by_role("button", name="Record the decision").click()  # empty: the error state
    accessible_page.check()
    page.get_by_label("Decided: refer to children's social care").check()
    page.get_by_label("Why", exact=True).fill("A statutory assessment is needed")
    page.get_by_label("The front door's practice lead you discussed the case with").fill("Jo Brown")
    page.locator("#id_family_told_0").check()
    _fill_date(page, "transfer_on", today)
    page.get_by_role("button", name="Record the decision").click()
    accessible_page.check()
    page.get_by_role("link", name="The referral: chronology, assessment and plan").click()
    accessible_page.check()
    assert "Maya disclosed that she was hit" in page.content()
    assert "The chronology" in page.content()

    accessible_page.goto(f"/episodes/{episode.pk}/step-up/{step_up.pk}/hand-over/")
    _fill_date(page, "handover_on", today)
    page.get_by_label("The social worker the case was handed over to").fill("Sam Ortiz")
    page.get_by_label("Transfer summary").fill("Handover meeting at the office; the plan and chronology passed on")
    page.get_by_role("button", name="Record the handover and close the case").click()
    accessible_page.check()
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.end_reason == Episode.EndReason.STEPPED_UP
    page.get_by_role("link", name="Ending letter to the family").click()
    accessible_page.check()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download this letter as a PDF").click()
    letter = Path(downloading.value.path()).read_bytes()
    assert letter.startswith(b"%PDF-")
    assert downloading.value.suggested_filename == f"ending-letter-{episode.reference}.pdf"


def test_a_step_down_through_the_transfer_panel_end_to_end(
    accessible_page, team, coach, team_leader, social_worker, frameworks
):
    family = FamilyFactory(name="The Ahmed family")
    add_member(family, AdultFactory(first_name="Sara", last_name="Ahmed"), FamilyMembership.Role.PARENT)
    add_member(family, PersonFactory(first_name="Yusuf", last_name="Ahmed", date_of_birth=date(2014, 6, 2)))
    today = timezone.localdate()
    page = accessible_page.page

    sign_in(accessible_page, social_worker.email, PASSWORD)
    accessible_page.goto("/")
    page.get_by_role("link", name="Transfer panel").first.click()
    accessible_page.check()
    page.get_by_role("link", name="Propose a step-down").click()
    accessible_page.check()
    page.get_by_label("The family record's reference").fill(family.reference)
    page.get_by_role("button", name="Continue").click()
    accessible_page.check()
    page.get_by_role("button", name="Propose for the panel").click()  # empty: the error state
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Yusuf Ahmed").check()
    page.get_by_label("How have the children's needs lessened, and why early help now?").fill(
        "The child in need plan is met; Sara is engaging; Yusuf's attendance is back to 95%"
    )
    page.get_by_label("The proposed early help plan").fill("Weekly check-in with school; parenting course")
    page.get_by_role("button", name="Propose for the panel").click()
    accessible_page.check()
    step_down = StepDown.objects.get()

    _sign_out(accessible_page)
    sign_in(accessible_page, team_leader.email, PASSWORD)
    accessible_page.goto("/transfer-panel/")
    page.get_by_role("link", name="The Ahmed family").click()
    accessible_page.check()
    page.get_by_label("Accept: transfer to a family support team").check()
    page.get_by_label("Why").fill("Meets the criteria for early help")
    page.get_by_label("Receiving family support team").select_option(label=str(team))
    _fill_date(page, "transfer_on", step_down.panel_on)
    page.get_by_role("button", name="Record the decision").click()
    accessible_page.check()
    step_down.refresh_from_db()
    assert step_down.status == StepDown.Status.ACCEPTED
    episode = step_down.episode
    assert episode is not None
    accessible_page.goto(f"/episodes/{episode.pk}/")
    assert "Stepped down" in page.content() or "Awaiting" in page.content()
    episode_allocate(actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None)

    _sign_out(accessible_page)
    sign_in(accessible_page, coach.email, PASSWORD)
    accessible_page.goto(f"/transfer-panel/{step_down.pk}/hand-over/")
    page.get_by_role("button", name="Save the handover").click()  # empty: the error state
    accessible_page.check()
    _fill_date(page, "handover_on", today)
    page.get_by_label("What was handed over").fill("Joint visit with the social worker; the plan explained")
    page.get_by_label("Who reaffirmed the family's consent to early help?").fill("Sara Ahmed")
    _fill_date(page, "consent_given_on", today)
    page.get_by_role("button", name="Save the handover").click()
    accessible_page.check()

    _sign_out(accessible_page)
    sign_in(accessible_page, social_worker.email, PASSWORD)
    accessible_page.goto(f"/transfer-panel/{step_down.pk}/")
    page.get_by_role("link", name="Record social care's closure").click()
    accessible_page.check()
    _fill_date(page, "closed_on", today)
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    step_down.refresh_from_db()
    assert step_down.status == StepDown.Status.SOCIAL_CARE_CLOSED
    episode.refresh_from_db()
    assert episode.status == Episode.Status.OPEN  # early help holds the family now
