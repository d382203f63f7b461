"""Adding to the family's record: an entry in the chronology (FF §17).

Whoever works the episode adds it (its coach, a team leader of its team, its lead practitioner),
while it is open, under the episode's row lock with the rules checked again inside the
transaction (ADR 11)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work
from earlyhelp.casework.models import Episode
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.people.models import FamilyMembership
from earlyhelp.records.models import ChronologyEntry

ONLY_THOSE_WHO_WORK_IT = "Only the family's coach, their team leader or the lead practitioner can add to its chronology"


@dataclass(frozen=True)
class EntryDetails:
    happened_on: date | None
    what: str
    significance: str
    source: str
    children: list[int] = field(default_factory=list)


def _problems(details: EntryDetails, *, children: set[int]) -> dict[str, str]:
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if details.happened_on is None:
        problems["happened_on"] = "Enter the date it happened"
    elif details.happened_on > today:
        problems["happened_on"] = "The date it happened must be today or in the past"
    for name, words in (
        ("what", "Say what happened"),
        ("significance", "Say why it matters for the children"),
        ("source", "Say who told us, or where it is recorded"),
    ):
        if not getattr(details, name).strip():
            problems[name] = words
    if not set(details.children) <= children:
        problems["children"] = "Choose only the family's own children"
    return problems


@audited
def chronology_entry_add(*, actor: User, episode: Episode, details: EntryDetails) -> ChronologyEntry:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"what": ONLY_THOSE_WHO_WORK_IT})
    children = set(
        FamilyMembership.objects.filter(family_id=episode.family_id, role=FamilyMembership.Role.CHILD).values_list(
            "person_id", flat=True
        )
    )
    problems = _problems(details, children=children)
    if problems:
        raise ValidationError(problems)
    assert details.happened_on is not None
    entry = ChronologyEntry.objects.create(
        family_id=episode.family_id,
        episode=episode,
        happened_on=details.happened_on,
        what=details.what.strip(),
        significance=details.significance.strip(),
        source=details.source.strip(),
        recorded_by=actor,
    )
    entry.children.set(sorted(set(details.children)))
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=entry,
        changes={
            "happened_on": entry.happened_on.isoformat(),
            "what": entry.what,
            "significance": entry.significance,
            "source": entry.source,
            "children": sorted(set(details.children)),
        },
    )
    return entry
