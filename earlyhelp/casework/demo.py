"""Casework's demonstration data: coaches with believable caseloads at every stage.

Families already in the demo are referred, triaged and allocated through the real services,
then dated back to when their help began (recorded in each record's audit trail as demonstration
data), so that My families and the team page show work on time, overdue and past 6 months. The
demo authority runs the Family Help configuration, with one child in need overseen by a social
worker and one family led by a school's practitioner.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.casework import allocating, assessing, closing, leading, planning, supervising, visiting
from earlyhelp.casework.configuration import casework_settings_of, timescale_rules, working_time_of
from earlyhelp.casework.deadlines import deadlines_refresh
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    AssessmentTemplate,
    CaseNote,
    Episode,
    EpisodeChild,
    EpisodeReferral,
    LegalBasis,
    Oversight,
    ServiceModel,
    WellbeingScore,
)
from earlyhelp.casework.schedule import allocation_defaults
from earlyhelp.frontdoor import deciding, matching, receiving
from earlyhelp.frontdoor.models import Contact, ContactPerson
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.organisations.models import Authority, Team, User
from earlyhelp.people.models import FamilyMembership, Person
from earlyhelp.thresholds.rules import Facts
from earlyhelp.thresholds.selectors import framework_version_latest

# (coach's e-mail start, days since allocation, weight): Tom Barker 1.0 FTE, Grace Okafor 0.6.
CASELOADS = [
    ("coach@", 2, "1.0"),
    ("coach@", 4, "1.0"),
    ("coach@", 9, "1.0"),
    ("coach@", 16, "1.5"),
    ("coach@", 26, "1.0"),
    ("coach@", 41, "1.0"),
    ("coach@", 63, "2.0"),
    ("coach@", 95, "1.0"),
    ("coach@", 150, "1.0"),
    ("coach@", 200, "1.0"),
    ("coach.parttime@", 3, "1.0"),
    ("coach.parttime@", 12, "1.0"),
    ("coach.parttime@", 30, "1.0"),
    ("coach.parttime@", 55, "1.5"),
    ("coach.parttime@", 80, "1.0"),
]
NEEDS = [["family-conflict"], ["parental-mental-health"], ["school-exclusion"], ["emotional-wellbeing"]]
# The Supporting Families headline outcomes the coach codes beside each reason at allocation.
SUPPORTING_FAMILIES = {
    "family-conflict": ["sf-family-relationships", "sf-education", "sf-financial-stability"],
    "parental-mental-health": ["sf-health", "sf-family-relationships"],
    "school-exclusion": ["sf-education", "sf-crime"],
    "emotional-wellbeing": ["sf-health"],
}


def load(authority: Authority) -> int:
    """Add the episodes once; returns how many were made."""
    if Episode.objects.filter(authority=authority, status=Episode.Status.OPEN).exists():
        return 0
    version = framework_version_latest()
    if version is None:
        return 0
    settings = casework_settings_of(authority)
    settings.service_model = ServiceModel.FAMILY_HELP
    settings.version += 1
    settings.save(update_fields=["service_model", "version"])
    team = Team.objects.get(area__authority=authority, name="Family Support Team North")
    leader = User.objects.get(email__startswith="teamleader@")
    front_door = User.objects.get(email__startswith="frontdoor@")
    children = _one_child_per_family(authority, count=len(CASELOADS) + 1)
    made = []
    for number, ((coach_email, days_ago, weight), child) in enumerate(zip(CASELOADS, children, strict=False)):
        coach = User.objects.get(email__startswith=coach_email)
        episode = _referred_and_allocated(
            front_door=front_door,
            leader=leader,
            coach=coach,
            team=team,
            child=child,
            needs=NEEDS[number % len(NEEDS)],
            weight=Decimal(weight),
        )
        _dated_back(actor=leader, episode=episode, days=days_ago)
        _visits(episode=episode, number=number)
        _assessed(actor=leader, episode=episode, number=number, days_ago=days_ago)
        _planned(episode=episode, days_ago=days_ago)
        made.append(episode)
    _supervised(leader=leader, team=team, episodes=made)
    if len(made) > 8:  # a tiny demo has too few families for these
        _child_in_need(authority=authority, episode=made[3], coach=made[3].coach)
        _partner_lead(episode=made[1])
        _closed(actor=leader, episode=made[8])
    if len(children) > len(CASELOADS):
        waiting = _referred(front_door=front_door, team=team, child=children[-1], needs=["family-conflict"])
        _dated_back(actor=leader, episode=waiting, days=2)
    # The demo's dates were moved back past the services: each episode's deadlines worked out again.
    deadlines_refresh(Episode.objects.filter(authority=authority))
    return len(made)


def _one_child_per_family(authority: Authority, *, count: int) -> list[Person]:
    """Children from different families that have no episode yet (one open episode a family)."""
    chosen: list[Person] = []
    families: set[int] = set()
    memberships = (
        FamilyMembership.objects.filter(family__authority=authority, role=FamilyMembership.Role.CHILD)
        .exclude(family__episodes__isnull=False)
        .select_related("person")
        .order_by("family_id", "pk")
    )
    for membership in memberships[:400]:
        if membership.family_id in families or membership.person.kind != Person.Kind.CHILD:
            continue
        families.add(membership.family_id)
        chosen.append(membership.person)
        if len(chosen) == count:
            break
    return chosen


def _referred(*, front_door: User, team: Team, child: Person, needs: list[str]) -> Episode:
    parent = (
        FamilyMembership.objects.filter(family__memberships__person=child, role=FamilyMembership.Role.PARENT)
        .select_related("person")
        .first()
    )
    contact = receiving.contact_receive(
        referral=Referral(
            referrer_name="Kingsthorpe Primary School",
            referrer_role="Designated safeguarding lead",
            referrer_email="dsl@kingsthorpe.example.test",
            children=[
                PersonDetails(
                    role="child",
                    first_name=child.first_name,
                    last_name=child.last_name,
                    date_of_birth=child.date_of_birth,
                    postcode=child.postcode,
                )
            ],
            needs=needs,
            reason="The family asked for help; the school has seen things get harder this term.",
            consent=ConsentDetails(
                status="given",
                given_by=f"{parent.person.full_name if parent else 'A parent'}",
                given_on=timezone.localdate(),
                how="written",
                covers=["early_help_service", "share_with_agencies"],
            ),
        ),
        source=Contact.Source.PROFESSIONAL,
        authority_id=child.authority_id,
    )
    for entry in ContactPerson.objects.filter(contact=contact):
        matching.contact_person_match(actor=front_door, entry=entry, person=child, seen_version=None)
    version = framework_version_latest()
    assert version is not None
    deciding.contact_level_of_need_record(
        actor=front_door,
        contact=contact,
        version=version,
        indicators=["l2-learning-01"],
        facts=Facts(consent_given=True),
        level=2,
    )
    deciding.contact_decide(
        actor=front_door, contact=contact, outcome="allocate", reasons="Meets the Families First criteria.", team=team
    )
    return Episode.objects.get(referrals__contact=contact)


def _referred_and_allocated(
    *, front_door: User, leader: User, coach: User, team: Team, child: Person, needs: list[str], weight: Decimal
) -> Episode:
    episode = _referred(front_door=front_door, team=team, child=child, needs=needs)
    clock_rules, hours = timescale_rules(casework_settings_of(episode.authority)), working_time_of(episode.authority)
    defaults = allocation_defaults(
        referred_at=episode.referred_at, allocated_on=timezone.localdate(), rules=clock_rules, hours=hours
    )
    note = allocating.AllocationNote(
        coach=coach,
        weight=weight,
        note=f"{child.first_name}: needs as the school referred them. Visit this week and start the assessment.",
        first_visit_due=defaults.first_visit,
        assessment_due=defaults.assessment,
        first_meeting_due=defaults.first_meeting,
        manager_review_due=defaults.manager_review,
        children=[
            allocating.ChildAtAllocation(
                person_id=entry.person_id,
                wellbeing=4 + child.pk % 3,
                needs=[*needs, *(code for need in needs for code in SUPPORTING_FAMILIES.get(need, []))],
            )
            for entry in episode.children.all()
        ],
    )
    return allocating.episode_allocate(actor=leader, episode=episode, note=note, seen_version=None)


@audited
def _dated_back(*, actor: User, episode: Episode, days: int) -> None:
    """Move an episode's start `days` back, with its timescales counted again from there."""
    episode = Episode.objects.get(pk=episode.pk)
    shift = timedelta(days=days)
    referred = episode.referred_at - shift - timedelta(days=1)
    episode.referred_at, episode.reached_team_at, episode.opened_at = referred, referred + timedelta(hours=5), referred
    fields = ["referred_at", "reached_team_at", "opened_at"]
    if episode.allocated_at is not None:
        episode.allocated_at -= shift
        hours = working_time_of(episode.authority)
        defaults = allocation_defaults(
            referred_at=referred,
            allocated_on=episode.allocated_at.astimezone(hours.zone).date(),
            rules=timescale_rules(casework_settings_of(episode.authority)),
            hours=hours,
        )
        episode.first_visit_due, episode.assessment_due = defaults.first_visit, defaults.assessment
        episode.first_meeting_due, episode.manager_review_due = defaults.first_meeting, defaults.manager_review
        fields += ["allocated_at", "first_visit_due", "assessment_due", "first_meeting_due", "manager_review_due"]
        for allocation in Allocation.objects.filter(episode=episode):
            allocation.allocated_at -= shift
            allocation.save(update_fields=["allocated_at"])
            record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=allocation, changes={"demo": "dated back"})
        for score in WellbeingScore.objects.filter(episode=episode):
            score.recorded_at -= shift
            score.save(update_fields=["recorded_at"])
            record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=score, changes={"demo": "dated back"})
    episode.save(update_fields=fields)
    record_change(
        actor=actor, verb=AuditEvent.Verb.UPDATED, target=episode, changes={"demo": f"dated back {days} days"}
    )
    for link in EpisodeReferral.objects.filter(episode=episode):
        link.joined_at = episode.reached_team_at
        link.save(update_fields=["joined_at"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=link, changes={"demo": "dated back"})


# Days after allocation each family was visited: the first visit, then about every two weeks.
VISIT_DAYS = (3, 14, 27, 41, 55, 69, 84, 98, 112, 126, 140, 155, 170, 185)


def _supervised(*, leader: User, team: Team, episodes: list[Episode]) -> None:
    """Supervision as a team keeps it: each coach supervised in the last four weeks but one, whose
    supervision is overdue; group supervision three weeks ago; a case supervision note on most
    families this month, and one family still waiting for its first."""
    today = timezone.localdate()
    coaches = sorted({episode.coach for episode in episodes if episode.coach}, key=lambda coach: coach.pk)
    for number, coach in enumerate(coaches):
        supervising.individual_supervision_record(
            actor=leader,
            team=team,
            supervisee=coach,
            details=supervising.SupervisionDetails(
                held_on=today - timedelta(days=35 if number == 0 else 7 + number),
                note="Caseload reviewed family by family; wellbeing and workload discussed; training booked.",
            ),
        )
    if coaches:
        supervising.group_supervision_record(
            actor=leader,
            team=team,
            attendees=[coach.pk for coach in coaches],
            details=supervising.SupervisionDetails(
                held_on=today - timedelta(days=21), note="Reflective case discussion: working with fathers."
            ),
        )
    for number, episode in enumerate(episodes[1:], start=1):
        allocated_on = timezone.localtime(episode.allocated_at).date() if episode.allocated_at else today
        supervising.case_supervision_record(
            actor=leader,
            episode=episode,
            details=supervising.SupervisionDetails(
                held_on=max(allocated_on, today - timedelta(days=number % 20)),
                note="Progress against the plan reviewed with the coach; next steps agreed.",
            ),
        )


def _visits(*, episode: Episode, number: int) -> None:
    """Visits since allocation, their case notes mostly written the same day; the latest left to
    write in every third family, and one family's written late. The newest families are not
    visited yet, so their first visit is still due."""
    fresh = Episode.objects.get(pk=episode.pk)
    assert fresh.allocated_at is not None
    assert fresh.coach is not None
    now = timezone.now()
    days = [day for day in VISIT_DAYS if fresh.allocated_at + timedelta(days=day) < now - timedelta(hours=3)]
    for index, day in enumerate(days):
        happened = timezone.localtime(fresh.allocated_at + timedelta(days=day)).replace(hour=10, minute=30)
        latest = index == len(days) - 1
        note = visiting.case_note_record(
            actor=fresh.coach,
            episode=Episode.objects.get(pk=episode.pk),
            details=visiting.VisitDetails(
                kind=CaseNote.Kind.HOME_VISIT if index % 3 else CaseNote.Kind.VISIT_ELSEWHERE,
                happened_at=happened,
                successful=True,
                who_was_seen="The children (each on their own for part of the visit) and their parent",
                note="" if latest and number % 3 == 0 else "Went through the plan with the family; next steps agreed.",
                consent=visiting.ConsentAtFirstVisit(
                    in_writing=number % 5 != 2,
                    given_by="The children's parent",
                    given_on=happened.date(),
                    not_in_writing_because="Forms left with the family to sign and return",
                ),
            ),
        )
        if note.is_written:
            late = number == 4 and latest
            _written_at(actor=fresh.coach, case_note=note, at=happened + timedelta(days=3 if late else 0, hours=4))


def _assessed(*, actor: User, episode: Episode, number: int, days_ago: int) -> None:
    """Families allocated more than a fortnight ago have an assessment: most authorised about 18
    days after allocation, one a week late, one waiting for sign-off, one still being written."""
    if days_ago < 12:
        return
    fresh = Episode.objects.get(pk=episode.pk)
    coach = fresh.coach
    assert coach is not None
    assert fresh.contact is not None
    template = AssessmentTemplate.objects.filter(active=True).order_by("name")[number % 2]
    assessment = assessing.assessment_start(actor=coach, episode=fresh, template=template)
    children = list(EpisodeChild.objects.filter(episode=fresh).select_related("person"))
    answers = _demo_answers(template, children)
    assessing.assessment_save(
        actor=coach,
        assessment=assessment,
        answers=answers,
        level_of_need=fresh.contact.level_of_need,
        seen_version=None,
    )
    if days_ago < 20:
        return  # still being written
    assessing.assessment_submit(actor=coach, assessment=Assessment.objects.get(pk=assessment.pk))
    if days_ago < 30:
        return  # waiting for the team leader
    assessing.assessment_authorise(
        actor=actor,
        assessment=Assessment.objects.get(pk=assessment.pk),
        note="Agreed: a clear picture of the family's strengths and worries. Arrange the first TAF meeting.",
    )
    allocated_at = fresh.allocated_at
    assert allocated_at is not None
    _authorised_at(
        actor=actor, assessment_pk=assessment.pk, at=allocated_at + timedelta(days=25 if number == 5 else 18)
    )


def _planned(*, episode: Episode, days_ago: int) -> None:
    """Assessed families have a Team Around the Family and a plan, agreed at the initial planning
    meeting about three weeks after allocation, and reviewed every six weeks since."""
    fresh = Episode.objects.get(pk=episode.pk)
    if fresh.assessment_authorised_at is None or fresh.allocated_at is None:
        return
    coach = fresh.coach
    assert coach is not None
    child = EpisodeChild.objects.filter(episode=fresh).select_related("person").first()
    assert child is not None
    members = [
        planning.team_member_add(
            actor=coach,
            episode=fresh,
            member=planning.MemberDetails(name="The children's parent", role="Parent", is_family=True),
        ),
        planning.team_member_add(
            actor=coach,
            episode=fresh,
            member=planning.MemberDetails(name="Ms Patel", role="Class teacher", agency="Kingsthorpe Primary School"),
        ),
    ]
    for what, who, weeks in (
        ("A morning routine chart, and a calm start to the school day", "The parent, with the coach", 6),
        ("Weekly check-in with the class teacher about how the week went", "Ms Patel", 10),
    ):
        planning.plan_action_add(
            actor=coach,
            episode=fresh,
            details=planning.ActionDetails(
                what=what,
                who=who,
                by_when=timezone.localdate() + timedelta(weeks=weeks),
                outcome_sought=f"{child.person.first_name} settled and on time at school",
                measure="The school's register, and the family's own scale at each review",
            ),
        )
    first = timezone.localtime(fresh.allocated_at + timedelta(days=22)).replace(hour=15, minute=30)
    planning.meeting_record(
        actor=coach,
        episode=Episode.objects.get(pk=episode.pk),
        details=planning.MeetingDetails(
            kind="initial",
            held_at=first,
            minutes="The family and the school agreed the plan: routines first, then the school's check-ins.",
            attended=[member.pk for member in members],
        ),
    )
    review = first + timedelta(weeks=6)
    while review < timezone.now() - timedelta(days=1):
        planning.meeting_record(
            actor=coach,
            episode=Episode.objects.get(pk=episode.pk),
            details=planning.MeetingDetails(
                kind="review",
                held_at=review,
                minutes="Reviewed the plan with the family: mornings are calmer; keep going.",
                attended=[member.pk for member in members],
                wellbeing={entry.person_id: 7 for entry in EpisodeChild.objects.filter(episode=fresh)},
            ),
        )
        review += timedelta(weeks=6)


def _demo_answers(template: AssessmentTemplate, children: list[EpisodeChild]) -> dict[str, object]:
    answers: dict[str, object] = {}
    for section in template.sections:
        kind, key = section["kind"], section["key"]
        if kind == "per_child":
            answers[key] = {str(child.person_id): "I like it when we all have tea together." for child in children}
        elif kind == "munro":
            answers[key] = {question: "Talked through with the family." for question, _ in assessing.MUNRO_QUESTIONS}
        elif kind == "scale":
            answers[key] = "6"
        else:
            answers[key] = "Written with the family at the second visit."
    answers[assessing.WELLBEING] = {str(child.person_id): "6" for child in children}
    return answers


@audited
def _recorded_at(*, actor: User, oversight: Oversight, at: datetime) -> None:
    oversight = Oversight.objects.get(pk=oversight.pk)
    oversight.recorded_at = at
    oversight.save(update_fields=["recorded_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=oversight, changes={"demo": "dated back"})


@audited
def _authorised_at(*, actor: User, assessment_pk: int, at: datetime) -> None:
    """Date an authorisation back, with the episode's clock, the scores and the oversight."""
    assessment = Assessment.objects.get(pk=assessment_pk)
    # Written over the ten days before it was submitted, the day before its authorisation.
    assessment.started_at = min(assessment.started_at, at - timedelta(days=10))
    assessment.submitted_at = at - timedelta(days=1)
    assessment.authorised_at = at
    assessment.save(update_fields=["started_at", "submitted_at", "authorised_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=assessment, changes={"demo": "dated back"})
    episode = Episode.objects.get(pk=assessment.episode_id)
    episode.assessment_authorised_at = at
    episode.save(update_fields=["assessment_authorised_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=episode, changes={"demo": "dated back"})
    for score in WellbeingScore.objects.filter(episode=episode, point=WellbeingScore.Point.ASSESSMENT):
        score.recorded_at = at
        score.save(update_fields=["recorded_at"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=score, changes={"demo": "dated back"})
    for oversight in Oversight.objects.filter(episode=episode, point=Oversight.Point.ASSESSMENT):
        oversight.recorded_at = at
        oversight.save(update_fields=["recorded_at"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=oversight, changes={"demo": "dated back"})


@audited
def _written_at(*, actor: User, case_note: CaseNote, at: datetime) -> None:
    case_note = CaseNote.objects.get(pk=case_note.pk)
    case_note.written_at = at
    case_note.save(update_fields=["written_at"])
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=case_note, changes={"demo": "dated back"})


def _closed(*, actor: User, episode: Episode) -> None:
    """One family's work ended: the ending meeting, its feedback, and the team leader's closure."""
    fresh = Episode.objects.get(pk=episode.pk)
    coach = fresh.coach
    assert coach is not None
    for note in CaseNote.objects.filter(episode=fresh, written_at__isnull=True):
        visiting.case_note_write(actor=coach, case_note=note, note="Visit written up.", seen_version=None)
    members = list(fresh.team_members.filter(left_at__isnull=True))
    planning.meeting_record(
        actor=coach,
        episode=fresh,
        details=planning.MeetingDetails(
            kind="ending",
            held_at=timezone.now() - timedelta(days=2),
            minutes="Goodbye meeting: the family and the school agreed the school leads from here.",
            attended=[member.pk for member in members],
            feedback_offered=True,
            family_feedback="Tom listened to us and never judged. Mornings are so much better.",
        ),
    )
    closing.episode_close(
        actor=actor,
        episode=Episode.objects.get(pk=episode.pk),
        details=closing.ClosureDetails(
            end_reason=Episode.EndReason.UNIVERSAL_SERVICE,
            summary="Mornings are calm and the children are on time; the family know who to call if it slips.",
            transition_to="Kingsthorpe Primary School, with Ms Patel as lead practitioner",
            open_actions_because="The school carries on the weekly check-ins as part of its own support.",
            wellbeing={child.person_id: 8 for child in EpisodeChild.objects.filter(episode=fresh)},
        ),
        seen_version=None,
    )


def _child_in_need(*, authority: Authority, episode: Episode, coach: User | None) -> None:
    assert coach is not None
    worker = User.objects.get(email__startswith="socialworker@")
    leading.legal_basis_change(
        actor=coach,
        episode=Episode.objects.get(pk=episode.pk),
        to=LegalBasis.CHILD_IN_NEED,
        reason="The assessment found needs under section 17; the family agreed to stay with their coach.",
        social_worker=worker,
        seen_version=None,
    )


def _partner_lead(*, episode: Episode) -> None:
    school = User.objects.get(email__startswith="partner.school@")
    fresh = Episode.objects.get(pk=episode.pk)
    assert fresh.coach is not None
    leading.lead_practitioner_change(
        actor=fresh.coach,
        episode=fresh,
        lead=school,
        agreed_with_family=True,
        handover="Handover meeting at school with the family; the school's safeguarding lead leads from today.",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
