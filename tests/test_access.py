"""The permission matrix: every page, for every role and for someone not signed in.

404 means "not there or not yours": a record's existence is never confirmed to someone who may
not see it.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from earlyhelp.directory.models import Service
from earlyhelp.organisations.models import Agency, User
from earlyhelp.people.access import people_visible_to
from tests.conftest import signed_in
from tests.factories import PersonFactory, consent_to_share, contact_received, level_of_need_decided, system_user
from tests.forums_world import matrix_world

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "front_door",
    "coach",
    "team_leader",
    "forum_coordinator",
    "business_support",
    "alice",
    "bob",
    "analyst",
    "administrator",
    "head_of_service",
    "social_worker",
    "information_governance",
]
CASEWORK = {
    "front_door",
    "coach",
    "team_leader",
    "forum_coordinator",
    "business_support",
    "head_of_service",
    "social_worker",
}
SIGN_IN = "redirect to sign in"


def expect(staff: int, alice: int, bob: int, others: int = 404, anonymous: str | int = SIGN_IN) -> dict[str, str | int]:
    outcome: dict[str, str | int] = {role: staff for role in CASEWORK}
    outcome.update({"alice": alice, "bob": bob, "analyst": others, "administrator": others, "anonymous": anonymous})
    # Information governance reads records and changes none: like the analyst unless said (READS).
    outcome["information_governance"] = others
    return outcome


TRIAGE: dict[str, str | int] = expect(404, 404, 404) | {"front_door": 200, "team_leader": 200}
LEADER: dict[str, str | int] = {"team_leader": 200}
# Who answers for information governance: team leaders and the head of service.
GOVERNANCE: dict[str, str | int] = {"team_leader": 200, "head_of_service": 200}
NOBODY: dict[str, str | int] = expect(404, 404, 404)
# Those who run the matrix's forum (tests/forums_world.matrix_world).
FORUM_RUNNERS: dict[str, str | int] = {"forum_coordinator": 200, "business_support": 200}


def an_episode(allocated: bool = True):
    """An episode of the personas' team ("Family Support Team North"): allocated to the "Family
    coach" persona by the "Team leader" persona, or awaiting a coach."""
    from earlyhelp.casework.models import Episode
    from tests.factories import episode_allocated, episode_awaiting

    existing = Episode.objects.filter(status=Episode.Status.OPEN if allocated else Episode.Status.AWAITING_ALLOCATION)
    if existing.exists():
        return existing.get()
    coach = User.objects.get(full_name="Family coach")
    leader = User.objects.get(full_name="Team leader")
    assert coach.team is not None
    if allocated:
        return episode_allocated(coach.team, coach, leader)
    return episode_awaiting(coach.team)


def a_case_note():
    from earlyhelp.casework.visiting import case_note_record
    from tests.test_casework_visits import a_visit

    episode = an_episode()
    existing = episode.case_notes.first()
    if existing is not None:
        return existing
    return case_note_record(actor=User.objects.get(full_name="Family coach"), episode=episode, details=a_visit())


def an_assessment():
    from earlyhelp.casework.assessing import assessment_start
    from earlyhelp.casework.models import AssessmentTemplate

    episode = an_episode()
    existing = episode.assessments.first()
    if existing is not None:
        return existing
    coach = User.objects.get(full_name="Family coach")
    return assessment_start(
        actor=coach, episode=episode, template=AssessmentTemplate.objects.filter(active=True).first()
    )


def a_plan_action():
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.casework.planning import ActionDetails, plan_action_add

    episode = an_episode()
    existing = episode.plan_actions.first()
    if existing is not None:
        return existing
    details = ActionDetails(
        "Morning routine chart", "Mum", timezone.localdate() + timedelta(days=14), "On time", "Register"
    )
    return plan_action_add(actor=User.objects.get(full_name="Family coach"), episode=episode, details=details)


def an_agency_referral():
    from django.utils import timezone

    from earlyhelp.records.models import AgencyReferral
    from earlyhelp.records.referring import ReferralDetails, agency_referral_make

    episode = an_episode()
    existing = AgencyReferral.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    details = ReferralDetails(None, "CAMHS", "Assessment", "Sleep", timezone.localdate(), True)
    return agency_referral_make(actor=User.objects.get(full_name="Family coach"), episode=episode, details=details)


def a_step_up(*, decided: bool = False, handed_over: bool = False):
    from django.utils import timezone

    from earlyhelp.casework.transfers import StepUpDecision, step_up_decide, step_up_hand_over, step_up_raise

    coach, leader = User.objects.get(full_name="Family coach"), User.objects.get(full_name="Team leader")
    step_up = step_up_raise(actor=coach, episode=an_episode(), concerns="Worse at home")
    if decided or handed_over:
        decision = StepUpDecision("stepping_up", "Needs social care", "MASH lead", True, "", timezone.localdate())
        step_up = step_up_decide(actor=leader, step_up=step_up, details=decision, seen_version=None)
    if handed_over:
        step_up = step_up_hand_over(
            actor=leader,
            step_up=step_up,
            handover_on=timezone.localdate(),
            note="Handed over",
            receiving_worker="Sam",
            seen_version=None,
        )
    return step_up


def a_step_down(okafor, *, accepted: bool = False):
    from earlyhelp.casework.models import StepDown
    from earlyhelp.casework.stepping_down import PanelDecision, Proposal, step_down_decide, step_down_propose

    existing = StepDown.objects.filter(family=okafor.family).first()
    if existing is not None:
        return existing
    social_worker = User.objects.get(full_name="Social worker")
    proposal = Proposal(children=[okafor.child.pk], why_now="Needs lessened", proposed_plan="School check-ins")
    step_down = step_down_propose(actor=social_worker, family=okafor.family, proposal=proposal)
    if accepted:
        leader = User.objects.get(full_name="Team leader")
        assert leader.team is not None
        decision = PanelDecision("accept", "Meets the criteria", leader.team, step_down.panel_on)
        step_down = step_down_decide(actor=leader, step_down=step_down, details=decision, seen_version=None)
    return step_down


def a_not_improving_flag():
    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.audit.trail import audited_writes, record_change
    from earlyhelp.casework.models import NotImproving

    with audited_writes():
        flag = NotImproving.objects.create(episode=an_episode(), reasons=["2 plan actions are past their date"])
        record_change(actor=None, actor_label="test", verb=AuditEvent.Verb.CREATED, target=flag)
    return flag


def a_document():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from earlyhelp.records.documents import DocumentDetails, document_upload
    from earlyhelp.records.models import Document

    episode = an_episode()
    existing = Document.objects.filter(episode=episode).first()
    if existing is not None:
        return existing
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    details = DocumentDetails(kind="correspondence", title="Letter", upload=upload)
    return document_upload(actor=User.objects.get(full_name="Family coach"), episode=episode, details=details)


def a_network_meeting():
    from django.utils import timezone

    from earlyhelp.casework.networks import Offer, network_meeting_offer

    offer = Offer(offered_on=timezone.localdate(), offered_to="Mum", others_invited="Aunt")
    return network_meeting_offer(actor=User.objects.get(full_name="Family coach"), episode=an_episode(), offer=offer)


def a_closed_episode():
    from earlyhelp.casework.closing import ClosureDetails, episode_close
    from earlyhelp.casework.models import Episode

    closed = Episode.objects.filter(status=Episode.Status.CLOSED).first()
    if closed is not None:
        return closed
    episode = an_episode()
    child = episode.children.get()
    details = ClosureDetails(
        end_reason="consent_withdrawn",
        summary="The family asked us to stop.",
        social_care_referral="not_refer",
        social_care_because="No worry beyond the original concern; the school stays involved",
        wellbeing={child.person_id: 6},
    )
    return episode_close(
        actor=User.objects.get(full_name="Team leader"), episode=episode, details=details, seen_version=None
    )


def an_escalation():
    from earlyhelp.casework.allocating import capacity_escalate

    leader = User.objects.get(full_name="Team leader")
    return capacity_escalate(actor=leader, episode=an_episode(allocated=False), why="Two coaches off sick")


def alices_referral():
    """A referral Alice sent (the Okafor fixture's partner practitioner)."""
    return contact_received(User.objects.get(full_name="Alice Partner"))


def decided():
    """A decision that waits for a team leader: a signpost against the thresholds tool's advice."""
    from earlyhelp.frontdoor import deciding, matching
    from earlyhelp.frontdoor.models import TriageDecision
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest

    actor = system_user()
    contact = alices_referral()
    for entry in contact.people.all():
        matching.contact_person_record(seen_version=None, actor=actor, entry=entry)
    version = framework_version_latest()
    assert version is not None
    deciding.contact_level_of_need_record(
        actor=actor, contact=contact, version=version, indicators=["l2-learning-01"], facts=Facts(), level=2
    )
    service = Service.objects.create(authority_id=actor.authority_id, name="Parenting", provider="x", description="x")
    decision: TriageDecision = deciding.contact_decide(
        actor=actor, contact=contact, outcome="signpost", reasons="Fits", service=service
    )
    return decision


# URL name → (how to build its address from the Okafor family, what each role gets on GET)
def a_consent(o):
    """The Okafors' consent to share with Alice's school."""
    return consent_to_share([o.mother, o.child], list(Agency.objects.filter(kind=Agency.Kind.SCHOOL)[:1]))


MATRIX = {
    "home": (lambda o: "/", expect(200, 200, 200, others=200)),
    "sign-in": (lambda o: "/sign-in/", expect(302, 302, 302, others=302, anonymous=200)),
    "health": (lambda o: "/healthz", expect(200, 200, 200, others=200, anonymous=200)),
    # A set-password link (an invitation): a wrong or used token shows "This link has expired".
    "accounts:set-password": (
        lambda o: "/account/set-password/MQ/not-a-token/",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    # The second step of signing in (tests/test_two_step.py): once it is passed, its page sends the
    # user on; everyone signed in may set up an authenticator app and see their recovery codes.
    "accounts:two-step": (lambda o: "/account/two-step/", expect(302, 302, 302, others=302)),
    "accounts:two-step-set-up": (lambda o: "/account/two-step/set-up/", expect(200, 200, 200, others=200)),
    "accounts:recovery-codes": (lambda o: "/account/two-step/recovery-codes/", expect(200, 200, 200, others=200)),
    # Single sign-on (tests/test_single_sign_on.py): not there unless the authority sets it up.
    "accounts:sign-on": (lambda o: "/account/sign-on/", expect(404, 404, 404, others=404, anonymous=404)),
    "accounts:sign-on-return": (
        lambda o: "/account/sign-on/return/",
        expect(404, 404, 404, others=404, anonymous=404),
    ),
    # Everyone signed in sees, and ends, only their own sessions.
    "accounts:sessions": (lambda o: "/account/sessions/", expect(200, 200, 200, others=200)),
    "accounts:session-end": (lambda o: "/account/sessions/1/end/", expect(405, 405, 405, others=405)),
    "refused-access": (lambda o: "/record-of-access/refused/", expect(404, 404, 404) | GOVERNANCE),
    "people:search": (lambda o: "/people/", expect(200, 200, 200)),
    "people:person-add": (lambda o: "/people/add/", expect(200, 200, 200)),
    "people:person-matches": (lambda o: "/people/add/possible-matches/", expect(302, 302, 302)),
    "people:person-detail": (lambda o: f"/people/{o.child.pk}/", expect(200, 200, 404)),
    "people:person-edit": (lambda o: f"/people/{o.child.pk}/edit/", expect(200, 200, 404)),
    # Only team leaders see who looked.
    "people:person-access-log": (
        lambda o: f"/people/{o.child.pk}/access-log/",
        expect(404, 404, 404) | GOVERNANCE,
    ),
    "people:relationship-add": (lambda o: f"/people/{o.child.pk}/relationships/add/", expect(200, 200, 404)),
    # Alice sees the child but not the mother, so not the relationship between them.
    "people:relationship-edit": (
        lambda o: f"/people/{o.child.pk}/relationships/{o.relationship.pk}/",
        expect(200, 404, 404),
    ),
    "people:family-add": (lambda o: "/families/add/", expect(200, 200, 200)),
    "people:family-detail": (lambda o: f"/families/{o.family.pk}/", expect(200, 200, 404)),
    "people:family-edit": (lambda o: f"/families/{o.family.pk}/edit/", expect(200, 200, 404)),
    "people:family-member-add": (lambda o: f"/families/{o.family.pk}/members/add/", expect(200, 200, 404)),
    "people:family-member-edit": (
        lambda o: f"/families/{o.family.pk}/members/{o.child_membership.pk}/",
        expect(200, 200, 404),
    ),
    "sign-out": (lambda o: "/sign-out/", expect(405, 405, 405, others=405, anonymous=SIGN_IN)),
    # Checking a level of need holds no personal data: everyone signed in may; the guidance is public.
    "thresholds:check": (lambda o: "/level-of-need/", expect(200, 200, 200, others=200)),
    "thresholds:public-check": (lambda o: "/guidance/level-of-need/", expect(200, 200, 200, others=200, anonymous=200)),
    "thresholds:matrix": (
        lambda o: "/guidance/level-of-need/matrix/",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    # A partner opens a child's levels of need only with the family's consent (tests/test_sharing.py).
    "thresholds:person-decide": (lambda o: f"/people/{o.child.pk}/level-of-need/", expect(200, 404, 404)),
    "thresholds:person-decision": (
        lambda o: f"/people/{o.child.pk}/level-of-need/{level_of_need_decided(o.child).pk}/",
        expect(200, 404, 404),
    ),
    # Consent and sharing: read by whoever sees the person, consent recorded by whoever may change
    # them, decisions to share by the authority's practitioners (not forum coordinators or business
    # support, whose roles do not decide on sharing).
    "sharing:person-sharing": (lambda o: f"/people/{o.child.pk}/sharing/", expect(200, 200, 404)),
    "sharing:agreement-add": (lambda o: f"/people/{o.child.pk}/sharing/agreement/", expect(200, 200, 404)),
    "sharing:consent-add": (lambda o: f"/people/{o.child.pk}/sharing/consent/", expect(200, 200, 404)),
    "sharing:withdraw": (
        lambda o: f"/people/{o.child.pk}/sharing/consent/{a_consent(o).pk}/withdraw/",
        expect(200, 200, 404),
    ),
    "sharing:decision-add": (
        lambda o: f"/people/{o.child.pk}/sharing/decision/",
        expect(200, 404, 404) | {"forum_coordinator": 404, "business_support": 404},
    ),
    # Retention and disposal: information governance only, a role no persona here has (tests/test_disposal.py).
    "governance:due": (lambda o: "/retention/", NOBODY),
    "governance:review": (lambda o: f"/retention/families/{o.family.pk}/", NOBODY),
    "governance:disposed": (lambda o: "/retention/disposed/", NOBODY),
    # Requests to correct a record: whoever may change the person records one; staff decide.
    "governance:rectifications": (lambda o: f"/people/{o.child.pk}/corrections/", expect(200, 200, 404)),
    "governance:rectification-decide": (lambda o: f"/people/{o.child.pk}/corrections/1/", expect(404, 404, 404)),
    # Subject access requests: information governance only too (tests/test_subject_access.py).
    "governance:subject-access-list": (lambda o: "/subject-access/", NOBODY),
    "governance:subject-access-add": (lambda o: f"/people/{o.child.pk}/subject-access/", NOBODY),
    "governance:subject-access": (lambda o: "/subject-access/1/", NOBODY),
    "governance:subject-access-item": (lambda o: "/subject-access/1/items/1/", NOBODY),
    "governance:subject-access-pack": (lambda o: "/subject-access/1/pack/", NOBODY),
    # Restricting a record to named people: team leaders and the head of service.
    "people:person-restrict": (lambda o: f"/people/{o.child.pk}/restrict/", NOBODY | GOVERNANCE),
    "people:family-restrict": (lambda o: f"/families/{o.family.pk}/restrict/", NOBODY | GOVERNANCE),
    # Merging duplicates is for the front door and team leaders.
    "people:person-merge": (lambda o: f"/people/{o.child.pk}/merge/", TRIAGE),
    "people:people-to-check": (lambda o: "/people/to-check/", TRIAGE),
    "people:person-to-check": (lambda o: "/people/to-check/1/", expect(404, 404, 404)),
    "people:person-merge-undo": (lambda o: "/people/merges/1/undo/", expect(405, 405, 405, others=405)),
    # The front door: referring is for partners and staff; triage for the front door and team leaders.
    "frontdoor:refer-start": (lambda o: "/refer/", expect(200, 200, 200)),
    "frontdoor:refer-step": (lambda o: "/refer/referrer/", expect(200, 200, 200)),
    "frontdoor:refer-discard": (lambda o: "/refer/discard/", expect(405, 405, 405, others=405)),
    "frontdoor:refer-children": (lambda o: "/refer/children/", expect(200, 200, 200)),
    "frontdoor:refer-child-add": (lambda o: "/refer/children/add/", expect(200, 200, 200)),
    "frontdoor:refer-child-edit": (lambda o: "/refer/children/0/", expect(404, 404, 404)),
    "frontdoor:refer-child-remove": (lambda o: "/refer/children/0/remove/", expect(405, 405, 405, others=405)),
    "frontdoor:refer-child-use-record": (
        lambda o: "/refer/children/0/use-record/",
        expect(405, 405, 405, others=405),
    ),
    "frontdoor:refer-adults": (lambda o: "/refer/adults/", expect(200, 200, 200)),
    "frontdoor:refer-adult-add": (lambda o: "/refer/adults/add/", expect(200, 200, 200)),
    "frontdoor:refer-adult-edit": (lambda o: "/refer/adults/0/", expect(404, 404, 404)),
    "frontdoor:refer-adult-remove": (lambda o: "/refer/adults/0/remove/", expect(405, 405, 405, others=405)),
    "frontdoor:refer-adult-use-record": (
        lambda o: "/refer/adults/0/use-record/",
        expect(405, 405, 405, others=405),
    ),
    "frontdoor:refer-level-of-need": (lambda o: "/refer/level-of-need/", expect(200, 200, 200)),
    "frontdoor:refer-check": (lambda o: "/refer/check/", expect(302, 302, 302)),
    # Only the referrer sees their own confirmation.
    "frontdoor:refer-sent": (lambda o: f"/refer/sent/{alices_referral().pk}/", expect(404, 200, 404)),
    "frontdoor:refer-stop": (lambda o: f"/refer/call-999/{alices_referral().pk}/", expect(404, 200, 404)),
    "frontdoor:my-referrals": (lambda o: "/referrals/", expect(200, 200, 200)),
    "frontdoor:ask": (lambda o: "/ask-for-help/", expect(200, 200, 200, others=200, anonymous=200)),
    "frontdoor:ask-sent": (lambda o: "/ask-for-help/sent/", expect(200, 200, 200, others=200, anonymous=200)),
    "frontdoor:queue": (lambda o: "/front-door/", TRIAGE),
    "frontdoor:contact": (lambda o: f"/front-door/contacts/{alices_referral().pk}/", TRIAGE),
    "frontdoor:contact-person": (
        lambda o: "/front-door/contacts/{0.contact_id}/people/{0.pk}/".format(alices_referral().people.first()),
        TRIAGE,
    ),
    "frontdoor:contact-level": (lambda o: f"/front-door/contacts/{alices_referral().pk}/level-of-need/", TRIAGE),
    "frontdoor:contact-decide": (lambda o: f"/front-door/contacts/{alices_referral().pk}/decide/", TRIAGE),
    "frontdoor:contact-consent": (lambda o: f"/front-door/contacts/{alices_referral().pk}/consent/", TRIAGE),
    "frontdoor:contact-letter": (lambda o: f"/front-door/contacts/{decided().contact_id}/letter/", TRIAGE),
    "frontdoor:confirmations": (lambda o: "/front-door/decisions-to-confirm/", expect(404, 404, 404) | LEADER),
    "frontdoor:confirmation": (
        lambda o: f"/front-door/decisions-to-confirm/{decided().pk}/",
        expect(404, 404, 404) | LEADER,
    ),
    "frontdoor:awaiting-meeting": (lambda o: "/front-door/awaiting-a-meeting/", TRIAGE),
    # A coach sees their own team's new referrals; the front door sees every team's.
    "frontdoor:team-referrals": (lambda o: "/family-support/new-referrals/", TRIAGE | {"coach": 200}),
    # Casework: staff read every episode; the coach, their team leader and the lead change it.
    "casework:my-families": (
        lambda o: "/my-families/",
        NOBODY | {"coach": 200, "alice": 200, "bob": 200, "social_worker": 200},
    ),
    "casework:my-team": (lambda o: "/team/", NOBODY | {"team_leader": 302, "head_of_service": 302}),
    "casework:team": (lambda o: f"/teams/{an_episode().team_id}/", NOBODY | GOVERNANCE),
    "casework:episode": (lambda o: f"/episodes/{an_episode().pk}/", expect(200, 404, 404)),
    # Supervision: the team's leaders record it; they and the head of service read it.
    "casework:supervision": (lambda o: f"/teams/{an_episode().team_id}/supervision/", NOBODY | GOVERNANCE),
    "casework:supervision-individual": (
        lambda o: f"/teams/{an_episode().team_id}/supervision/individual/",
        NOBODY | LEADER,
    ),
    "casework:supervision-group": (lambda o: f"/teams/{an_episode().team_id}/supervision/group/", NOBODY | LEADER),
    "casework:case-supervision": (lambda o: f"/episodes/{an_episode().pk}/case-supervision/", NOBODY | LEADER),
    "casework:allocate": (lambda o: f"/episodes/{an_episode(allocated=False).pk}/allocate/", NOBODY | LEADER),
    "casework:escalate": (
        lambda o: f"/episodes/{an_episode(allocated=False).pk}/ask-the-head-of-service/",
        NOBODY | LEADER,
    ),
    "casework:legal-basis": (
        lambda o: f"/episodes/{an_episode().pk}/legal-basis/",
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:lead-practitioner": (
        lambda o: f"/episodes/{an_episode().pk}/lead-practitioner/",
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:visit-add": (
        lambda o: f"/episodes/{an_episode().pk}/visits/add/",
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:case-note": (
        lambda o: "/episodes/{0.episode_id}/case-notes/{0.pk}/".format(a_case_note()),
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:oversight-add": (lambda o: f"/episodes/{an_episode().pk}/oversight/add/", NOBODY | LEADER),
    "casework:assessment": (lambda o: f"/episodes/{an_episode().pk}/assessment/", NOBODY | LEADER | {"coach": 200}),
    "casework:assessment-detail": (
        lambda o: "/episodes/{0.episode_id}/assessments/{0.pk}/".format(an_assessment()),
        expect(200, 404, 404),
    ),
    "casework:team-around-the-family": (
        lambda o: f"/episodes/{an_episode().pk}/team-around-the-family/",
        expect(200, 404, 404),
    ),
    "casework:member-leave": (
        lambda o: f"/episodes/{an_episode().pk}/team-around-the-family/1/leave/",
        expect(405, 405, 405, others=405),
    ),
    "casework:plan": (lambda o: f"/episodes/{an_episode().pk}/plan/", expect(200, 404, 404)),
    "casework:plan-action": (
        lambda o: "/episodes/{0.episode_id}/plan/{0.pk}/".format(a_plan_action()),
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:meeting-add": (lambda o: f"/episodes/{an_episode().pk}/meetings/add/", NOBODY | LEADER | {"coach": 200}),
    "casework:close": (lambda o: f"/episodes/{an_episode().pk}/close/", NOBODY | LEADER),
    # Supporting Families (issue 16): the family's outcomes for whoever opens the case file; the
    # six-month check and the list of checks due for the team's leaders and the head of service.
    "casework:supporting-families": (
        lambda o: f"/episodes/{an_episode().pk}/supporting-families/",
        expect(200, 404, 404),
    ),
    "casework:sustained-check": (
        lambda o: f"/episodes/{a_closed_episode().pk}/supporting-families/six-month-check/",
        NOBODY | LEADER | {"head_of_service": 200},
    ),
    "casework:sustained-checks": (
        lambda o: "/supporting-families/checks/",
        NOBODY | LEADER | {"head_of_service": 200},
    ),
    "casework:not-improving": (
        lambda o: "/episodes/{0.episode_id}/not-improving/{0.pk}/".format(a_not_improving_flag()),
        NOBODY | LEADER,
    ),
    "casework:closure-letter": (lambda o: f"/episodes/{a_closed_episode().pk}/closure-letter/", expect(200, 404, 404)),
    "casework:step-up": (lambda o: f"/episodes/{an_episode().pk}/step-up/", expect(200, 404, 404)),
    "casework:family-network": (lambda o: f"/episodes/{an_episode().pk}/family-network/", expect(200, 404, 404)),
    "casework:family-network-meeting": (
        lambda o: "/episodes/{0.episode_id}/family-network/{0.pk}/".format(a_network_meeting()),
        NOBODY | LEADER | {"coach": 200},
    ),
    "casework:step-up-decide": (
        lambda o: "/episodes/{0.episode_id}/step-up/{0.pk}/decide/".format(a_step_up()),
        NOBODY | LEADER,
    ),
    "casework:step-up-hand-over": (
        lambda o: "/episodes/{0.episode_id}/step-up/{0.pk}/hand-over/".format(a_step_up(decided=True)),
        NOBODY | LEADER,
    ),
    "casework:step-up-letter": (
        lambda o: "/episodes/{0.episode_id}/step-up/{0.pk}/ending-letter/".format(a_step_up(handed_over=True)),
        expect(200, 404, 404),
    ),
    "records:step-up-referral": (
        lambda o: "/episodes/{0.episode_id}/step-up/{0.pk}/referral/".format(a_step_up(decided=True)),
        expect(200, 404, 404),
    ),
    # The transfer panel: social workers propose; team leaders and the head of service decide.
    "casework:transfer-panel": (lambda o: "/transfer-panel/", NOBODY | GOVERNANCE | {"social_worker": 200}),
    "casework:step-down-propose": (lambda o: "/transfer-panel/propose/", NOBODY | {"social_worker": 200}),
    "casework:step-down": (
        lambda o: f"/transfer-panel/{a_step_down(o).pk}/",
        NOBODY | GOVERNANCE | {"social_worker": 200},
    ),
    "casework:step-down-hand-over": (
        lambda o: f"/transfer-panel/{a_step_down(o, accepted=True).pk}/hand-over/",
        NOBODY | LEADER,
    ),
    "casework:step-down-letter": (
        lambda o: f"/transfer-panel/{a_step_down(o).pk}/letter/",
        NOBODY,
    ),
    "casework:step-down-social-care-closed": (
        lambda o: f"/transfer-panel/{a_step_down(o).pk}/social-care-closed/",
        NOBODY | {"social_worker": 200},
    ),
    "casework:capacity": (lambda o: "/beyond-capacity/", NOBODY | {"head_of_service": 200}),
    "casework:capacity-decide": (
        lambda o: f"/beyond-capacity/{an_escalation().pk}/",
        NOBODY | {"head_of_service": 200},
    ),
    # The family's record: read as the case file is; added to by whoever works the episode.
    "records:chronology": (lambda o: f"/episodes/{an_episode().pk}/chronology/", expect(200, 404, 404)),
    "records:agency-referrals": (
        lambda o: f"/episodes/{an_episode().pk}/referrals-to-agencies/",
        expect(200, 404, 404),
    ),
    "records:agency-referral": (
        lambda o: "/episodes/{0.episode_id}/referrals-to-agencies/{0.pk}/".format(an_agency_referral()),
        NOBODY | LEADER | {"coach": 200},
    ),
    "records:documents": (lambda o: f"/episodes/{an_episode().pk}/documents/", expect(200, 404, 404)),
    "records:document-download": (
        lambda o: "/episodes/{0.episode_id}/documents/{0.pk}/download/".format(a_document()),
        expect(200, 404, 404),
    ),
    "records:genogram-and-ecomap": (
        lambda o: f"/episodes/{an_episode().pk}/genogram-and-ecomap/",
        expect(200, 404, 404),
    ),
    "records:chronology-add": (
        lambda o: f"/episodes/{an_episode().pk}/chronology/add/",
        NOBODY | LEADER | {"coach": 200},
    ),
    # Early Help Forums (issue 15; every kind of member in tests/test_forums_access.py): the forums
    # and their dates for everyone signed in; a meeting for its members; part two's cases for core
    # members; running the meeting for the coordinator and business support. Alice is a core
    # member of the matrix's forum, Bob is not a member.
    "forums:forums": (lambda o: "/forums/", expect(200, 200, 200, others=200)),
    "forums:forum": (lambda o: f"/forums/{matrix_world().forum.pk}/", expect(200, 200, 200, others=200)),
    "forums:request-add": (
        lambda o: f"/forums/{matrix_world().forum.pk}/request-a-discussion/",
        expect(200, 200, 200),
    ),
    "forums:request": (
        lambda o: f"/forum-requests/{matrix_world().named_case.pk}/",
        NOBODY | FORUM_RUNNERS | {"alice": 200},
    ),
    "forums:market-place": (lambda o: "/forums/market-place/", expect(200, 200, 200, others=200)),
    "forums:reports": (
        lambda o: f"/forums/reports/?forum={matrix_world().forum.pk}",
        NOBODY | FORUM_RUNNERS | {"team_leader": 200, "head_of_service": 200, "analyst": 200, "administrator": 200},
    ),
    "forums:request-refer": (
        lambda o: f"/forum-requests/{matrix_world().extra['discussed'].pk}/refer-to-the-front-door/",
        NOBODY | FORUM_RUNNERS,
    ),
    "forums:meeting": (
        lambda o: f"/forum-meetings/{matrix_world().meeting.pk}/",
        NOBODY | FORUM_RUNNERS | {"alice": 200},
    ),
    "forums:meeting-change": (lambda o: f"/forum-meetings/{matrix_world().meeting.pk}/change/", NOBODY | FORUM_RUNNERS),
    "forums:attendance": (lambda o: f"/forum-meetings/{matrix_world().meeting.pk}/attendance/", NOBODY | FORUM_RUNNERS),
    "forums:discussion": (
        lambda o: "/forum-meetings/{0.meeting.pk}/discussions/{0.named_case.pk}/".format(matrix_world()),
        NOBODY | FORUM_RUNNERS,
    ),
    "forums:action": (
        lambda o: f"/forum-meetings/{matrix_world().meeting.pk}/actions/{matrix_world().extra['action'].pk}/",
        NOBODY | FORUM_RUNNERS,
    ),
    # The performance framework: whoever sees aggregate figures (a team leader, the head of
    # service, an analyst, an administrator); names beside them only for the first two.
    "performance:dashboard": (
        lambda o: "/performance/",
        NOBODY | {"team_leader": 200, "head_of_service": 200, "analyst": 200, "administrator": 200},
    ),
    "performance:supporting-families": (
        lambda o: "/performance/supporting-families/",
        NOBODY | {"team_leader": 200, "head_of_service": 200, "analyst": 200, "administrator": 200},
    ),
    "performance:partner-agencies": (
        lambda o: "/performance/partner-agencies/",
        NOBODY | {"team_leader": 200, "head_of_service": 200, "analyst": 200, "administrator": 200},
    ),
    "performance:kpi": (
        lambda o: "/performance/first-visit-from-referral/",
        NOBODY | {"team_leader": 200, "head_of_service": 200, "analyst": 200, "administrator": 200},
    ),
    "directory:services": (lambda o: "/services/", expect(200, 200, 200, others=200, anonymous=200)),
    # The referrals API needs a partner system's key; a signed-in session is not enough.
    "api:need_list": (lambda o: "/api/v1/referrals/needs", expect(401, 401, 401, others=401, anonymous=401)),
    "api:referral_create": (lambda o: "/api/v1/referrals", expect(405, 405, 405, others=405, anonymous=405)),
    "api:referral_detail": (
        lambda o: "/api/v1/referrals/EH0000001",
        expect(401, 401, 401, others=401, anonymous=401),
    ),
    # The JSON API authenticates per router; the thresholds part holds no personal data and is open.
    "api:api-root": (lambda o: "/api/v1/", expect(404, 404, 404, others=404, anonymous=404)),
    "api:openapi-json": (lambda o: "/api/v1/openapi.json", expect(200, 200, 200, others=200, anonymous=200)),
    "api:openapi-view": (lambda o: "/api/v1/docs", expect(200, 200, 200, others=200, anonymous=200)),
    "api:framework_list": (
        lambda o: "/api/v1/thresholds/frameworks",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    "api:framework_detail": (
        lambda o: "/api/v1/thresholds/frameworks/newham",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    "api:framework_assess": (
        lambda o: "/api/v1/thresholds/frameworks/newham/assessments",
        expect(405, 405, 405, others=405, anonymous=405),
    ),
}


# What information governance opens: records to read, and its own pages; never a page that changes
# a record (tests/test_who_looked.py, test_disposal.py, test_subject_access.py).
INFORMATION_GOVERNANCE_READS = {
    "people:search",
    "people:person-detail",
    "people:family-detail",
    "people:person-access-log",
    "refused-access",
    "sharing:person-sharing",
    "thresholds:person-decision",
    "casework:episode",
    "casework:plan",
    "casework:supporting-families",
    "casework:team-around-the-family",
    "casework:assessment-detail",
    "casework:closure-letter",
    "records:chronology",
    "records:genogram-and-ecomap",
    "records:agency-referrals",
    "records:step-up-referral",
    "records:documents",
    "records:document-download",
    "casework:step-up",
    "casework:step-up-letter",
    "casework:family-network",
    "governance:due",
    "governance:review",
    "governance:disposed",
    "governance:subject-access-list",
    "governance:subject-access-add",
}
for _name in INFORMATION_GOVERNANCE_READS:
    _build, _outcomes = MATRIX[_name]
    MATRIX[_name] = (_build, _outcomes | {"information_governance": 200})


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_the_matrix_covers_every_page_of_the_service():
    assert project_url_names() == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(request, role, url_name, okafor):
    build, outcomes = MATRIX[url_name]
    if url_name.startswith(("thresholds:", "api:", "frontdoor:", "casework:", "records:", "forums:")):
        request.getfixturevalue("frameworks")
    if url_name.startswith(("casework:", "records:")):
        request.getfixturevalue("coach")
        request.getfixturevalue("team_leader")
    if url_name.startswith("casework:step-down"):
        request.getfixturevalue("social_worker")
    if url_name.startswith("forums:"):
        for persona in ("forum_coordinator", "business_support", "alice"):
            request.getfixturevalue(persona)
    client = Client() if role == "anonymous" else signed_in(request.getfixturevalue(role))
    response = client.get(build(okafor))
    expected = outcomes[role]
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["analyst", "administrator", "bob"])
def test_roles_without_access_cannot_change_a_record(request, role, okafor):
    client = signed_in(request.getfixturevalue(role))
    response = client.post(f"/people/{okafor.child.pk}/edit/", {"first_name": "Changed"})
    assert response.status_code == 404
    okafor.child.refresh_from_db()
    assert okafor.child.first_name == "Tobi"


def test_only_the_administrator_reaches_the_admin_site(administrator, front_door):
    assert signed_in(administrator).get("/admin/").status_code == 200
    assert signed_in(front_door).get("/admin/").status_code == 302


def test_the_admin_site_holds_no_person_or_family_records(administrator):
    page = signed_in(administrator).get("/admin/").content.decode()
    assert "Users" in page
    assert "People" not in page
    assert "Families" not in page
    assert "Audit" not in page


def test_a_partner_finds_only_the_people_they_work_with(alice, okafor):
    PersonFactory(first_name="Tobias", last_name="Okafor")
    page = signed_in(alice).get("/people/", {"name": "Okafor"}).content.decode()
    assert "1 person found" in page
    assert "Tobi Okafor" in page


def test_a_partner_sees_only_their_members_of_a_family(alice, okafor):
    page = signed_in(alice).get(f"/families/{okafor.family.pk}/").content.decode()
    assert "Tobi Okafor" in page
    assert "Grace Okafor" not in page
    assert "1 other member is recorded whose records you do not have access to" in page


def test_a_partner_who_records_a_person_can_go_on_seeing_them(bob):
    signed_in(bob).post(
        "/people/add/",
        {
            "kind": "adult",
            "first_name": "New",
            "last_name": "Person",
            "gender": "not_known",
            "ethnicity": "NOBT",
            "disability": "not_known",
        },
    )
    assert [person.first_name for person in people_visible_to(bob)] == ["New"]


def test_staff_of_another_authority_see_nothing(okafor, team):
    from earlyhelp.organisations.roles import Role
    from tests.factories import AuthorityFactory, UserFactory

    outsider = UserFactory(authority=AuthorityFactory(code="999", name="Elsewhere"), roles=[Role.TEAM_LEADER])
    assert signed_in(outsider).get(f"/people/{okafor.child.pk}/").status_code == 404
    assert not people_visible_to(outsider).exists()


@pytest.mark.django_db
def test_someone_who_may_not_triage_opening_a_contact_is_refused_and_recorded(alice, coach, frameworks):
    from earlyhelp.audit.models import AuditEvent

    contact = contact_received(alice)
    assert signed_in(coach).get(f"/front-door/contacts/{contact.pk}/").status_code == 404
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.REFUSED, actor=coach)
    assert (refused.target_type, refused.target_id, refused.details) == (
        "frontdoor.contact",
        contact.pk,
        {"attempted": "open"},
    )


@pytest.mark.django_db
def test_the_front_doors_access_functions_answer_each_role_directly(alice, bob, coach, analyst, front_door, frameworks):
    from django.http import Http404

    from earlyhelp.frontdoor import access

    contact = contact_received(alice)
    assert list(access.referrals_made_by(alice)) == [contact]
    assert list(access.referrals_made_by(bob)) == []
    assert list(access.referrals_made_by(analyst)) == []  # may not refer: nothing, never an error
    assert list(access.contacts_visible_to(analyst)) == []
    assert list(access.contacts_visible_to(front_door)) == [contact]
    with pytest.raises(Http404, match=r"^No contact found$"):
        access.get_contact_for_triage(coach, contact.pk)
    assert access.get_contact_for_triage(front_door, contact.pk) == contact


@pytest.mark.django_db
def test_only_a_team_leader_may_open_a_decision_to_confirm_and_a_refusal_is_recorded(
    alice, front_door, team_leader, frameworks
):
    from django.http import Http404

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.frontdoor import access, deciding
    from tests.test_frontdoor_services import matched_and_levelled

    contact = matched_and_levelled(contact_received(alice), front_door, frameworks)
    decision = deciding.contact_decide(actor=front_door, contact=contact, outcome="redirect", reasons="Section 47")
    assert access.get_decision_for_confirmation(team_leader, decision.pk) == decision
    with pytest.raises(Http404, match=r"^No decision found$"):
        access.get_decision_for_confirmation(front_door, decision.pk)
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.REFUSED, actor=front_door)
    assert (refused.target_type, refused.target_id, refused.details) == (
        "frontdoor.triagedecision",
        decision.pk,
        {"attempted": "confirm"},
    )


@pytest.mark.django_db
def test_a_partner_system_sees_only_the_referrals_it_sent(alice, authority, school, frameworks):
    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.frontdoor import access
    from earlyhelp.frontdoor.models import Contact
    from earlyhelp.frontdoor.partner_systems import partner_system_add

    partner, _ = partner_system_add(agency_id=school.pk, authority_id=authority.pk, name="MIS")
    from earlyhelp.frontdoor.receiving import contact_receive
    from tests.factories import a_referral

    with_key = contact_receive(
        referral=a_referral(),
        source=Contact.Source.PARTNER_SYSTEM,
        authority_id=authority.pk,
        partner_system=partner,
    )
    assert access.contact_for_partner_system(partner, with_key.pk) == with_key
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED).exists()
    mine = contact_received(alice)  # sent by Alice, not by the system
    assert access.contact_for_partner_system(partner, mine.pk) is None
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.REFUSED)
    assert (refused.target_type, refused.target_id, refused.details) == (
        "frontdoor.contact",
        mine.pk,
        {"attempted": "open"},
    )
    assert refused.actor_label.startswith("MIS")
    assert access.contact_for_partner_system(partner, None) is None  # no number: nothing to record
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED).count() == 1


@pytest.mark.django_db
def test_each_refusal_of_a_record_says_only_that_there_is_none_and_is_recorded(okafor, bob, analyst):
    from django.http import Http404

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.people import access

    refusals = [
        (lambda: access.get_person_for_user(bob, okafor.child.pk), "No person found", "people.person", "open"),
        (lambda: access.get_person_for_editing(analyst, 10**9), "No person found", "people.person", "change"),
        (lambda: access.get_family_for_user(bob, okafor.family.pk), "No family found", "people.family", "open"),
        (lambda: access.get_family_for_editing(bob, okafor.family.pk), "No family found", "people.family", "change"),
        (
            lambda: access.get_relationship_for_editing(bob, okafor.mother, 10**9),
            "No relationship found",
            "people.relationship",
            "change",
        ),
        (
            lambda: access.get_membership_for_editing(bob, okafor.family, okafor.mother_membership.pk),
            "No family member found",
            "people.familymembership",
            "change",
        ),
        (lambda: access.get_merge_for_undoing(bob, 10**9), "No such merge", "people.personmerge", "change"),
    ]
    for attempt, message, target_type, attempted in refusals:
        with pytest.raises(Http404) as refused:
            attempt()
        assert str(refused.value) == message
        event = AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED).order_by("-id").first()
        assert event is not None
        assert (event.target_type, event.details) == (target_type, {"attempted": attempted})


def _able_only_to_see(user: User) -> User:
    """A user who may read the authority's records but change none (no role is so today; the
    editing functions must still refuse one)."""
    from earlyhelp.organisations.roles import Permission

    user.__dict__["permissions"] = frozenset({Permission.VIEW_AUTHORITY_RECORDS})
    return user


def test_someone_who_may_see_a_person_but_not_change_them_is_refused_as_if_there_were_none(front_door, okafor):
    from django.http import Http404

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.people.access import get_family_for_editing, get_person_for_editing

    reader = _able_only_to_see(front_door)
    with pytest.raises(Http404, match=r"^No person found$"):
        get_person_for_editing(reader, okafor.child.pk)
    with pytest.raises(Http404, match=r"^No family found$"):
        get_family_for_editing(reader, okafor.family.pk)
    refused = AuditEvent.objects.filter(verb=AuditEvent.Verb.REFUSED, actor=reader).order_by("id")
    assert [(event.target_type, event.target_id, event.details) for event in refused] == [
        ("people.person", okafor.child.pk, {"attempted": "change"}),
        ("people.family", okafor.family.pk, {"attempted": "change"}),
    ]


@pytest.mark.parametrize("written", ["{ref}", " {ref_lower} ", "{pk}"])
def test_a_duplicate_is_found_by_its_reference_however_it_is_typed(front_door, okafor, written):
    from earlyhelp.people.access import duplicate_for_merging

    duplicate = PersonFactory(first_name="Toby", last_name="Okafor")
    reference = written.format(ref=duplicate.reference, ref_lower=duplicate.reference.lower(), pk=duplicate.pk)
    assert duplicate_for_merging(front_door, okafor.child, reference) == duplicate


@pytest.mark.parametrize("written", ["", "P", "Pabc", "P12x", "Q1"])
def test_a_reference_that_names_no_record_finds_none(front_door, okafor, written):
    from earlyhelp.people.access import duplicate_for_merging

    assert duplicate_for_merging(front_door, okafor.child, written) is None


def test_a_record_is_never_its_own_duplicate_nor_one_the_user_cannot_see(front_door, okafor):
    from earlyhelp.organisations.roles import Role
    from earlyhelp.people.access import duplicate_for_merging
    from tests.factories import AuthorityFactory, UserFactory

    assert duplicate_for_merging(front_door, okafor.child, okafor.child.reference) is None
    outsider = UserFactory(
        authority=AuthorityFactory(code="998", name="Elsewhere"), roles=[Role.FRONT_DOOR_PRACTITIONER]
    )
    elsewhere = PersonFactory(actor=outsider)
    assert elsewhere.authority_id == outsider.authority_id
    assert duplicate_for_merging(front_door, okafor.child, elsewhere.reference) is None


def test_a_signed_in_users_roles_come_with_them_in_one_query_and_change_at_once(team_leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from earlyhelp.organisations.models import RoleAssignment
    from earlyhelp.organisations.roles import Role

    client = signed_in(team_leader)
    RoleAssignment.objects.create(user=team_leader, role=Role.FRONT_DOOR_PRACTITIONER)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/front-door/").status_code == 200
    alone = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "organisations_roleassignment"')
    ]
    assert alone == []
    RoleAssignment.objects.filter(user=team_leader).delete()
    assert client.get("/front-door/").status_code == 404  # refused, as for anyone without the role
