"""Requests for discussion (T&P §4.2 and Appendix 1): made by any practitioner, or arriving from
the front door's "discuss at a meeting" outcome; then accepted onto an agenda, held for the next
meeting, or redirected by the forum's coordinators.

Without the family's consent a case is anonymous: the service refuses any identifying field
(and the database could not store one), and warns, as an aid, when the words typed look as if
they name or identify someone (`identifying.py`)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.core.workflow import locked
from earlyhelp.forums import identifying
from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.organisations.models import Agency, User
from earlyhelp.thresholds.models import FrameworkVersion
from earlyhelp.thresholds.rules import UnknownIndicatorsError, recommend
from earlyhelp.thresholds.selectors import framework_version_latest

Status = RequestForDiscussion.Status

# Appendix 1, Section 2: the presenting issues, by whom they concern.
PRESENTING_ISSUES: dict[str, list[tuple[str, str]]] = {
    "Child or young person": [
        ("child_learning", "Learning"),
        ("child_health", "Health"),
        ("child_social_behavioural_emotional", "Social, behavioural and emotional"),
    ],
    "Adult": [
        ("adult_physical_health", "Physical health"),
        ("adult_emotional_health", "Emotional health"),
        ("adult_parenting_capacity", "Parenting capacity"),
        ("adult_learning", "Learning"),
    ],
    "Family and environment": [
        ("family_dynamics", "Family dynamics"),
        ("family_housing", "Housing"),
        ("family_finance", "Finance"),
        ("family_community", "Community"),
    ],
}
ISSUE_LABELS = {code: f"{group}: {label}" for group, items in PRESENTING_ISSUES.items() for code, label in items}
# The free-text fields of a request, checked for identifying words when it is anonymous.
FREE_TEXT = ("summary", "barrier", "what_has_been_done", "who_to_invite", "age_or_school_year")
ANONYMOUS_FIELD = "Leave this empty: without the family's consent the forum discusses the case anonymously"


@dataclass(frozen=True)
class RequestDetails:
    kind: str
    requester_name: str
    requester_agency: Agency | None
    requester_agency_name: str
    requester_email: str
    requester_phone: str
    summary: str
    barrier: str
    about: str = ""
    consent_given: bool | None = None
    child_name: str = ""
    address: str = ""
    date_of_birth: date | None = None
    school: str = ""
    age_or_school_year: str = ""
    presenting_issues: list[str] = field(default_factory=list)
    level_of_need: int | None = None
    indicators: list[str] = field(default_factory=list)
    what_has_been_done: str = ""
    caf_completed: bool | None = None
    caf_number: str = ""
    who_to_invite: str = ""
    consent_given_by: str = ""
    consent_given_on: date | None = None
    consent_how: str = ""
    not_shared_with: list[Agency] = field(default_factory=list)
    # The requester has read the warnings about identifying words and says the text is safe.
    checked_for_identifying_words: bool = False


def identifying_warnings(details: RequestDetails) -> dict[str, list[str]]:
    """For an anonymous case: each free-text field's warnings (none for a named case)."""
    if details.kind != RequestForDiscussion.Kind.CASE or details.consent_given is not False:
        return {}
    found = {}
    for name in FREE_TEXT:
        warnings = identifying.warnings_for(getattr(details, name))
        if warnings:
            found[name] = [warning.message for warning in warnings]
    return found


def _requester_problems(details: RequestDetails) -> dict[str, str]:
    problems = {}
    if not details.requester_name.strip():
        problems["requester_name"] = "Enter your name"
    if details.requester_agency is None and not details.requester_agency_name.strip():
        problems["requester_agency_name"] = "Enter your agency"
    if not details.requester_email.strip():
        problems["requester_email"] = "Enter your email address, so the coordinator can reply"
    if not details.summary.strip():
        problems["summary"] = "Give a brief overview of the main issues"
    if not details.barrier.strip():
        problems["barrier"] = "Say what is stuck: the barrier to address or the resolution you need"
    return problems


def _case_problems(details: RequestDetails, *, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.about not in RequestForDiscussion.About.values:
        problems["about"] = "Say whether the request is about a child, a young person or a family"
    if details.consent_given is None:
        problems["consent_given"] = "Say whether the family has agreed to be discussed by name"
    elif details.consent_given:
        problems |= _named_problems(details, today=today)
    else:
        problems |= _anonymous_problems(details)
    if not set(details.presenting_issues) <= set(ISSUE_LABELS):
        problems["presenting_issues"] = "Choose the presenting issues from the list"
    elif not details.presenting_issues:
        problems["presenting_issues"] = "Choose at least one presenting issue"
    if details.level_of_need is None and not details.indicators:
        problems["level_of_need"] = "Choose the level of need, or tick what you know in the Vulnerability Matrix"
    elif details.level_of_need is not None and details.level_of_need not in (1, 2, 3, 4):
        problems["level_of_need"] = "Choose a level of need from 1 to 4"
    if details.caf_completed is None:
        problems["caf_completed"] = "Say whether a CAF has been completed"
    return problems


def _named_problems(details: RequestDetails, *, today: date) -> dict[str, str]:
    problems = {}
    if not details.child_name.strip():
        problems["child_name"] = "Enter the name of the child, young person or family"
    if details.date_of_birth is not None and details.date_of_birth > today:
        problems["date_of_birth"] = "The date of birth must be in the past"
    if not details.consent_given_by.strip():
        problems["consent_given_by"] = "Enter who gave consent"
    if details.consent_given_on is None:
        problems["consent_given_on"] = "Enter the date consent was given"
    elif details.consent_given_on > today:
        problems["consent_given_on"] = "The date consent was given must be today or in the past"
    if not details.consent_how.strip():
        problems["consent_how"] = "Say how consent was given: the signed form, or by phone"
    return problems


def _anonymous_problems(details: RequestDetails) -> dict[str, str]:
    problems = {}
    for name in ("child_name", "address", "school", "consent_given_by"):
        if getattr(details, name).strip():
            problems[name] = ANONYMOUS_FIELD
    if details.date_of_birth is not None:
        problems["date_of_birth"] = ANONYMOUS_FIELD + ". Give an age or school year instead"
    if identifying_warnings(details) and not details.checked_for_identifying_words:
        problems["checked_for_identifying_words"] = (
            "Some words may identify the family: change them, or confirm that they do not"
        )
    return problems


def next_open_meeting(forum: Forum, *, today: date) -> ForumMeeting | None:
    found: ForumMeeting | None = (
        ForumMeeting.objects.filter(
            forum=forum, status=ForumMeeting.Status.SCHEDULED, held_on__gte=today, agenda_sent_at__isnull=True
        )
        .order_by("held_on")
        .first()
    )
    return found


def _tool_level(indicators: list[str]) -> tuple[FrameworkVersion | None, int | None, bool]:
    """The thresholds tool's level for the ticked indicators: (version, level, all known)."""
    version = framework_version_latest()
    if version is None or not indicators:
        return version, None, True
    try:
        return version, recommend(version.definition, indicators).level, True
    except UnknownIndicatorsError:
        return version, None, False


@audited
def request_submit(*, actor: User | None, forum: Forum, details: RequestDetails) -> RequestForDiscussion:
    """A request for discussion from a practitioner, checked in full; nothing half-saved."""
    today = timezone.localdate()
    problems = _requester_problems(details)
    if details.kind == RequestForDiscussion.Kind.CASE:
        problems |= _case_problems(details, today=today)
        if details.consent_given is False and not forum.anonymous_cases:
            problems["consent_given"] = (
                f"{forum.name} discusses a family only with their consent (FF §6.1): ask the family first"
            )
    elif details.kind != RequestForDiscussion.Kind.COMMUNITY_ISSUE:
        problems["kind"] = "Say whether this is about a family or a community issue"
    version, tool_level, known = _tool_level(details.indicators)
    if not known:
        problems["level_of_need"] = "Tick indicators from the Vulnerability Matrix only"
    if problems:
        raise ValidationError(problems)
    named = details.kind == RequestForDiscussion.Kind.CASE and bool(details.consent_given)
    upcoming = next_open_meeting(forum, today=today)
    request = RequestForDiscussion.objects.create(
        forum=forum,
        kind=details.kind,
        requested_by=actor,
        requester_name=details.requester_name.strip(),
        requester_agency=details.requester_agency,
        requester_agency_name=(
            details.requester_agency.name if details.requester_agency else details.requester_agency_name.strip()
        ),
        requester_email=details.requester_email.strip(),
        requester_phone=details.requester_phone.strip(),
        about=details.about if details.kind == RequestForDiscussion.Kind.CASE else "",
        consent_given=named,
        child_name=details.child_name.strip() if named else "",
        address=details.address.strip() if named else "",
        date_of_birth=details.date_of_birth if named else None,
        school=details.school.strip() if named else "",
        age_or_school_year=details.age_or_school_year.strip(),
        presenting_issues=sorted(set(details.presenting_issues)),
        summary=details.summary.strip(),
        barrier=details.barrier.strip(),
        level_of_need=details.level_of_need if details.level_of_need is not None else tool_level,
        framework_version=version if details.indicators else None,
        indicators=sorted(set(details.indicators)),
        what_has_been_done=details.what_has_been_done.strip(),
        caf_completed=details.caf_completed,
        caf_number=details.caf_number.strip() if details.caf_completed else "",
        who_to_invite=details.who_to_invite.strip(),
        consent_given_by=details.consent_given_by.strip() if named else "",
        consent_given_on=details.consent_given_on if named else None,
        consent_how=details.consent_how.strip() if named else "",
        late=upcoming is not None and today > upcoming.deadline_on,
    )
    if named:
        request.not_shared_with.set(details.not_shared_with)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=request,
        changes={
            "forum": forum.name,
            "kind": request.kind,
            "named": named,
            "presenting_issues": request.presenting_issues,
            "late": request.late,
        },
    )
    return request


def _front_door_summary(contact: Contact, *, named: bool) -> str:
    needs = ", ".join(sorted(need.name for need in contact.needs.all()))
    if named:
        return contact.reason
    # Anonymous: none of the referrer's own words travel, since they may name the family.
    return (
        "The front door decided this family should be discussed at a meeting. "
        + (f"The needs referred: {needs}." if needs else "")
    ).strip()


@audited
def request_from_front_door(*, contact: Contact, forum: Forum, anonymously: bool) -> RequestForDiscussion:
    """The front door's "discuss at a meeting" outcome arrives as a request (FF §3.1 b, §6.1).

    Named only when the front door chose to and the family agreed to be discussed at a meeting
    (the front door's own rule, re-checked here); anonymous otherwise."""
    contact = locked(contact)
    named = not anonymously and contact.consents_to_named_discussion
    children = [person for person in contact.people.all() if person.role == ContactPerson.Role.CHILD]
    first = children[0] if children else None
    decided = contact.level_of_need
    level = decided.level if decided is not None else contact.referrer_recommended_level
    request = RequestForDiscussion.objects.create(
        forum=forum,
        kind=RequestForDiscussion.Kind.CASE,
        requested_by=contact.referrer_user,
        requester_name=contact.referrer_name,
        requester_agency=contact.referrer_agency,
        requester_agency_name=contact.referrer_agency.name if contact.referrer_agency else contact.referrer_role,
        requester_email=contact.referrer_email or forum.mailbox or "frontdoor@invalid",
        requester_phone=contact.referrer_phone,
        about=RequestForDiscussion.About.FAMILY if len(children) != 1 else RequestForDiscussion.About.CHILD,
        consent_given=named,
        child_name=", ".join(f"{child.first_name} {child.last_name}" for child in children) if named else "",
        address=(first.address if first and named else ""),
        date_of_birth=first.date_of_birth if first and named and len(children) == 1 else None,
        school=first.school if first and named else "",
        family=contact.family if named else None,
        summary=_front_door_summary(contact, named=named),
        barrier="Which agency or intervention can lead the help this family needs (FF §6.1).",
        level_of_need=level,
        what_has_been_done=contact.what_has_been_tried if named else "",
        caf_completed=None,
        consent_given_by=contact.consent_given_by if named else "",
        consent_given_on=contact.consent_given_on if named else None,
        consent_how=contact.get_consent_how_display() if named else "",
        contact=contact,
    )
    record_change(
        actor=None,
        actor_label="Front door",
        verb=AuditEvent.Verb.CREATED,
        target=request,
        changes={"forum": forum.name, "from_contact": contact.reference, "named": named},
    )
    return request


# The coordinators' decision ------------------------------------------------------------------


class Decision:
    ACCEPT = "accept"
    HOLD = "hold"
    REDIRECT = "redirect"
    CHOICES = (ACCEPT, HOLD, REDIRECT)


def _decision_problems(
    request: RequestForDiscussion, decision: str, meeting: ForumMeeting | None, reason: str
) -> dict[str, str]:
    problems = {}
    wanted = {Decision.ACCEPT: Status.ACCEPTED, Decision.HOLD: Status.HELD, Decision.REDIRECT: Status.REDIRECTED}
    if decision not in wanted:
        problems["decision"] = "Choose whether to accept, hold or redirect the request"
    elif not RequestForDiscussion.TRANSITIONS.allows(request.status, wanted[decision]):
        problems["decision"] = f"This request is {request.get_status_display().lower()}: it cannot be changed now"
    elif decision == Decision.ACCEPT:
        if meeting is None or meeting.forum_id != request.forum_id:
            problems["meeting"] = "Choose the meeting whose agenda it goes on"
        elif meeting.status != ForumMeeting.Status.SCHEDULED:
            problems["meeting"] = f"That meeting has been {meeting.get_status_display().lower()}: choose a later one"
        elif meeting.agenda_sent_at is not None:
            problems["meeting"] = "That meeting's agenda has been sent: choose a later meeting"
    elif not reason.strip():
        problems["reason"] = (
            "Say why it is held, and when it will be discussed"
            if decision == Decision.HOLD
            else "Say where the request was redirected, and why"
        )
    return problems


@audited
def request_decide(
    *,
    actor: User,
    member: ForumMember,
    request: RequestForDiscussion,
    decision: str,
    meeting: ForumMeeting | None,
    reason: str,
    seen_version: int | None,
) -> RequestForDiscussion:
    """A coordinator or business support accepts a request onto an agenda (late ones too, by
    their choice), holds it for the next meeting, or redirects it elsewhere."""
    request = locked(request)
    if not member.runs_the_forum or member.forum_id != request.forum_id:
        raise ValidationError({"decision": "Only the forum's coordinators and business support decide on requests"})
    if meeting is not None:
        meeting = locked(meeting)
    problems = _decision_problems(request, decision, meeting, reason)
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(request, seen=seen_version)
    before = request.status
    request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason.strip()
    if decision == Decision.ACCEPT:
        assert meeting is not None
        request.status, request.meeting = Status.ACCEPTED, meeting
        last = RequestForDiscussion.objects.filter(meeting=meeting).aggregate(last=Max("slot_order"))["last"]
        request.slot_order = (last or 0) + 1
    else:
        request.status = Status.HELD if decision == Decision.HOLD else Status.REDIRECTED
        request.meeting, request.slot_order = None, None
        if decision == Decision.REDIRECT:
            request.ended_at = timezone.now()
    request.save(
        update_fields=[
            "status",
            "meeting",
            "slot_order",
            "decided_by",
            "decided_at",
            "decision_reason",
            "ended_at",
            "version",
        ]
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={
            "status": [before, request.status],
            "meeting": meeting.held_on.isoformat() if meeting and decision == Decision.ACCEPT else None,
            "reason": request.decision_reason,
            "version": versions,
        },
    )
    return request


@audited
def request_withdraw(*, actor: User, request: RequestForDiscussion, seen_version: int | None) -> RequestForDiscussion:
    """The requester takes their request back before it is discussed."""
    request = locked(request)
    if request.requested_by_id != actor.pk:
        raise ValidationError({"withdraw": "Only the practitioner who made the request can withdraw it"})
    if not RequestForDiscussion.TRANSITIONS.allows(request.status, Status.WITHDRAWN):
        raise ValidationError({"withdraw": "This request has been discussed: it can no longer be withdrawn"})
    versions = version_move_on(request, seen=seen_version)
    before = request.status
    request.status, request.meeting, request.slot_order, request.ended_at = Status.WITHDRAWN, None, None, timezone.now()
    request.save(update_fields=["status", "meeting", "slot_order", "ended_at", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={"status": [before, request.status], "version": versions},
    )
    return request


@audited
def request_invite(
    *,
    actor: User,
    member: ForumMember,
    request: RequestForDiscussion,
    invited: list[ForumMember],
    seen_version: int | None,
) -> RequestForDiscussion:
    """The coordinators invite extended members to a case's discussion (EHF: part two is for
    core members "and other relevant members from the Extended Membership"); only the invited
    see the case. The list given replaces the one before."""
    request = locked(request)
    if not member.runs_the_forum or member.forum_id != request.forum_id:
        raise ValidationError({"invited": "Only the forum's coordinators and business support invite members"})
    if request.kind != RequestForDiscussion.Kind.CASE:
        raise ValidationError({"invited": "A community issue is in part one, open to every member"})
    wrong = [m for m in invited if m.forum_id != request.forum_id or m.kind != ForumMember.Kind.EXTENDED]
    if wrong:
        raise ValidationError({"invited": "Choose extended members of this forum"})
    versions = version_move_on(request, seen=seen_version)
    before = sorted(request.invited.values_list("user__full_name", flat=True))
    request.save(update_fields=["version"])
    request.invited.set(invited)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={"invited": [before, sorted(m.user.full_name for m in invited)], "version": versions},
    )
    return request
