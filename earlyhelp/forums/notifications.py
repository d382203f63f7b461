"""The forum's e-mails, sent by background tasks (ADR 30).

Children's details reach members only through the service: every e-mail carries a link to sign
in and at most a request's reference (FD000123), never a name, replacing the documents'
password-protected e-mail (EHF §5; ADR 30). Each task reads its rows afresh, so a task that runs
late or twice sends what is true then."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.casework.caseloads import users_granted
from earlyhelp.core.templatetags.govuk_dates import govuk_date
from earlyhelp.forums.agenda import agenda_of
from earlyhelp.forums.models import ForumMeeting, ForumMember, MarketPlaceEvent, RequestForDiscussion
from earlyhelp.organisations.roles import Permission

ACTOR_LABEL = "Forum cycle e-mail"


def _link(path: str) -> str:
    return str(settings.SERVICE_URL).rstrip("/") + path


def _members(meeting: ForumMeeting, *, runners_only: bool = False) -> list[str]:
    members = ForumMember.objects.filter(forum_id=meeting.forum_id, left_on__isnull=True, user__is_active=True)
    if runners_only:
        members = members.filter(kind__in=ForumMember.RUNS_THE_FORUM)
    return sorted(set(members.values_list("user__email", flat=True)))


def _send(meeting: ForumMeeting, *, subject: str, message: str, to: list[str], what: str) -> list[str]:
    if not to:
        return []
    send_mail(subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=to)
    with audited_writes():
        record_change(
            actor=None,
            actor_label=ACTOR_LABEL,
            verb=AuditEvent.Verb.UPDATED,
            target=meeting,
            changes={"e-mailed": what, "to": to},
        )
    return to


def _meeting(meeting_pk: int) -> ForumMeeting:
    meeting: ForumMeeting = ForumMeeting.objects.select_related("forum").get(pk=meeting_pk)
    return meeting


def _when(meeting: ForumMeeting) -> str:
    return f"{govuk_date(meeting.held_on)} at {meeting.starts_at:%H:%M}, {meeting.venue}"


@task()
def members_ask(*, meeting_pk: int) -> list[str]:
    """Week one: members are told of the next meeting and asked for cases and issues."""
    meeting = _meeting(meeting_pk)
    return _send(
        meeting,
        subject=f"{meeting.forum}: cases and issues for {govuk_date(meeting.held_on)}",
        message=(
            f"The next meeting of {meeting.forum} is on {_when(meeting)}.\n\n"
            f"Send the cases and community issues you would like discussed by {govuk_date(meeting.deadline_on)}: "
            f"{_link(reverse('forums:request-add', args=[meeting.forum_id]))}\n\n"
            "Without the family's consent a case is discussed anonymously: the form explains consent in the "
            "words to use with the family."
        ),
        to=_members(meeting),
        what="asked for cases and issues",
    )


@task()
def deadline_remind(*, meeting_pk: int) -> list[str]:
    """The deadline: the coordinators and business support review what has arrived."""
    meeting = _meeting(meeting_pk)
    waiting = RequestForDiscussion.objects.filter(
        forum_id=meeting.forum_id, status__in=RequestForDiscussion.WAITING
    ).count()
    return _send(
        meeting,
        subject=f"{meeting.forum}: {waiting} request(s) to review for {govuk_date(meeting.held_on)}",
        message=(
            f"Today is the deadline for {meeting.forum}'s meeting on {_when(meeting)}. {waiting} request(s) are "
            "waiting: accept, hold or redirect each, then confirm the agenda by "
            f"{govuk_date(meeting.agenda_on)}.\n\n{_link(reverse('forums:meeting', args=[meeting.pk]))}"
        ),
        to=_members(meeting, runners_only=True),
        what="deadline reached",
    )


@task()
def agenda_send(*, meeting_pk: int) -> list[str]:
    """Week three: the confirmed agenda, with its time slots, to every member and to each
    requester whose case is on it (by reference only)."""
    meeting = _meeting(meeting_pk)
    if meeting.agenda_sent_at is None:
        with audited_writes():
            locked_meeting = ForumMeeting.objects.select_for_update().get(pk=meeting.pk)
            if locked_meeting.agenda_sent_at is not None:
                return []
            locked_meeting.agenda_sent_at = timezone.now()
            locked_meeting.save(update_fields=["agenda_sent_at"])
            record_change(
                actor=None,
                actor_label=ACTOR_LABEL,
                verb=AuditEvent.Verb.UPDATED,
                target=locked_meeting,
                changes={"agenda": "sent"},
            )
    else:
        return []
    agenda = agenda_of(meeting)
    lines = [
        f"{meeting.starts_at:%H:%M}–{agenda.part_one_ends:%H:%M}  Part one: community issues and information sharing"
    ]
    lines += [
        f"{slot.starts:%H:%M}–{slot.ends:%H:%M}  Part two: {slot.request.reference}"
        + (" (actions reviewed)" if slot.follow_up else "")
        for slot in agenda.slots
    ]
    link = _link(reverse("forums:meeting", args=[meeting.pk]))
    sent = _send(
        meeting,
        subject=f"{meeting.forum}: the agenda for {govuk_date(meeting.held_on)}",
        message=(
            f"The agenda for {meeting.forum} on {_when(meeting)}:\n\n"
            + "\n".join(lines)
            + f"\n\nSign in to read the cases you may see: {link}\n"
            "Core members: please check your own case management systems for the children to be discussed."
        ),
        to=_members(meeting),
        what="agenda",
    )
    for slot in agenda.slots:
        request = slot.request
        if slot.follow_up or not request.requester_email:
            continue
        sent += _send(
            meeting,
            subject=f"{meeting.forum}: your request {request.reference} is on the agenda",
            message=(
                f"Your request {request.reference} will be discussed at {meeting.forum} on {_when(meeting)}, "
                f"from {slot.starts:%H:%M} to {slot.ends:%H:%M}. Please come to present it.\n\n{link}"
            ),
            to=[request.requester_email],
            what=f"slot for {request.reference}",
        )
    return sent


@task()
def decisions_remind(*, meeting_pk: int) -> list[str]:
    meeting = _meeting(meeting_pk)
    return _send(
        meeting,
        subject=f"{meeting.forum}: the decisions of {govuk_date(meeting.held_on)} are due",
        message=(
            f"The decisions and actions of {meeting.forum}'s meeting on {govuk_date(meeting.held_on)} are not yet "
            "recorded. They are due within "
            f"{meeting.forum.decisions_within_working_days} working days.\n\n"
            f"{_link(reverse('forums:meeting', args=[meeting.pk]))}"
        ),
        to=_members(meeting, runners_only=True),
        what="decisions overdue",
    )


@task()
def action_notes_send(*, meeting_pk: int) -> list[str]:
    meeting = _meeting(meeting_pk)
    return _send(
        meeting,
        subject=f"{meeting.forum}: action notes of {govuk_date(meeting.held_on)}",
        message=(
            f"The action notes of {meeting.forum}'s meeting on {govuk_date(meeting.held_on)} are ready. Sign in to "
            f"read the actions for the cases you may see: {_link(reverse('forums:meeting', args=[meeting.pk]))}"
        ),
        to=_members(meeting),
        what="action notes",
    )


@task()
def case_escalated(*, request_pk: int) -> list[str]:
    """Issues the forum cannot resolve go to the service managers (EHF "Governance")."""
    request = RequestForDiscussion.objects.select_related("forum").get(pk=request_pk)
    managers = sorted(
        users_granted(Permission.DECIDE_BEYOND_CAPACITY)
        .filter(authority_id=request.forum.authority_id)
        .values_list("email", flat=True)
    )
    if not managers:
        return []
    send_mail(
        subject=f"{request.forum} escalates {request.reference}",
        message=(
            f"{request.forum} could not resolve {request.reference} and escalates it to you.\n\n"
            f"{_link(reverse('forums:request', args=[request.pk]))}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=managers,
    )
    with audited_writes():
        record_change(
            actor=None,
            actor_label=ACTOR_LABEL,
            verb=AuditEvent.Verb.UPDATED,
            target=request,
            changes={"e-mailed": "escalated", "to": managers},
        )
    return managers


@task()
def market_place_announce(*, event_pk: int) -> list[str]:
    """Every member of the area's forums is told of its Market Place event."""
    event = MarketPlaceEvent.objects.select_related("area").get(pk=event_pk)
    to = sorted(
        set(
            ForumMember.objects.filter(
                forum__area_id=event.area_id, left_on__isnull=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not to:
        return []
    agencies = ", ".join(event.agencies.order_by("name").values_list("name", flat=True))
    send_mail(
        subject=f"Market Place, {event.area}: {govuk_date(event.held_on)}",
        message=(
            f"The {event.area} Market Place for forum partners is on {govuk_date(event.held_on)} at {event.venue}.\n\n"
            + (f"{event.details}\n\n" if event.details else "")
            + (f"Agencies attending: {agencies}.\n\n" if agencies else "")
            + f"{_link(reverse('forums:market-place'))}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=to,
    )
    return to
