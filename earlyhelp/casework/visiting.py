"""Visits and contacts with the family, their case notes, and the first visit (FF §9, §12, §17).

- Every visit and contact gets a case note within 24 hours of it (working hours, a setting); a
  visit can be recorded now and its note written later, and a late note is shown as late.
- The first successful visit is the episode's first visit. Consent is obtained again at it, in
  writing where possible (FF §12.1): the visit is refused without either the written consent or
  the reason it could not be had.
- A team leader records management oversight at its points (FF §19.1), the case review with a
  manager among them.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work, leads_team
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import CaseNote, Episode, Oversight
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User


@dataclass(frozen=True)
class ConsentAtFirstVisit:
    """Written consent obtained at the first visit, or why it could not be."""

    in_writing: bool | None
    given_by: str = ""
    given_on: date | None = None
    not_in_writing_because: str = ""


@dataclass(frozen=True)
class VisitDetails:
    kind: str
    happened_at: datetime | None
    successful: bool
    who_was_seen: str = ""
    note: str = ""
    consent: ConsentAtFirstVisit | None = None


def would_be_first_visit(episode: Episode, details: VisitDetails) -> bool:
    """Whether this visit becomes the episode's first visit (the earliest successful one)."""
    if details.kind not in CaseNote.VISITS or not details.successful or details.happened_at is None:
        return False
    return episode.first_visit_at is None or details.happened_at < episode.first_visit_at


@audited
def case_note_record(*, actor: User, episode: Episode, details: VisitDetails) -> CaseNote:
    """Record a visit or contact, with its case note now or to be written later."""
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"kind": "Only the family's coach, their team leader or the lead practitioner can"})
    if episode.status != Episode.Status.OPEN:
        raise ValidationError({"kind": "Allocate the family to a coach before recording visits"})
    problems = _visit_problems(episode=episode, details=details)
    first = would_be_first_visit(episode, details)
    if first and episode.first_visit_at is None and not problems:
        problems |= _consent_problems(details.consent)
    if problems:
        raise ValidationError(problems)
    assert details.happened_at is not None
    now = timezone.now()
    note = details.note.strip()
    if first:
        _first_visit_move(actor=actor, episode=episode, happened_at=details.happened_at, consent=details.consent)
    if details.kind in CaseNote.VISITS and details.successful:
        _last_visit_move(actor=actor, episode=episode, happened_at=details.happened_at)
    case_note = CaseNote.objects.create(
        episode=episode,
        kind=details.kind,
        happened_at=details.happened_at,
        successful=details.successful,
        who_was_seen=details.who_was_seen.strip(),
        note=note,
        written_at=now if note else None,
        recorded_by=actor,
        recorded_at=now,
        is_first_visit=first,
    )
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.CREATED,
        target=case_note,
        changes={
            "kind": case_note.kind,
            "happened_at": case_note.happened_at.isoformat(),
            "successful": case_note.successful,
            "note": note,
            "first_visit": first,
        },
    )
    deadlines_keep(episode)
    return case_note


def _visit_problems(*, episode: Episode, details: VisitDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    if details.kind not in CaseNote.Kind.values:
        problems["kind"] = "Choose what kind of visit or contact it was"
    if details.happened_at is None:
        problems["happened_on"] = "Enter when it happened"
    elif details.happened_at > timezone.now():
        problems["happened_on"] = "It must have happened already: record a visit once it has taken place"
    elif details.happened_at < episode.referred_at:
        problems["happened_on"] = (
            f"It must be after the referral on {timezone.localtime(episode.referred_at):%-d %B %Y}"
        )
    seen_someone = details.successful and details.kind in (*CaseNote.VISITS, CaseNote.Kind.MEETING)
    if seen_someone and not details.who_was_seen.strip():
        problems["who_was_seen"] = "Say who was seen (each child seen, and on their own or not)"
    return problems


def _consent_problems(consent: ConsentAtFirstVisit | None) -> dict[str, str]:
    if consent is None or consent.in_writing is None:
        return {"consent_in_writing": "This is the first visit: say whether the family gave consent in writing"}
    problems: dict[str, str] = {}
    if consent.in_writing:
        if not consent.given_by.strip():
            problems["consent_given_by"] = "Say who signed the consent"
        if consent.given_on is None:
            problems["consent_given_on"] = "Enter the date it was signed"
        elif consent.given_on > timezone.localdate():
            problems["consent_given_on"] = "The date it was signed must be today or earlier"
    elif not consent.not_in_writing_because.strip():
        problems["consent_not_in_writing_because"] = "Say why consent could not be had in writing"
    return problems


def _first_visit_move(
    *, actor: User, episode: Episode, happened_at: datetime, consent: ConsentAtFirstVisit | None
) -> None:
    """This visit is the episode's first: an earlier first visit recorded before it gives way."""
    earlier = CaseNote.objects.filter(episode=episode, is_first_visit=True).first()
    if earlier is not None:
        earlier = locked(earlier)
        earlier.is_first_visit = False
        earlier.save(update_fields=["is_first_visit"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=earlier, changes={"first_visit": [True, False]})
    before = episode.first_visit_at
    episode.first_visit_at = happened_at
    fields = ["first_visit_at", "version"]
    changes: dict[str, object] = {"first_visit_at": [before.isoformat() if before else None, happened_at.isoformat()]}
    if consent is not None and before is None:
        if consent.in_writing:
            episode.written_consent_on, episode.written_consent_given_by = consent.given_on, consent.given_by.strip()
            changes["written_consent"] = f"{episode.written_consent_given_by}, {consent.given_on}"
        else:
            episode.consent_not_in_writing_because = consent.not_in_writing_because.strip()
            changes["consent_not_in_writing_because"] = episode.consent_not_in_writing_because
        fields += ["written_consent_on", "written_consent_given_by", "consent_not_in_writing_because"]
    changes["version"] = version_move_on(episode, seen=None)
    episode.save(update_fields=fields)
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=episode, changes=changes)


def _last_visit_move(*, actor: User, episode: Episode, happened_at: datetime) -> None:
    """The latest successful visit: once there is a plan, the next is due within 2 weeks."""
    if episode.last_visit_at is not None and episode.last_visit_at >= happened_at:
        return
    before = episode.last_visit_at
    episode.last_visit_at = happened_at
    versions = version_move_on(episode, seen=None)
    episode.save(update_fields=["last_visit_at", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=episode,
        changes={
            "last_visit_at": [before.isoformat() if before else None, happened_at.isoformat()],
            "version": versions,
        },
    )


@audited
def case_note_write(*, actor: User, case_note: CaseNote, note: str, seen_version: int | None) -> CaseNote:
    """Write the case note of a recorded visit, or correct it: refused from a stale page. When it
    was first written stays, so a late note stays late."""
    episode = locked(case_note.episode)
    if not can_work(actor, episode):
        raise ValidationError({"note": "Only the family's coach, their team leader or the lead practitioner can"})
    case_note = locked(case_note)
    if not note.strip():
        raise ValidationError({"note": "Write the case note: what happened, what was seen and heard, what is next"})
    versions = version_move_on(case_note, seen=seen_version)
    before = case_note.note
    case_note.note = note.strip()
    fields = ["note", "version"]
    if case_note.written_at is None:
        case_note.written_at = timezone.now()
        fields.append("written_at")
    case_note.save(update_fields=fields)
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=case_note,
        changes={"note": [before, case_note.note], "version": versions},
    )
    deadlines_keep(episode)
    return case_note


@audited
def oversight_record(*, actor: User, episode: Episode, point: str, note: str) -> Oversight:
    """A team leader's oversight of the family's case at one of its points (FF §19.1)."""
    episode = locked(episode)
    if not (episode.is_open and leads_team(actor, episode.team_id)):
        raise ValidationError({"point": f"Only a team leader of {episode.team} records oversight of this family"})
    problems: dict[str, str] = {}
    if point not in Oversight.Point.values or point == Oversight.Point.ALLOCATION:
        problems["point"] = "Choose the point of the oversight"
    if not note.strip():
        problems["note"] = "Write the oversight: what you reviewed, what you decided, and what happens next"
    if problems:
        raise ValidationError(problems)
    oversight = Oversight.objects.create(episode=episode, point=point, note=note.strip(), recorded_by=actor)
    record_change(
        actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": point, "note": oversight.note}
    )
    deadlines_keep(episode)
    return oversight
