"""A family's episode of help, from the team's allocation to closure (FF §5–19; T&P §3–6).

An `Episode` opens when the front door allocates a family to a family support team (later, on a
step-down from children's social care). A team leader allocates it to a family coach with an
allocation note that sets this family's timescales (FF §8.1); the episode carries its legal
basis (targeted early help, or a child in need under section 17), which can change without a new
referral; a lead practitioner from any agency may hold it (Family Help); it closes at an ending
meeting. Every timescale is counted by `timescales.py` from the dates kept here.

The Standard Safeguarding Dataset keeps, for an early help episode: the episode (`Episode.pk`,
shown as `reference`), the person (`EpisodeChild.person`), its start (`allocated_at`, or
`opened_at` before allocation), its end (`closed_at`), its reason (`EpisodeChild.needs`), its end
reason (`end_reason`), the organisation (`team`) and the worker (`coach`, and
`lead_practitioner` where another agency leads). A later export is a query over these fields.
"""

from earlyhelp.casework.models.episodes import (
    Allocation,
    Assessment,
    AssessmentTemplate,
    CapacityEscalation,
    CaseNote,
    CaseworkSettings,
    CodedNeed,
    Episode,
    EpisodeChild,
    EpisodeReferral,
    LeadPractitionerChange,
    LegalBasis,
    LegalBasisChange,
    Meeting,
    NeedsList,
    Oversight,
    PlanAction,
    ServiceModel,
    TeamMember,
    WellbeingScore,
)
from earlyhelp.casework.models.improving import NotImproving
from earlyhelp.casework.models.network import FamilyNetworkMeeting
from earlyhelp.casework.models.supervision import Supervision
from earlyhelp.casework.models.supporting_families import OutcomeProgress, SustainedCheck
from earlyhelp.casework.models.transfers import StepDown, StepUp

__all__ = [
    "Allocation",
    "Assessment",
    "AssessmentTemplate",
    "CapacityEscalation",
    "CaseNote",
    "CaseworkSettings",
    "CodedNeed",
    "Episode",
    "EpisodeChild",
    "EpisodeReferral",
    "FamilyNetworkMeeting",
    "LeadPractitionerChange",
    "LegalBasis",
    "LegalBasisChange",
    "Meeting",
    "NeedsList",
    "NotImproving",
    "OutcomeProgress",
    "Oversight",
    "PlanAction",
    "ServiceModel",
    "StepDown",
    "StepUp",
    "Supervision",
    "SustainedCheck",
    "TeamMember",
    "WellbeingScore",
]
