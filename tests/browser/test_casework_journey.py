"""An episode end to end in the browser, in the Families First and the Family Help configuration:
allocation, the legal basis, the first visit with consent, the assessment and its sign-off, the
Team Around the Family and the plan, the initial meeting and two reviews, the ending meeting with
the family's feedback, and closure; axe-core checks every page on the way.

The child's level of need is recorded with the thresholds tool beforehand (its own browser
tests walk that tool); everything else is done here as the coach and the team leader would."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import Episode, ServiceModel, WellbeingScore
from tests.browser.conftest import sign_in as sign_in_through_both_steps
from tests.conftest import PASSWORD
from tests.factories import episode_awaiting, level_of_need_decided

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_in(accessible_page, user) -> None:
    accessible_page.page.context.clear_cookies()
    sign_in_through_both_steps(accessible_page, user.email, PASSWORD)


def fill_date(page: Page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def submit(accessible_page, button: str) -> None:
    accessible_page.page.get_by_role("button", name=button).click()
    accessible_page.check()
    summary = accessible_page.page.locator(".govuk-error-summary")
    assert not summary.is_visible(), summary.inner_text()


def record_meeting(accessible_page, episode, kind: str, held: date, child_name: str | None, at: str = "10:00") -> None:
    page = accessible_page.page
    accessible_page.goto(f"/episodes/{episode.pk}/meetings/add/")
    page.get_by_label(kind, exact=True).check()
    fill_date(page, "held_on", held)
    page.get_by_label("At what time?").fill(at)
    page.get_by_label("Siobhan Brennan, Mother").check()
    page.get_by_label("Minutes").fill(f"{kind}: went through the plan with the family.")
    if child_name:
        page.get_by_label(f"{child_name}'s wellbeing (at a review)").select_option("7")
    if kind == "Ending meeting":
        page.get_by_label("At an ending meeting: the family was offered the chance to give feedback").check()
        page.get_by_label("The family's feedback, in their words (if they gave it)").fill("You listened to us.")
    submit(accessible_page, "Save the meeting")


@pytest.mark.parametrize("model", [ServiceModel.FAMILIES_FIRST, ServiceModel.FAMILY_HELP])
def test_an_episode_from_allocation_to_closure(
    accessible_page, team, coach, team_leader, social_worker, authority, frameworks, model
):
    settings = casework_settings_of(authority)
    settings.service_model = model
    settings.save(update_fields=["service_model"])
    # Referred three weeks ago, so that the meetings can be dated a week apart in the past.
    episode = episode_awaiting(team, received_at=timezone.now() - timedelta(days=21))
    child = episode.children.get().person
    level_of_need_decided(child)
    page = accessible_page.page
    today = timezone.localdate()

    # The team leader allocates.
    sign_in(accessible_page, team_leader)
    accessible_page.goto(f"/episodes/{episode.pk}/allocate/")
    page.get_by_label("Family coach: 0 of 15.0 families (room for 15.0)").check()
    page.get_by_label("Family conflict").check()
    page.get_by_label(f"{child.full_name}'s wellbeing, from the information so far").select_option("4")
    page.get_by_label("Allocation note").fill("Maya withdrawn since her parents separated. Visit this week.")
    submit(accessible_page, "Allocate")

    # The legal basis: a child in need only under Family Help, with a social worker overseeing.
    accessible_page.goto(f"/episodes/{episode.pk}/legal-basis/")
    page.get_by_label("Child in need (section 17, Children Act 1989)").check()
    page.get_by_label("Overseeing social worker (a child in need)").select_option(str(social_worker.pk))
    page.get_by_label("Why does it change?").fill("The assessment found needs under section 17.")
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    if model == ServiceModel.FAMILIES_FIRST:
        assert "Only the Family Help configuration holds children in need" in page.content()
    else:
        assert "Legal basis changed" in page.content()

    # The coach's first visit, with consent in writing.
    sign_in(accessible_page, coach)
    accessible_page.goto(f"/episodes/{episode.pk}/visits/add/")
    page.get_by_label("Home visit").check()
    fill_date(page, "happened_on", today - timedelta(days=14))
    page.get_by_label("At what time?").fill("10:30")
    page.get_by_label("Who was seen").fill("Maya, on her own, and her mother")
    page.get_by_label("Case note").fill("Introductory visit; Maya drew her family.")
    page.get_by_label("Yes, in writing").check()
    page.get_by_label("Who signed it").fill("Siobhan Brennan")
    fill_date(page, "consent_given_on", today - timedelta(days=14))
    submit(accessible_page, "Save")

    # The assessment, strengths-based, sent for sign-off.
    accessible_page.goto(f"/episodes/{episode.pk}/assessment/")
    page.get_by_label("Strengths-based assessment (Signs of Safety)").check()
    submit(accessible_page, "Start")
    page.get_by_label("What are we worried about?").fill("Arguments at home; Maya withdrawn at school.")
    page.get_by_label("What is working well?").fill("Mum and Maya are close; Grandma helps.")
    page.get_by_label("What needs to happen?").fill("Calm mornings; Maya back to her clubs.")
    page.get_by_label(f"{child.full_name}'s views").fill("I want Mum and Dad to stop shouting.")
    page.get_by_label("On a scale of 0 to 10").select_option("5")
    page.get_by_label(f"{child.full_name}'s wellbeing now").select_option("5")
    page.get_by_label("Level of need").select_option(index=1)
    submit(accessible_page, "Save and send for sign-off")

    # The team leader authorises it.
    sign_in(accessible_page, team_leader)
    assessment = Episode.objects.get(pk=episode.pk).assessments.get()
    accessible_page.goto(f"/episodes/{episode.pk}/assessments/{assessment.pk}/")
    page.get_by_label("Yes, authorise it").check()
    page.get_by_label("Your oversight, or what needs to change").fill("Agreed: arrange the planning meeting.")
    submit(accessible_page, "Save the sign-off")

    # The coach: the team around the family, the plan, the initial meeting and two reviews.
    sign_in(accessible_page, coach)
    accessible_page.goto(f"/episodes/{episode.pk}/team-around-the-family/")
    page.get_by_label("Name").fill("Siobhan Brennan")
    page.get_by_label("A member of the family").check()
    page.get_by_label("Role, or how they are related to the children").fill("Mother")
    submit(accessible_page, "Add the member")
    accessible_page.goto(f"/episodes/{episode.pk}/plan/")
    page.get_by_label("What needs to happen").fill("A morning routine chart with Maya")
    page.get_by_label("Who will do it").fill("Siobhan, with the coach")
    fill_date(page, "by_when", today + timedelta(days=28))
    page.get_by_label("The outcome sought").fill("Maya on time for school")
    page.get_by_label("How everyone will know it is working").fill("The school's register")
    submit(accessible_page, "Add the action")
    record_meeting(accessible_page, episode, "Initial planning meeting", today - timedelta(days=10), None)
    record_meeting(accessible_page, episode, "Review meeting", today - timedelta(days=5), child.full_name)
    record_meeting(accessible_page, episode, "Review meeting", today - timedelta(days=1), child.full_name)
    action = Episode.objects.get(pk=episode.pk).plan_actions.get()
    accessible_page.goto(f"/episodes/{episode.pk}/plan/{action.pk}/")
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("Progress", exact=True).fill("On time every day for three weeks")
    submit(accessible_page, "Save")
    # Held a minute ago: whatever the time of day the test runs (10:00 today is still to come at 01:00).
    ended = timezone.localtime() - timedelta(minutes=1)
    record_meeting(accessible_page, episode, "Ending meeting", ended.date(), None, at=ended.strftime("%H:%M"))

    # The team leader closes the case; the closure letter has the final plan.
    sign_in(accessible_page, team_leader)
    accessible_page.goto(f"/episodes/{episode.pk}/close/")
    page.get_by_label("The family reached its goals").check()
    page.get_by_label("Closure summary").fill("Mornings are calm; Maya is on time and back at her clubs.")
    page.get_by_label(f"{child.full_name}'s wellbeing now").select_option("8")
    submit(accessible_page, "Close the case")
    assert "Our work with your family is ending" in page.content()
    assert "A morning routine chart with Maya" in page.content()
    accessible_page.goto(f"/episodes/{episode.pk}/")

    closed = Episode.objects.get(pk=episode.pk)
    assert closed.status == Episode.Status.CLOSED
    assert closed.is_child_in_need == (model == ServiceModel.FAMILY_HELP)
    points = list(WellbeingScore.objects.filter(episode=closed).order_by("recorded_at").values_list("point", flat=True))
    assert points == ["allocation", "assessment", "review", "review", "closure"]
