"""The monthly (or fortnightly) cycle of every forum, run by a background task (ADR 30).

Each step is an offset from the meeting's date (the forum's settings), so one code path serves a
monthly Early Help Forum and a fortnightly neighbourhood action meeting:

    asks_on       members are asked for cases and issues (monthly default: 4 weeks before)
    deadline_on   the deadline: the coordinators are told what is waiting (2 weeks before)
    agenda_on     the confirmed agenda, with its time slots, goes out (1 week before)
    held_on       the meeting
    +N working    the decisions and actions are due (3 working days); a reminder if not
    +N days       the action notes are due (a week), sent by business support

`cycle_advance` does whatever is due and not yet done, marking each step done under the
meeting's row lock before its e-mail is queued: run it twice, or from two workers, and each
step still happens once. The task `forum_cycle` runs it every hour and queues itself again; it
also keeps every forum's dates a year ahead and takes in the front door's "discuss at a meeting"
contacts."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.forums import notifications
from earlyhelp.forums.models import Forum, ForumMeeting, RequestForDiscussion
from earlyhelp.forums.requesting import request_from_front_door
from earlyhelp.forums.running import decisions_due_on
from earlyhelp.forums.scheduling import meetings_set_for_every_forum
from earlyhelp.frontdoor.models import Contact, TriageDecision

CYCLE_EVERY = timedelta(hours=1)
# Meetings further back than this are not looked at by the cycle: their steps are long done.
LOOK_BACK = timedelta(days=31)


@dataclass
class Done:
    steps: list[str] = field(default_factory=list)

    def add(self, meeting: ForumMeeting, step: str) -> None:
        self.steps.append(f"{meeting.forum.name} {meeting.held_on.isoformat()}: {step}")


def _mark(meeting: ForumMeeting, field_name: str, now: datetime) -> bool:
    """Set the step's time under the row lock, once; False when another run got there first."""
    locked = ForumMeeting.objects.select_for_update().get(pk=meeting.pk)
    if getattr(locked, field_name) is not None or locked.status == ForumMeeting.Status.CANCELLED:
        return False
    setattr(locked, field_name, now)
    locked.save(update_fields=[field_name])
    record_change(
        actor=None,
        actor_label="Forum cycle",
        verb=AuditEvent.Verb.UPDATED,
        target=locked,
        changes={field_name: now.isoformat()},
    )
    return True


def _before(meeting: ForumMeeting, now: datetime, done: Done) -> None:
    today = timezone.localdate(now)
    if meeting.status != ForumMeeting.Status.SCHEDULED or today > meeting.held_on:
        return
    # Asking for cases after their deadline would only confuse: a meeting set up late skips it.
    if meeting.asks_on <= today < meeting.deadline_on and _mark(meeting, "members_asked_at", now):
        transaction.on_commit(lambda: notifications.members_ask.enqueue(meeting_pk=meeting.pk))
        done.add(meeting, "members asked")
    if meeting.deadline_on <= today < meeting.held_on and _mark(meeting, "deadline_reminded_at", now):
        transaction.on_commit(lambda: notifications.deadline_remind.enqueue(meeting_pk=meeting.pk))
        done.add(meeting, "deadline reached")
    if meeting.agenda_on <= today and meeting.agenda_confirmed_at and meeting.agenda_sent_at is None:
        transaction.on_commit(lambda: notifications.agenda_send.enqueue(meeting_pk=meeting.pk))
        done.add(meeting, "agenda sent")


def _after(meeting: ForumMeeting, now: datetime, done: Done) -> None:
    today = timezone.localdate(now)
    if meeting.status == ForumMeeting.Status.CANCELLED or meeting.decisions_recorded_at is not None:
        return
    if today > decisions_due_on(meeting) and _mark(meeting, "decisions_reminded_at", now):
        transaction.on_commit(lambda: notifications.decisions_remind.enqueue(meeting_pk=meeting.pk))
        done.add(meeting, "decisions overdue")


def front_door_contacts_take_in() -> list[RequestForDiscussion]:
    """Contacts the front door decided to discuss at a meeting, not yet a request: each goes to
    the forum of the area the front door chose (the first by name when an area has two), named
    or anonymous as it decided."""
    taken = RequestForDiscussion.objects.filter(contact=OuterRef("pk"))
    waiting = (
        Contact.objects.filter(status=Contact.Status.AWAITING_MEETING).exclude(Exists(taken)).order_by("received_at")
    )
    made = []
    for contact in waiting:
        decision = (
            TriageDecision.objects.filter(contact=contact, outcome=TriageDecision.Outcome.SCHEDULE)
            .order_by("-pk")
            .first()
        )
        if decision is None or decision.meeting_area_id is None:
            continue
        forum = Forum.objects.filter(area_id=decision.meeting_area_id).order_by("name").first()
        if forum is not None:
            made.append(request_from_front_door(contact=contact, forum=forum, anonymously=decision.discuss_anonymously))
    return made


def cycle_advance(*, now: datetime) -> list[str]:
    """Do every step of every forum's cycle that is due at `now` and not yet done."""
    today = timezone.localdate(now)
    done = Done()
    meetings_set_for_every_forum(today=today)
    with audited_writes():
        for made in front_door_contacts_take_in():
            done.steps.append(f"{made.forum.name}: {made.reference} from the front door")
    longest_ask = max(Forum.objects.values_list("ask_days_before", flat=True), default=0)
    meetings = ForumMeeting.objects.filter(
        held_on__gte=today - LOOK_BACK, held_on__lte=today + timedelta(days=longest_ask)
    ).select_related("forum", "forum__authority")
    for meeting in meetings:
        with audited_writes():
            _before(meeting, now, done)
            _after(meeting, now, done)
    return done.steps


FORUM_CYCLE_PATH = "earlyhelp.forums.cycle.forum_cycle"


def cycle_start() -> bool:
    """Queue the hourly cycle unless it is already queued (make run and the deploy call this)."""
    if DBTaskResult.objects.filter(task_path=FORUM_CYCLE_PATH, status=TaskResultStatus.READY).exists():
        return False
    forum_cycle.enqueue()
    return True


@task()
def forum_cycle() -> list[str]:
    steps = cycle_advance(now=timezone.now())
    if not DBTaskResult.objects.filter(task_path=FORUM_CYCLE_PATH, status=TaskResultStatus.READY).exists():
        forum_cycle.using(run_after=timezone.now() + CYCLE_EVERY).enqueue()
    return steps
