"""Casework's rules, tested through its services: an episode opens from the front door's
decision, a team leader allocates it against caseload capacity with a note that sets the
family's timescales, the head of service decides beyond capacity, the legal basis and the lead
practitioner change with their history, and a partner who leads sees the family until handover."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import allocating, leading
from earlyhelp.casework.caseloads import caseload_of
from earlyhelp.casework.configuration import casework_settings_of
from earlyhelp.casework.models import (
    Allocation,
    CapacityEscalation,
    CaseworkSettings,
    Episode,
    EpisodeReferral,
    LegalBasis,
    Oversight,
    ServiceModel,
    WellbeingScore,
)
from earlyhelp.core.workflow import StaleEditError
from earlyhelp.organisations.models import Team
from earlyhelp.organisations.roles import Role
from earlyhelp.people.access import people_visible_to
from earlyhelp.people.models import Involvement
from tests.factories import (
    TeamFactory,
    UserFactory,
    allocation_note,
    contact_received,
    episode_allocated,
    episode_awaiting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_help(authority) -> CaseworkSettings:
    settings = casework_settings_of(authority)
    settings.service_model = ServiceModel.FAMILY_HELP
    settings.save(update_fields=["service_model"])
    return settings


def test_the_front_doors_allocation_opens_an_episode_for_the_family_with_its_children_and_needs(team, frameworks):
    episode = episode_awaiting(team)
    assert episode.status == Episode.Status.AWAITING_ALLOCATION
    assert episode.team == team
    assert episode.legal_basis == LegalBasis.TARGETED_EARLY_HELP
    assert episode.referred_at == episode.contact.received_at
    assert episode.reached_team_at == episode.contact.decided_at
    [child] = episode.children.all()
    assert child.person.first_name == "Maya"
    # The referral's Families First factors carry across; its other needs have no code here.
    assert sorted(child.needs.values_list("code", flat=True)) == ["emotional-wellbeing", "family-conflict"]
    [basis] = episode.legal_basis_changes.all()
    assert (basis.before, basis.after) == ("", LegalBasis.TARGETED_EARLY_HELP)


def test_a_second_referral_while_the_family_has_an_open_episode_joins_it(team, frameworks):
    episode = episode_awaiting(team)
    again = episode_awaiting(team)
    assert again.pk == episode.pk
    assert Episode.objects.count() == 1
    assert EpisodeReferral.objects.filter(episode=episode).count() == 2
    assert [link.opened_it for link in episode.referrals.all()] == [True, False]


def test_a_team_leader_allocates_with_a_note_that_sets_the_timescales_and_scores_wellbeing(
    team, coach, team_leader, frameworks
):
    episode = episode_awaiting(team)
    note = allocation_note(coach, episode)
    episode = allocating.episode_allocate(actor=team_leader, episode=episode, note=note, seen_version=episode.version)
    assert episode.status == Episode.Status.OPEN
    assert episode.coach == coach
    assert episode.allocated_at is not None
    assert (episode.first_visit_due, episode.assessment_due) == (note.first_visit_due, note.assessment_due)
    assert (episode.first_meeting_due, episode.manager_review_due) == (note.first_meeting_due, note.manager_review_due)
    [score] = WellbeingScore.objects.filter(episode=episode)
    assert (score.point, score.score, score.scale_highest) == ("allocation", 5, 10)
    child = episode.children.get()
    assert sorted(child.needs.values_list("code", flat=True)) == ["family-conflict", "sf-family-relationships"]
    assert Oversight.objects.filter(episode=episode, point=Oversight.Point.ALLOCATION).count() == 1
    assert Allocation.objects.get(episode=episode).within_capacity


def test_allocation_names_every_missing_part_of_the_note_and_saves_nothing(team, coach, team_leader, frameworks):
    episode = episode_awaiting(team)
    child = episode.children.get()
    note = allocation_note(
        None,
        episode,
        note=" ",
        first_visit_due=None,
        assessment_due=timezone.localdate() - timedelta(days=30),
        weight=Decimal("9"),
        children=[],
    )
    with pytest.raises(ValidationError) as raised:
        allocating.episode_allocate(actor=team_leader, episode=episode, note=note, seen_version=episode.version)
    assert set(raised.value.message_dict) == {
        "coach",
        "note",
        "first_visit_due",
        "assessment_due",
        "weight",
        f"wellbeing-{child.person_id}",
        f"needs-{child.person_id}",
    }
    episode.refresh_from_db()
    assert episode.status == Episode.Status.AWAITING_ALLOCATION
    assert not Allocation.objects.exists()


def test_a_wellbeing_score_off_the_authoritys_scale_is_refused(team, coach, team_leader, frameworks):
    episode = episode_awaiting(team)
    child = episode.children.get()
    note = allocation_note(
        coach, episode, children=[allocating.ChildAtAllocation(child.person_id, 11, ["family-conflict"])]
    )
    with pytest.raises(ValidationError) as raised:
        allocating.episode_allocate(actor=team_leader, episode=episode, note=note, seen_version=None)
    assert "from 0 to 10" in raised.value.message_dict[f"wellbeing-{child.person_id}"][0]


def test_only_a_team_leader_of_the_episodes_team_allocates(team, coach, team_leader, authority, frameworks):
    episode = episode_awaiting(team)
    elsewhere = UserFactory(authority=authority, team=TeamFactory(area=team.area), roles=[Role.TEAM_LEADER])
    for actor in (coach, elsewhere):
        with pytest.raises(ValidationError, match="Only a team leader"):
            allocating.episode_allocate(
                actor=actor, episode=episode, note=allocation_note(coach, episode), seen_version=None
            )


def test_a_coach_from_another_team_cannot_be_given_the_family(team, team_leader, authority, frameworks):
    episode = episode_awaiting(team)
    outsider = UserFactory(authority=authority, team=TeamFactory(area=team.area), roles=[Role.FAMILY_COACH])
    with pytest.raises(ValidationError) as raised:
        allocating.episode_allocate(
            actor=team_leader, episode=episode, note=allocation_note(outsider, episode), seen_version=None
        )
    assert "is not a family coach in" in raised.value.message_dict["coach"][0]


def test_an_allocation_from_a_stale_page_is_refused(team, coach, team_leader, frameworks):
    episode = episode_awaiting(team)
    seen = episode.version
    allocating.episode_allocate(
        actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=seen
    )
    other = UserFactory(authority=team.area.authority, team=team, roles=[Role.FAMILY_COACH])
    with pytest.raises(StaleEditError):
        allocating.episode_allocate(
            actor=team_leader, episode=episode, note=allocation_note(other, episode), seen_version=seen
        )


def _fill(coach, team, leader, count: int) -> None:
    for number in range(count):
        episode_allocated(
            team, coach, leader, children=[_child(number)], adults=[], needs=["family-conflict"], reason="Test family"
        )


def _child(number: int):
    from datetime import date

    from earlyhelp.frontdoor.referrals import PersonDetails

    return PersonDetails(
        role="child",
        first_name=f"Child{number}",
        last_name=f"Family{number}",
        date_of_birth=date(2015, 1, 1 + number % 27),
    )


def test_a_coachs_capacity_is_15_families_pro_rata_by_fte_at_each_familys_weight(
    team, team_leader, authority, frameworks
):
    part_time = UserFactory(authority=authority, team=team, roles=[Role.FAMILY_COACH], fte=Decimal("0.6"))
    load = caseload_of(part_time, per_full_time_coach=15)
    assert load.capacity == Decimal("9.0")
    episode = episode_awaiting(team)
    allocating.episode_allocate(
        actor=team_leader,
        episode=episode,
        note=allocation_note(part_time, episode, weight=Decimal("2.5")),
        seen_version=None,
    )
    load = caseload_of(part_time, per_full_time_coach=15)
    assert (load.families, load.weighted, load.room) == (1, Decimal("2.5"), Decimal("6.5"))


def test_no_coach_with_room_puts_the_family_to_the_head_of_service_at_once(
    team, coach, team_leader, head_of_service, authority, frameworks, django_capture_on_commit_callbacks
):
    authority.caseload_per_full_time_coach = 1
    authority.save(update_fields=["caseload_per_full_time_coach"])
    _fill(coach, team, team_leader, 1)
    with django_capture_on_commit_callbacks(execute=True):
        episode = episode_awaiting(team)
    escalation = CapacityEscalation.objects.get(episode=episode)
    assert escalation.raised_by is None
    assert not escalation.is_decided
    assert [message.to for message in mail.outbox if "needs your decision" in message.subject] == [
        ["head@example.test"]
    ]
    # Nobody may allocate beyond capacity until the head of service decides so.
    with pytest.raises(ValidationError) as raised:
        allocating.episode_allocate(
            actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None
        )
    assert "no room for this family" in raised.value.message_dict["coach"][0]
    allocating.capacity_decide(
        actor=head_of_service,
        escalation=escalation,
        decision="beyond_capacity",
        reason="Short-term; a coach returns Monday",
    )
    allocating.episode_allocate(
        actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None
    )
    allocation = Allocation.objects.get(episode=episode)
    assert not allocation.within_capacity
    assert allocation.capacity_decision == escalation


def test_the_head_of_service_can_send_the_family_to_another_team_and_must_say_why(
    team, coach, team_leader, head_of_service, authority, frameworks
):
    authority.caseload_per_full_time_coach = 1
    authority.save(update_fields=["caseload_per_full_time_coach"])
    _fill(coach, team, team_leader, 1)
    episode = episode_awaiting(team)
    escalation = CapacityEscalation.objects.get(episode=episode)
    with pytest.raises(ValidationError) as raised:
        allocating.capacity_decide(actor=head_of_service, escalation=escalation, decision="another_team", reason="")
    assert set(raised.value.message_dict) == {"reason", "other_team"}
    other = TeamFactory(area=team.area, name="Families First South", kind=Team.Kind.FAMILY_SUPPORT)
    allocating.capacity_decide(
        actor=head_of_service, escalation=escalation, decision="another_team", reason="South has room", other_team=other
    )
    episode.refresh_from_db()
    assert episode.team == other
    with pytest.raises(ValidationError, match="decided this"):
        allocating.capacity_decide(actor=head_of_service, escalation=escalation, decision="other", reason="again")


def test_only_the_head_of_service_decides_beyond_capacity(team, coach, team_leader, authority, frameworks):
    authority.caseload_per_full_time_coach = 1
    authority.save(update_fields=["caseload_per_full_time_coach"])
    _fill(coach, team, team_leader, 1)
    escalation = CapacityEscalation.objects.get(episode=episode_awaiting(team))
    with pytest.raises(ValidationError, match="Only the head of service"):
        allocating.capacity_decide(actor=team_leader, escalation=escalation, decision="other", reason="x")


def test_an_allocation_to_a_coach_with_room_settles_a_question_to_the_head_of_service(
    team, coach, team_leader, authority, frameworks
):
    episode = episode_awaiting(team)
    allocating.capacity_escalate(actor=team_leader, episode=episode, why="Two coaches off sick")
    with pytest.raises(ValidationError, match="already been asked"):
        allocating.capacity_escalate(actor=team_leader, episode=episode, why="again")
    allocating.episode_allocate(
        actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None
    )
    escalation = CapacityEscalation.objects.get(episode=episode)
    assert escalation.decision == CapacityEscalation.Decision.NO_LONGER_NEEDED


def test_under_families_first_a_child_in_need_is_for_childrens_social_care(
    team, coach, team_leader, social_worker, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    with pytest.raises(ValidationError) as raised:
        leading.legal_basis_change(
            actor=coach,
            episode=episode,
            to=LegalBasis.CHILD_IN_NEED,
            reason="s17",
            social_worker=social_worker,
            seen_version=None,
        )
    assert "Family Help" in raised.value.message_dict["legal_basis"][0]


def test_under_family_help_a_child_in_need_needs_an_overseeing_social_worker_and_each_change_is_kept(
    team, coach, team_leader, social_worker, family_help, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    with pytest.raises(ValidationError) as raised:
        leading.legal_basis_change(
            actor=coach,
            episode=episode,
            to=LegalBasis.CHILD_IN_NEED,
            reason="s17 threshold met",
            social_worker=None,
            seen_version=None,
        )
    assert "social_worker" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        leading.legal_basis_change(
            actor=coach,
            episode=episode,
            to=LegalBasis.CHILD_IN_NEED,
            reason="s17",
            social_worker=coach,
            seen_version=None,
        )
    assert "is not a social worker" in raised.value.message_dict["social_worker"][0]
    leading.legal_basis_change(
        actor=coach,
        episode=episode,
        to=LegalBasis.CHILD_IN_NEED,
        reason="s17 threshold met",
        social_worker=social_worker,
        seen_version=None,
    )
    leading.legal_basis_change(
        actor=team_leader,
        episode=episode,
        to=LegalBasis.TARGETED_EARLY_HELP,
        reason="Needs lessened",
        social_worker=None,
        seen_version=None,
    )
    episode.refresh_from_db()
    assert episode.overseeing_social_worker is None
    history = [(change.before, change.after, change.changed_by) for change in episode.legal_basis_changes.all()]
    assert history[1:] == [
        ("targeted_early_help", "child_in_need", coach),
        ("child_in_need", "targeted_early_help", team_leader),
    ]


def test_a_partner_who_leads_sees_the_family_until_handover_and_keeps_their_earlier_involvements(
    team, coach, team_leader, alice, bob, frameworks
):
    episode = episode_allocated(team, coach, team_leader, referrer=None)
    child = episode.children.get().person
    assert not people_visible_to(bob).filter(pk=child.pk).exists()
    today = timezone.localdate()
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=bob,
        agreed_with_family=True,
        handover="Met at school",
        handed_over_on=today,
        seen_version=None,
    )
    assert people_visible_to(bob).filter(pk=child.pk).exists()
    from earlyhelp.casework.access import episodes_visible_to

    assert list(episodes_visible_to(bob)) == [episode]
    # Bob already worked with the child before he led: that stays after he hands over.
    from earlyhelp.people import services

    services.involvement_start(actor=bob, person=child, practitioner=bob, kind=Involvement.Kind.WORKS_WITH)
    episode.refresh_from_db()
    leading.lead_practitioner_change(
        actor=bob,
        episode=episode,
        lead=coach,
        agreed_with_family=True,
        handover="Back to the coach",
        handed_over_on=today,
        seen_version=None,
    )
    assert list(episodes_visible_to(bob)) == []
    kinds = set(Involvement.objects.filter(practitioner=bob, ended_on__isnull=True).values_list("kind", flat=True))
    assert kinds == {Involvement.Kind.WORKS_WITH}
    assert people_visible_to(bob).filter(pk=child.pk).exists()
    mother = episode.family.memberships.exclude(person=child).get().person
    assert not people_visible_to(bob).filter(pk=mother.pk).exists()


def test_a_lead_practitioner_is_agreed_with_the_family_with_a_recorded_handover(
    team, coach, team_leader, alice, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    with pytest.raises(ValidationError) as raised:
        leading.lead_practitioner_change(
            actor=coach,
            episode=episode,
            lead=alice,
            agreed_with_family=False,
            handover="",
            handed_over_on=None,
            seen_version=None,
        )
    assert set(raised.value.message_dict) == {"agreed_with_family", "handover", "handed_over_on"}


def test_nobody_but_the_coach_the_team_leader_or_the_lead_changes_the_episode(
    team, coach, team_leader, front_door, alice, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    for actor in (front_door, alice):
        with pytest.raises(ValidationError):
            leading.lead_practitioner_change(
                actor=actor,
                episode=episode,
                lead=alice,
                agreed_with_family=True,
                handover="x",
                handed_over_on=timezone.localdate(),
                seen_version=None,
            )


def test_an_allocation_is_audited_with_the_episode(team, coach, team_leader, frameworks):
    from earlyhelp.audit.models import AuditEvent

    episode = episode_allocated(team, coach, team_leader)
    changes = AuditEvent.objects.filter(target_type="casework.episode", target_id=episode.pk, verb="updated")
    assert any("coach" in event.details for event in changes)


def test_a_contact_that_is_only_a_referral_opens_no_episode(alice, frameworks):
    contact_received(alice)
    assert not Episode.objects.exists()


def test_a_change_of_coach_keeps_the_familys_clock_and_records_each_date_before_and_after(
    team, coach, team_leader, frameworks
):
    from earlyhelp.audit.models import AuditEvent

    episode = episode_allocated(team, coach, team_leader)
    other = UserFactory(authority=team.area.authority, team=team, roles=[Role.FAMILY_COACH])
    before = episode.first_visit_due
    too_early = episode.referred_at.date() - timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        allocating.episode_allocate(
            actor=team_leader,
            episode=episode,
            note=allocation_note(other, episode, first_visit_due=too_early),
            seen_version=None,
        )
    assert "on or after the referral" in raised.value.message_dict["first_visit_due"][0]
    allocating.episode_allocate(
        actor=team_leader,
        episode=episode,
        note=allocation_note(other, episode, first_visit_due=before),
        seen_version=None,
    )
    episode.refresh_from_db()
    assert episode.coach == other
    assert episode.allocations.count() == 2
    last = AuditEvent.objects.filter(target_type="casework.episode", target_id=episode.pk, verb="updated").latest("pk")
    assert last.details["first_visit_due"] == [before.isoformat(), before.isoformat()]
    assert last.details["coach"] == [str(coach), str(other)]


def test_a_social_worker_finds_the_child_in_need_they_oversee_on_my_families(
    team, coach, team_leader, social_worker, family_help, frameworks
):
    from earlyhelp.casework.selectors import my_episodes

    episode = episode_allocated(team, coach, team_leader)
    assert list(my_episodes(social_worker)) == []
    leading.legal_basis_change(
        actor=coach,
        episode=episode,
        to=LegalBasis.CHILD_IN_NEED,
        reason="s17",
        social_worker=social_worker,
        seen_version=None,
    )
    assert list(my_episodes(social_worker)) == [episode]


def test_a_partner_who_leads_changes_the_legal_basis_as_the_coach_may(
    team, coach, team_leader, alice, social_worker, family_help, frameworks
):
    episode = episode_allocated(team, coach, team_leader)
    leading.lead_practitioner_change(
        actor=coach,
        episode=episode,
        lead=alice,
        agreed_with_family=True,
        handover="x",
        handed_over_on=timezone.localdate(),
        seen_version=None,
    )
    leading.legal_basis_change(
        actor=alice,
        episode=episode,
        to=LegalBasis.CHILD_IN_NEED,
        reason="s17",
        social_worker=social_worker,
        seen_version=None,
    )
    episode.refresh_from_db()
    assert episode.is_child_in_need
