"""The assessment: started on a configured layout (the CAF or a strengths-based one), written by
whoever works the episode, sent for sign-off, and authorised or returned by a team leader of the
episode's team (FF §10.4). Its level of need is a decision made through the thresholds tool,
which keeps its framework version; each child's wellbeing is scored at it.

Each step locks the assessment, re-checks its rules and moves it through
`Assessment.TRANSITIONS`: nothing is authorised before it was sent, nor sent incomplete.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.editing import version_move_on
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework.access import can_work, leads_team
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.deadlines import deadlines_keep
from earlyhelp.casework.models import (
    Assessment,
    AssessmentTemplate,
    Episode,
    EpisodeChild,
    Oversight,
    WellbeingScore,
)
from earlyhelp.core.workflow import locked
from earlyhelp.organisations.models import User
from earlyhelp.thresholds.models import LevelOfNeedDecision

# Munro's questions (T&P §4): what has happened, is happening, might happen, how likely, how
# serious, and the practitioner's overall judgement.
MUNRO_QUESTIONS = [
    ("what_has_happened", "What has happened?"),
    ("what_is_happening", "What is happening now?"),
    ("what_might_happen", "What might happen?"),
    ("how_likely", "How likely is it?"),
    ("how_serious", "How serious would it be?"),
    ("overall_judgement", "Overall judgement"),
]
WELLBEING = "wellbeing"


@audited
def assessment_start(*, actor: User, episode: Episode, template: AssessmentTemplate | None) -> Assessment:
    episode = locked(episode)
    if not can_work(actor, episode):
        raise ValidationError({"template": "Only the family's coach, their team leader or the lead practitioner can"})
    if episode.status != Episode.Status.OPEN:
        raise ValidationError({"template": "Allocate the family to a coach before starting the assessment"})
    if template is None or not template.active:
        raise ValidationError({"template": "Choose the assessment to use"})
    unfinished = Assessment.objects.filter(episode=episode).exclude(status=Assessment.Status.AUTHORISED).first()
    if unfinished is not None:
        raise ValidationError({"template": f"An assessment is already {unfinished.get_status_display().lower()}"})
    assessment = Assessment.objects.create(episode=episode, template=template, started_by=actor)
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=assessment, changes={"template": str(template)})
    return assessment


def _locked_for_writing(actor: User, assessment: Assessment) -> tuple[Episode, Assessment]:
    episode = locked(assessment.episode)
    if not can_work(actor, episode):
        raise ValidationError("Only the family's coach, their team leader or the lead practitioner can")
    assessment = locked(assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(
            f"The assessment is {assessment.get_status_display().lower()}: it can be changed only once it is returned"
        )
    return episode, assessment


def answers_cleaned(
    template: AssessmentTemplate, children: list[EpisodeChild], answers: dict[str, Any]
) -> dict[str, Any]:
    """Only what the layout asks, each answer as text (a per-child or Munro section as a map)."""
    cleaned: dict[str, Any] = {}
    for section in template.sections:
        key, kind = section["key"], section["kind"]
        given = answers.get(key)
        if kind == "per_child":
            given = given if isinstance(given, dict) else {}
            cleaned[key] = {
                str(child.person_id): str(given.get(str(child.person_id), "")).strip() for child in children
            }
        elif kind == "munro":
            given = given if isinstance(given, dict) else {}
            cleaned[key] = {question: str(given.get(question, "")).strip() for question, _ in MUNRO_QUESTIONS}
        else:
            cleaned[key] = str(given or "").strip()
    scores = answers.get(WELLBEING)
    scores = scores if isinstance(scores, dict) else {}
    cleaned[WELLBEING] = {str(child.person_id): str(scores.get(str(child.person_id), "")).strip() for child in children}
    return cleaned


@audited
def assessment_save(
    *,
    actor: User,
    assessment: Assessment,
    answers: dict[str, Any],
    level_of_need: LevelOfNeedDecision | None,
    seen_version: int | None,
) -> Assessment:
    """Save what has been written so far: nothing needs to be complete until it is sent."""
    episode, assessment = _locked_for_writing(actor, assessment)
    children = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    if level_of_need is not None and level_of_need.person_id not in {child.person_id for child in children}:
        raise ValidationError({"level_of_need": "Choose a level of need recorded for a child on this episode"})
    versions = version_move_on(assessment, seen=seen_version)
    before = assessment.answers
    assessment.answers = answers_cleaned(assessment.template, children, answers)
    assessment.level_of_need = level_of_need
    assessment.save(update_fields=["answers", "level_of_need", "version"])
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=assessment,
        changes={
            "answers": [before, assessment.answers],
            "level_of_need": level_of_need.pk if level_of_need else None,
            "version": versions,
        },
    )
    return assessment


def missing_answers(
    assessment: Assessment, children: list[EpisodeChild], *, lowest: int, highest: int
) -> dict[str, str]:
    """What must be written before the assessment goes for sign-off, keyed by its form field."""
    answers = assessment.answers or {}
    names = {str(child.person_id): child.person.full_name for child in children}
    problems: dict[str, str] = {}
    for section in assessment.template.sections:
        problems |= _section_missing(section, answers.get(section["key"]), names)
    scores = answers.get(WELLBEING) or {}
    for person_id, name in names.items():
        score = str(scores.get(person_id, ""))
        if not (score.isdigit() and lowest <= int(score) <= highest):
            problems[f"{WELLBEING}-{person_id}"] = f"Score {name}'s wellbeing from {lowest} to {highest}"
    if assessment.level_of_need_id is None:
        problems["level_of_need"] = "Record the level of need with the thresholds tool, then choose it here"
    return problems


def _section_missing(section: dict[str, str], value: Any, names: dict[str, str]) -> dict[str, str]:
    key, kind, title = section["key"], section["kind"], section["title"]
    if kind == "per_child":
        return {
            f"{key}-{person_id}": f"{title}: write {name}'s, in their own words"
            for person_id, name in names.items()
            if not (value or {}).get(person_id)
        }
    if kind == "munro":
        return {
            f"{key}-{question}": f"Risk: answer “{label}”"
            for question, label in MUNRO_QUESTIONS
            if not (value or {}).get(question)
        }
    if kind == "scale":
        ok = str(value or "").isdigit() and 0 <= int(value) <= 10
        return {} if ok else {key: f"{title} Choose a number from 0 to 10"}
    return {} if value else {key: f"Write “{title}”"}


@audited
def assessment_submit(*, actor: User, assessment: Assessment) -> Assessment:
    """Send the assessment to a team leader for sign-off, once every part is written."""
    episode, assessment = _locked_for_writing(actor, assessment)
    children = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    settings = casework_settings_of(episode.authority)
    problems = missing_answers(
        assessment, children, lowest=settings.wellbeing_scale_lowest, highest=settings.wellbeing_scale_highest
    )
    if problems:
        raise ValidationError(problems)
    assessment.submitted_at = timezone.now()
    before = assessment.status_change(Assessment.Status.AWAITING_SIGN_OFF, "submitted_at")
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=assessment,
        changes={"status": [before, assessment.status]},
    )
    return assessment


def _locked_for_sign_off(actor: User, assessment: Assessment) -> tuple[Episode, Assessment]:
    episode = locked(assessment.episode)
    if not (episode.is_open and leads_team(actor, episode.team_id)):
        raise ValidationError({"decision": f"Only a team leader of {episode.team} signs off this assessment"})
    assessment = locked(assessment)
    if assessment.status != Assessment.Status.AWAITING_SIGN_OFF:
        raise ValidationError(
            {"decision": f"The assessment is {assessment.get_status_display().lower()}, not waiting for sign-off"}
        )
    return episode, assessment


@audited
def assessment_authorise(*, actor: User, assessment: Assessment, note: str) -> Assessment:
    """A team leader authorises the assessment: its clocks stop, each child's wellbeing at
    assessment is recorded, and the authorisation is the oversight at assessment (FF §19.1)."""
    episode, assessment = _locked_for_sign_off(actor, assessment)
    if not note.strip():
        raise ValidationError({"note": "Write your oversight of the assessment: what you agree, and what next"})
    now = timezone.now()
    assessment.authorised_by, assessment.authorised_at, assessment.returned_because = actor, now, ""
    before = assessment.status_change(
        Assessment.Status.AUTHORISED, "authorised_by", "authorised_at", "returned_because"
    )
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=assessment, changes={"status": [before, assessment.status]}
    )
    if episode.assessment_authorised_at is None:
        versions = version_move_on(episode, seen=None)
        episode.assessment_authorised_at = now
        episode.save(update_fields=["assessment_authorised_at", "version"])
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.UPDATED,
            target=episode,
            changes={"assessment_authorised_at": [None, now.isoformat()], "version": versions},
        )
    settings = casework_settings_of(episode.authority)
    for child in EpisodeChild.objects.filter(episode=episode).select_related("person"):
        score = WellbeingScore.objects.create(
            episode=episode,
            person=child.person,
            point=WellbeingScore.Point.ASSESSMENT,
            score=int(assessment.answers[WELLBEING][str(child.person_id)]),
            scale_lowest=settings.wellbeing_scale_lowest,
            scale_highest=settings.wellbeing_scale_highest,
            recorded_by=actor,
            recorded_at=now,
        )
        record_change(
            actor=actor,
            verb=AuditEvent.Verb.CREATED,
            target=score,
            changes={"score": score.score, "point": score.point},
        )
    oversight = Oversight.objects.create(
        episode=episode, point=Oversight.Point.ASSESSMENT, note=note.strip(), recorded_by=actor, recorded_at=now
    )
    record_change(actor=actor, verb=AuditEvent.Verb.CREATED, target=oversight, changes={"point": oversight.point})
    deadlines_keep(episode)
    return assessment


@audited
def assessment_return(*, actor: User, assessment: Assessment, because: str) -> Assessment:
    """A team leader sends the assessment back to be written further, saying why."""
    _episode, assessment = _locked_for_sign_off(actor, assessment)
    if not because.strip():
        raise ValidationError({"note": "Say what needs to change before you can authorise it"})
    assessment.returned_because = because.strip()
    before = assessment.status_change(Assessment.Status.DRAFT, "returned_because")
    record_change(
        actor=actor,
        verb=AuditEvent.Verb.UPDATED,
        target=assessment,
        changes={"status": [before, assessment.status], "returned_because": assessment.returned_because},
    )
    return assessment
