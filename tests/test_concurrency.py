"""Two people press the same button: real concurrent requests on PostgreSQL, each thread with its
own database connection, against data committed for real (`transactional_db`)."""

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from earlyhelp.frontdoor.models import Contact
from tests.conftest import signed_in
from tests.test_frontdoor_pages import fill_in_a_referral


def at_once(count: int, work: Callable[[], Any]) -> list[Any]:
    """Run `work` in `count` threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


def test_five_simultaneous_sends_of_one_draft_make_one_referral(postgresql_only, committed_db, alice, frameworks):
    client = signed_in(alice)
    fill_in_a_referral(client)
    cookies = client.cookies

    def send() -> Any:
        browser = signed_in(alice)
        browser.cookies = cookies
        return browser.post("/refer/check/")

    responses = at_once(5, send)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    contact = Contact.objects.get()
    assert {response.status_code for response in responses} == {302}
    assert {response["Location"] for response in responses} == {f"/refer/sent/{contact.pk}/"}


def test_sqlite_takes_the_write_lock_at_the_start_of_a_transaction() -> None:
    """Without it, two sends at once on SQLite end in "database is locked" (a 500)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5


# Two practitioners, two team leaders, two editors --------------------------------------------


@pytest.fixture
def second_front_door(authority, team):
    from earlyhelp.organisations.roles import Role
    from tests.factories import UserFactory

    return UserFactory(authority=authority, team=team, roles=[Role.FRONT_DOOR_PRACTITIONER], full_name="Dev Second")


@pytest.fixture
def second_team_leader(authority, team):
    from earlyhelp.organisations.roles import Role
    from tests.factories import UserFactory

    return UserFactory(authority=authority, team=team, roles=[Role.TEAM_LEADER], full_name="Tess Second")


def _ready_contact(front_door, alice, frameworks, **levelling):
    from tests.factories import contact_received
    from tests.test_frontdoor_services import matched_and_levelled

    return matched_and_levelled(contact_received(alice), front_door, frameworks, **levelling)


def test_two_practitioners_deciding_one_contact_at_once_make_one_decision(
    postgresql_only, committed_db, front_door, second_front_door, alice, frameworks
):
    from earlyhelp.frontdoor.models import TriageDecision

    contact = _ready_contact(front_door, alice, frameworks)
    deciders = iter([front_door, second_front_door])
    lock = threading.Lock()

    def decide() -> Any:
        with lock:
            user = next(deciders)
        return signed_in(user).post(
            f"/front-door/contacts/{contact.pk}/decide/",
            {"outcome": "redirect", "reasons": f"Decided by {user.full_name}"},
        )

    responses = at_once(2, decide)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    assert TriageDecision.objects.filter(contact=contact).count() == 1
    decision = TriageDecision.objects.get(contact=contact)
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert f"{decision.decided_by.full_name} decided this contact on" in loser
    assert "Your decision has not been saved" in loser


def test_two_team_leaders_confirming_one_decision_at_once_confirm_it_once(
    postgresql_only, committed_db, front_door, team_leader, second_team_leader, alice, frameworks, authority
):
    from django.core import mail

    from earlyhelp.directory.models import Service
    from earlyhelp.frontdoor import deciding
    from earlyhelp.frontdoor.models import TriageDecision

    service = Service.objects.create(authority=authority, name="Youth club", provider="Council", description="Clubs")
    contact = _ready_contact(front_door, alice, frameworks, indicators=("safeguarding-01",), level=2, reason="Known")
    decision = deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="signpost",
        reasons="Already with the youth club",
        service=service,
        override_reason="The concern is historic",
    )
    leaders = iter([team_leader, second_team_leader])
    lock = threading.Lock()

    def confirm() -> Any:
        with lock:
            user = next(leaders)
        return signed_in(user).post(f"/front-door/decisions-to-confirm/{decision.pk}/", {"action": "confirm"})

    responses = at_once(2, confirm)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    decision = TriageDecision.objects.get(pk=decision.pk)
    assert decision.confirmed_by_id in {team_leader.pk, second_team_leader.pk}
    contact.refresh_from_db()
    assert contact.status == Contact.Status.SIGNPOSTED
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert decision.confirmed_by is not None
    assert f"{decision.confirmed_by.full_name} confirmed this decision on" in loser
    # The referrer and the family are told once, not once per team leader.
    assert len([message for message in mail.outbox if contact.reference in message.subject]) <= 2


def test_two_staff_saving_one_persons_details_at_once_lose_nothing(
    postgresql_only, committed_db, front_door, coach, okafor
):
    from earlyhelp.people.models import Person
    from tests.test_people import person_form

    child = okafor.child
    forms = iter(
        [
            (front_door, person_form(first_name="Tobi", last_name="Okafor", address_line_1="1 New Road")),
            (coach, person_form(first_name="Tobi", last_name="Okafor", first_language="Yoruba")),
        ]
    )
    lock = threading.Lock()

    def save() -> Any:
        with lock:
            user, data = next(forms)
        return signed_in(user).post(f"/people/{child.pk}/edit/", data | {"nhs_number": "", "version": "1"})

    responses = at_once(2, save)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    saved = Person.objects.get(pk=child.pk)
    assert saved.version == 2
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert "Someone else saved changes to this record after you opened this page" in loser
    assert "Changed since you opened this page" in loser
    # What the second person typed is still in the form, for them to reapply.
    assert 'value="1 New Road"' in loser or 'value="Yoruba"' in loser


def test_two_people_given_the_same_new_nhs_number_at_once_get_a_form_error_not_a_server_error(
    postgresql_only, committed_db, front_door, coach, okafor
):
    from earlyhelp.people.models import Person
    from tests.test_people import person_form

    mother, child = okafor.mother, okafor.child
    edits = iter(
        [
            (front_door, mother, person_form(kind="adult", first_name="Grace", last_name="Okafor")),
            (coach, child, person_form(first_name="Tobi", last_name="Okafor")),
        ]
    )
    lock = threading.Lock()

    def save() -> Any:
        with lock:
            user, person, data = next(edits)
        data |= {"nhs_number": "943 476 5870", "version": str(person.version)}
        if person == mother:
            data |= {"date_of_birth_2": "1988"}
        return signed_in(user).post(f"/people/{person.pk}/edit/", data)

    responses = at_once(2, save)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    assert Person.objects.filter(nhs_number="9434765870").count() == 1
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    # Saved at the same moment, the database's unique index refuses the second ("Another person
    # already has this NHS number"); a moment later, the form's own check names who has it.
    assert "already has this NHS number" in loser


def test_two_team_leaders_giving_the_last_place_in_a_caseload_at_once_fill_it_once(
    postgresql_only, committed_db, coach, team_leader, second_team_leader, authority, team, frameworks
):
    """A coach with room for one more family: two leaders allocating two families to her at the
    same moment take turns on her row lock, and the second is told she has no room."""
    from earlyhelp.casework.allocating import episode_allocate
    from earlyhelp.casework.models import Episode
    from tests.factories import allocation_note, episode_awaiting
    from tests.test_casework import _child

    authority.caseload_per_full_time_coach = 1
    authority.save(update_fields=["caseload_per_full_time_coach"])
    first = episode_awaiting(team, children=[_child(1)], adults=[])
    second = episode_awaiting(team, children=[_child(2)], adults=[])
    work = iter([(team_leader, first), (second_team_leader, second)])
    lock = threading.Lock()

    def allocate() -> Any:
        with lock:
            leader, episode = next(work)
        return episode_allocate(actor=leader, episode=episode, note=allocation_note(coach, episode), seen_version=None)

    results = at_once(2, allocate)
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1, results
    assert "no room for this family" in str(refused[0])
    assert Episode.objects.filter(coach=coach, status=Episode.Status.OPEN).count() == 1


def test_two_team_leaders_allocating_one_family_at_once_give_it_one_coach(
    postgresql_only, committed_db, coach, team_leader, second_team_leader, team, frameworks
):
    from earlyhelp.casework.models import Allocation
    from earlyhelp.organisations.roles import Role
    from tests.factories import UserFactory, episode_awaiting
    from tests.test_casework_pages import _allocation_post

    episode = episode_awaiting(team)
    other = UserFactory(authority=team.area.authority, team=team, roles=[Role.FAMILY_COACH], full_name="Other coach")
    work = iter([(team_leader, coach), (second_team_leader, other)])
    lock = threading.Lock()

    def allocate() -> Any:
        with lock:
            leader, chosen = next(work)
        return signed_in(leader).post(f"/episodes/{episode.pk}/allocate/", _allocation_post(episode, chosen))

    responses = at_once(2, allocate)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    assert Allocation.objects.filter(episode=episode).count() == 1
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert "Someone else saved changes" in loser


def test_two_people_writing_one_case_note_at_once_lose_neither_words(
    postgresql_only, committed_db, coach, team_leader, team, frameworks
):
    """The coach and the team leader both open a visit's unwritten note and save at once: one is
    saved, the other is told and keeps what they typed."""
    from earlyhelp.casework.models import CaseNote
    from earlyhelp.casework.visiting import case_note_record
    from tests.factories import episode_allocated
    from tests.test_casework_visits import a_visit

    episode = episode_allocated(team, coach, team_leader)
    note = case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    work = iter([(coach, "Words of the coach"), (team_leader, "Words of the leader")])
    lock = threading.Lock()

    def write() -> Any:
        with lock:
            user, words = next(work)
        return signed_in(user).post(
            f"/episodes/{episode.pk}/case-notes/{note.pk}/", {"version": str(note.version), "note": words}
        )

    responses = at_once(2, write)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert "Someone else saved changes" in loser
    saved = CaseNote.objects.get(pk=note.pk).note
    assert saved in ("Words of the coach", "Words of the leader")
    assert ("Words of the coach" if saved == "Words of the leader" else "Words of the leader") in loser


def test_two_team_leaders_signing_off_one_assessment_at_once_sign_it_off_once(
    postgresql_only, committed_db, coach, team_leader, second_team_leader, team, frameworks
):
    """One authorises while the other returns it, at the same moment: one wins, the other is
    told the assessment is no longer waiting, and there is one oversight, one set of scores."""
    from earlyhelp.casework.models import Assessment, Oversight, WellbeingScore
    from tests.factories import episode_allocated
    from tests.test_casework_assessments import written_and_sent

    episode = episode_allocated(team, coach, team_leader)
    assessment = written_and_sent(episode, coach)
    work = iter([(team_leader, "authorise"), (second_team_leader, "return")])
    lock = threading.Lock()

    def sign_off() -> Any:
        with lock:
            user, decision = next(work)
        return signed_in(user).post(
            f"/episodes/{episode.pk}/assessments/{assessment.pk}/", {"decision": decision, "note": f"{decision}ed"}
        )

    responses = at_once(2, sign_off)
    assert not [response for response in responses if isinstance(response, Exception)], responses
    assert sorted(response.status_code for response in responses) == [200, 302]
    loser = next(response for response in responses if response.status_code == 200).content.decode()
    assert "Your sign-off has not been saved" in loser or "not waiting for sign-off" in loser
    assessment.refresh_from_db()
    assert assessment.status in (Assessment.Status.AUTHORISED, Assessment.Status.DRAFT)
    authorised = assessment.status == Assessment.Status.AUTHORISED
    assert Oversight.objects.filter(episode=episode, point="assessment").count() == int(authorised)
    assert WellbeingScore.objects.filter(episode=episode, point="assessment").count() == int(authorised)


def _two_at_once(first: Callable[[], Any], second: Callable[[], Any]) -> list[Any]:
    """`first` and `second` released together, each on its own connection."""
    work = iter([first, second])
    lock = threading.Lock()

    def run() -> Any:
        with lock:
            chosen = next(work)
        return chosen()

    return at_once(2, run)


def _one_won(results: list[Any]) -> Exception:
    """One change saved and the other refused with a message (never a server error): the refusal."""
    from django.core.exceptions import ValidationError

    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], ValidationError), refused
    return refused[0]


def test_two_team_leaders_closing_one_case_at_once_close_it_once(
    postgresql_only, committed_db, coach, team_leader, second_team_leader, team, frameworks
):
    from earlyhelp.casework import closing
    from earlyhelp.casework.models import Episode, Oversight, WellbeingScore
    from tests.factories import episode_allocated
    from tests.test_casework_closure import closure, ending_meeting

    episode = episode_allocated(team, coach, team_leader)
    ending_meeting(episode, coach)
    episode.refresh_from_db()
    version = episode.version

    def close_by(leader: Any) -> Callable[[], Any]:
        return lambda: closing.episode_close(
            actor=leader, episode=Episode.objects.get(pk=episode.pk), details=closure(episode), seen_version=version
        )

    refusal = _one_won(_two_at_once(close_by(team_leader), close_by(second_team_leader)))
    assert "closed this family's case on" in str(refusal)
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert Oversight.objects.filter(episode=episode, point="closure").count() == 1
    assert WellbeingScore.objects.filter(episode=episode, point="closure").count() == 1


def test_two_coaches_recording_the_initial_planning_meeting_at_once_record_it_once(
    postgresql_only, committed_db, coach, team_leader, team, frameworks
):
    from django.utils import timezone

    from earlyhelp.casework import planning
    from earlyhelp.casework.models import Episode, Meeting
    from tests.factories import episode_allocated
    from tests.test_casework_plans import an_action, assessed

    episode = assessed(episode_allocated(team, coach, team_leader), coach, team_leader)
    planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    member = planning.team_member_add(
        actor=coach, episode=episode, member=planning.MemberDetails(name="Siobhan", role="Mother", is_family=True)
    )

    def record(actor: Any, minutes: str) -> Callable[[], Any]:
        details = planning.MeetingDetails(
            kind="initial", held_at=timezone.now() - timedelta(hours=1), minutes=minutes, attended=[member.pk]
        )
        return lambda: planning.meeting_record(actor=actor, episode=Episode.objects.get(pk=episode.pk), details=details)

    refusal = _one_won(_two_at_once(record(coach, "Plan agreed (coach)"), record(team_leader, "Plan agreed (leader)")))
    assert "already recorded" in str(refusal)
    assert Meeting.objects.filter(episode=episode, kind="initial").count() == 1
    from tests.test_casework_deadlines import assert_kept

    assert_kept(episode)


def test_two_people_updating_one_plan_action_at_once_lose_neither(
    postgresql_only, committed_db, coach, team_leader, team, frameworks
):
    from earlyhelp.casework import planning
    from earlyhelp.casework.models import PlanAction
    from earlyhelp.core.workflow import StaleEditError
    from tests.factories import episode_allocated
    from tests.test_casework_plans import an_action

    episode = episode_allocated(team, coach, team_leader)
    action = planning.plan_action_add(actor=coach, episode=episode, details=an_action())

    def update(actor: Any, status: str, progress: str) -> Callable[[], Any]:
        return lambda: planning.plan_action_update(
            actor=actor,
            action=PlanAction.objects.get(pk=action.pk),
            status=status,
            progress=progress,
            by_when=action.by_when,
            seen_version=action.version,
        )

    refusal = _one_won(
        _two_at_once(update(coach, "done", "Chart on the fridge"), update(team_leader, "open", "Chasing"))
    )
    assert isinstance(refusal, StaleEditError)
    saved = PlanAction.objects.get(pk=action.pk)
    assert (saved.status, saved.progress) in (("done", "Chart on the fridge"), ("open", "Chasing"))
    assert saved.version == action.version + 1
    from tests.test_casework_deadlines import assert_kept

    assert_kept(episode)


def test_two_changes_of_legal_basis_or_of_lead_practitioner_at_once_save_one_and_tell_the_other(
    postgresql_only,
    committed_db,
    coach,
    team_leader,
    second_team_leader,
    head_of_service,
    team,
    social_worker,
    frameworks,
):
    from django.utils import timezone

    from earlyhelp.casework.configuration import casework_settings_of
    from earlyhelp.casework.models import ServiceModel

    settings = casework_settings_of(team.area.authority)  # Family Help: a child in need stays with the service
    settings.service_model = ServiceModel.FAMILY_HELP
    settings.save(update_fields=["service_model"])

    from earlyhelp.casework import leading
    from earlyhelp.casework.models import Episode, LeadPractitionerChange, LegalBasis, LegalBasisChange
    from earlyhelp.core.workflow import StaleEditError
    from tests.factories import episode_allocated

    episode = episode_allocated(team, coach, team_leader)
    version = Episode.objects.get(pk=episode.pk).version
    changes_before = LegalBasisChange.objects.filter(episode=episode).count()

    def basis(actor: Any, reason: str) -> Callable[[], Any]:
        return lambda: leading.legal_basis_change(
            actor=actor,
            episode=Episode.objects.get(pk=episode.pk),
            to=LegalBasis.CHILD_IN_NEED,
            reason=reason,
            social_worker=social_worker,
            seen_version=version,
        )

    refusal = _one_won(_two_at_once(basis(coach, "s17 met (coach)"), basis(team_leader, "s17 met (leader)")))
    # Re-checked under the lock: the second is told the basis is already what they chose.
    assert "already “Child in need (section 17, Children Act 1989)”" in str(refusal)
    assert LegalBasisChange.objects.filter(episode=episode).count() == changes_before + 1

    version = Episode.objects.get(pk=episode.pk).version

    def lead(actor: Any, to: Any, handover: str) -> Callable[[], Any]:
        return lambda: leading.lead_practitioner_change(
            actor=actor,
            episode=Episode.objects.get(pk=episode.pk),
            lead=to,
            agreed_with_family=True,
            handover=handover,
            handed_over_on=timezone.localdate(),
            seen_version=version,
        )

    leads_before = LeadPractitionerChange.objects.filter(episode=episode).count()
    refusal = _one_won(
        _two_at_once(
            lead(coach, second_team_leader, "Handover (coach)"),
            lead(team_leader, second_team_leader, "Handover (leader)"),
        )
    )
    # The same choice: re-checked under the lock, the second is told it is already so.
    assert "Tess Second already leads the work with this family" in str(refusal)
    assert LeadPractitionerChange.objects.filter(episode=episode).count() == leads_before + 1

    # Different choices from the same page: the second is refused as a stale form, nothing overwritten.
    version = Episode.objects.get(pk=episode.pk).version
    refusal = _one_won(
        _two_at_once(lead(coach, team_leader, "Back to the leader"), lead(team_leader, head_of_service, "To the head"))
    )
    assert isinstance(refusal, StaleEditError)
    assert LeadPractitionerChange.objects.filter(episode=episode).count() == leads_before + 2
    assert Episode.objects.get(pk=episode.pk).lead_practitioner_id in (team_leader.pk, head_of_service.pk)


def test_a_note_written_and_an_action_added_at_once_leave_the_deadlines_as_both_made_them(
    postgresql_only, committed_db, coach, team_leader, team, frameworks
):
    from earlyhelp.casework import planning, visiting
    from earlyhelp.casework.models import CaseNote, Episode
    from tests.factories import episode_allocated
    from tests.test_casework_deadlines import assert_kept
    from tests.test_casework_plans import an_action
    from tests.test_casework_visits import a_visit

    episode = episode_allocated(team, coach, team_leader)
    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))

    def write() -> Any:
        fresh = CaseNote.objects.get(pk=note.pk)
        return visiting.case_note_write(actor=coach, case_note=fresh, note="Seen", seen_version=fresh.version)

    def add() -> Any:
        return planning.plan_action_add(
            actor=team_leader, episode=Episode.objects.get(pk=episode.pk), details=an_action()
        )

    results = _two_at_once(write, add)
    assert not [result for result in results if isinstance(result, Exception)], results
    assert_kept(episode)


def test_two_administrators_deciding_one_role_request_at_once_decide_it_once(
    postgresql_only, committed_db, administrator, authority, team
):
    from earlyhelp.accounts import granting
    from earlyhelp.accounts.models import RoleRequest
    from earlyhelp.organisations.models import RoleAssignment
    from earlyhelp.organisations.roles import Role
    from tests.factories import UserFactory

    second, third = (
        UserFactory(authority=authority, team=team, roles=[Role.SYSTEM_ADMINISTRATOR], full_name=name)
        for name in ("Second Administrator", "Third Administrator")
    )
    newcomer = UserFactory(authority=authority)
    request = granting.role_request(actor=administrator, user=newcomer, role=Role.TEAM_LEADER, reason="Acting up")

    def approve(actor: Any) -> Callable[[], Any]:
        return lambda: granting.role_request_approve(
            actor=actor, request=RoleRequest.objects.get(pk=request.pk), note="Agreed", seen_version=None
        )

    refusal = _one_won(_two_at_once(approve(second), approve(third)))
    assert "This request was already granted by" in str(refusal)
    assert RoleAssignment.objects.filter(user=newcomer, role=Role.TEAM_LEADER).count() == 1
    assert RoleRequest.objects.get(pk=request.pk).status == RoleRequest.Status.GRANTED


def test_entries_written_at_once_from_many_connections_make_one_unbroken_chain(postgresql_only, committed_db, coach):
    from earlyhelp.audit import chain
    from earlyhelp.audit.models import AuditEvent

    def write() -> Any:
        for n in range(20):
            AuditEvent(actor=coach, actor_label=coach.full_name, verb="viewed", target_type="x.y", target_id=n).save()

    results = at_once(4, write)
    assert not [result for result in results if isinstance(result, Exception)], results
    chain.seal()
    verified = chain.verify()
    assert verified.intact, verified.first_break
    assert verified.entries == AuditEvent.objects.count()


def test_one_code_sent_twice_at_once_lets_in_only_one(postgresql_only, committed_db, coach):
    from importlib import import_module

    from earlyhelp.accounts import two_step
    from earlyhelp.organisations.models import User
    from tests.conftest import authenticator_of, code_from

    code = code_from(authenticator_of(coach))
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def send() -> Any:
        session = store()
        session.create()
        return two_step.check(session, User.objects.get(pk=coach.pk), code).passed

    results = at_once(2, send)
    assert sorted(results) == [False, True]


def test_two_people_withdrawing_one_consent_at_once_withdraw_it_once(
    postgresql_only, committed_db, okafor, coach, team_leader, school
):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from earlyhelp.audit.models import AuditEvent
    from earlyhelp.sharing import recording
    from earlyhelp.sharing.models import ConsentToShare
    from tests.factories import consent_to_share

    consent = consent_to_share([okafor.child], [school])

    def withdraw_as(user) -> Callable[[], Any]:
        return lambda: recording.withdraw(
            actor=user,
            record=ConsentToShare.objects.get(pk=consent.pk),
            on=timezone.localdate(),
            because=f"{user.full_name} took the call",
            seen_version=1,
        )

    barrier_users = [coach, team_leader]
    results = at_once(2, lambda: withdraw_as(barrier_users.pop())())
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1, results
    consent.refresh_from_db()
    assert (consent.is_withdrawn, consent.version) == (True, 2)
    assert AuditEvent.objects.filter(verb="updated", target_type="sharing.consenttoshare").count() == 1


def test_two_team_leaders_restricting_one_record_at_once_restrict_it_once(
    postgresql_only, committed_db, okafor, team_leader, head_of_service
):
    from django.core.exceptions import ValidationError

    from earlyhelp.people import restricting
    from earlyhelp.people.models import Person, Restriction

    leaders = [team_leader, head_of_service]

    def restrict() -> Any:
        actor = leaders.pop()
        return restricting.person_restrict(
            actor=actor, person=Person.objects.get(pk=okafor.child.pk), reason="Staff family", ask=actor, named=[]
        )

    results = at_once(2, restrict)
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert [error.message_dict for error in refused] == [{"reason": ["This record is already restricted"]}], results
    assert Restriction.objects.filter(person=okafor.child).count() == 1
