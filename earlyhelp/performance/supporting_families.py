"""The Supporting Families evidence an authority needs for its claim, for each family and as a
quarterly summary: three or more needs, a lead practitioner, a whole-family assessment, a plan,
and outcomes sustained at the six-month check (`casework/supporting_families.py`).

A family is counted in the quarter its six-month check was recorded (the day its outcomes could
be claimed); families closed in the period and not yet checked are listed as "awaiting the check"."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from earlyhelp.casework.models import CodedNeed, Episode, SustainedCheck
from earlyhelp.casework.supporting_families import ClaimEvidence, claim_evidence
from earlyhelp.forums.reports import Period, quarter_of
from earlyhelp.organisations.models import Authority


@dataclass(frozen=True)
class FamilyEvidence:
    episode_id: int
    reference: str
    family_id: int
    closed_on: date | None
    checked_on: date | None
    evidence: ClaimEvidence


def evidence_for(authority: Authority, period: Period) -> list[FamilyEvidence]:
    """Every family with a Supporting Families outcome coded whose episode closed, or whose check
    was recorded, in the period. Three queries whatever the period holds."""
    episodes = list(
        Episode.objects.filter(authority=authority)
        .filter(
            Q(closed_at__gte=period.starts, closed_at__lt=period.ends)
            | Q(sustained_check__checked_on__gte=period.since, sustained_check__checked_on__lte=period.until)
        )
        .annotate(
            outcomes=Count(
                "children__needs",
                filter=Q(children__needs__group=CodedNeed.Group.SUPPORTING_FAMILIES),
                distinct=True,
            ),
            authorised=Count("assessments", filter=Q(assessments__authorised_at__isnull=False), distinct=True),
        )
        .filter(outcomes__gt=0)
        .values(
            "pk",
            "family_id",
            "closed_at",
            "coach_id",
            "lead_practitioner_id",
            "first_meeting_at",
            "outcomes",
            "authorised",
        )
        .order_by("closed_at", "pk")
    )
    checks = {
        check.episode_id: check
        for check in SustainedCheck.objects.filter(episode_id__in=[row["pk"] for row in episodes]).order_by()
    }
    found = []
    for row in episodes:
        check = checks.get(row["pk"])
        found.append(
            FamilyEvidence(
                episode_id=row["pk"],
                reference=f"EP{row['pk']:07d}",
                family_id=row["family_id"],
                closed_on=timezone.localtime(row["closed_at"]).date() if row["closed_at"] else None,
                checked_on=check.checked_on if check else None,
                evidence=claim_evidence(
                    needs=row["outcomes"],
                    lead=bool(row["lead_practitioner_id"] or row["coach_id"]),
                    assessed=row["authorised"] > 0,
                    planned=row["first_meeting_at"] is not None,
                    sustained=check.sustained if check else [],
                    not_sustained=check.not_sustained if check else [],
                ),
            )
        )
    return found


@dataclass(frozen=True)
class QuarterSummary:
    quarter: str
    checked: int
    claimable: int
    not_sustained: int


def quarterly(families: list[FamilyEvidence]) -> list[QuarterSummary]:
    checked: Counter[str] = Counter()
    claimable: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    order: dict[str, date] = {}
    for family in families:
        if family.checked_on is None:
            continue
        quarter = quarter_of(family.checked_on)
        label = f"{quarter.since:%B %Y} to {quarter.until:%B %Y}"
        order[label] = quarter.since
        checked[label] += 1
        claimable[label] += family.evidence.claimable
        failed[label] += not family.evidence.sustained
    return [
        QuarterSummary(label, checked[label], claimable[label], failed[label])
        for label in sorted(order, key=order.__getitem__)
    ]
