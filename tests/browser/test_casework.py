"""A team leader allocates a family in the browser, and every casework page, with the allocation
form in its error state, passes axe-core (WCAG 2.2 A/AA)."""

import re

import pytest
from django.utils import timezone

from earlyhelp.casework.models import Episode
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import episode_allocated, episode_awaiting
from tests.test_casework import _child

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_team_leader_allocates_a_family_and_every_casework_page_is_accessible(
    accessible_page, team, coach, team_leader, head_of_service, frameworks
):
    open_episode = episode_allocated(team, coach, team_leader, children=[_child(1)], adults=[])
    waiting = episode_awaiting(team)
    page = accessible_page.page
    sign_in(accessible_page, team_leader.email, PASSWORD)

    for path in (
        f"/teams/{team.pk}/",
        f"/episodes/{open_episode.pk}/",
        f"/episodes/{open_episode.pk}/legal-basis/",
        f"/episodes/{open_episode.pk}/lead-practitioner/",
        f"/episodes/{waiting.pk}/ask-the-head-of-service/",
        f"/episodes/{waiting.pk}/",
    ):
        accessible_page.goto(path)

    # The allocation form sent without a coach, a score or a note: its error state.
    accessible_page.goto(f"/episodes/{waiting.pk}/allocate/")
    page.get_by_role("button", name="Allocate").click()
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()

    # Then allocated as a team leader would: the timescales start from the defaults shown.
    page.get_by_label(re.compile(r"^Family coach: 1(\.0)? of 15\.0 families")).check()
    page.get_by_label("Family conflict").check()
    page.get_by_label("Maya Brennan's wellbeing, from the information so far").select_option("4")
    page.get_by_label("Allocation note").fill("Maya withdrawn at school since the separation. Visit this week.")
    page.get_by_role("button", name="Allocate").click()
    accessible_page.check()
    assert "allocated to Family coach" in page.content()
    assert "5 working days from allocation" in page.content()
    waiting.refresh_from_db()
    assert waiting.status == Episode.Status.OPEN

    page.context.clear_cookies()
    sign_in(accessible_page, coach.email, PASSWORD)
    accessible_page.goto("/my-families/")
    assert "The Brennan family" in page.content()

    # The coach records the first visit: first sent empty (its error state), then with consent.
    accessible_page.goto(f"/episodes/{waiting.pk}/visits/add/")
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Home visit").check()
    today = timezone.localdate()
    page.locator("#id_happened_on_0").fill(str(today.day))
    page.locator("#id_happened_on_1").fill(str(today.month))
    page.locator("#id_happened_on_2").fill(str(today.year))
    page.get_by_label("At what time?").fill("00:05")
    page.get_by_label("Who was seen").fill("Maya, on her own, and her mother")
    page.get_by_label("Case note").fill("Introductory visit: explained the service; Maya drew her family.")
    page.get_by_label("Yes, in writing").check()
    page.get_by_label("Who signed it").fill("Siobhan Brennan")
    page.locator("#id_consent_given_on_0").fill(str(today.day))
    page.locator("#id_consent_given_on_1").fill(str(today.month))
    page.locator("#id_consent_given_on_2").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    assert "Consent in writing from Siobhan Brennan" in page.content()
    assert "First visit" in page.content()

    # The assessment: chosen, then sent before it is written (its error state).
    accessible_page.goto(f"/episodes/{waiting.pk}/assessment/")
    page.get_by_label("Early help assessment (CAF)").check()
    page.get_by_role("button", name="Start").click()
    accessible_page.check()
    page.get_by_label("Strengths and resilience in the family").fill("Mum and Maya are close; Grandma helps.")
    page.get_by_role("button", name="Save and send for sign-off").click()
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Mum and Maya are close" in page.content()

    page.context.clear_cookies()
    sign_in(accessible_page, head_of_service.email, PASSWORD)
    accessible_page.goto("/beyond-capacity/")
