"""The family's record in the browser: a coach adds to the chronology (first with mistakes),
reads a child's chronology, opens the genogram and ecomap (the pictures drawn, their text
alternatives read); a team leader records supervision and a case supervision note. Every page,
and every form in its error state, passes axe-core (WCAG 2.2 A/AA)."""

import pytest
from django.utils import timezone

from earlyhelp.people.models import FamilyMembership, Relationship
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import AdultFactory, PersonFactory, add_member, episode_allocated, relate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _fill_date(page, name: str, day) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_a_coach_keeps_the_chronology_and_reads_the_genogram_and_ecomap(
    accessible_page, team, coach, team_leader, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    maya = episode.children.get().person
    mother = episode.family.memberships.get(role=FamilyMembership.Role.PARENT).person
    liam = PersonFactory(first_name="Liam", last_name="Brennan", gender="male")
    add_member(episode.family, liam)
    grandmother = AdultFactory(first_name="Nora", last_name="Kelly", gender="female")
    relate(mother, maya)
    relate(mother, liam)
    relate(maya, liam, Relationship.Kind.SIBLING_OF)
    relate(grandmother, mother)
    page = accessible_page.page
    sign_in(accessible_page, coach.email, PASSWORD)

    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Chronology").click()
    accessible_page.check()
    assert "Contact received" in page.content()

    page.get_by_role("link", name="Add an event to the chronology").click()
    page.get_by_role("button", name="Add to the chronology").click()  # empty: the error state
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    _fill_date(page, "happened_on", timezone.localdate())
    page.get_by_label("What happened").fill("Liam's nursery rang: he has been very tired all week")
    page.get_by_label("Why it matters for the children").fill("A change since the separation; ask Mum")
    page.get_by_label("Who told us, or where it is recorded").fill("Nursery manager, by phone")
    page.get_by_label("Liam Brennan").check()
    page.get_by_role("button", name="Add to the chronology").click()
    accessible_page.check()
    assert "Added to the chronology." in page.content()
    assert "very tired all week" in page.content()

    # Maya's chronology: the whole family's events, not Liam's own.
    page.get_by_text("Choose whose chronology, which events and when").click()
    page.get_by_label("Whose chronology").select_option(label="Maya Brennan")
    page.get_by_role("button", name="Show these events").click()
    accessible_page.check()
    assert "Chronology of Maya Brennan" in page.content()
    assert "very tired all week" not in page.content()
    assert f"child={maya.pk}" in page.url

    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Genogram and ecomap").click()
    accessible_page.check()
    genogram = page.locator("svg[data-picture=genogram]")
    assert genogram.is_visible()
    assert genogram.bounding_box()["width"] > 200  # drawn, not an empty box
    for person in (maya, mother, liam, grandmother):
        assert genogram.locator(f"[data-node=person-{person.pk}]").count() == 1
    assert genogram.locator("[data-edge]").count() == Relationship.objects.count()
    assert page.locator("svg[data-picture=ecomap] [data-node^=agency-]").count() >= 1
    # The text alternative is what a screen reader is pointed to, and lists the same.
    assert genogram.get_attribute("aria-describedby") == "genogram-words"
    words = page.locator("#genogram-words").inner_text()
    assert "Nora Kelly – parent of – Siobhan Brennan" in words
    assert "4 relationships" in words
    assert "Family Support Team North: Family coach, family coach, with the whole household" in (
        page.locator("#ecomap-words").inner_text()
    )


def test_a_team_leader_records_supervision_and_a_case_supervision_note(
    accessible_page, team, coach, team_leader, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    page = accessible_page.page
    sign_in(accessible_page, team_leader.email, PASSWORD)
    accessible_page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name=f"Supervision of {team}").click()
    accessible_page.check()

    page.get_by_role("link", name="Record individual supervision").click()
    page.get_by_role("button", name="Save the supervision").click()  # empty: the error state
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Family coach").check()
    _fill_date(page, "held_on", timezone.localdate())
    page.get_by_label("Supervision note").fill("Caseload reviewed; the Brennans' plan is working.")
    page.get_by_role("button", name="Save the supervision").click()
    accessible_page.check()
    assert "Individual supervision recorded." in page.content()

    page.get_by_role("link", name="Record group supervision").click()
    accessible_page.check()
    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Write a case supervision note").click()
    page.get_by_role("button", name="Save the note").click()
    accessible_page.check()
    _fill_date(page, "held_on", timezone.localdate())
    page.get_by_label("Supervision note").fill("Reviewed progress with the coach: on track.")
    page.get_by_role("button", name="Save the note").click()
    accessible_page.check()
    assert "Case supervision note recorded." in page.content()
    assert "At least every 1 month from the last note" in page.content()


def test_the_genogram_and_ecomap_of_a_demo_family(accessible_page, frameworks):
    """The demonstration authority's own data (`make run`): a family with its relationships, its
    school and the agencies that work with it, drawn and read back."""
    from django.core.management import call_command

    from earlyhelp.casework.models import Episode
    from earlyhelp.people.models import FamilyMembership as Membership
    from earlyhelp.site import demo

    call_command("load_demo", families=30)
    episode = (
        Episode.objects.filter(status=Episode.Status.OPEN, family__restricted=False)
        .order_by("pk")
        .select_related("family")
        .first()
    )
    assert episode is not None
    members = list(Membership.objects.filter(family=episode.family).select_related("person"))
    page = accessible_page.page
    sign_in(accessible_page, f"teamleader@{demo.DEMO_EMAIL_DOMAIN}", demo.DEMO_PASSWORD)
    accessible_page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Genogram and ecomap").click()
    accessible_page.check()
    genogram = page.locator("svg[data-picture=genogram]")
    ecomap = page.locator("svg[data-picture=ecomap]")
    assert genogram.bounding_box()["width"] > 100
    for membership in members:
        assert genogram.locator(f"[data-node=person-{membership.person_id}]").count() == 1
        assert ecomap.locator(f"[data-node=person-{membership.person_id}]").count() == 1
    words = page.locator("#genogram-words").inner_text()
    for membership in members:
        assert membership.person.full_name in words
    edges = genogram.locator("[data-edge]").count()
    assert f"{edges} relationship" in words
    ecomap_words = page.locator("#ecomap-words").inner_text()
    assert ecomap_words.count("\n") >= ecomap.locator("[data-edge]").count()
    assert "family coach, with the whole household" in ecomap_words
