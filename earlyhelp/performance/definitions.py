"""Every KPI of the performance framework, in the words of its source, with its written
definition: what is counted, out of what, and which dates decide it (FF, the performance table at
the end of `004`; forum tracking in EHF and T&P §4.2).

The figures themselves are computed in `measures.py`, one function per KPI, from the records.
A definition here and its function there share the KPI's key; a test checks that every KPI has
both."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    WORKING_HOURS = "working hours"
    SCORE = "points"


class Group(StrEnum):
    FRONT_DOOR = "The front door"
    CASEWORK = "Working with families"
    OUTCOMES = "Outcomes"
    MEETINGS = "Neighbourhood meetings and forums"


@dataclass(frozen=True)
class Kpi:
    key: str
    title: str
    question: str  # the performance table's "what do we need to know?"
    group: Group
    unit: Unit
    counts: str  # the numerator, or what is counted
    out_of: str  # the denominator ("" for a plain count)
    dates: str  # which dates decide what is in the period
    source: str
    target: Decimal | None = None  # the default; a service sets its own (`Target`)
    higher_is_better: bool = True
    records: str = "episodes"  # what its drill-down lists: contacts, episodes, meetings or requests

    @property
    def slug(self) -> str:
        return self.key.replace("_", "-")


KPIS: tuple[Kpi, ...] = (
    Kpi(
        key="contacts_received",
        title="Contacts received",
        question="How many referrals were received requiring early help?",
        group=Group.FRONT_DOOR,
        unit=Unit.COUNT,
        counts="Contacts received by the front door: professional and family referrals, partner systems, "
        "forum referrals and contacts typed in from the phone",
        out_of="",
        dates="Received on or after the first day of the period and on or before its last day",
        source="FF performance table: “Number of contacts received”",
        records="contacts",
    ),
    Kpi(
        key="contact_source",
        title="Source of contacts",
        question="Who is making the referral? (Source of referral by agency or family)",
        group=Group.FRONT_DOOR,
        unit=Unit.COUNT,
        counts="Contacts received, by how they came in and by the kind of agency that referred "
        "(a family's own referral counts as ‘Family’)",
        out_of="",
        dates="Received in the period",
        source="FF performance table: “Source of contacts”",
        records="contacts",
    ),
    Kpi(
        key="contact_outcome",
        title="Outcome of contacts",
        question="What was the decision about the referral? (Open to the family support team, "
        "neighbourhood meeting, redirect to children's social care, advice and signpost)",
        group=Group.FRONT_DOOR,
        unit=Unit.COUNT,
        counts="Contacts received in the period that have a decision; beside it, every contact by "
        "where the decision sent it (one awaiting a team leader's confirmation counts as awaiting)",
        out_of="",
        dates="Received in the period; the decision as it stands at the end of the period",
        source="FF performance table: “Outcome of contacts”",
        records="contacts",
    ),
    Kpi(
        key="contact_criteria",
        title="Contacts by criteria",
        question="Reason for referral to early help services?",
        group=Group.FRONT_DOOR,
        unit=Unit.COUNT,
        counts="Contacts received, by each area of need the referral named (a contact naming two "
        "needs is counted under both) and by the level of need the front door recorded",
        out_of="",
        dates="Received in the period",
        source="FF performance table: “Contacts categorised by criteria”",
        records="contacts",
    ),
    Kpi(
        key="repeat_referrals",
        title="Repeat referrals within 12 months",
        question="Has the family been known to the family support service in the last 12 months?",
        group=Group.FRONT_DOOR,
        unit=Unit.PERCENT,
        counts="Contacts about a family that had an early help episode open at any time in the "
        "re-referral window (365 days, a setting of the authority) before the contact arrived",
        out_of="Contacts received in the period that name a family",
        dates="Received in the period. Shown beside it: the front door's own flag, which counts "
        "any earlier contact about the same people in the window, whether or not help was given",
        source="FF performance table: “Repeat referrals within 12 months” (known to the service)",
        target=Decimal("20"),
        higher_is_better=False,
        records="contacts",
    ),
    Kpi(
        key="contact_to_allocation",
        title="Contact to allocation",
        question="How timely is the initial response to referrals? (Allocated within 24 hours of "
        "receipt, following 24 hours at the front door)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Episodes allocated to a family coach within the allocation target (working hours "
        "from the referral reaching the team, CaseworkSettings). Shown beside it: the median "
        "working hours from the contact's receipt to allocation",
        out_of="Episodes first allocated in the period",
        dates="First allocated in the period; working hours exclude weekends, bank holidays and "
        "days the service is closed",
        source="FF performance table: “Contacts – time received compared to time episode started”; FF §8.1",
        target=Decimal("90"),
    ),
    Kpi(
        key="caseload",
        title="Caseload per worker",
        question="Who is the child and family's allocated coach?",
        group=Group.CASEWORK,
        unit=Unit.COUNT,
        counts="Families open to each coach on the last day of the period (by their allocation "
        "then), as the average of the coaches holding any",
        out_of="Coaches holding at least one family",
        dates="Allocated on or before the period's last day and not closed by then",
        source="FF performance table: “Caseloads of each worker”; 15 families per full-time coach (FF §8.2)",
        target=Decimal("15"),
        higher_is_better=False,
    ),
    Kpi(
        key="first_visit_from_referral",
        title="Contact to first visit",
        question="Time taken for families to be seen (introductory visit within 5 days of referral)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Episodes whose first successful visit was no later than the 5th day after the referral",
        out_of="Episodes referred in the period that have been visited, or whose 5 days ended by "
        "the period's end. Step-downs from social care are left out (they arrive already known)",
        dates="Days, not working days, from the day the contact was received",
        source="FF performance table: “Contact to date of first visit”; FF §9.1. The documents "
        "disagree: FF §12.1 counts 5 working days from allocation (the next KPI). Both are shown",
        target=Decimal("90"),
    ),
    Kpi(
        key="first_visit_from_allocation",
        title="Allocation to first visit",
        question="Introductory visit within 5 working days of allocation",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Episodes whose first successful visit was no later than the 5th working day after allocation",
        out_of="Episodes first allocated in the period that have been visited, or whose 5 working "
        "days ended by the period's end",
        dates="Working days from the day of allocation (weekends and bank holidays not counted)",
        source="FF §12.1. The documents disagree with the performance table's “from referral” (above)",
        target=Decimal("90"),
    ),
    Kpi(
        key="assessment_completion",
        title="Assessment completion",
        question="Time taken to complete the early help assessment (within 20 days of referral)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Episodes whose early help assessment was authorised by a team leader no later than "
        "the 20th day after the referral",
        out_of="Episodes referred in the period whose assessment has been authorised, or whose 20 "
        "days ended by the period's end. Step-downs are left out: they are not assessed again (FF §10.1)",
        dates="Days from the day the contact was received to the day of authorisation",
        source="FF performance table: “Completion dates of assessments”; FF §10.4",
        target=Decimal("90"),
    ),
    Kpi(
        key="initial_meeting",
        title="Initial planning meeting",
        question="Time taken to hold the initial planning meeting (within 10 days of the "
        "assessment, within 30 days of the referral)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Episodes whose initial Team Around the Family meeting was held within 30 days of "
        "the referral and, where the assessment was authorised first, within 10 days of it",
        out_of="Episodes referred in the period that have held the meeting, or whose 30 days ended by the period's end",
        dates="Days from the day the contact was received, and from the day the assessment was authorised",
        source="FF performance table: “Date of initial meeting”",
        target=Decimal("90"),
    ),
    Kpi(
        key="last_visit",
        title="Date of last visit",
        question="Are the children being visited regularly? (At least every 2 weeks)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Open families whose last successful visit was within the 2 weeks (14 days) before "
        "the period's last day",
        out_of="Families open to a coach on the period's last day, allocated at least 14 days before it",
        dates="The period's last day",
        source="FF performance table: “Date of last visit (within 2 weeks)”",
        target=Decimal("90"),
    ),
    Kpi(
        key="length_open",
        title="Length of time open",
        question="How long is the service working with the family? (At most 6 months)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Open families that had been open for more than 6 months on the period's last day",
        out_of="Families open on the period's last day",
        dates="From the day the episode opened to the period's last day; closed families' lengths are shown beside it",
        source="FF performance table: “Length of time open”; FF §13.1, §15.1",
        target=Decimal("0"),
        higher_is_better=False,
    ),
    Kpi(
        key="last_review",
        title="Date of last review",
        question="Has the plan been reviewed regularly? (At least every 6 weeks)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Open families with a plan whose last Team Around the Family meeting (the initial "
        "meeting or a review) was within the 6 weeks (42 days) before the period's last day",
        out_of="Families open on the period's last day whose initial meeting was at least 42 days before it",
        dates="The period's last day",
        source="FF performance table: “Dates of last review meeting”",
        target=Decimal("90"),
    ),
    Kpi(
        key="review_attendance",
        title="Multi-agency attendance at reviews",
        question="Is there multi-agency involvement in the review meetings?",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Review and initial meetings attended by at least one agency besides the family and "
        "the coach (a Team Around the Family member with an agency)",
        out_of="Review and initial meetings held in the period",
        dates="Held in the period",
        source="FF performance table: “Attendance at review meetings”",
        target=Decimal("75"),
        records="meetings",
    ),
    Kpi(
        key="copies_given",
        title="Copies of the assessment and plan given",
        question="Do children and families receive a copy of the assessment and plan?",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Initial planning meetings and reviews at which the family and every member of the Team "
        "Around the Family were given a copy of the assessment and the plan (recorded with the meeting). "
        "The performance table makes this an audit too: what families say is read in the records",
        out_of="Initial planning meetings and reviews held in the period",
        dates="Held in the period",
        source="FF performance table: “AUDIT: Service user & partner feedback” (copies of the assessment and plan)",
        target=Decimal("100"),
        records="meetings",
    ),
    Kpi(
        key="open_and_closed",
        title="Open episodes and closures per month",
        question="What is the throughput of the cases?",
        group=Group.CASEWORK,
        unit=Unit.COUNT,
        counts="Episodes closed in the period; by month, those opened, those closed and those open at each month's end",
        out_of="",
        dates="Opened, closed or open on each calendar month's last day",
        source="FF performance table: “Open episodes per month & closures”",
    ),
    Kpi(
        key="demography",
        title="Demography of contacts and open cases",
        question="What is the demography of open cases?",
        group=Group.CASEWORK,
        unit=Unit.COUNT,
        counts="Children named on contacts received in the period, and children in families open on "
        "its last day, by age (on that day), gender and ethnicity, beside children's social care "
        "and the local population (reference data). A child with no date of birth is counted as "
        "‘Age not known’",
        out_of="",
        dates="Contacts received in the period; families open on the period's last day",
        source="FF performance table: “Contacts & open cases by age, ethnicity & gender compared to "
        "CSC data & local population”",
        records="people",
    ),
    Kpi(
        key="last_supervision",
        title="Date of last supervision note",
        question="Do cases have regular management oversight? (At least 1 supervision note a month)",
        group=Group.CASEWORK,
        unit=Unit.PERCENT,
        counts="Open families with a case supervision note in the month before the period's last day",
        out_of="Families open to a coach on the period's last day, allocated at least a month before it",
        dates="The period's last day, and the same day a month earlier",
        source="FF performance table: “Date of last supervision case note”; FF §19",
        target=Decimal("90"),
    ),
    Kpi(
        key="wellbeing",
        title="Wellbeing scale",
        question="Did the intervention improve outcomes?",
        group=Group.OUTCOMES,
        unit=Unit.PERCENT,
        counts="Children whose wellbeing score at closure was higher than their first score (at "
        "allocation or assessment). Shown beside it: the average change, and the average score at "
        "each stage",
        out_of="Children in episodes closed in the period with a first score and a closing score",
        dates="Episodes closed in the period; every score recorded in them",
        source="FF performance table: “Wellbeing scale measured at assessment, review meetings & closure stages”",
        target=Decimal("70"),
    ),
    Kpi(
        key="satisfaction",
        title="Satisfaction feedback",
        question="Are children and families satisfied with the service they received?",
        group=Group.OUTCOMES,
        unit=Unit.PERCENT,
        counts="Ending meetings at which the family was offered the chance to give feedback (FF "
        "§18.1). Shown beside it: how many gave it. What families said is read in the records "
        "(the performance table marks this as an audit, not a figure)",
        out_of="Ending meetings held in the period",
        dates="Held in the period",
        source="FF performance table: “AUDIT & service user & partner feedback”; FF §18.1",
        target=Decimal("100"),
        records="meetings",
    ),
    Kpi(
        key="meeting_wait",
        title="Referral to neighbourhood meeting",
        question="Length of time between referral at the front door and the family being discussed at the meeting",
        group=Group.MEETINGS,
        unit=Unit.DAYS,
        counts="The median number of days from a contact's receipt to the meeting that discussed "
        "it; shown beside it, the families discussed and the outcome of each discussion",
        out_of="Contacts the front door sent to a meeting that were discussed at a meeting held in the period",
        dates="The meeting was held in the period",
        source="FF performance table: “Length of time between referral & NAM meeting”, “No of "
        "families”, “Service identified for family”",
        records="requests",
    ),
    Kpi(
        key="forums",
        title="Forum cases, issues and actions",
        question="Forums: cases and community issues discussed, actions completed, outcomes met",
        group=Group.MEETINGS,
        unit=Unit.PERCENT,
        counts="Forum actions done on or before their due date; shown beside it, the cases and "
        "community issues discussed and the outcomes met (the forums' own report has every figure)",
        out_of="Forum actions due in the period",
        dates="Meetings held in the period; actions due in the period",
        source="EHF purposes 5 to 9; T&P §4.2",
        target=Decimal("80"),
        records="requests",
    ),
)

BY_KEY: dict[str, Kpi] = {kpi.key: kpi for kpi in KPIS}
BY_SLUG: dict[str, Kpi] = {kpi.slug: kpi for kpi in KPIS}
