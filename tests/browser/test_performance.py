"""The performance dashboard in the browser (issue 16): a team leader opens the dashboard, narrows
it to a team and a period (kept in the address), opens a KPI with its definition, breakdowns and
the families behind it, and downloads the figures; an analyst sees the same figures with
references only. Every page, and the filters' error state, passes axe-core (WCAG 2.2 A/AA)."""

from datetime import date, timedelta

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.test_performance import family_episode

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _fill_date(page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_a_team_leader_reads_the_dashboard_and_the_families_behind_a_figure(
    accessible_page, team, coach, team_leader, frameworks
):
    episode = family_episode(team, coach, team_leader, 1)
    page = accessible_page.page
    sign_in(accessible_page, team_leader.email, PASSWORD)
    accessible_page.goto("/performance/")
    assert page.get_by_role("heading", name="Performance", exact=True).is_visible()
    assert page.get_by_role("link", name="Contact to first visit").is_visible()

    # A period that ends before it starts: the error beside the field, what was typed kept.
    page.get_by_text("Change the period or the part of the service").click()
    _fill_date(page, "since", date.today())
    _fill_date(page, "until", date.today() - timedelta(days=10))
    page.get_by_role("button", name="Show the figures").click()
    accessible_page.check()
    assert page.get_by_text("The end of the period must be on or after its start").first.is_visible()
    assert page.locator("#id_since_2").input_value() == str(date.today().year)

    _fill_date(page, "since", date.today() - timedelta(days=90))
    _fill_date(page, "until", date.today())
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_role("button", name="Show the figures").click()
    accessible_page.check()
    assert f"team={team.pk}" in page.url
    assert page.get_by_text(f"{team.name}, from").is_visible()

    page.get_by_role("link", name="Contact to allocation").click()
    accessible_page.check()
    assert f"team={team.pk}" in page.url  # the filters travel with the link
    assert page.get_by_role("heading", name="How it is counted").is_visible()
    assert page.get_by_role("cell", name=episode.family.name).is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="spreadsheet (XLSX)").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_an_analyst_sees_figures_and_references_never_a_family(accessible_page, team, coach, team_leader, analyst):
    episode = family_episode(team, coach, team_leader, 1)
    page = accessible_page.page
    sign_in(accessible_page, analyst.email, PASSWORD)
    accessible_page.goto("/performance/contact-to-allocation/")
    assert page.get_by_text(episode.reference).is_visible()
    assert page.get_by_text(episode.family.name).count() == 0
    accessible_page.goto("/performance/demography/")
    assert page.get_by_role("heading", name="Breakdowns").is_visible()
