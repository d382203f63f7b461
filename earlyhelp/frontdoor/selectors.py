"""Read queries for the front door: the triage queue, a contact's page and the lists that follow
a decision. Each runs in a fixed number of queries, however many contacts there are."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from earlyhelp.frontdoor.clock import ClockRules, DecisionClock, Rag, decision_clock
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
class TriageQueue:
    rows: list[QueueRow]
    """This page's contacts, with their people."""
    counts: dict[Rag, int]
    """Every open contact by its clock, not only this page's."""
    page: Page[Any]


def triage_queue(*, contacts: QuerySet[Contact], now: datetime, rules: ClockRules, page: str | int = 1) -> TriageQueue:
    """Open contacts, oldest first; any with an "immediate danger" answer above the rest.

    Every open contact's clock is worked out from three columns, for the counts; only the page
    shown is fetched with its people (two queries more, whatever the page size)."""
    open_contacts = contacts.filter(status__in=Contact.OPEN_STATUSES).order_by("-immediate_danger", "received_at", "pk")
    waiting = list(open_contacts.values_list("pk", "received_at", "immediate_danger"))
    clocks = {
        pk: decision_clock(received_at, now, immediate_danger=immediate_danger, rules=rules)
        for pk, received_at, immediate_danger in waiting
    }
    counts = {rag: 0 for rag in Rag}
    for clock in clocks.values():
        counts[clock.rag] += 1
    shown = Paginator([pk for pk, _, _ in waiting], QUEUE_PAGE_SIZE).get_page(page)
    fetched = {contact.pk: contact for contact in _with_people(contacts.filter(pk__in=list(shown)))}
    rows = [
        QueueRow(
            contact=contact,
            clock=clocks[pk],
            children=[entry for entry in contact.people.all() if entry.is_child],
            awaiting_confirmation=contact.status == Contact.Status.AWAITING_CONFIRMATION,
        )
        for pk in shown
        # Decided between the two queries: gone from the queue, as on the next view.
        if (contact := fetched.get(pk)) is not None and contact.is_open
    ]
    return TriageQueue(rows=rows, counts=counts, page=shown)


@dataclass(frozen=True)
class PersonOnContact:
    entry: ContactPerson
    matches: list[LikelyMatch]


def contact_people(*, user: User, contact: Contact) -> list[PersonOnContact]:
    """The people on a contact, each with the records that may be them (while not yet matched):
    two queries, however many people the referral names."""
    entries = list(contact.people.select_related("person").order_by("pk"))
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


def decisions_for(contact: Contact) -> list[TriageDecision]:
    return list(
        contact.decisions.select_related("service", "team", "meeting_area", "decided_by", "confirmed_by", "returned_by")
    )


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


def earlier_contacts(contact: Contact) -> QuerySet[Contact]:
    """Contacts in the re-referral window before this one, about any of the same people."""
    people = [entry.person_id for entry in contact.people.all() if entry.person_id]
    since = contact.received_at - timedelta(days=contact.authority.re_referral_days)
    return (
        Contact.objects.filter(
            people__person_id__in=people, received_at__gte=since, received_at__lte=contact.received_at
        )
        .exclude(pk=contact.pk)
        .distinct()
        .order_by("-received_at")
    )
