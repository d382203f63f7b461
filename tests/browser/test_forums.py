"""An Early Help Forum's full cycle in the browser (issue 15): a practitioner asks for a
discussion of a family who consented and of one who did not (warned about identifying words);
the coordinator accepts both, invites an extended member, confirms the agenda (sent by the
background task), records who came, the discussions and the actions, then the decisions and the
action notes. A core member whose agency the family excluded, and an extended member not invited,
are refused the family's details. Every page, and every form in its error state, passes axe-core
(WCAG 2.2 A/AA)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, RequestForDiscussion
from tests import forums_world as world_of
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _fill_date(page, name: str, day: date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _sign_out(accessible_page) -> None:
    accessible_page.page.context.clear_cookies()


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, interval=0)


@pytest.fixture
def forum(authority, forum_coordinator, business_support, alice, frameworks):
    """A neighbourhood action meeting that meets today, and every other week."""
    today = timezone.localdate()
    forum = world_of.a_forum(
        authority,
        name="Kingsthorpe neighbourhood action meeting",
        kind=Forum.Kind.NEIGHBOURHOOD_ACTION_MEETING,
        pattern=Forum.Pattern.FORTNIGHTLY,
        first_meeting_on=today,
        ask_days_before=10,
        deadline_days_before=5,
        agenda_days_before=2,
    )
    police = AgencyFactory(authority=authority, name="Northamptonshire Police")
    world_of.member(forum, forum_coordinator, ForumMember.Kind.COORDINATOR)
    world_of.member(forum, business_support, ForumMember.Kind.BUSINESS_SUPPORT)
    world_of.member(forum, alice, ForumMember.Kind.CORE, "Schools")
    world_of.member(forum, world_of.partner(authority, "Pat Police", police), ForumMember.Kind.CORE, "Police")
    world_of.member(forum, world_of.partner(authority, "Ellie Housing"), ForumMember.Kind.EXTENDED, "Housing")
    world_of.member(forum, world_of.partner(authority, "Ned Council"), ForumMember.Kind.EXTENDED, "Borough")
    return forum


def _ask_for_a_named_discussion(accessible_page, forum) -> None:
    page = accessible_page.page
    accessible_page.goto("/forums/")
    page.get_by_role("link", name=forum.name).first.click()
    accessible_page.check()
    page.get_by_role("link", name="Request a discussion").click()
    accessible_page.check()
    page.get_by_role("button", name="Send the request").click()  # empty: the error state
    accessible_page.check()
    assert "Say whether this is about a family or a community issue" in page.content()
    page.get_by_label("A child, young person or family").check()
    page.get_by_label("Yes").first.check()
    page.get_by_label("Name of the person giving consent").fill("Her mother, Jo Lewis")
    _fill_date(page, "consent_given_on", timezone.localdate() - timedelta(days=2))
    page.get_by_label("They signed the consent form").check()
    page.get_by_label("Northamptonshire Police").check()
    page.get_by_label("A child", exact=True).check()
    page.get_by_label("Name of the child, young person or family").fill("Maya Lewis")
    _fill_date(page, "date_of_birth", date(2017, 5, 4))
    page.locator("input[value=child_social_behavioural_emotional]").check()
    page.locator("input[value=family_housing]").check()
    page.get_by_label("A brief overview of the case or issue").fill(
        "Maya's behaviour changed after an eviction notice."
    )
    page.get_by_label("What is stuck?").fill("No agency has taken the housing on.")
    page.get_by_label("What is the child or young person's level of need?").select_option("2")
    page.get_by_label("No", exact=True).nth(1).check()
    page.get_by_role("button", name="Send the request").click()
    accessible_page.check()
    assert "has been sent to" in page.content()


def _ask_for_an_anonymous_discussion(accessible_page, forum) -> None:
    page = accessible_page.page
    accessible_page.goto(f"/forums/{forum.pk}/request-a-discussion/")
    page.get_by_label("A child, young person or family").check()
    page.get_by_label("No", exact=True).first.check()
    page.get_by_label("A family", exact=True).check()
    page.get_by_label("Age or school year").fill("Year 2 and a baby")
    page.locator("input[value=adult_emotional_health]").check()
    page.get_by_label("A brief overview of the case or issue").fill("Mrs Dunn has low mood since the birth.")
    page.get_by_label("What is stuck?").fill("She declines a CAF.")
    page.get_by_label("What is the child or young person's level of need?").select_option("2")
    page.get_by_label("No", exact=True).nth(1).check()
    page.get_by_role("button", name="Send the request").click()
    accessible_page.check()
    assert "These words may identify the family" in page.content()
    assert "It may name someone (Mrs Dunn)" in page.content()
    page.get_by_label("A brief overview of the case or issue").fill("A mother with low mood since the birth.")
    page.get_by_role("button", name="Send the request").click()
    accessible_page.check()
    assert "has been sent to" in page.content()


def _accept(accessible_page, request: RequestForDiscussion, *, invite: str = "") -> None:
    page = accessible_page.page
    accessible_page.goto(f"/forum-requests/{request.pk}/")
    page.get_by_role("button", name="Save the decision").click()  # nothing chosen: the error state
    accessible_page.check()
    page.get_by_label("Accept it onto a meeting's agenda").check()
    page.get_by_role("button", name="Save the decision").click()
    accessible_page.check()
    assert "your decision is saved" in page.content(), page.locator("main").inner_text()[:1500]
    if invite:
        page.get_by_label(invite).check()
        page.get_by_role("button", name="Save the invitations").click()
        accessible_page.check()


def _record_the_meeting(accessible_page, meeting: ForumMeeting, named: RequestForDiscussion) -> None:
    page = accessible_page.page
    accessible_page.goto(f"/forum-meetings/{meeting.pk}/")
    assert "Early Help Forum meetings are open to all practitioners" in page.content()
    page.get_by_role("link", name="Record who came").click()
    accessible_page.check()
    page.get_by_label("Alice Partner, Core member").select_option("both")
    page.get_by_label("Ellie Housing, Extended member").select_option("part_one")
    page.locator("#id_guest_name-0").fill("Dee Visitor")
    page.get_by_role("button", name="Save who came").click()  # a guest without an agency
    accessible_page.check()
    assert "Enter Dee Visitor's agency" in page.content()
    page.locator("#id_guest_agency-0").fill("Family Action")
    page.get_by_role("button", name="Save who came").click()
    accessible_page.check()
    page.get_by_role("link", name=f"Record the discussion of Maya Lewis ({named.reference})").click()
    accessible_page.check()
    page.get_by_role("button", name="Save the discussion").click()  # empty: the error state
    accessible_page.check()
    assert "Record what was discussed" in page.content()
    page.get_by_label("The discussion").fill("Housing options; social care advised a CAF.")
    page.get_by_label("What the forum decided").fill("Start a CAF; invite housing next time.")
    page.locator("#id_what-0").fill("Start a CAF with Mum")
    page.locator("#id_owner_name-0").fill("Alice Partner")
    _fill_date(page, "due_on-0", timezone.localdate() + timedelta(days=14))
    page.get_by_role("button", name="Save the discussion").click()
    accessible_page.check()
    for link in page.get_by_role("link", name="Record the discussion").all():
        link.click()
        accessible_page.check()
        page.get_by_label("The discussion").fill("Discussed")
        page.get_by_label("What the forum decided").fill("The health visitor leads")
        page.get_by_role("button", name="Save the discussion").click()
        accessible_page.check()
    page.get_by_label("What the forum learned").fill("Invite housing early.")
    page.get_by_role("button", name="The decisions and actions are recorded").click()
    accessible_page.check()
    page.get_by_role("button", name="Send the action notes to the members").click()
    accessible_page.check()


def test_a_coordinator_runs_a_forums_full_cycle_in_the_browser(
    accessible_page, forum, forum_coordinator, alice, authority
):
    page = accessible_page.page
    sign_in(accessible_page, alice.email, PASSWORD)
    _ask_for_a_named_discussion(accessible_page, forum)
    _ask_for_an_anonymous_discussion(accessible_page, forum)
    named = RequestForDiscussion.objects.get(consent_given=True)
    anonymous = RequestForDiscussion.objects.get(consent_given=False)
    assert named.child_name == "Maya Lewis"
    assert anonymous.child_name == ""
    assert "Dunn" not in anonymous.summary

    _sign_out(accessible_page)
    sign_in(accessible_page, forum_coordinator.email, PASSWORD)
    accessible_page.goto(f"/forums/{forum.pk}/")
    assert "Requests waiting for a decision" in page.content()
    _accept(accessible_page, named)
    _accept(accessible_page, anonymous, invite="Ellie Housing, Housing")
    meeting = ForumMeeting.objects.get(forum=forum, held_on=timezone.localdate())
    accessible_page.goto(f"/forum-meetings/{meeting.pk}/")
    page.get_by_role("button", name="Confirm the agenda").click()
    accessible_page.check()
    _run_worker()  # the background task sends the agenda
    agenda = next(message for message in mail.outbox if "the agenda" in message.subject)
    assert named.reference in agenda.body
    assert "Maya" not in agenda.body
    _record_the_meeting(accessible_page, meeting, named)
    meeting.refresh_from_db()
    assert meeting.status == ForumMeeting.Status.HELD
    assert meeting.decisions_recorded_at is not None
    assert meeting.action_notes_sent_at is not None
    assert named.actions.get().what == "Start a CAF with Mum"
    assert {row.name for row in meeting.attendance.all()} == {"Alice Partner", "Ellie Housing", "Dee Visitor"}

    # A core member whose agency the family excluded: the case, never the family's details.
    _sign_out(accessible_page)
    police = ForumMember.objects.get(forum=forum, represents="Police").user
    sign_in(accessible_page, police.email, PASSWORD)
    accessible_page.goto(f"/forum-requests/{named.pk}/")
    assert "The family's consent does not cover your agency" in page.content()
    assert "Maya" not in page.content()
    assert "Start a CAF with Mum" in page.content()
    accessible_page.goto(f"/forum-meetings/{meeting.pk}/")
    assert "Maya" not in page.content()

    # An extended member not invited: part one only; the cases are not theirs to open.
    _sign_out(accessible_page)
    council = ForumMember.objects.get(forum=forum, represents="Borough").user
    sign_in(accessible_page, council.email, PASSWORD)
    accessible_page.goto(f"/forum-meetings/{meeting.pk}/")
    assert "2 other cases are discussed with the members invited to them" in page.content()
    response = page.goto(accessible_page.base_url + f"/forum-requests/{named.pk}/")
    assert response is not None
    assert response.status == 404


def test_the_forums_other_pages_pass_an_accessibility_check(
    accessible_page, forum, forum_coordinator, alice, authority
):
    """The referral to the front door, the reports, the Market Place and moving a meeting, each
    with its form in the error state."""
    from earlyhelp.forums import requesting, running

    page = accessible_page.page
    meeting = ForumMeeting.objects.get(forum=forum, held_on=timezone.localdate())
    coordinator = ForumMember.objects.get(forum=forum, kind=ForumMember.Kind.COORDINATOR)
    case = requesting.request_submit(actor=alice, forum=forum, details=world_of.named(alice, child_name="Sam Taylor"))
    requesting.request_decide(
        actor=forum_coordinator,
        member=coordinator,
        request=case,
        decision=requesting.Decision.ACCEPT,
        meeting=meeting,
        reason="",
        seen_version=None,
    )
    running.discussion_record(
        actor=forum_coordinator,
        member=coordinator,
        meeting=meeting,
        request=case,
        notes="Sam's housing",
        decisions="Refer to the front door",
        actions=[running.ActionDetails("Call housing", "Alice Partner", "School", timezone.localdate())],
    )
    sign_in(accessible_page, forum_coordinator.email, PASSWORD)
    accessible_page.goto(f"/forum-meetings/{meeting.pk}/discussions/{case.pk}/")
    page.get_by_role("link", name="Review the action: Call housing").click()
    accessible_page.check()
    page.get_by_role("button", name="Save the review").click()  # nothing chosen: the error state
    accessible_page.check()
    page.get_by_label("Yes, it was done").check()
    _fill_date(page, "done_on", timezone.localdate())
    page.get_by_role("button", name="Save the review").click()
    accessible_page.check()
    assert case.actions.get().status == "done"
    accessible_page.goto(f"/forum-requests/{case.pk}/")
    page.get_by_role("link", name="Refer to the front door").click()
    accessible_page.check()
    page.get_by_role("button", name="Send the referral").click()  # no consent given: the error state
    accessible_page.check()
    assert page.locator(".govuk-error-summary").is_visible()
    accessible_page.goto("/forums/reports/?since_0=2&since_1=2&since_2=2026&until_0=1&until_1=1&until_2=2026")
    assert "The end of the period must be on or after its start" in page.content()
    accessible_page.goto("/forums/reports/")
    assert "Each forum" in page.content()
    accessible_page.goto("/forums/market-place/")
    page.get_by_role("button", name="Save the event").click()  # empty: the error state
    accessible_page.check()
    _fill_date(page, "held_on", timezone.localdate() + timedelta(days=40))
    page.get_by_label("Venue").fill("Kingsthorpe Library")
    page.get_by_role("button", name="Save the event").click()
    accessible_page.check()
    page.get_by_role("button", name=f"Announce the {forum.area.name} Market Place").click()
    accessible_page.check()
    later = ForumMeeting.objects.filter(forum=forum, held_on__gt=timezone.localdate()).order_by("held_on").first()
    assert later is not None
    accessible_page.goto(f"/forum-meetings/{later.pk}/")
    page.get_by_role("link", name="Move or cancel this meeting").click()
    accessible_page.check()
    page.get_by_role("button", name="Save").click()  # nothing chosen: the error state
    accessible_page.check()
    page.get_by_label("The meeting is cancelled").check()
    page.get_by_label("Why it is cancelled").fill("The venue is closed")
    page.get_by_role("button", name="Save").click()
    accessible_page.check()
    later.refresh_from_db()
    assert later.status == ForumMeeting.Status.CANCELLED
