"""Each area's annual Market Place event for forum partners (EHF purpose 10): set by the area's
forum coordinators, announced to every member of the area's forums by a background task."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.forums import notifications
from earlyhelp.forums.models import ForumMember, MarketPlaceEvent
from earlyhelp.organisations.models import Agency, Area, User


def areas_run_by(user: User) -> list[Area]:
    """The areas whose forums the user runs."""
    members = ForumMember.objects.filter(
        user=user, left_on__isnull=True, kind__in=ForumMember.RUNS_THE_FORUM
    ).select_related("forum__area")
    return sorted({member.forum.area for member in members}, key=lambda area: area.name)


@dataclass(frozen=True)
class EventDetails:
    area: Area | None
    held_on: date | None
    venue: str
    details: str = ""
    agencies: list[Agency] = field(default_factory=list)


@audited
def market_place_add(*, actor: User, details: EventDetails) -> MarketPlaceEvent:
    problems = {}
    if details.area is None or details.area not in areas_run_by(actor):
        problems["area"] = "Choose an area whose forum you coordinate"
    if details.held_on is None:
        problems["held_on"] = "Enter the date of the event"
    elif details.held_on < timezone.localdate():
        problems["held_on"] = "The date of the event must be today or later"
    if not details.venue.strip():
        problems["venue"] = "Enter where the event will be held"
    if problems:
        raise ValidationError(problems)
    assert details.area is not None
    assert details.held_on is not None
    event = MarketPlaceEvent.objects.create(
        authority_id=actor.authority_id,
        area=details.area,
        held_on=details.held_on,
        venue=details.venue.strip(),
        details=details.details.strip(),
    )
    event.agencies.set(details.agencies)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=event,
        changes={"area": details.area.name, "held_on": details.held_on.isoformat(), "venue": event.venue},
    )
    return event


@audited
def market_place_announce(*, actor: User, event: MarketPlaceEvent) -> MarketPlaceEvent:
    event = MarketPlaceEvent.objects.select_for_update().get(pk=event.pk)
    if event.area not in areas_run_by(actor):
        raise ValidationError({"announce": "Only the area's forum coordinators announce its Market Place"})
    if event.announced_at is not None:
        raise ValidationError({"announce": "This event has already been announced"})
    event.announced_at = timezone.now()
    event.save(update_fields=["announced_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=event, changes={"announced": True})
    transaction.on_commit(lambda: notifications.market_place_announce.enqueue(event_pk=event.pk))
    return event
