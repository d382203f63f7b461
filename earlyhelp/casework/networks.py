"""Family network meetings: family group decision-making (issue 14).

- **The network** is what the record knows of the family: its adult members, and the people a
  relationship links to any member (a grandparent, an aunt, a family friend recorded as a
  significant adult), the genogram's people but for the children themselves. Friends the record
  does not hold are added by name.
- **Offered** to the family by whoever works the episode (one offer in hand at a time), with who
  is to be invited; the family **accepts** or **declines** (saying why, in their words); an
  accepted meeting is **held** with its independent coordinator, who came, whether the family had
  private time to plan on their own (the heart of family group decision-making), and **the
  family's own plan**, in their words, with a date to review it.
- Each step goes through `FamilyNetworkMeeting.TRANSITIONS` under the row locks, refused from a
  stale page (ADR 11). The offer is recorded whatever the answer: the Children's Wellbeing and
  Schools Act 2026 makes offering it a duty before care proceedings.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.models import Episode, EpisodeChild, FamilyNetworkMeeting
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.people.models import FamilyMembership, Person, Relationship

ONLY_THOSE_WHO_WORK_IT = "Only the family's coach, their team leader or the lead practitioner can"


def the_network(episode: Episode) -> list[Person]:
    """The family's network as the record knows it: two queries."""
    members = {
        membership.person_id: membership.person
        for membership in FamilyMembership.objects.filter(family_id=episode.family_id).select_related("person")
    }
    children = set(EpisodeChild.objects.filter(episode=episode).values_list("person_id", flat=True))
    related = Relationship.objects.filter(
        Q(from_person_id__in=list(members)) | Q(to_person_id__in=list(members))
    ).select_related("from_person", "to_person")
    people = dict(members)
    for relationship in related:
        people.setdefault(relationship.from_person_id, relationship.from_person)
        people.setdefault(relationship.to_person_id, relationship.to_person)
    network = [
        person
        for pk, person in people.items()
        if pk not in children and person.kind not in (Person.Kind.CHILD, Person.Kind.UNBORN)
    ]
    return sorted(network, key=lambda person: (person.last_name, person.first_name, person.pk))


def _locked_for_work(actor: User, episode: Episode, field_name: str) -> Episode:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({field_name: f"{ONLY_THOSE_WHO_WORK_IT} record this"})
    return episode


@dataclass(frozen=True)
class Offer:
    offered_on: date | None
    offered_to: str
    invited: list[int] = field(default_factory=list)
    others_invited: str = ""


@audited
def network_meeting_offer(*, actor: User, episode: Episode, offer: Offer) -> FamilyNetworkMeeting:
    episode = _locked_for_work(actor, episode, "offered_to")
    problems: dict[str, str] = {}
    if episode.status != Episode.Status.OPEN:
        problems["offered_to"] = "Allocate the family to a coach first"
    if FamilyNetworkMeeting.objects.filter(episode=episode, status__in=FamilyNetworkMeeting.IN_HAND).exists():
        problems["offered_to"] = "A family network meeting is already offered or being arranged"
    if not offer.offered_to.strip():
        problems["offered_to"] = "Say who in the family the meeting was offered to"
    if offer.offered_on is None:
        problems["offered_on"] = "Enter the date the meeting was offered"
    elif offer.offered_on > timezone.localdate():
        problems["offered_on"] = "The date it was offered must be today or in the past"
    network = {person.pk for person in the_network(episode)}
    if not set(offer.invited) <= network:
        problems["invited"] = "Choose only people in the family's network"
    if not offer.invited and not offer.others_invited.strip():
        problems["invited"] = "Choose who is to be invited, or name them"
    if problems:
        raise ValidationError(problems)
    assert offer.offered_on is not None
    meeting = FamilyNetworkMeeting.objects.create(
        episode=episode,
        offered_on=offer.offered_on,
        offered_by=actor,
        offered_to=offer.offered_to.strip(),
        others_invited=offer.others_invited.strip(),
    )
    meeting.invited.set(sorted(set(offer.invited)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=meeting,
        changes={
            "offered_to": meeting.offered_to,
            "invited": sorted(set(offer.invited)),
            "others": meeting.others_invited,
        },
    )
    return meeting


@dataclass(frozen=True)
class Answer:
    accepted: bool | None
    answered_on: date | None
    answered_by: str
    declined_because: str = ""


@audited
def network_meeting_answer(
    *, actor: User, meeting: FamilyNetworkMeeting, answer: Answer, seen_version: int | None
) -> FamilyNetworkMeeting:
    _locked_for_work(actor, meeting.episode, "accepted")
    meeting = locked(meeting)
    if meeting.status != FamilyNetworkMeeting.Status.OFFERED:
        raise ValidationError({"accepted": f"The family has already answered: {meeting.get_status_display().lower()}"})
    problems: dict[str, str] = {}
    if answer.accepted is None:
        problems["accepted"] = "Say whether the family accepted the meeting"
    elif not answer.accepted and not answer.declined_because.strip():
        problems["declined_because"] = "Say why the family declined, in their words"
    if not answer.answered_by.strip():
        problems["answered_by"] = "Say who in the family answered"
    if answer.answered_on is None:
        problems["answered_on"] = "Enter the date the family answered"
    elif answer.answered_on > timezone.localdate() or answer.answered_on < meeting.offered_on:
        problems["answered_on"] = f"The date must be from {meeting.offered_on:%-d %B %Y}, the offer, to today"
    if problems:
        raise ValidationError(problems)
    target = FamilyNetworkMeeting.Status.ACCEPTED if answer.accepted else FamilyNetworkMeeting.Status.DECLINED
    FamilyNetworkMeeting.TRANSITIONS.check(meeting.status, target, what="A family network meeting")
    versions = version_move_on(meeting, seen=seen_version)
    meeting.status, meeting.answered_on, meeting.answered_by = target, answer.answered_on, answer.answered_by.strip()
    meeting.declined_because = "" if answer.accepted else answer.declined_because.strip()
    meeting.save(update_fields=["status", "answered_on", "answered_by", "declined_because", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={"status": [FamilyNetworkMeeting.Status.OFFERED, target], "version": versions},
    )
    return meeting


@dataclass(frozen=True)
class Held:
    held_on: date | None
    coordinator: str
    who_came: str
    private_time: bool | None
    family_plan: str
    review_on: date | None


@audited
def network_meeting_hold(
    *, actor: User, meeting: FamilyNetworkMeeting, held: Held, seen_version: int | None
) -> FamilyNetworkMeeting:
    _locked_for_work(actor, meeting.episode, "held_on")
    meeting = locked(meeting)
    if meeting.status != FamilyNetworkMeeting.Status.ACCEPTED:
        raise ValidationError({"held_on": f"This meeting is {meeting.get_status_display().lower()}"})
    problems: dict[str, str] = {}
    if held.held_on is None:
        problems["held_on"] = "Enter the date of the meeting"
    elif held.held_on > timezone.localdate() or held.held_on < meeting.offered_on:
        problems["held_on"] = f"The date must be from {meeting.offered_on:%-d %B %Y}, the offer, to today"
    if not held.who_came.strip():
        problems["who_came"] = "Say who came: the family and their network"
    if held.private_time is None:
        problems["private_time"] = "Say whether the family had time on their own to make their plan"
    if not held.family_plan.strip():
        problems["family_plan"] = "Write the family's own plan, in their words"
    if held.review_on is not None and held.held_on is not None and held.review_on <= held.held_on:
        problems["review_on"] = "The review must be after the meeting"
    if problems:
        raise ValidationError(problems)
    FamilyNetworkMeeting.TRANSITIONS.check(
        meeting.status, FamilyNetworkMeeting.Status.HELD, what="A family network meeting"
    )
    versions = version_move_on(meeting, seen=seen_version)
    meeting.status = FamilyNetworkMeeting.Status.HELD
    meeting.held_on, meeting.coordinator, meeting.who_came = (
        held.held_on,
        held.coordinator.strip(),
        held.who_came.strip(),
    )
    meeting.private_time, meeting.family_plan, meeting.review_on = (
        held.private_time,
        held.family_plan.strip(),
        held.review_on,
    )
    meeting.save()
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=meeting,
        changes={
            "status": [FamilyNetworkMeeting.Status.ACCEPTED, meeting.status],
            "held_on": str(held.held_on),
            "family_plan": meeting.family_plan,
            "version": versions,
        },
    )
    return meeting
