"""Read queries for the front door: the triage queue, a contact's page and the lists that follow
a decision. Each runs in a fixed number of queries, however many contacts there are."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from earlyhelp.core.compiled import Compiled
from earlyhelp.frontdoor.clock import ClockBoundaries, ClockRules, DecisionClock, Rag, clock_boundaries, decision_clock
from earlyhelp.frontdoor.models import Contact, ContactPerson, TriageDecision
from earlyhelp.organisations.models import Team, User
from earlyhelp.people.selectors import LikelyMatch, ProposedPerson, likely_matches_each


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
    clock: DecisionClock
    children: list[ContactPerson]
    awaiting_confirmation: bool


def _with_people(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return contacts.select_related("referrer_agency", "area", "authority").prefetch_related(
        Prefetch("people", queryset=ContactPerson.objects.order_by("pk")), "needs"
    )


# The queue shows this many contacts a page: a front door a few days behind has hundreds open,
# and the oldest are the ones to decide first.
QUEUE_PAGE_SIZE = 25


@dataclass(frozen=True)
class OpenContactCounts:
    by_clock: dict[Rag, int]
    awaiting_confirmation: int


def open_contact_counts(contacts: QuerySet[Contact], boundaries: ClockBoundaries) -> OpenContactCounts:
    """Open contacts counted by their clock's colour, in one query: by arrival time against the
    moments the colours change, rather than each contact's clock worked out in turn."""
    waiting = Q(immediate_danger=False)
    overdue = waiting & Q(received_at__lte=boundaries.overdue_if_received_by)
    due_soon = (
        waiting
        & Q(received_at__gt=boundaries.overdue_if_received_by)
        & Q(received_at__lte=boundaries.due_soon_if_received_by)
    )
    on_time = waiting & Q(received_at__gt=boundaries.due_soon_if_received_by)
    counted = contacts.aggregate(
        immediate=Count("pk", filter=Q(immediate_danger=True)),
        red=Count("pk", filter=overdue),
        amber=Count("pk", filter=due_soon),
        green=Count("pk", filter=on_time),
        awaiting_confirmation=Count("pk", filter=Q(status=Contact.Status.AWAITING_CONFIRMATION)),
    )
    return OpenContactCounts(
        by_clock={
            Rag.IMMEDIATE: counted["immediate"],
            Rag.RED: counted["red"],
            Rag.AMBER: counted["amber"],
            Rag.GREEN: counted["green"],
        },
        awaiting_confirmation=counted["awaiting_confirmation"],
    )


@dataclass(frozen=True)
class TriageQueue:
    rows: list[QueueRow]
    """This page's contacts, with their people."""
    counts: dict[Rag, int]
    """Every open contact by its clock, not only this page's."""
    page: Page[Any]


# The queue's page of open contacts (most urgent first) and their children: built once
# (core/compiled.py), a page at a time.
_QUEUE_PAGE: "Compiled[Contact]" = Compiled(
    lambda authority, offset, size: (
        Contact.objects.filter(authority_id=authority, status__in=Contact.OPEN_STATUSES)
        .order_by("-immediate_danger", "received_at", "pk")
        .select_related("referrer_agency")[offset : offset + size]
    ),
    shapes=("offset", "size"),
)
_CHILDREN_OF: "Compiled[ContactPerson]" = Compiled(
    lambda contacts: ContactPerson.objects.filter(contact_id__in=contacts, role__in=ContactPerson.CHILD_ROLES).order_by(
        "pk"
    ),
    lists=("contacts",),
)


def triage_queue(*, authority_id: int, now: datetime, rules: ClockRules, page: str | int = 1) -> TriageQueue:
    """The authority's open contacts, oldest first; any with an "immediate danger" answer above
    the rest.

    Three queries, however many are open: the counts by clock, the page shown, and its
    children; only the page's contacts have their clocks worked out."""
    open_contacts = Contact.objects.filter(authority_id=authority_id, status__in=Contact.OPEN_STATUSES)
    counts = open_contact_counts(open_contacts, clock_boundaries(now, rules)).by_clock
    # The page shown, checked against the count (a page past the end shows the last), then read
    # with each contact's children and referrer's agency: nothing else is fetched.
    shown: Page[Any] = Paginator(range(sum(counts.values())), QUEUE_PAGE_SIZE).get_page(page)
    contacts = _QUEUE_PAGE.list(
        authority=authority_id, offset=(shown.number - 1) * QUEUE_PAGE_SIZE, size=QUEUE_PAGE_SIZE
    )
    children: dict[int, list[ContactPerson]] = {}
    for child in _CHILDREN_OF.list(contacts=[contact.pk for contact in contacts]):
        children.setdefault(child.contact_id, []).append(child)
    rows = [
        QueueRow(
            contact=contact,
            clock=decision_clock(contact.received_at, now, immediate_danger=contact.immediate_danger, rules=rules),
            children=children.get(contact.pk, []),
            awaiting_confirmation=contact.status == Contact.Status.AWAITING_CONFIRMATION,
        )
        for contact in contacts
    ]
    shown.object_list = contacts
    return TriageQueue(rows=rows, counts=counts, page=shown)


@dataclass(frozen=True)
class PersonOnContact:
    entry: ContactPerson
    matches: list[LikelyMatch]


def contact_people(*, user: User, contact: Contact) -> list[PersonOnContact]:
    """The people on a contact, each with the records that may be them (while not yet matched):
    two queries, however many people the referral names."""
    entries = _PEOPLE_OF.list(contact=contact.pk)
    unmatched = [entry for entry in entries if entry.person_id is None]
    found = likely_matches_each(user=user, proposed=[proposed_from(entry) for entry in unmatched])
    matches = {entry.pk: entry_matches for entry, entry_matches in zip(unmatched, found, strict=True)}
    return [PersonOnContact(entry=entry, matches=matches.get(entry.pk, [])) for entry in entries]


def proposed_from(entry: ContactPerson) -> ProposedPerson:
    return ProposedPerson(
        first_name=entry.first_name,
        last_name=entry.last_name,
        date_of_birth=entry.date_of_birth or entry.expected_date_of_delivery,
        postcode=entry.postcode,
        nhs_number=entry.nhs_number,
        upn=entry.upn,
    )


# A contact's decisions and people, read on every contact page: built once (core/compiled.py).
_DECISIONS_OF: "Compiled[TriageDecision]" = Compiled(
    lambda contact: (
        TriageDecision.objects.filter(contact_id=contact)
        .select_related("service", "team", "meeting_area", "decided_by", "confirmed_by", "returned_by")
        .order_by("-decided_at", "-pk")
    )
)
_PEOPLE_OF: "Compiled[ContactPerson]" = Compiled(
    lambda contact: ContactPerson.objects.filter(contact_id=contact).select_related("person").order_by("pk")
)


def decisions_for(contact: Contact) -> list[TriageDecision]:
    return _DECISIONS_OF.list(contact=contact.pk)


def latest_decision(contact: Contact) -> TriageDecision | None:
    return contact.decisions.select_related("service", "team", "meeting_area").first()


def awaiting_confirmation(*, contacts: QuerySet[Contact]) -> list[TriageDecision]:
    return list(
        TriageDecision.objects.filter(
            contact__in=contacts,
            needs_confirmation=True,
            confirmed_at__isnull=True,
            returned_at__isnull=True,
        )
        .select_related("contact", "service", "decided_by")
        .order_by("decided_at")
    )


def _final_decisions(outcome: TriageDecision.Outcome) -> Prefetch[Any]:
    return Prefetch(
        "decisions",
        queryset=TriageDecision.objects.filter(outcome=outcome, returned_at__isnull=True).select_related(
            "team", "meeting_area", "decided_by"
        ),
        to_attr="final_decisions",
    )


def awaiting_meeting(*, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return (
        _with_people(contacts.filter(status=Contact.Status.AWAITING_MEETING))
        .select_related("family", "level_of_need")
        .prefetch_related(_final_decisions(TriageDecision.Outcome.SCHEDULE))
        .order_by("decided_at", "pk")
    )


@dataclass(frozen=True)
class MeetingRow:
    """A family awaiting a meeting; an anonymous one is described without anything that names it."""

    contact: Contact
    decision: TriageDecision | None
    children: list[str]

    @property
    def anonymous(self) -> bool:
        return self.decision is None or self.decision.discuss_anonymously


def _child_described(entry: ContactPerson, today: date, *, anonymous: bool) -> str:
    if not anonymous:
        return entry.full_name
    age = entry.age_on(today)
    if age is None:
        return "An unborn baby" if entry.role == ContactPerson.Role.UNBORN else "A child of unknown age"
    return f"A child aged {age}"


def awaiting_meeting_rows(*, contacts: QuerySet[Contact], today: date) -> list[MeetingRow]:
    rows = []
    for contact in awaiting_meeting(contacts=contacts):
        decisions: list[TriageDecision] = getattr(contact, "final_decisions", [])
        decision = decisions[0] if decisions else None
        anonymous = decision is None or decision.discuss_anonymously
        children = [
            _child_described(entry, today, anonymous=anonymous) for entry in contact.people.all() if entry.is_child
        ]
        rows.append(MeetingRow(contact=contact, decision=decision, children=children))
    return rows


def team_new_referrals(*, team: Team) -> QuerySet[Contact]:
    """Families allocated to a team, awaiting a coach (casework will take them from here)."""
    return (
        _with_people(
            Contact.objects.filter(
                status=Contact.Status.ALLOCATED,
                decisions__team=team,
                decisions__outcome=TriageDecision.Outcome.ALLOCATE,
                decisions__returned_at__isnull=True,
            )
        )
        .select_related("family", "level_of_need")
        .prefetch_related(_final_decisions(TriageDecision.Outcome.ALLOCATE))
        .distinct()
        .order_by("decided_at", "pk")
    )


def _outcomes() -> Prefetch[Any]:
    """Each contact's decision as told to the referrer: final (not returned, and confirmed where
    a team leader had to confirm it), as `outcomes`."""
    return Prefetch(
        "decisions",
        queryset=TriageDecision.objects.filter(returned_at__isnull=True)
        .filter(Q(needs_confirmation=False) | Q(confirmed_at__isnull=False))
        .select_related("service", "team", "meeting_area"),
        to_attr="outcomes",
    )


def referrals_list(*, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    return _with_people(contacts).prefetch_related(_outcomes()).order_by("-received_at", "-pk")


def contacts_about(*, person_id: int, contacts: QuerySet[Contact]) -> list[Contact]:
    """The contacts with the front door that name this person, newest first (one query each way)."""
    return list(
        contacts.filter(people__person_id=person_id)
        .distinct()
        .select_related("referrer_agency")
        .prefetch_related(_outcomes())
        .order_by("-received_at", "-pk")
    )


# The person page's contacts for the front door, who see all of the authority's: built once
# (core/compiled.py), with each contact's outcomes read by the contacts' ids as `_outcomes` does.
_CONTACTS_ABOUT_FOR_TRIAGE: "Compiled[Contact]" = Compiled(
    lambda authority, person: (
        Contact.objects.filter(authority_id=authority, people__person_id=person)
        .distinct()
        .select_related("referrer_agency")
        .order_by("-received_at", "-pk")
    )
)
_OUTCOMES_OF: "Compiled[TriageDecision]" = Compiled(
    lambda contacts: (
        TriageDecision.objects.filter(contact_id__in=contacts, returned_at__isnull=True)
        .filter(Q(needs_confirmation=False) | Q(confirmed_at__isnull=False))
        .select_related("service", "team", "meeting_area")
        .order_by("-decided_at", "-pk")
    ),
    lists=("contacts",),
)


def contacts_about_for_triage(*, authority_id: int, person_id: int) -> list[Contact]:
    """`contacts_about` for a user who triages (`access.contacts_for_triage`): the same contacts,
    with the same `outcomes`."""
    contacts = _CONTACTS_ABOUT_FOR_TRIAGE.list(authority=authority_id, person=person_id)
    outcomes: dict[int, list[TriageDecision]] = {}
    for decision in _OUTCOMES_OF.list(contacts=[contact.pk for contact in contacts]):
        outcomes.setdefault(decision.contact_id, []).append(decision)
    for contact in contacts:
        contact.outcomes = outcomes.get(contact.pk, [])  # type: ignore[attr-defined]
    return contacts


def earlier_contacts(contact: Contact, entries: Sequence[ContactPerson] | None = None) -> QuerySet[Contact]:
    """Contacts in the re-referral window before this one, about any of the same people (the
    contact's people as already read, when the caller has them)."""
    people = [entry.person_id for entry in (contact.people.all() if entries is None else entries) if entry.person_id]
    since = contact.received_at - timedelta(days=contact.authority.re_referral_days)
    return (
        Contact.objects.filter(
            people__person_id__in=people, received_at__gte=since, received_at__lte=contact.received_at
        )
        .exclude(pk=contact.pk)
        .distinct()
        .order_by("-received_at")
    )
