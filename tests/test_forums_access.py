"""Who sees what of a forum: every forums page for a member of every kind, a practitioner who is
not a member, the requester, staff, and someone not signed in. Part two's cases only for core
members and the invited; a family's identity only where their consent reaches."""

import pytest
from django.test import Client

from earlyhelp.audit.models import AuditEvent
from earlyhelp.forums import requesting, running
from earlyhelp.forums.models import ForumAction
from tests import forums_world as world_of
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator",
    "business_support",
    "core",
    "withheld_core",
    "extended_invited",
    "extended_not_invited",
    "requester",
    "partner_not_a_member",
    "staff_not_a_member",
    "head_of_service",
    "analyst",
    "anonymous",
]
RUNS = {"coordinator", "business_support"}
MEMBERS = RUNS | {"core", "withheld_core", "extended_invited", "extended_not_invited"}
IN_EVERY_CASE = RUNS | {"core", "withheld_core"}
MAKES_REFERRALS = set(PERSONAS) - {"analyst", "anonymous"}


def only(who: set[str]) -> dict[str, int | str]:
    return {persona: 200 if persona in who else 404 for persona in PERSONAS} | {"anonymous": "sign in"}


PAGES = {
    "forums": (lambda w: "/forums/", only(set(PERSONAS))),
    "forum": (lambda w: f"/forums/{w.forum.pk}/", only(set(PERSONAS))),
    "request-add": (
        lambda w: f"/forums/{w.forum.pk}/request-a-discussion/",
        only(MAKES_REFERRALS - {"head_of_service"}) | {"head_of_service": 200},
    ),
    "named case": (lambda w: f"/forum-requests/{w.named_case.pk}/", only(IN_EVERY_CASE | {"requester"})),
    "anonymous case": (
        lambda w: f"/forum-requests/{w.anonymous_case.pk}/",
        only(IN_EVERY_CASE | {"requester", "extended_invited"}),
    ),
    "community issue": (lambda w: f"/forum-requests/{w.community_issue.pk}/", only(MEMBERS | {"requester"})),
    "meeting": (lambda w: f"/forum-meetings/{w.meeting.pk}/", only(MEMBERS)),
    "market place": (lambda w: "/forums/market-place/", only(set(PERSONAS))),
    "reports": (lambda w: "/forums/reports/", only(RUNS | {"head_of_service", "analyst"})),
    "refer": (
        lambda w: f"/forum-requests/{w.extra['discussed'].pk}/refer-to-the-front-door/",
        only(RUNS | {"requester"}),
    ),
    "meeting change": (lambda w: f"/forum-meetings/{w.meeting.pk}/change/", only(RUNS)),
    "attendance": (lambda w: f"/forum-meetings/{w.meeting.pk}/attendance/", only(RUNS)),
    "discussion": (lambda w: f"/forum-meetings/{w.meeting.pk}/discussions/{w.named_case.pk}/", only(RUNS)),
    "action": (lambda w: f"/forum-meetings/{w.meeting.pk}/actions/{w.extra['action'].pk}/", only(RUNS)),
}


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    built = world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice
    )
    past = world_of.past_meeting(built.forum)
    case = requesting.request_submit(
        actor=built.requester, forum=built.forum, details=world_of.named(built.requester, child_name="Sam Taylor")
    )
    world_of.accept(built, case, past)
    running.discussion_record(
        actor=built.coordinator.user,
        member=built.coordinator,
        meeting=past,
        request=case,
        notes="Discussed",
        decisions="A CAF",
        actions=[running.ActionDetails("Start a CAF", "Alice Partner", "School", past.held_on)],
    )
    built.extra["action"] = ForumAction.objects.get(request=case)
    built.extra["discussed"] = case
    return built


def persona(request, world, name: str):
    users = {
        "coordinator": lambda: world.coordinator.user,
        "business_support": lambda: world.business_support.user,
        "core": lambda: world.core.user,
        "withheld_core": lambda: world.withheld_core.user,
        "extended_invited": lambda: world.extended_invited.user,
        "extended_not_invited": lambda: world.extended_not_invited.user,
        "requester": lambda: world.requester,
        "partner_not_a_member": lambda: request.getfixturevalue("bob"),
        "staff_not_a_member": lambda: request.getfixturevalue("coach"),
        "head_of_service": lambda: request.getfixturevalue("head_of_service"),
        "analyst": lambda: request.getfixturevalue("analyst"),
    }
    return users[name]()


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_forum_page_for_every_kind_of_member(request, world, page, name):
    build, outcomes = PAGES[page]
    client = Client() if name == "anonymous" else signed_in(persona(request, world, name))
    response = client.get(build(world))
    if outcomes[name] == "sign in":
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == outcomes[name], response.content[:300]


def test_a_member_whose_agency_the_family_excluded_sees_the_case_without_its_identity(world):
    page = signed_in(world.withheld_core.user).get(f"/forum-requests/{world.named_case.pk}/").content.decode()
    assert "Maya" not in page
    assert "Kingsley Road" not in page
    assert "Kingsthorpe Primary" not in page
    assert "The family's consent does not cover your agency" in page
    assert "Attendance has fallen this term" in page
    core_page = signed_in(world.core.user).get(f"/forum-requests/{world.named_case.pk}/").content.decode()
    assert "Maya Lewis" in core_page
    assert "3 Kingsley Road" in core_page


def test_the_meeting_page_shows_each_member_only_the_cases_they_may_see(world):
    def page(member) -> str:
        return signed_in(member.user).get(f"/forum-meetings/{world.meeting.pk}/").content.decode()

    not_invited = page(world.extended_not_invited)
    assert world.named_case.reference not in not_invited
    assert world.anonymous_case.reference not in not_invited
    assert world.community_issue.reference in not_invited
    assert "3 other cases are discussed with the members invited to them" in not_invited
    invited = page(world.extended_invited)
    assert f"Anonymous case {world.anonymous_case.reference}" in invited
    assert world.named_case.reference not in invited
    core = page(world.core)
    assert "Maya Lewis" in core
    assert f"Anonymous case {world.anonymous_case.reference}" in core
    withheld = page(world.withheld_core)
    assert "Maya" not in withheld
    assert "details are not shared with your agency" in withheld
    assert "Early Help Forum meetings are open to all practitioners" in core


def test_reading_a_case_is_recorded_and_a_refusal_too(world, bob):
    signed_in(world.core.user).get(f"/forum-requests/{world.named_case.pk}/")
    assert AuditEvent.objects.filter(
        actor=world.core.user,
        verb=AuditEvent.Verb.VIEWED,
        target_type="forums.requestfordiscussion",
        target_id=world.named_case.pk,
    ).exists()
    signed_in(bob).get(f"/forum-requests/{world.named_case.pk}/")
    assert AuditEvent.objects.filter(actor=bob, verb=AuditEvent.Verb.REFUSED, target_id=world.named_case.pk).exists()


def test_a_member_who_does_not_run_the_forum_cannot_post_its_decisions(world):
    client = signed_in(world.core.user)
    response = client.post(
        f"/forum-requests/{world.named_case.pk}/", {"form": "move-on", "ending": "close", "reason": "x"}
    )
    assert response.status_code == 404
    response = client.post(f"/forum-meetings/{world.meeting.pk}/", {"form": "confirm-agenda"})
    assert response.status_code == 404
    world.meeting.refresh_from_db()
    assert world.meeting.agenda_confirmed_at is None


def test_the_service_managers_see_what_a_forum_escalates_to_them(world, head_of_service):
    from earlyhelp.forums.running import Ending, case_move_on

    case = world.extra["discussed"]
    url = f"/forum-requests/{case.pk}/"
    assert signed_in(head_of_service).get(url).status_code == 404
    case.refresh_from_db()
    case_move_on(
        actor=world.coordinator.user,
        member=world.coordinator,
        request=case,
        ending=Ending.ESCALATE,
        reason="No agency will take the housing on",
        seen_version=None,
    )
    assert "Sam Taylor" in signed_in(head_of_service).get(url).content.decode()
    assert "Sam Taylor" in signed_in(head_of_service).get("/forums/").content.decode()
