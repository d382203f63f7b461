"""Casework in the browser's terms: the pages a coach, a team leader and the head of service
use, every refusal shown beside its field with nothing typed lost, who may open what, and the
number of queries each page makes however large the caseload or long the case."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.casework import leading
from earlyhelp.casework.allocating import episode_allocate
from earlyhelp.casework.models import CapacityEscalation, Episode, LegalBasis
from earlyhelp.organisations.roles import Role
from tests.conftest import signed_in
from tests.factories import TeamFactory, UserFactory, allocation_note, episode_allocated, episode_awaiting
from tests.test_casework import _child

pytestmark = pytest.mark.django_db


def _date_fields(name: str, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _allocation_post(episode: Episode, chosen, **changes) -> dict[str, object]:
    today = timezone.localdate()
    child = episode.children.get()
    data: dict[str, object] = {
        "version": str(episode.version),
        "coach": str(chosen.pk),
        "weight": "1.5",
        "note": "Maya withdrawn at school; parents separated. Visit this week.",
        f"needs-{child.person_id}": ["family-conflict", "sf-family-relationships"],
        f"wellbeing-{child.person_id}": "4",
        **_date_fields("first_visit_due", today + timedelta(days=7)),
        **_date_fields("assessment_due", today + timedelta(days=20)),
        **_date_fields("first_meeting_due", today + timedelta(days=30)),
        **_date_fields("manager_review_due", today + timedelta(days=28)),
    }
    data.update(changes)
    return data


def test_a_team_leader_allocates_on_the_allocation_page_and_the_case_file_shows_the_timescales(
    team, coach, team_leader, frameworks
):
    episode = episode_awaiting(team)
    client = signed_in(team_leader)
    page = client.get(f"/episodes/{episode.pk}/allocate/")
    assert page.status_code == 200
    assert "Family coach: 0 of 15.0 families (room for 15.0)" in page.content.decode()
    response = client.post(f"/episodes/{episode.pk}/allocate/", _allocation_post(episode, coach))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.coach == coach
    assert episode.weight == Decimal("1.5")
    case_file = client.get(f"/episodes/{episode.pk}/").content.decode()
    for words in ("5 working days from allocation", "5 days from referral", "20 days from referral", "Timeline"):
        assert words in case_file
    assert "Allocated to Family coach" in case_file


def test_an_allocation_with_mistakes_shows_each_beside_its_field_and_keeps_what_was_typed(
    team, coach, team_leader, frameworks
):
    episode = episode_awaiting(team)
    child = episode.children.get()
    data = _allocation_post(
        episode,
        coach,
        coach="",
        weight="lots",
        **{f"wellbeing-{child.person_id}": "", f"needs-{child.person_id}": [], "first_visit_due_0": "31"},
        first_visit_due_1="2",
    )
    response = signed_in(team_leader).post(f"/episodes/{episode.pk}/allocate/", data)
    assert response.status_code == 200
    text = response.content.decode()
    for message in (
        "Choose the family coach",
        "Enter the weight as a number",
        "First visit by must be a real date",
    ):
        assert message in text
    assert "Maya withdrawn at school" in text
    episode.refresh_from_db()
    assert episode.status == Episode.Status.AWAITING_ALLOCATION


def test_a_missing_wellbeing_score_and_needs_are_refused_with_the_childs_name(team, coach, team_leader, frameworks):
    episode = episode_awaiting(team)
    child = episode.children.get()
    data = _allocation_post(episode, coach, **{f"wellbeing-{child.person_id}": "", f"needs-{child.person_id}": []})
    text = signed_in(team_leader).post(f"/episodes/{episode.pk}/allocate/", data).content.decode()
    assert "Score Maya Brennan" in text
    assert "Choose at least one of Maya Brennan" in text


def test_a_stale_allocation_page_is_refused_and_keeps_what_was_typed(team, coach, team_leader, frameworks):
    episode = episode_awaiting(team)
    data = _allocation_post(episode, coach)
    other = UserFactory(authority=team.area.authority, team=team, roles=[Role.FAMILY_COACH], full_name="Other coach")
    episode_allocate(actor=team_leader, episode=episode, note=allocation_note(other, episode), seen_version=None)
    text = signed_in(team_leader).post(f"/episodes/{episode.pk}/allocate/", data).content.decode()
    assert "Someone else saved changes" in text
    assert "Maya withdrawn at school" in text


def test_my_families_lists_the_coachs_families_soonest_first_with_each_timescale_in_its_unit(
    team, coach, team_leader, frameworks
):
    episode_allocated(team, coach, team_leader)
    text = signed_in(coach).get("/my-families/").content.decode()
    assert "The Brennan family" in text
    assert "working day" in text
    assert "days left" in text or "Due today" in text


def test_the_lists_of_families_escape_what_people_typed(team, coach, team_leader, frameworks):
    """The lists are rendered by Jinja2 (ADR 27): a family's name and a child's are text, never markup."""
    episode = episode_allocated(team, coach, team_leader)
    family, child = episode.family, episode.children.select_related("person").first().person
    with audited_writes():
        family.name = "The <script>alert(1)</script> O'Neill family"
        family.save(update_fields=["name"])
        child.first_name = "<b>Ava"
        child.save(update_fields=["first_name"])
        for record in (family, child):
            record_change(actor=team_leader, verb=AuditEvent.Verb.UPDATED, target=record, changes={"test": "renamed"})
    for client, url in ((signed_in(coach), "/my-families/"), (signed_in(team_leader), f"/teams/{team.pk}/")):
        text = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in text
        assert "<b>Ava" not in text
        assert "The &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neill family" in text
        assert "&lt;b&gt;Ava" in text


def test_the_team_page_shows_caseloads_against_capacity_and_families_awaiting_a_coach(
    team, coach, team_leader, frameworks
):
    episode_allocated(team, coach, team_leader)
    episode_awaiting(team, children=[_child(1)], adults=[])
    text = signed_in(team_leader).get(f"/teams/{team.pk}/").content.decode()
    assert "Caseloads" in text
    assert "Awaiting a family coach" in text
    assert "Child1 Family1" in text
    assert "1 of 15" in text


def test_the_head_of_service_decides_a_family_beyond_capacity_on_the_page(
    team, coach, team_leader, head_of_service, authority, frameworks
):
    authority.caseload_per_full_time_coach = 1
    authority.save(update_fields=["caseload_per_full_time_coach"])
    episode_allocated(team, coach, team_leader)
    waiting = episode_awaiting(team, children=[_child(2)], adults=[])
    escalation = CapacityEscalation.objects.get(episode=waiting)
    client = signed_in(head_of_service)
    assert waiting.reference in client.get("/beyond-capacity/").content.decode()
    refused = client.post(f"/beyond-capacity/{escalation.pk}/", {"decision": "beyond_capacity", "reason": ""})
    assert "Say why: the decision is recorded" in refused.content.decode()
    done = client.post(
        f"/beyond-capacity/{escalation.pk}/", {"decision": "beyond_capacity", "reason": "Cover for leave"}
    )
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert escalation.is_decided


def test_the_legal_basis_page_refuses_a_child_in_need_under_families_first_with_the_reason(
    team, coach, team_leader, social_worker, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    response = signed_in(coach).post(
        f"/episodes/{episode.pk}/legal-basis/",
        {
            "version": str(episode.version),
            "legal_basis": LegalBasis.CHILD_IN_NEED,
            "social_worker": str(social_worker.pk),
            "reason": "s17",
        },
    )
    assert response.status_code == 200
    assert "Only the Family Help configuration holds children in need" in response.content.decode()


# The casework personas of the issue: coach, other coach, team leader, other team's leader,
# partner lead, partner not involved, analyst, signed out.
PERSONAS = ["coach", "other_coach", "team_leader", "other_leader", "partner_lead", "partner", "analyst", "signed_out"]
PAGES = {
    "case file": ("/episodes/{pk}/", [200, 200, 200, 200, 200, 404, 404, "sign in"]),
    "legal basis": ("/episodes/{pk}/legal-basis/", [200, 404, 200, 404, 200, 404, 404, "sign in"]),
    "lead practitioner": ("/episodes/{pk}/lead-practitioner/", [200, 404, 200, 404, 200, 404, 404, "sign in"]),
    "allocate": ("/episodes/{pk}/allocate/", [404, 404, 200, 404, 404, 404, 404, "sign in"]),
    "my families": ("/my-families/", [200, 200, 404, 404, 200, 200, 404, "sign in"]),
    "team page": ("/teams/{team}/", [404, 404, 200, 404, 404, 404, 404, "sign in"]),
}


@pytest.fixture
def casework_people(team, coach, team_leader, alice, bob, analyst, authority, frameworks):
    episode = episode_allocated(team, coach, team_leader)
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=alice,
        agreed_with_family=True,
        handover="Met at school",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    other_team = TeamFactory(area=team.area, name="Families First South")
    people = {
        "coach": coach,
        "other_coach": UserFactory(authority=authority, team=team, roles=[Role.FAMILY_COACH]),
        "team_leader": team_leader,
        "other_leader": UserFactory(authority=authority, team=other_team, roles=[Role.TEAM_LEADER]),
        "partner_lead": alice,
        "partner": bob,
        "analyst": analyst,
    }
    return episode, people


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("index", range(len(PERSONAS)))
def test_casework_pages_open_for_exactly_the_people_who_work_the_episode(casework_people, page, index):
    episode, people = casework_people
    path, outcomes = PAGES[page]
    persona = PERSONAS[index]
    client = Client() if persona == "signed_out" else signed_in(people[persona])
    response = client.get(path.format(pk=episode.pk, team=episode.team_id))
    if outcomes[index] == "sign in":
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == outcomes[index], persona


def test_a_partner_lead_loses_the_episode_at_handover(casework_people, coach):
    episode, people = casework_people
    alice = people["partner_lead"]
    episode.refresh_from_db()
    leading.lead_practitioner_change(
        actor=alice,
        episode=episode,
        lead=coach,
        agreed_with_family=True,
        handover="Back to the coach",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    assert signed_in(alice).get(f"/episodes/{episode.pk}/").status_code == 404


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow_case(episode: Episode, team, coach, leader, times: int) -> None:
    """A long case: the coach changed back and forth, the lead practitioner handed over, the
    legal basis reviewed, many times over (what two years of a case looks like to the page)."""
    from earlyhelp.casework.planning import ActionDetails, MemberDetails, plan_action_add, team_member_add
    from earlyhelp.casework.visiting import case_note_record, oversight_record
    from tests.test_casework_visits import a_visit

    other = UserFactory(authority=team.area.authority, team=team, roles=[Role.FAMILY_COACH])
    for number in range(times):
        episode.refresh_from_db()
        case_note_record(
            actor=leader,
            episode=episode,
            details=a_visit(
                happened_at=timezone.now() - timedelta(hours=number + 1), note="" if number % 3 else "Seen"
            ),
        )
        oversight_record(actor=leader, episode=episode, point="review", note=f"Review {number}")
        team_member_add(
            actor=leader,
            episode=episode,
            member=MemberDetails(name=f"Member {number}", role="Teacher", agency="School"),
        )
        plan_action_add(
            actor=leader,
            episode=episode,
            details=ActionDetails(f"Action {number}", "Mum", timezone.localdate() + timedelta(days=number), "x", "y"),
        )
        episode.refresh_from_db()
        episode_allocate(
            actor=leader,
            episode=episode,
            note=allocation_note(other if number % 2 == 0 else coach, episode),
            seen_version=None,
        )
        episode.refresh_from_db()
        leading.lead_practitioner_change(
            actor=leader,
            episode=episode,
            lead=other if number % 2 == 0 else coach,
            agreed_with_family=True,
            handover=f"Handover {number}",
            handed_over_on=timezone.localdate(),
            seen_version=None,
        )


def test_the_case_file_makes_the_same_number_of_queries_for_a_short_and_a_two_year_case(
    team, coach, team_leader, frameworks
):
    short = episode_allocated(team, coach, team_leader)
    client = signed_in(team_leader)
    small = queries_for(client, f"/episodes/{short.pk}/")
    _grow_case(short, team, coach, team_leader, 12)
    large = queries_for(client, f"/episodes/{short.pk}/")
    assert small == large


def test_my_families_and_the_team_page_make_a_fixed_number_of_queries(team, coach, team_leader, frameworks):
    episode_allocated(team, coach, team_leader)
    mine, leaders = signed_in(coach), signed_in(team_leader)
    small = (queries_for(mine, "/my-families/"), queries_for(leaders, f"/teams/{team.pk}/"))
    for number in range(3, 9):
        grown = episode_allocated(team, coach, team_leader, children=[_child(number)], adults=[])
        _grow_case(grown, team, coach, team_leader, 2)
    large = (queries_for(mine, "/my-families/"), queries_for(leaders, f"/teams/{team.pk}/"))
    assert small == large


def test_my_families_shows_each_step_once_at_its_most_pressing_clock(team, coach, team_leader, frameworks):
    episode_allocated(team, coach, team_leader)
    text = signed_in(coach).get("/my-families/").content.decode()
    # The first visit has two clocks and the assessment two before any visit: one line each.
    assert text.count("First visit (") == 1
    assert text.count("Assessment authorised (") == 1


def test_the_team_page_lists_open_families_a_page_at_a_time_with_counts_of_them_all(
    team, coach, team_leader, frameworks, monkeypatch
):
    from earlyhelp.casework import views

    monkeypatch.setattr(views, "TEAM_PAGE_SIZE", 2)
    for number in range(3):
        episode_allocated(team, coach, team_leader, children=[_child(number + 20)], adults=[])
    client = signed_in(team_leader)
    first = client.get(f"/teams/{team.pk}/").content.decode()
    second = client.get(f"/teams/{team.pk}/", {"page": "2"}).content.decode()
    shown = [text.count(">Child2") for text in (first, second)]  # the children are Child20, Child21, Child22
    assert shown == [2, 1]
    assert "Page 1 of 2" in first
    assert "3 of 15" in first  # the caseload counts every family


def test_the_plan_team_and_assessment_pages_make_a_fixed_number_of_queries(team, coach, team_leader, frameworks):
    from earlyhelp.casework.assessing import assessment_start
    from earlyhelp.casework.models import AssessmentTemplate

    episode = episode_allocated(team, coach, team_leader)
    assessment = assessment_start(
        actor=coach, episode=episode, template=AssessmentTemplate.objects.filter(active=True).first()
    )
    client = signed_in(coach)
    pages = [
        f"/episodes/{episode.pk}/plan/",
        f"/episodes/{episode.pk}/team-around-the-family/",
        f"/episodes/{episode.pk}/assessments/{assessment.pk}/",
        f"/episodes/{episode.pk}/meetings/add/",
    ]
    small = [queries_for(client, page) for page in pages]
    _grow_case(episode, team, coach, team_leader, 6)
    large = [queries_for(client, page) for page in pages]
    assert small == large


def test_after_changing_the_lead_each_goes_where_they_may_still_look(team, coach, team_leader, alice, frameworks):
    """The coach who hands the lead to a partner stays on the case file; the partner who hands it
    back no longer sees the episode, so goes home rather than to a page that would refuse them."""
    episode = episode_allocated(team, coach, team_leader)
    today = timezone.localdate()

    def handed_to(lead) -> dict[str, object]:
        episode.refresh_from_db()
        return {
            "version": str(episode.version),
            "lead": str(lead.pk),
            "agreed_with_family": "on",
            "handover": "Met at school with the family",
            **_date_fields("handed_over_on", today),
        }

    page = f"/episodes/{episode.pk}/lead-practitioner/"
    response = signed_in(coach).post(page, handed_to(alice))
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.pk}/"
    response = signed_in(alice).post(page, handed_to(coach))
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_episode_refused_is_recorded_as_a_refused_look_at_that_episode(team, coach, team_leader, bob, frameworks):
    from django.http import Http404

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.casework.access import get_episode_for_user

    episode = episode_allocated(team, coach, team_leader)
    assert signed_in(bob).get(f"/episodes/{episode.pk}/").status_code == 404
    with pytest.raises(Http404, match=r"^No episode found$"):
        get_episode_for_user(bob, episode.pk, attempted="change")
    refused = AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED, actor=bob).order_by("pk").first()
    assert refused is not None
    assert (refused.target_type, refused.target_id, refused.details) == (
        "casework.episode",
        episode.pk,
        {"attempted": "open"},
    )
