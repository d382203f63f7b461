"""The chronology of significant events (FF §17): built from the record, never typed twice.

Every contact about the family, every decision on a child's level of need and at the front door,
every allocation and change of who holds the case, each visit, assessment, meeting, change to the
plan and closure, and the entries added by hand with their significance (`ChronologyEntry`).

- **The family's chronology** holds every event; **a child's** holds the events about that child
  and those about the whole family (an allocation, a meeting).
- The authority's staff read the family's whole history: every contact and every episode. A
  partner practitioner who leads an episode reads that episode's events only (they lead it; the
  rest of the family's history is not theirs to see: ADR 28).
- One query for each kind of record, whatever the family's history: the page makes the same
  number of queries for a family known for a week and for ten years.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    Episode,
    LeadPractitionerChange,
    LegalBasisChange,
    Meeting,
    PlanAction,
)
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision
from earlyhelp.organisations.models import User
from earlyhelp.people.models import Family, FamilyMembership, Person
from earlyhelp.records.models import AgencyReferral, ChronologyEntry
from earlyhelp.thresholds.models import LevelOfNeedDecision


class Kind(models.TextChoices):
    CONTACT = "contact", "Contacts and referrals"
    DECISION = "decision", "Decisions: the front door's and the level of need"
    ALLOCATION = "allocation", "Allocation and who holds the case"
    VISIT = "visit", "Visits and contacts with the family"
    ASSESSMENT = "assessment", "Assessments"
    MEETING = "meeting", "Team Around the Family meetings"
    PLAN = "plan", "Changes to the plan"
    REFERRAL = "referral", "Referrals to other agencies"
    CLOSURE = "closure", "Closure"
    ADDED = "added", "Added by a practitioner"


@dataclass(frozen=True)
class Event:
    """One significant event. `at` is its moment where the record keeps one; an entry added by
    hand keeps its day only. `children` are the people it is about: none, the whole family."""

    day: date
    kind: Kind
    title: str
    at: datetime | None = None
    detail: str = ""
    by: str = ""
    children: frozenset[int] = frozenset()
    significance: str = ""
    source: str = ""
    episode: str = ""

    @property
    def sort_key(self) -> tuple[date, int, datetime | None]:
        # An event with only its day comes first on that day, in the order it was added.
        return (self.day, 0 if self.at is None else 1, self.at)

    def is_about(self, child: int) -> bool:
        return not self.children or child in self.children


def _event(at: datetime, kind: Kind, title: str, **more: object) -> Event:
    return Event(day=timezone.localdate(at), at=at, kind=kind, title=title, **more)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see: one child, some kinds of event, a period. Empty: everything."""

    child: int | None = None
    kinds: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None

    def keeps(self, event: Event) -> bool:
        if self.child is not None and not event.is_about(self.child):
            return False
        if self.kinds and event.kind not in self.kinds:
            return False
        if self.since is not None and event.day < self.since:
            return False
        return self.until is None or event.day <= self.until


@dataclass
class Chronology:
    family: Family
    events: list[Event]
    # The family's children, for choosing one: (person id, name), oldest first.
    children: list[tuple[int, str]]
    # The family's members: the chronology names them, so reading it reads their records.
    people: list[Person] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    whole_history: bool = True

    def shown(self, filters: Filters) -> list[Event]:
        return [event for event in self.events if filters.keeps(event)]

    def child_name(self, child: int | None) -> str:
        return dict(self.children).get(child or 0, "")


def family_chronology(family: Family, *, episodes: Iterable[Episode], whole_history: bool) -> Chronology:
    """The chronology of `family`. `whole_history` is for the authority's staff: every contact
    and every episode of the family; otherwise the events of `episodes` only."""
    listed = list(episodes)
    members = list(
        FamilyMembership.objects.filter(family=family)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    )
    people = {membership.person_id: membership.person for membership in members}
    children = [
        (membership.person_id, membership.person.full_name)
        for membership in members
        if membership.role == FamilyMembership.Role.CHILD
    ]
    if whole_history:
        listed = list(Episode.objects.filter(family=family).order_by("opened_at", "pk"))
    events: list[Event] = []
    users: set[int | None] = set()
    if whole_history:
        events += _front_door(family, people, users)
    events += _episodes(listed, users)
    events += _added(family, listed, whole_history=whole_history, users=users)
    names = dict(User.objects.filter(pk__in=[user for user in users if user]).values_list("pk", "full_name"))
    events = [_named(event, names) for event in events]
    events.sort(key=lambda event: event.sort_key)
    return Chronology(
        family=family,
        events=events,
        children=children,
        people=list(people.values()),
        names=names,
        whole_history=whole_history,
    )


# A user named by an event (who recorded it; at the end of its title, whom it allocated) is their
# id until every name is read, in one query.
_USER = "user:"


def _by_user(user_id: int | None, users: set[int | None]) -> str:
    users.add(user_id)
    return f"{_USER}{user_id}" if user_id else ""


def _named(event: Event, names: dict[int, str]) -> Event:
    """`event` with the users it names by id named by their names."""
    by, title = event.by, event.title
    if by.startswith(_USER):
        by = names.get(int(by.removeprefix(_USER)), "")
    if _USER in title:
        start = title.index(_USER)
        title = title[:start] + names.get(int(title[start + len(_USER) :]), "")
    return Event(**{**event.__dict__, "by": by, "title": title})


def _front_door(family: Family, people: dict[int, Person], users: set[int | None]) -> list[Event]:
    about_them = Q(family=family) | Q(people__person_id__in=list(people))
    contacts = list(Contact.objects.filter(about_them).distinct().select_related("referrer_agency").order_by("pk"))
    contact_ids = [contact.pk for contact in contacts]
    named: dict[int, set[int]] = {}
    for contact_id, person_id in ContactPerson.objects.filter(
        contact_id__in=contact_ids, person_id__in=list(people), role__in=ContactPerson.CHILD_ROLES
    ).values_list("contact_id", "person_id"):
        named.setdefault(contact_id, set()).add(person_id)
    events = []
    for contact in contacts:
        agency = f", {contact.referrer_agency}" if contact.referrer_agency else ""
        events.append(
            _event(
                contact.received_at,
                Kind.CONTACT,
                f"Contact received: {contact.get_source_display().lower()}",
                detail=contact.reason,
                by=f"{contact.referrer_name}{agency}",
                children=frozenset(named.get(contact.pk, ())),
                source=contact.reference,
            )
        )
    about: dict[int, frozenset[int]] = {contact.pk: frozenset(named.get(contact.pk, ())) for contact in contacts}
    references = {contact.pk: contact.reference for contact in contacts}
    for decision in TriageDecision.objects.filter(contact_id__in=contact_ids).order_by("pk"):
        events.append(
            _event(
                decision.decided_at,
                Kind.DECISION,
                f"Front door decision: {decision.get_outcome_display().lower()}",
                detail=decision.reasons,
                by=_by_user(decision.decided_by_id, users),
                children=about[decision.contact_id],
                source=references[decision.contact_id],
            )
        )
    for level in LevelOfNeedDecision.objects.filter(person_id__in=list(people)).select_related("framework_version"):
        events.append(
            _event(
                level.decided_at,
                Kind.DECISION,
                f"Level of need for {people[level.person_id].full_name}: level {level.level} ({level.level_name})",
                detail=level.override_reason,
                by=_by_user(level.decided_by_id, users),
                children=frozenset({level.person_id}),
            )
        )
    return events


def _episodes(episodes: list[Episode], users: set[int | None]) -> list[Event]:
    ids = [episode.pk for episode in episodes]
    reference = {episode.pk: episode.reference for episode in episodes}
    events = []
    for episode in episodes:
        events.append(
            _event(episode.opened_at, Kind.ALLOCATION, f"Case opened: {episode.team}", episode=episode.reference)
        )
        if episode.closed_at is not None:
            events.append(
                _event(
                    episode.closed_at,
                    Kind.CLOSURE,
                    f"Case closed: {episode.get_end_reason_display().lower()}",
                    detail=episode.closure_summary,
                    by=_by_user(episode.closed_by_id, users),
                    episode=episode.reference,
                )
            )
    for allocation in Allocation.objects.filter(episode_id__in=ids).order_by("pk"):
        users.add(allocation.coach_id)
        events.append(
            _event(
                allocation.allocated_at,
                Kind.ALLOCATION,
                f"Allocated to {_USER}{allocation.coach_id}",
                detail=allocation.note,
                by=_by_user(allocation.allocated_by_id, users),
                episode=reference[allocation.episode_id],
            )
        )
    for change in LeadPractitionerChange.objects.filter(episode_id__in=ids).order_by("pk"):
        users.add(change.after_id)
        events.append(
            _event(
                change.recorded_at,
                Kind.ALLOCATION,
                f"New lead practitioner: {_USER}{change.after_id}",
                detail=change.handover,
                by=_by_user(change.recorded_by_id, users),
                episode=reference[change.episode_id],
            )
        )
    for basis in LegalBasisChange.objects.filter(episode_id__in=ids).order_by("pk"):
        events.append(
            _event(
                basis.changed_at,
                Kind.ALLOCATION,
                f"Legal basis: {basis.get_after_display().lower()}",
                detail=basis.reason,
                by=_by_user(basis.changed_by_id, users),
                episode=reference[basis.episode_id],
            )
        )
    events += _work(ids, reference, users)
    events += _referrals(ids, reference, users)
    return events


def _referrals(ids: list[int], reference: dict[int, str], users: set[int | None]) -> list[Event]:
    referrals = AgencyReferral.objects.filter(episode_id__in=ids)
    about: dict[int, set[int]] = {}
    for referral_id, person_id in AgencyReferral.children.through.objects.filter(
        agencyreferral__in=referrals
    ).values_list("agencyreferral_id", "person_id"):
        about.setdefault(referral_id, set()).add(person_id)
    events = []
    for referral in referrals.order_by("pk"):
        children = frozenset(about.get(referral.pk, ()))
        events.append(
            Event(
                day=referral.made_on,
                kind=Kind.REFERRAL,
                title=f"Referred to {referral.agency_name}: {referral.service}",
                detail=referral.reason,
                by=_by_user(referral.made_by_id, users),
                children=children,
                episode=reference[referral.episode_id],
            )
        )
        if referral.outcome_on is not None:
            events.append(
                Event(
                    day=referral.outcome_on,
                    kind=Kind.REFERRAL,
                    title=f"Referral to {referral.agency_name}: {referral.get_outcome_display().lower()}",
                    detail=referral.outcome_details,
                    children=children,
                    episode=reference[referral.episode_id],
                )
            )
    return events


def _work(ids: list[int], reference: dict[int, str], users: set[int | None]) -> list[Event]:
    events = []
    for note in CaseNote.objects.filter(episode_id__in=ids).order_by("pk"):
        title = note.get_kind_display() + (" (first visit)" if note.is_first_visit else "")
        events.append(
            _event(
                note.happened_at,
                Kind.VISIT,
                title + ("" if note.successful else ": nobody seen"),
                detail=note.note or "Case note not written yet",
                by=_by_user(note.recorded_by_id, users),
                episode=reference[note.episode_id],
            )
        )
    for assessment in Assessment.objects.filter(episode_id__in=ids, authorised_at__isnull=False).select_related(
        "template"
    ):
        assert assessment.authorised_at is not None
        events.append(
            _event(
                assessment.authorised_at,
                Kind.ASSESSMENT,
                f"{assessment.template.title} authorised",
                by=_by_user(assessment.authorised_by_id, users),
                episode=reference[assessment.episode_id],
            )
        )
    for meeting in Meeting.objects.filter(episode_id__in=ids).order_by("pk"):
        events.append(
            _event(
                meeting.held_at,
                Kind.MEETING,
                meeting.get_kind_display(),
                detail=meeting.minutes,
                by=_by_user(meeting.recorded_by_id, users),
                episode=reference[meeting.episode_id],
            )
        )
    for action in PlanAction.objects.filter(episode_id__in=ids).order_by("pk"):
        events.append(
            _event(
                action.added_at,
                Kind.PLAN,
                "Added to the plan",
                detail=f"{action.what} ({action.who}, by {action.by_when:%-d %B %Y})",
                by=_by_user(action.added_by_id, users),
                episode=reference[action.episode_id],
            )
        )
        if action.completed_on is not None and action.status == PlanAction.Status.DONE:
            events.append(
                Event(
                    day=action.completed_on,
                    kind=Kind.PLAN,
                    title="Plan action done",
                    detail=action.what,
                    episode=reference[action.episode_id],
                )
            )
    return events


def _added(family: Family, episodes: list[Episode], *, whole_history: bool, users: set[int | None]) -> list[Event]:
    entries = ChronologyEntry.objects.filter(family=family)
    if not whole_history:
        entries = entries.filter(episode_id__in=[episode.pk for episode in episodes])
    listed = list(entries.select_related("episode").order_by("happened_on", "pk"))
    about: dict[int, set[int]] = {}
    # Read through the entries' own filter, not their ids: a query even when there are none, so
    # that the page's count of queries stays the same as entries are added.
    for entry_id, person_id in ChronologyEntry.children.through.objects.filter(chronologyentry__in=entries).values_list(
        "chronologyentry_id", "person_id"
    ):
        about.setdefault(entry_id, set()).add(person_id)
    return [
        Event(
            day=entry.happened_on,
            kind=Kind.ADDED,
            title="Added to the chronology",
            detail=entry.what,
            by=_by_user(entry.recorded_by_id, users),
            children=frozenset(about.get(entry.pk, ())),
            significance=entry.significance,
            source=entry.source,
            episode=entry.episode.reference if entry.episode else "",
        )
        for entry in listed
    ]
