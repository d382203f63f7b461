"""Issue 15 in the demonstration authority (`make run`): Northamptonshire's ten Early Help Forums
from the terms of reference (seed 000), one an area, monthly, with their dates a year ahead.
Northampton North has members of every kind, last month's meeting recorded with its actions, and
requests for the next one: a case with consent, an anonymous case, a community issue, a late
request held by the coordinator. Everything through the services, as the forum would record it.

The coordinators in Appendix 2 of seed 001 are real people named in 2013: the demo's are its own
users instead."""

from datetime import date, time, timedelta

from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.forums import market_place, requesting, running
from earlyhelp.forums.cycle import front_door_contacts_take_in
from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.forums.scheduling import meetings_set_a_year_ahead
from earlyhelp.organisations.models import Agency, Area, Authority, User

# (forum, area, weekday, week of the month, venue): seed 000's ten forums.
FORUMS = [
    ("Corby Early Help Forum", "Corby", 1, 1, "Corby Children's Centre"),
    ("Kettering Early Help Forum", "Kettering", 2, 1, "Kettering Library, meeting room 2"),
    ("Daventry Early Help Forum", "Daventry and Guilsborough", 3, 1, "Daventry Children's Centre"),
    ("South Northamptonshire Early Help Forum", "Brackley and Towcester", 1, 2, "Towcester Community Centre"),
    ("Northampton North Early Help Forum", "Northampton North", 2, 2, "Lings Children's Centre, Northampton"),
    ("Northampton Central Early Help Forum", "Northampton South", 3, 2, "Guildhall, Northampton"),
    ("Northampton East Early Help Forum", "Northampton East", 1, 3, "Lings Children's Centre, Northampton"),
    ("Northampton West Early Help Forum", "Northampton West", 2, 3, "St James Community Centre, Northampton"),
    ("Wellingborough Early Help Forum", "Wellingborough", 3, 3, "Wellingborough Children's Centre"),
    ("East Northamptonshire Early Help Forum", "East Northamptonshire", 1, 4, "Rushden Library"),
]

# Northampton North's members: (demo user, kind, what they represent from the terms of reference).
MEMBERS = [
    ("forum", ForumMember.Kind.COORDINATOR, "CAF Coordinator"),
    ("coach.parttime", ForumMember.Kind.CO_COORDINATOR, "Targeted Prevention Senior Practitioner"),
    ("businesssupport", ForumMember.Kind.BUSINESS_SUPPORT, "Area Business Support Officer"),
    ("socialworker", ForumMember.Kind.CORE, "Children's Social Care Senior Practitioner"),
    ("partner.school", ForumMember.Kind.CORE, "Schools"),
    ("partner.health", ForumMember.Kind.CORE, "Health Team Facilitator"),
    ("partner.police", ForumMember.Kind.CORE, "Police Safer Community Team"),
    ("partner.housing", ForumMember.Kind.EXTENDED, "Local Housing support agencies"),
]


def _forum(authority: Authority, name: str, area: Area, weekday: int, week: int, venue: str, today: date) -> Forum:
    slug = name.lower().replace(" early help forum", "").replace(" ", "-")
    return Forum.objects.create(
        authority=authority,
        area=area,
        name=name,
        weekday=weekday,
        week_of_month=week,
        first_meeting_on=today - timedelta(days=70),
        starts_at=time(9, 30),
        venue=venue,
        mailbox=f"{slug}-ehf@demo.earlyhelp.test",
    )


def _members(forum: Forum, users: dict[str, User]) -> dict[str, ForumMember]:
    made = {}
    for email, kind, represents in MEMBERS:
        user = users.get(email)
        if user is not None:
            made[email] = ForumMember.objects.create(forum=forum, user=user, kind=kind, represents=represents)
    return made


def _details(user: User, **values: object) -> requesting.RequestDetails:
    base: dict[str, object] = {
        "kind": RequestForDiscussion.Kind.CASE,
        "requester_name": user.full_name,
        "requester_agency": user.agency,
        "requester_agency_name": user.agency.name if user.agency else "",
        "requester_email": user.email,
        "requester_phone": "01604 000000",
        "about": RequestForDiscussion.About.CHILD,
        "caf_completed": False,
        "presenting_issues": ["child_social_behavioural_emotional"],
        "level_of_need": 2,
    }
    base.update(values)
    return requesting.RequestDetails(**base)  # type: ignore[arg-type]


def _last_months_meeting(forum: Forum, today: date) -> ForumMeeting:
    """Last month's meeting, as the calendar would have set it (the demo starts today)."""
    from earlyhelp.forums.scheduling import dates_for

    held_on = dates_for(forum, start=today - timedelta(days=45), end=today - timedelta(days=7))[-1]
    meeting = ForumMeeting.objects.create(
        forum=forum, planned_on=held_on, held_on=held_on, starts_at=forum.starts_at, venue=forum.venue
    )
    record_change(
        actor=None,
        actor_label="Forum calendar",
        verb=AuditEvent.Verb.CREATED,
        target=meeting,
        changes={"held_on": held_on.isoformat()},
    )
    return meeting


def load(authority: Authority) -> int:
    """Once: returns how many forums were made."""
    if Forum.objects.filter(authority=authority).exists():
        return 0
    today = timezone.localdate()
    users = {user.email.split("@")[0]: user for user in User.objects.filter(authority=authority)}
    areas = {area.name: area for area in Area.objects.filter(authority=authority)}
    forums = []
    with audited_writes():
        for name, area, weekday, week, venue in FORUMS:
            forum = _forum(authority, name, areas[area], weekday, week, venue, today)
            forums.append(forum)
        north = next(forum for forum in forums if forum.area.name == "Northampton North")
        members = _members(north, users)
        past = _last_months_meeting(north, today)
        for forum in forums:
            meetings_set_a_year_ahead(forum=forum, today=today)
    if len(members) == len(MEMBERS):
        _northampton_north(north, members, past, today)
    with audited_writes():
        front_door_contacts_take_in()
    return len(forums)


def _northampton_north(forum: Forum, members: dict[str, ForumMember], past: ForumMeeting, today: date) -> None:
    coordinator = members["forum"]
    school, health, police = (members[key].user for key in ("partner.school", "partner.health", "partner.police"))
    police_agency = police.agency
    named = requesting.request_submit(
        actor=school,
        forum=forum,
        details=_details(
            school,
            consent_given=True,
            child_name="Kayden Walsh",
            address="14 Boughton Green Road, Northampton NN2 7AL",
            date_of_birth=today - timedelta(days=8 * 365 + 40),
            school="Kingsthorpe Primary School",
            age_or_school_year="Year 4",
            presenting_issues=["child_social_behavioural_emotional", "family_housing", "adult_emotional_health"],
            summary="Kayden's behaviour at school has changed since the family were told to leave their flat.",
            barrier="Mum has asked for help with housing but no agency has taken it on; we need a lead.",
            what_has_been_done="School pastoral support twice a week; referral to the school nurse.",
            consent_given_by="Mum, Danielle Walsh",
            consent_given_on=past.held_on - timedelta(days=20),
            consent_how="Signed the consent form",
            not_shared_with=[police_agency] if police_agency else [],
        ),
    )
    requesting.request_decide(
        actor=coordinator.user,
        member=coordinator,
        request=named,
        decision=requesting.Decision.ACCEPT,
        meeting=past,
        reason="",
        seen_version=None,
    )
    running.discussion_record(
        actor=coordinator.user,
        member=coordinator,
        meeting=past,
        request=named,
        notes="Housing options discussed; the social care senior practitioner advised that a CAF is now needed.",
        decisions="Start a CAF with the family; housing to be invited next month.",
        actions=[
            running.ActionDetails(
                what="Start a CAF with Mum and agree a lead professional",
                owner_name="Helen Carter",
                owner_agency_name="Kingsthorpe Primary School",
                due_on=past.held_on + timedelta(days=14),
            ),
            running.ActionDetails(
                what="Ask Northampton Partnership Homes about a housing options appointment",
                owner_name="Grace Okafor",
                owner_agency_name="Targeted Prevention",
                due_on=today + timedelta(days=10),
            ),
        ],
    )
    running.attendance_record(
        actor=coordinator.user,
        member=coordinator,
        meeting=past,
        attendees=[
            running.Attendee(
                name=member.user.full_name,
                agency_name=member.user.agency.name if member.user.agency else member.represents,
                part="both" if member.kind != ForumMember.Kind.EXTENDED else "part_one",
                member=member,
            )
            for member in members.values()
        ],
    )
    running.decisions_recorded(
        actor=coordinator.user,
        member=coordinator,
        meeting=past,
        learning="Housing moves unsettle children's behaviour at school quickly: invite housing early.",
        seen_version=None,
    )
    running.action_notes_send(actor=coordinator.user, member=coordinator, meeting=past)
    market_place.market_place_add(
        actor=coordinator.user,
        details=market_place.EventDetails(
            area=forum.area,
            held_on=today + timedelta(days=60),
            venue="Northampton Guildhall, Great Hall",
            details="Stalls from every forum partner; a talk on the Family Help model.",
            agencies=list(Agency.objects.filter(authority=forum.authority).exclude(kind=Agency.Kind.SCHOOL)[:5]),
        ),
    )
    upcoming = requesting.next_open_meeting(forum, today=today)
    if upcoming is None:
        return
    anonymous = requesting.request_submit(
        actor=health,
        forum=forum,
        details=_details(
            health,
            consent_given=False,
            about=RequestForDiscussion.About.FAMILY,
            age_or_school_year="Baby of 4 months and a child in Reception",
            presenting_issues=["adult_emotional_health", "adult_parenting_capacity"],
            summary="A mother with low mood since the birth who declines a CAF; the older child is often late.",
            barrier="How to keep the mother engaged without an assessment she has refused.",
            who_to_invite="Housing",
        ),
    )
    requesting.request_decide(
        actor=coordinator.user,
        member=coordinator,
        request=anonymous,
        decision=requesting.Decision.ACCEPT,
        meeting=upcoming,
        reason="",
        seen_version=None,
    )
    requesting.request_invite(
        actor=coordinator.user,
        member=coordinator,
        request=anonymous,
        invited=[members["partner.housing"]],
        seen_version=None,
    )
    issue = requesting.request_submit(
        actor=police,
        forum=forum,
        details=_details(
            police,
            kind=RequestForDiscussion.Kind.COMMUNITY_ISSUE,
            summary="Groups of Year 9 pupils gathering at the Kingsthorpe shops after school; reports of older men.",
            barrier="Which agencies can offer after-school activity nearby.",
        ),
    )
    requesting.request_decide(
        actor=coordinator.user,
        member=coordinator,
        request=issue,
        decision=requesting.Decision.ACCEPT,
        meeting=upcoming,
        reason="",
        seen_version=None,
    )
    requesting.request_submit(
        actor=school,
        forum=forum,
        details=_details(
            school,
            consent_given=False,
            age_or_school_year="Year 6",
            summary="A pupil whose attendance has fallen to 80% this term; the family say it is illness.",
            barrier="Whether the attendance team or health should lead.",
        ),
    )
