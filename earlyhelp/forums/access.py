"""Who sees what of a forum (EHF "Structure of the meeting"; T&P Appendix 1's consent).

- The forums, their areas, dates, venues and coordinators are for everyone signed in: the terms of
  reference publish them, and any practitioner may ask for a discussion.
- A meeting's page is for the forum's members. Part one (community issues and information
  sharing) is open to every member; part two (case discussions) to the coordinators, business
  support and core members, and to an extended member only for the cases they were invited to.
- A case's identifying details reach a member only when the family consented to the forum, and
  not when the family asked that the member's agency not be told: otherwise the member sees the
  case as an anonymous one.
- Whoever made a request sees it in full: they wrote it.

Every page, download and operation fetches through these functions; "missing" and "forbidden"
are both a 404, and a refusal is recorded (people.access.refuse)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Permission
from earlyhelp.people.access import refuse


def forums_for(user: User) -> QuerySet[Forum]:
    return Forum.objects.filter(authority_id=user.authority_id).select_related("area")


def get_forum(user: User, pk: int) -> Forum:
    found: Forum | None = forums_for(user).filter(pk=pk).first()
    if found is None:
        raise refuse(user, "forums.forum", pk, "open", "No forum found")
    return found


def membership(user: User, forum: Forum | int) -> ForumMember | None:
    forum_id = forum if isinstance(forum, int) else forum.pk
    found: ForumMember | None = (
        ForumMember.objects.filter(forum_id=forum_id, user=user, left_on__isnull=True).select_related("user").first()
    )
    return found


def memberships(user: User) -> QuerySet[ForumMember]:
    return ForumMember.objects.filter(user=user, left_on__isnull=True).select_related("forum", "forum__area")


def runs(member: ForumMember | None) -> bool:
    return member is not None and member.runs_the_forum


def get_meeting_for_member(user: User, pk: int, *, attempted: str = "open") -> tuple[ForumMeeting, ForumMember]:
    meeting: ForumMeeting | None = (
        ForumMeeting.objects.filter(pk=pk, forum__authority_id=user.authority_id).select_related("forum").first()
    )
    member = membership(user, meeting.forum_id) if meeting is not None else None
    if meeting is None or member is None:
        raise refuse(user, "forums.forummeeting", pk, attempted, "No meeting found")
    return meeting, member


def get_meeting_to_run(user: User, pk: int) -> tuple[ForumMeeting, ForumMember]:
    meeting, member = get_meeting_for_member(user, pk, attempted="run")
    if not member.runs_the_forum:
        raise refuse(user, "forums.forummeeting", pk, "run", "No meeting found")
    return meeting, member


def sees_case(member: ForumMember | None, request: RequestForDiscussion, invited_ids: set[int] | None = None) -> bool:
    """Part two's rule: a case discussion is for those in every case and the invited."""
    if member is None or member.forum_id != request.forum_id:
        return False
    if request.kind == RequestForDiscussion.Kind.COMMUNITY_ISSUE:
        return True
    if member.kind in ForumMember.IN_EVERY_CASE:
        return True
    invited = invited_ids if invited_ids is not None else set(request.invited.values_list("pk", flat=True))
    return member.pk in invited


def cases_for(member: ForumMember) -> QuerySet[RequestForDiscussion]:
    """The forum's requests this member may open (part two's rule, in one query)."""
    requests = RequestForDiscussion.objects.filter(forum_id=member.forum_id)
    if member.kind in ForumMember.IN_EVERY_CASE:
        return requests
    return requests.filter(Q(kind=RequestForDiscussion.Kind.COMMUNITY_ISSUE) | Q(invited=member)).distinct()


def sees_identity(user: User, request: RequestForDiscussion, *, withheld_agency_ids: set[int] | None = None) -> bool:
    """Whether the family's consent covers this reader (the requester always sees their own)."""
    if not request.consent_given:
        return False
    if request.requested_by_id == user.pk:
        return True
    withheld = (
        withheld_agency_ids
        if withheld_agency_ids is not None
        else set(request.not_shared_with.values_list("pk", flat=True))
    )
    return user.agency_id is None or user.agency_id not in withheld


@dataclass(frozen=True)
class Reader:
    """Who is reading a request, and what of it they may see."""

    user: User
    member: ForumMember | None
    identity: bool
    runs_the_forum: bool
    is_requester: bool


def get_request_for_user(user: User, pk: int, *, attempted: str = "open") -> tuple[RequestForDiscussion, Reader]:
    request: RequestForDiscussion | None = (
        RequestForDiscussion.objects.filter(pk=pk, forum__authority_id=user.authority_id)
        .select_related("forum", "forum__area", "meeting", "requester_agency")
        .first()
    )
    if request is None:
        raise refuse(user, "forums.requestfordiscussion", pk, attempted, "No request found")
    member = membership(user, request.forum_id)
    is_requester = request.requested_by_id == user.pk
    if not (is_requester or sees_case(member, request) or manages_escalation(user, request)):
        raise refuse(user, "forums.requestfordiscussion", pk, attempted, "No request found")
    reader = Reader(
        user=user,
        member=member,
        identity=sees_identity(user, request),
        runs_the_forum=runs(member),
        is_requester=is_requester,
    )
    return request, reader


def manages_escalation(user: User, request: RequestForDiscussion) -> bool:
    """The service managers see what a forum escalated to them (EHF "Governance")."""
    return request.escalated_at is not None and user.can(Permission.DECIDE_BEYOND_CAPACITY)


def escalated_for(user: User) -> QuerySet[RequestForDiscussion]:
    if not user.can(Permission.DECIDE_BEYOND_CAPACITY):
        return RequestForDiscussion.objects.none()
    return RequestForDiscussion.objects.filter(
        forum__authority_id=user.authority_id, status=RequestForDiscussion.Status.ESCALATED
    ).order_by("-escalated_at")


def get_request_to_run(user: User, pk: int) -> tuple[RequestForDiscussion, Reader]:
    request, reader = get_request_for_user(user, pk, attempted="decide")
    if not reader.runs_the_forum:
        raise refuse(user, "forums.requestfordiscussion", pk, "decide", "No request found")
    return request, reader


def requests_made_by(user: User) -> QuerySet[RequestForDiscussion]:
    return RequestForDiscussion.objects.filter(requested_by=user).select_related("forum", "meeting")
