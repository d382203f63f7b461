"""Running a meeting and following it up (EHF "The organisation of meetings" §4 c–h; T&P §4.2).

Before: the coordinators confirm the agenda (the cycle sends it). At the meeting: who came, and
for each case the discussion, the decisions and the actions (what, who, by when). After: the
decisions recorded within the forum's working days, the action notes sent within its days; each
action reviewed at later meetings until done; a case escalated to the service managers when the
forum cannot resolve it, or ended when its outcomes are met."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.configuration import working_time_of
from earlyhelp.casework.timescales import working_days_later
from earlyhelp.core.workflow import locked
from earlyhelp.forums import notifications
from earlyhelp.forums.agenda import agenda_of
from earlyhelp.forums.models import Attendance, Discussion, ForumAction, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.organisations.models import User

Status = RequestForDiscussion.Status
ONLY_THOSE_WHO_RUN_IT = "Only the forum's coordinators and business support can"


def _must_run(member: ForumMember, meeting: ForumMeeting, doing: str, field: str) -> None:
    if not member.runs_the_forum or member.forum_id != meeting.forum_id:
        raise ValidationError({field: f"{ONLY_THOSE_WHO_RUN_IT} {doing}"})


def decisions_due_on(meeting: ForumMeeting) -> date:
    """The decisions and actions are recorded within the forum's working days of the meeting."""
    hours = working_time_of(meeting.forum.authority)
    return working_days_later(meeting.held_on, meeting.forum.decisions_within_working_days, hours)


@audited
def agenda_confirm(*, actor: User, member: ForumMember, meeting: ForumMeeting) -> ForumMeeting:
    """The coordinators confirm the agenda; the cycle sends it on its day, or now if that has
    passed (EHF §4 d)."""
    meeting = locked(meeting)
    _must_run(member, meeting, "confirm the agenda", "agenda")
    if meeting.status != ForumMeeting.Status.SCHEDULED:
        raise ValidationError({"agenda": "The meeting has been held or cancelled"})
    if meeting.agenda_sent_at is not None:
        raise ValidationError({"agenda": "The agenda has already been sent"})
    meeting.agenda_confirmed_at = timezone.now()
    meeting.save(update_fields=["agenda_confirmed_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=meeting, changes={"agenda": "confirmed"})
    if timezone.localdate() >= meeting.agenda_on:
        transaction.on_commit(lambda: notifications.agenda_send.enqueue(meeting_pk=meeting.pk))
    return meeting


@dataclass(frozen=True)
class Attendee:
    name: str
    agency_name: str
    part: str
    member: ForumMember | None = None


@audited
def attendance_record(
    *, actor: User, member: ForumMember, meeting: ForumMeeting, attendees: list[Attendee]
) -> list[Attendance]:
    """Who came, by person and agency; recorded again in full when corrected."""
    meeting = locked(meeting)
    _must_run(member, meeting, "record who came", "attendance")
    if meeting.held_on > timezone.localdate():
        raise ValidationError({"attendance": "Record who came on or after the day of the meeting"})
    problems = {}
    for index, attendee in enumerate(attendees):
        if not attendee.name.strip():
            problems[f"name-{index}"] = "Enter the name of the person who came"
        if not attendee.agency_name.strip():
            problems[f"agency_name-{index}"] = "Enter their agency"
        if attendee.part not in Attendance.Part.values:
            problems[f"part-{index}"] = "Say which parts of the meeting they came to"
    if not attendees:
        problems["attendance"] = "Add at least one person who came"
    if problems:
        raise ValidationError(problems)
    for old in meeting.attendance.all():
        record_change(actor=actor, verb=AuditEvent.Verb.DELETED, target=old, changes={"name": old.name})
        old.delete()
    saved = []
    for attendee in attendees:
        row = Attendance.objects.create(
            meeting=meeting,
            member=attendee.member,
            name=attendee.name.strip(),
            agency_name=attendee.agency_name.strip(),
            part=attendee.part,
        )
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=row,
            changes={"name": row.name, "agency": row.agency_name, "part": row.part},
        )
        saved.append(row)
    return saved


@dataclass(frozen=True)
class ActionDetails:
    what: str
    owner_name: str
    owner_agency_name: str
    due_on: date | None


def _action_problems(actions: list[ActionDetails], *, held_on: date) -> dict[str, str]:
    problems = {}
    for index, action in enumerate(actions):
        if not action.what.strip():
            problems[f"what-{index}"] = "Say what is to be done"
        if not action.owner_name.strip():
            problems[f"owner_name-{index}"] = "Say who will do it"
        if action.due_on is None:
            problems[f"due_on-{index}"] = "Enter the date it is due"
        elif action.due_on < held_on:
            problems[f"due_on-{index}"] = "The date it is due must be on or after the meeting"
    return problems


def _discussion_problems(meeting: ForumMeeting, request: RequestForDiscussion) -> dict[str, str]:
    if request.forum_id != meeting.forum_id:
        return {"notes": "That request belongs to another forum"}
    if meeting.status == ForumMeeting.Status.CANCELLED:
        return {"notes": "The meeting was cancelled"}
    if meeting.held_on > timezone.localdate():
        return {"notes": "Record the discussion on or after the day of the meeting"}
    if request.status not in (Status.ACCEPTED, *RequestForDiscussion.FOLLOWED_UP):
        return {"notes": f"This request is {request.get_status_display().lower()}: it is not for discussion"}
    if request.status == Status.ACCEPTED and request.meeting_id != meeting.pk:
        return {"notes": "This request is on another meeting's agenda"}
    if Discussion.objects.filter(request=request, meeting=meeting).exists():
        return {"notes": "This discussion has already been recorded"}
    return {}


@audited
def discussion_record(
    *,
    actor: User,
    member: ForumMember,
    meeting: ForumMeeting,
    request: RequestForDiscussion,
    notes: str,
    decisions: str,
    actions: list[ActionDetails],
) -> Discussion:
    """A case or issue discussed: what was said, what was decided, the actions agreed."""
    meeting = locked(meeting)
    _must_run(member, meeting, "record a discussion", "notes")
    request = locked(request)
    problems = _action_problems(actions, held_on=meeting.held_on) | _discussion_problems(meeting, request)
    if not notes.strip():
        problems["notes"] = problems.get("notes") or "Record what was discussed"
    if not decisions.strip():
        problems["decisions"] = "Record what the forum decided"
    if problems:
        raise ValidationError(problems)
    discussion = Discussion.objects.create(
        request=request, meeting=meeting, notes=notes.strip(), decisions=decisions.strip(), recorded_by=actor
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=discussion,
        changes={"request": request.reference, "meeting": meeting.held_on.isoformat()},
    )
    for details in actions:
        assert details.due_on is not None
        action = ForumAction.objects.create(
            request=request,
            agreed_at=meeting,
            what=details.what.strip(),
            owner_name=details.owner_name.strip(),
            owner_agency_name=details.owner_agency_name.strip(),
            due_on=details.due_on,
        )
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=action,
            changes={"what": action.what, "owner": action.owner_name, "due_on": action.due_on.isoformat()},
        )
    if request.status == Status.ACCEPTED:
        versions = version_move_on(request, seen=None)
        request.status = Status.DISCUSSED
        request.save(update_fields=["status", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=request,
            changes={"status": [Status.ACCEPTED, Status.DISCUSSED], "version": versions},
        )
    if meeting.status == ForumMeeting.Status.SCHEDULED:
        _held(actor, meeting)
    return discussion


def _held(actor: User, meeting: ForumMeeting) -> None:
    ForumMeeting.TRANSITIONS.check(meeting.status, ForumMeeting.Status.HELD, what="The meeting")
    versions = version_move_on(meeting, seen=None)
    meeting.status = ForumMeeting.Status.HELD
    meeting.save(update_fields=["status", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={"status": [ForumMeeting.Status.SCHEDULED, ForumMeeting.Status.HELD], "version": versions},
    )


@audited
def decisions_recorded(
    *, actor: User, member: ForumMember, meeting: ForumMeeting, learning: str, seen_version: int | None
) -> ForumMeeting:
    """The coordinator says the meeting's decisions and actions are all recorded, with what the
    forum learned (EHF §4 g). Every new case and issue on the agenda must have its discussion."""
    meeting = locked(meeting)
    _must_run(member, meeting, "record the meeting's decisions", "learning")
    if meeting.status == ForumMeeting.Status.CANCELLED:
        raise ValidationError({"learning": "The meeting was cancelled"})
    if meeting.held_on > timezone.localdate():
        raise ValidationError({"learning": "The meeting has not happened yet"})
    agenda = agenda_of(meeting)
    discussed = set(Discussion.objects.filter(meeting=meeting).values_list("request_id", flat=True))
    # New cases and issues need their discussion; a case followed up may have only its actions reviewed.
    missing = [
        slot.request.reference for slot in agenda.slots if not slot.follow_up and slot.request.pk not in discussed
    ]
    missing += [issue.reference for issue in agenda.community_issues if issue.pk not in discussed]
    if missing:
        raise ValidationError({"learning": f"Record the discussion of {', '.join(missing)} first"})
    versions = version_move_on(meeting, seen=seen_version)
    if meeting.status == ForumMeeting.Status.SCHEDULED:
        meeting.status = ForumMeeting.Status.HELD
    meeting.learning = learning.strip()
    first_time = meeting.decisions_recorded_at is None
    if first_time:
        meeting.decisions_recorded_at = timezone.now()
    meeting.save(update_fields=["status", "learning", "decisions_recorded_at", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={"decisions": "recorded", "learning": meeting.learning, "version": versions},
    )
    return meeting


@audited
def action_notes_send(*, actor: User, member: ForumMember, meeting: ForumMeeting) -> ForumMeeting:
    """Business support circulates the action notes (EHF §4 h): members get a link, never the
    children's details by e-mail (ADR 30)."""
    meeting = locked(meeting)
    _must_run(member, meeting, "send the action notes", "action_notes")
    if meeting.decisions_recorded_at is None:
        raise ValidationError({"action_notes": "Record the meeting's decisions and actions first"})
    if meeting.action_notes_sent_at is not None:
        raise ValidationError({"action_notes": "The action notes have already been sent"})
    meeting.action_notes_sent_at = timezone.now()
    meeting.save(update_fields=["action_notes_sent_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=meeting, changes={"action_notes": "sent"})
    transaction.on_commit(lambda: notifications.action_notes_send.enqueue(meeting_pk=meeting.pk))
    return meeting


@audited
def action_review(
    *,
    actor: User,
    member: ForumMember,
    action: ForumAction,
    meeting: ForumMeeting,
    outcome: str,
    done_on: date | None,
    note: str,
    seen_version: int | None,
) -> ForumAction:
    """At a later meeting the forum checks an action: done (and when), or dropped (and why)."""
    action = locked(action)
    _must_run(member, meeting, "review an action", "outcome")
    problems = {}
    if meeting.forum_id != action.request.forum_id:
        problems["outcome"] = "That action belongs to another forum"
    elif outcome not in (ForumAction.Status.DONE, ForumAction.Status.NOT_DONE):
        problems["outcome"] = "Say whether the action was done"
    elif not ForumAction.TRANSITIONS.allows(action.status, outcome):
        problems["outcome"] = f"This action is already {action.get_status_display().lower()}"
    if outcome == ForumAction.Status.DONE:
        if done_on is None:
            problems["done_on"] = "Enter the date it was done"
        elif done_on > timezone.localdate():
            problems["done_on"] = "The date it was done must be today or in the past"
        elif done_on < action.agreed_at.held_on:
            problems["done_on"] = "The date it was done must be on or after the meeting that agreed it"
    elif outcome == ForumAction.Status.NOT_DONE and not note.strip():
        problems["note"] = "Say why the action was dropped"
    if problems:
        raise ValidationError(problems)
    versions = version_move_on(action, seen=seen_version)
    before = action.status
    action.status = outcome
    action.done_on = done_on if outcome == ForumAction.Status.DONE else None
    action.review_note, action.reviewed_at = note.strip(), meeting
    action.save(update_fields=["status", "done_on", "review_note", "reviewed_at", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=action,
        changes={"status": [before, outcome], "done_on": done_on.isoformat() if done_on else None, "version": versions},
    )
    return action


class Ending:
    ESCALATE = "escalate"
    OUTCOMES_MET = "outcomes_met"
    CLOSE = "close"
    TO = {ESCALATE: Status.ESCALATED, OUTCOMES_MET: Status.OUTCOMES_MET, CLOSE: Status.CLOSED}


@audited
def case_move_on(
    *,
    actor: User,
    member: ForumMember,
    request: RequestForDiscussion,
    ending: str,
    reason: str,
    seen_version: int | None,
) -> RequestForDiscussion:
    """After discussion: escalate what the forum cannot resolve to the service managers (EHF
    "Governance"), or end the case when its outcomes are met or nothing more is for the forum."""
    request = locked(request)
    if not member.runs_the_forum or member.forum_id != request.forum_id:
        raise ValidationError({"ending": f"{ONLY_THOSE_WHO_RUN_IT} move a case on"})
    to = Ending.TO.get(ending)
    problems = {}
    if to is None:
        problems["ending"] = "Choose what happens to the case"
    elif not RequestForDiscussion.TRANSITIONS.allows(request.status, to):
        problems["ending"] = f"This case is {request.get_status_display().lower()}: it cannot be moved on that way"
    if not reason.strip():
        problems["reason"] = "Say why" if ending != Ending.ESCALATE else "Say what the forum could not resolve"
    if problems:
        raise ValidationError(problems)
    assert to is not None
    versions = version_move_on(request, seen=seen_version)
    before = request.status
    request.status = to
    if to == Status.ESCALATED:
        request.escalated_at = timezone.now()
    else:
        request.ended_at = timezone.now()
    request.ending = reason.strip()
    request.save(update_fields=["status", "escalated_at", "ended_at", "ending", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=request,
        changes={"status": [before, to], "reason": request.ending, "version": versions},
    )
    if to == Status.ESCALATED:
        transaction.on_commit(lambda: notifications.case_escalated.enqueue(request_pk=request.pk))
    return request
