"""A forum with a member of every kind and a request of every kind, made through the services,
for the forums' tests and the permission matrix."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.forums import requesting
from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.forums.scheduling import meetings_set_a_year_ahead
from earlyhelp.organisations.models import Agency, Area, Authority, User
from earlyhelp.organisations.roles import Role
from tests.factories import AgencyFactory, UserFactory


def a_forum(authority: Authority, **changes: Any) -> Forum:
    area = changes.pop("area", None) or Area.objects.filter(authority=authority).first()
    if area is None:
        area = Area.objects.create(authority=authority, name="Northampton North")
    today = timezone.localdate()
    values: dict[str, Any] = {
        "authority": authority,
        "area": area,
        "name": "Northampton North Early Help Forum",
        "weekday": 1,
        "week_of_month": 2,
        "first_meeting_on": today - timedelta(days=60),
        "starts_at": time(9, 30),
        "venue": "Lings Children's Centre",
        "mailbox": "north-ehf@example.test",
    }
    values.update(changes)
    forum = Forum.objects.create(**values)
    meetings_set_a_year_ahead(forum=forum, today=today)
    return forum


def member(forum: Forum, user: User, kind: str, represents: str = "") -> ForumMember:
    return ForumMember.objects.create(forum=forum, user=user, kind=kind, represents=represents)


def partner(authority: Authority, name: str, agency: Agency | None = None) -> User:
    agency = agency or AgencyFactory(authority=authority, name=f"{name}'s agency")
    return UserFactory(authority=authority, agency=agency, roles=[Role.PARTNER_PRACTITIONER], full_name=name)


def details(user: User, **values: Any) -> requesting.RequestDetails:
    base: dict[str, Any] = {
        "kind": RequestForDiscussion.Kind.CASE,
        "requester_name": user.full_name,
        "requester_agency": user.agency,
        "requester_agency_name": user.agency.name if user.agency else "Early Help",
        "requester_email": user.email,
        "requester_phone": "01604 000000",
        "about": RequestForDiscussion.About.CHILD,
        "caf_completed": False,
        "presenting_issues": ["child_learning"],
        "level_of_need": 2,
        "summary": "Attendance has fallen this term and the child seems withdrawn.",
        "barrier": "Which agency should lead.",
        "consent_given": False,
        "age_or_school_year": "Year 4",
    }
    base.update(values)
    return requesting.RequestDetails(**base)


def named(user: User, **values: Any) -> requesting.RequestDetails:
    base: dict[str, Any] = {
        "consent_given": True,
        "child_name": "Maya Lewis",
        "address": "3 Kingsley Road, Northampton NN2 7BU",
        "date_of_birth": date(2017, 5, 4),
        "school": "Kingsthorpe Primary School",
        "consent_given_by": "Her mother, Jo Lewis",
        "consent_given_on": timezone.localdate() - timedelta(days=3),
        "consent_how": "Signed the consent form",
    }
    return details(user, **(base | values))


def next_meeting(forum: Forum) -> ForumMeeting:
    meeting = requesting.next_open_meeting(forum, today=timezone.localdate())
    assert meeting is not None
    return meeting


def past_meeting(forum: Forum, days_ago: int = 7) -> ForumMeeting:
    held_on = timezone.localdate() - timedelta(days=days_ago)
    with audited_writes():
        meeting = ForumMeeting.objects.create(
            forum=forum, planned_on=held_on, held_on=held_on, starts_at=forum.starts_at, venue=forum.venue
        )
        record_change(actor=None, actor_label="test", verb=AuditEvent.Verb.CREATED, target=meeting, changes={})
    return meeting


def accept(world: "ForumWorld", request: RequestForDiscussion, meeting: ForumMeeting | None = None) -> None:
    requesting.request_decide(
        actor=world.coordinator.user,
        member=world.coordinator,
        request=request,
        decision=requesting.Decision.ACCEPT,
        meeting=meeting or world.meeting,
        reason="",
        seen_version=None,
    )
    request.refresh_from_db()


def invite(world: "ForumWorld", request: RequestForDiscussion, who: ForumMember) -> None:
    requesting.request_invite(
        actor=world.coordinator.user, member=world.coordinator, request=request, invited=[who], seen_version=None
    )
    request.refresh_from_db()


@dataclass
class ForumWorld:
    forum: Forum
    coordinator: ForumMember
    business_support: ForumMember
    core: ForumMember
    withheld_core: ForumMember
    extended_invited: ForumMember
    extended_not_invited: ForumMember
    requester: User
    meeting: ForumMeeting
    named_case: RequestForDiscussion
    anonymous_case: RequestForDiscussion
    community_issue: RequestForDiscussion
    extra: dict[str, Any] = field(default_factory=dict)


def forum_world(
    authority: Authority,
    *,
    coordinator: User,
    business_support: User,
    core: User,
    accepted: bool = True,
) -> ForumWorld:
    """Members of every kind; a named case (consent withheld from one core member's agency), an
    anonymous case with one extended member invited, and a community issue, all made by a
    practitioner who is not a member."""
    forum = a_forum(authority)
    police = AgencyFactory(authority=authority, name="Northamptonshire Police")
    coordinator_member = member(forum, coordinator, ForumMember.Kind.COORDINATOR, "CAF Coordinator")
    world = ForumWorld(
        forum=forum,
        coordinator=coordinator_member,
        business_support=member(forum, business_support, ForumMember.Kind.BUSINESS_SUPPORT),
        core=member(forum, core, ForumMember.Kind.CORE, "Schools"),
        withheld_core=member(
            forum, partner(authority, "Pat Police", police), ForumMember.Kind.CORE, "Police Safer Community Team"
        ),
        extended_invited=member(forum, partner(authority, "Ellie Invited"), ForumMember.Kind.EXTENDED, "Local Housing"),
        extended_not_invited=member(
            forum, partner(authority, "Ned Notinvited"), ForumMember.Kind.EXTENDED, "Borough council"
        ),
        requester=partner(authority, "Rita Requester"),
        meeting=next_meeting(forum),
        named_case=None,  # type: ignore[arg-type]
        anonymous_case=None,  # type: ignore[arg-type]
        community_issue=None,  # type: ignore[arg-type]
    )
    world.named_case = requesting.request_submit(
        actor=world.requester, forum=forum, details=named(world.requester, not_shared_with=[police])
    )
    world.anonymous_case = requesting.request_submit(
        actor=world.requester, forum=forum, details=details(world.requester)
    )
    world.community_issue = requesting.request_submit(
        actor=world.requester,
        forum=forum,
        details=details(world.requester, kind=RequestForDiscussion.Kind.COMMUNITY_ISSUE, about=""),
    )
    invite(world, world.anonymous_case, world.extended_invited)
    if accepted:
        for request in (world.named_case, world.anonymous_case, world.community_issue):
            accept(world, request)
    return world


def with_a_discussed_case(world: ForumWorld) -> ForumWorld:
    """Adds a named case discussed at last week's meeting, with an action to review."""
    from earlyhelp.forums import running
    from earlyhelp.forums.models import ForumAction

    past = past_meeting(world.forum)
    case = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=named(world.requester, child_name="Sam Taylor")
    )
    accept(world, case, past)
    running.discussion_record(
        actor=world.coordinator.user,
        member=world.coordinator,
        meeting=past,
        request=case,
        notes="Discussed",
        decisions="A CAF",
        actions=[running.ActionDetails("Start a CAF", "Alice Partner", "School", past.held_on)],
    )
    world.extra["action"] = ForumAction.objects.get(request=case)
    world.extra["discussed"] = case
    return world


def matrix_world() -> ForumWorld:
    """The permission matrix's forum: the personas "Forum coordinator" and "Business support
    officer" run it, Alice Partner is a core member, Bob Partner is not a member. Built once
    per test."""
    built: ForumWorld | None = _MATRIX.get("world")
    if built is not None and Forum.objects.filter(pk=built.forum.pk).exists():
        return built
    built = with_a_discussed_case(
        forum_world(
            User.objects.get(full_name="Alice Partner").authority,
            coordinator=User.objects.get(full_name="Forum coordinator"),
            business_support=User.objects.get(full_name="Business support officer"),
            core=User.objects.get(full_name="Alice Partner"),
        )
    )
    _MATRIX["world"] = built
    return built


_MATRIX: dict[str, ForumWorld] = {}
