"""The Standard Safeguarding Dataset (Data to Insight's SSD): the person, family, contact, early
help episode, involvement and department tables as CSV, with the dataset's own field names, so
that a data team loads this system as it loads any other.

For a period: the contacts received in it, the early help episodes open at any time in it, the
allocations of those episodes, and the people and families they name. Dates are ISO
(YYYY-MM-DD); identifiers are the service's own record numbers."""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from earlyhelp.casework.models import Allocation, Episode, EpisodeChild
from earlyhelp.forums.reports import Period
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.organisations.models import Authority, Team
from earlyhelp.people.models import FamilyMembership, Gender, Person
from earlyhelp.performance.returns.cin import CIN_SOURCE_BY_AGENCY

FIELDS: dict[str, list[str]] = {
    "ssd_person": [
        "pers_person_id",
        "pers_sex",
        "pers_gender",
        "pers_ethnicity",
        "pers_dob",
        "pers_common_child_id",
        "pers_legacy_id",
        "pers_upn_unknown",
        "pers_send_flag",
        "pers_expected_dob",
        "pers_death_date",
        "pers_is_mother",
        "pers_nationality",
    ],
    "ssd_family": ["fami_family_id", "fami_person_id"],
    "ssd_contacts": [
        "cont_contact_id",
        "cont_person_id",
        "cont_contact_date",
        "cont_contact_source_code",
        "cont_contact_source_desc",
        "cont_contact_outcome_json",
    ],
    "ssd_early_help_episodes": [
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        "earl_episode_reason",
        "earl_episode_end_reason",
        "earl_episode_organisation",
        "earl_episode_worker_id",
    ],
    "ssd_involvements": [
        "invo_involvements_id",
        "invo_professional_id",
        "invo_professional_role_id",
        "invo_professional_team",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
        "invo_worker_change_reason",
        "invo_person_id",
        "invo_referral_id",
    ],
    "ssd_department": ["dept_team_id", "dept_team_name", "dept_team_parent_id", "dept_team_parent_name"],
}

# SSD's sex and gender codes (PERS002A, PERS003A).
SEX = {Gender.MALE: "M", Gender.FEMALE: "F"}
GENDER = {Gender.MALE: "01", Gender.FEMALE: "02", Gender.OTHER: "09", Gender.NOT_KNOWN: "00", Gender.NOT_STATED: "00"}

# The SSD's broad reasons for involvement (EARL005A), from the episode's first coded need.
REASON_BY_NEED = {
    "parental-substance-misuse": "Alcohol/ Substance Misuse (Parent or Child)",
    "sf-substance-use": "Alcohol/ Substance Misuse (Parent or Child)",
    "parental-mental-health": "Mental Health (Parent or Child)",
    "emotional-wellbeing": "Mental Health (Parent or Child)",
    "sf-health": "Mental Health (Parent or Child)",
    "family-conflict": "Parenting and Family Dynamics",
    "sf-family-relationships": "Parenting and Family Dynamics",
    "child-to-parent-abuse": "Parenting and Family Dynamics",
    "parental-learning-disability": "Physical and Learning Disabilities/Illness (Parent or Child)",
    "parental-domestic-abuse": "Domestic Violence/ Abuse",
    "sf-domestic-abuse": "Domestic Violence/ Abuse",
    "sf-safe-from-abuse": "Child Abuse/ Neglect",
    "exploitation": "Special Circumstances/ Vulnerabilities",
    "sf-crime": "Special Circumstances/ Vulnerabilities",
    "sf-financial-stability": "Socio-economic Challenges",
    "sf-housing": "Socio-economic Challenges",
    "school-exclusion": "Child Well-being and Development",
    "sf-education": "Child Well-being and Development",
    "sf-early-years": "Child Well-being and Development",
}

# EARL006A: outcomes met, step-up, or no further action.
END_REASON = {
    Episode.EndReason.GOALS_MET: "Outcomes met",
    Episode.EndReason.UNIVERSAL_SERVICE: "Outcomes met",
    Episode.EndReason.SINGLE_AGENCY: "Outcomes met",
    Episode.EndReason.STEPPED_UP: "Step-up",
}
NO_FURTHER_ACTION = "NFA"

OUTCOME_FLAGS = (
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
)
OUTCOME_BY_STATUS = {
    Contact.Status.REDIRECTED: "NEW_REFERRAL_FLAG",
    Contact.Status.SIGNPOSTED: "ADVICE_FLAG",
    Contact.Status.ALLOCATED: "OTHER_OUTCOMES_EXIST_FLAG",
    Contact.Status.AWAITING_MEETING: "OTHER_OUTCOMES_EXIST_FLAG",
}


def _iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def outcome_json(status: str) -> str:
    """Every key, whatever the outcome (the SSD's standard), Y for the outcome's own flag."""
    chosen = OUTCOME_BY_STATUS.get(status)  # type: ignore[call-overload]
    return json.dumps({flag: "Y" if flag == chosen else "N" for flag in OUTCOME_FLAGS})


def tables(authority: Authority, period: Period) -> dict[str, list[list[str]]]:
    contacts = list(
        ContactPerson.objects.filter(
            contact__authority=authority,
            contact__received_at__gte=period.starts,
            contact__received_at__lt=period.ends,
            person__isnull=False,
            role__in=[ContactPerson.Role.CHILD, ContactPerson.Role.UNBORN],
        )
        .values_list(
            "contact_id", "person_id", "contact__received_at", "contact__source", "contact__referrer_agency__kind"
        )
        .order_by("contact__received_at", "pk")
    )
    statuses = dict(Contact.objects.filter(pk__in={row[0] for row in contacts}).values_list("pk", "status").order_by())
    episodes = list(
        Episode.objects.filter(authority=authority, opened_at__lt=period.ends)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=period.starts))
        .select_related("team")
        .order_by("pk")
    )
    children = list(
        EpisodeChild.objects.filter(episode__in=episodes).prefetch_related("needs").order_by("episode_id", "pk")
    )
    allocations = list(Allocation.objects.filter(episode__in=episodes).order_by("episode_id", "allocated_at", "pk"))
    families = {episode.family_id for episode in episodes}
    members = list(
        FamilyMembership.objects.filter(family_id__in=families).values_list("family_id", "person_id").order_by("pk")
    )
    people_ids = {row[1] for row in contacts} | {child.person_id for child in children} | {m[1] for m in members}
    people = list(Person.objects.filter(pk__in=people_ids).order_by("pk"))
    mothers = set(
        FamilyMembership.objects.filter(
            person_id__in=people_ids, role=FamilyMembership.Role.PARENT, person__gender=Gender.FEMALE
        ).values_list("person_id", flat=True)
    )
    teams = Team.objects.filter(area__authority=authority).select_related("area").order_by("pk")

    by_episode = {episode.pk: episode for episode in episodes}
    return {
        "ssd_person": [_person(person, person.pk in mothers) for person in people],
        "ssd_family": [[str(family), str(person)] for family, person in members],
        "ssd_contacts": [
            [
                f"{contact}-{person}",
                str(person),
                _iso(received_at),
                CIN_SOURCE_BY_AGENCY.get(agency, "8") if source != Contact.Source.FAMILY else "1A",
                str(Contact.Source(source).label),
                outcome_json(statuses.get(contact, "")),
            ]
            for contact, person, received_at, source, agency in contacts
        ],
        "ssd_early_help_episodes": [_episode_row(by_episode[child.episode_id], child) for child in children],
        "ssd_involvements": _involvements(allocations, children, by_episode),
        "ssd_department": [[str(team.pk), team.name, f"A{team.area_id}", team.area.name] for team in teams],
    }


def _person(person: Person, is_mother: bool) -> list[str]:
    return [
        str(person.pk),
        SEX.get(person.gender, "U") if person.date_of_birth else "U",  # type: ignore[call-overload]
        GENDER.get(person.gender, "00"),  # type: ignore[call-overload]
        person.ethnicity,
        _iso(person.date_of_birth),
        person.nhs_number,
        "",
        "" if person.upn else "UN4",
        "",
        _iso(person.expected_date_of_delivery) if person.date_of_birth is None else "",
        "",
        "Y" if is_mother else "N",
        "",
    ]


def _episode_row(episode: Episode, child: EpisodeChild) -> list[str]:
    codes = [need.code for need in child.needs.all()]
    reason = next((REASON_BY_NEED[code] for code in codes if code in REASON_BY_NEED), "Other")
    return [
        f"{episode.reference}-{child.person_id}",
        str(child.person_id),
        _iso(episode.opened_at),
        _iso(episode.closed_at),
        reason,
        (END_REASON.get(episode.end_reason, NO_FURTHER_ACTION) if episode.closed_at else ""),  # type: ignore[call-overload]
        episode.team.name,
        str(episode.coach_id or ""),
    ]


def _involvements(
    allocations: list[Allocation], children: list[EpisodeChild], episodes: dict[int, Episode]
) -> list[list[str]]:
    by_episode: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_episode.setdefault(allocation.episode_id, []).append(allocation)
    rows = []
    for child in children:
        episode = episodes[child.episode_id]
        listed = by_episode.get(child.episode_id, [])
        for number, allocation in enumerate(listed):
            ended = listed[number + 1].allocated_at if number + 1 < len(listed) else episode.closed_at
            rows.append(
                [
                    f"{allocation.pk}-{child.person_id}",
                    str(allocation.coach_id),
                    "Family coach",
                    str(episode.team_id),
                    _iso(allocation.allocated_at),
                    _iso(ended),
                    "FCONTA" if number == 0 else "MANAGE",
                    str(child.person_id),
                    episode.reference,
                ]
            )
    return rows


def as_csv(rows: Iterable[list[Any]], fields: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
