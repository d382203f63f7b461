"""Each episode's soonest deadlines, kept on the episode by every service that moves them
(`casework/deadlines.py`), so that the team page sorts, counts and pages its families in SQL."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import UnauditedWriteError, audited_writes, record_change
from earlyhelp.casework import assessing, closing, planning, visiting
from earlyhelp.casework.allocating import episode_allocate
from earlyhelp.casework.deadlines import deadlines_keep, deadlines_refresh
from earlyhelp.casework.models import CaseworkSettings, Episode
from earlyhelp.casework.schedule import Soonest, last_moment_met, soonest
from earlyhelp.casework.selectors import Clock, pending_dues
from earlyhelp.casework.timescales import Due, Unit, due_moment, months_later
from tests.conftest import signed_in
from tests.factories import allocation_note, episode_allocated, episode_awaiting
from tests.test_casework import _child
from tests.test_casework_assessments import written_and_sent
from tests.test_casework_closure import closure, ending_meeting
from tests.test_casework_plans import an_action
from tests.test_casework_visits import a_visit

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()


def worked_out_afresh(episode: Episode) -> Soonest:
    clock = Clock.of(episode.authority)
    listed = [Episode.objects.select_related("family").get(pk=episode.pk)]
    return soonest(pending_dues(listed, clock=clock)[episode.pk], clock.hours)


def kept(episode: Episode) -> Soonest:
    stored = Episode.objects.get(pk=episode.pk)
    return Soonest(
        next_deadline=stored.next_deadline,
        overdue_after=stored.overdue_after,
        past_intervention_length_after=stored.past_intervention_length_after,
    )


def assert_kept(episode: Episode) -> Soonest:
    assert kept(episode) == worked_out_afresh(episode)
    return kept(episode)


# The rule, on its own -------------------------------------------------------------------------


def _due(what: str, **fields) -> Due:
    return Due(what=what, rule="x", source="x", **fields)


def test_a_timescale_counted_to_a_day_is_met_to_the_end_of_that_day_and_one_to_a_moment_to_the_moment():
    from earlyhelp.frontdoor.clock import working_time

    clock = working_time()
    by_day = _due("day", unit=Unit.DAYS, day=date(2026, 12, 7))
    moment = datetime(2026, 12, 7, 11, 30, tzinfo=ZONE)
    by_moment = _due("moment", unit=Unit.WORKING_HOURS, moment=moment)
    last = last_moment_met(by_day, clock)
    assert last == datetime.combine(date(2026, 12, 7), time.max, ZONE)
    assert by_day.met_by(last, clock)
    assert not by_day.met_by(last + timedelta(microseconds=1), clock)
    assert last_moment_met(by_moment, clock) == moment


def test_the_soonest_of_what_is_waiting_and_nothing_once_all_is_done():
    from earlyhelp.frontdoor.clock import working_time

    clock = working_time()
    done = _due("done", unit=Unit.DAYS, day=date(2026, 11, 1), done_at=datetime(2026, 11, 2, tzinfo=ZONE))
    visit = _due("visit", unit=Unit.WEEKS, day=date(2026, 12, 10))
    note = _due("note", unit=Unit.WORKING_HOURS, moment=datetime(2026, 12, 10, 18, tzinfo=ZONE))
    six_months = _due("close", unit=Unit.MONTHS, day=date(2027, 3, 1), ends_intervention=True)
    # A monthly case supervision note is counted in months too, but is no breach when overdue.
    supervision = _due("supervision", unit=Unit.MONTHS, day=date(2027, 1, 5))
    found = soonest([done, six_months, note, visit, supervision], clock)
    # The visit's deadline is the close of its day (17:00), before the note's 18:00 moment; but
    # the visit is met until midnight, so the note is the first to be overdue.
    assert found.next_deadline == datetime(2026, 12, 10, 17, tzinfo=ZONE)
    assert found.overdue_after == datetime(2026, 12, 10, 18, tzinfo=ZONE)
    assert found.past_intervention_length_after == datetime.combine(date(2027, 3, 1), time.max, ZONE)
    assert soonest([done], clock) == Soonest(None, None, None)
    assert soonest([done, visit], clock).past_intervention_length_after is None


# Kept by every service ------------------------------------------------------------------------


def test_every_step_of_an_episode_keeps_its_deadlines(team, coach, team_leader, frameworks):
    from earlyhelp.frontdoor.clock import working_time

    episode = episode_awaiting(team)
    awaiting = assert_kept(episode)
    episode.refresh_from_db()
    rules = Clock.of(episode.authority).rules
    # Awaiting a coach: the allocation's own clock, 8 working hours from reaching the team.
    assert awaiting.next_deadline == due_moment(
        episode.reached_team_at, rules.allocation_target_working_hours, working_time()
    )
    assert awaiting.past_intervention_length_after is None

    episode = episode_allocate(
        actor=team_leader, episode=episode, note=allocation_note(coach, episode), seen_version=None
    )
    allocated = assert_kept(episode)
    allocated_on = timezone.localtime(episode.allocated_at).date()
    six_months_on = months_later(allocated_on, rules.intervention_months)
    assert allocated.past_intervention_length_after == datetime.combine(six_months_on, time.max, ZONE)
    assert allocated.next_deadline != awaiting.next_deadline  # allocation done: the first visit's clocks now

    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    with_note_to_write = assert_kept(episode)
    assert with_note_to_write.next_deadline != allocated.next_deadline
    visiting.case_note_write(actor=coach, case_note=note, note="Seen at home.", seen_version=note.version)
    assert_kept(episode)
    episode.refresh_from_db()
    visiting.oversight_record(actor=team_leader, episode=episode, point="case_review", note="Reviewed the case")
    assert_kept(episode)

    assessing.assessment_authorise(actor=team_leader, assessment=written_and_sent(episode, coach), note="Agreed")
    assert_kept(episode)
    episode.refresh_from_db()
    action = planning.plan_action_add(actor=coach, episode=episode, details=an_action())
    assert_kept(episode)
    mother = planning.team_member_add(
        actor=coach, episode=episode, member=planning.MemberDetails(name="Siobhan", role="Mother", is_family=True)
    )
    planning.meeting_record(
        actor=coach,
        episode=episode,
        details=planning.MeetingDetails(
            kind="initial", held_at=timezone.now() - timedelta(minutes=30), minutes="Plan agreed", attended=[mother.pk]
        ),
    )
    planned = assert_kept(episode)
    assert planned.next_deadline is not None
    planning.plan_action_update(
        actor=coach, action=action, status="done", progress="Done", by_when=action.by_when, seen_version=action.version
    )
    assert_kept(episode)

    episode.refresh_from_db()
    ending_meeting(episode, coach)
    assert_kept(episode)
    episode.refresh_from_db()
    closing.episode_close(actor=team_leader, episode=episode, details=closure(episode), seen_version=episode.version)
    closed = assert_kept(episode)
    assert closed.past_intervention_length_after is None  # closed: within the length of an intervention


def test_the_kept_deadlines_do_not_make_an_open_form_stale(team, coach, team_leader, frameworks):
    episode = episode_allocated(team, coach, team_leader)
    note = visiting.case_note_record(actor=coach, episode=episode, details=a_visit(note=""))
    before = Episode.objects.get(pk=episode.pk)
    visiting.case_note_write(actor=coach, case_note=note, note="Seen at home.", seen_version=note.version)
    after = Episode.objects.get(pk=episode.pk)
    assert after.next_deadline != before.next_deadline  # the note's clock is met
    assert after.version == before.version


def test_only_the_derived_fields_may_be_written_past_the_audit_trail(team, coach, team_leader, frameworks):
    episode = episode_allocated(team, coach, team_leader)
    with pytest.raises(UnauditedWriteError, match=r"\['coach_id'\] are not derived fields"):
        Episode.objects.filter(pk=episode.pk).derived_update(coach_id=None)
    with pytest.raises(UnauditedWriteError, match=r"Bulk update of casework\.Episode"):
        Episode.objects.filter(pk=episode.pk).update(next_deadline=None)
    assert Episode.objects.get(pk=episode.pk).coach_id == coach.pk


def _dated_back(episode: Episode, actor, days: int) -> None:
    """As if referred, reached the team and allocated `days` ago (past the services, as a data
    load would), then its deadlines kept."""
    long_ago = timezone.now() - timedelta(days=days)
    with audited_writes():
        fresh = Episode.objects.get(pk=episode.pk)
        fresh.referred_at = fresh.reached_team_at = fresh.allocated_at = long_ago
        fresh.save(update_fields=["referred_at", "reached_team_at", "allocated_at"])
        record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=fresh, changes={"test": "dated back"})
        deadlines_keep(fresh)


def test_a_bulk_load_and_the_command_work_them_out_again(team, coach, team_leader, frameworks):
    episode = episode_allocated(team, coach, team_leader)
    before = kept(episode)
    with audited_writes():
        fresh = Episode.objects.get(pk=episode.pk)
        fresh.allocated_at = timezone.now() - timedelta(days=200)
        fresh.save(update_fields=["allocated_at"])
        record_change(actor=team_leader, verb=AuditEvent.Verb.UPDATED, target=fresh, changes={"test": "loaded"})
    assert kept(episode) == before  # a load past the services leaves them as they were
    call_command("casework", "deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = assert_kept(episode).past_intervention_length_after
    assert after is not None
    assert after < timezone.now()
    assert deadlines_refresh() == 0  # nothing left to change


def test_new_timescales_or_closed_days_in_the_admin_site_apply_to_every_open_family_at_once(
    team, coach, team_leader, frameworks, administrator
):
    from django.forms.models import model_to_dict

    from tests.test_settings_and_layers import _authority_form

    episode = episode_allocated(team, coach, team_leader)
    before = kept(episode)
    client = signed_in(administrator)
    settings = CaseworkSettings.objects.get(authority=episode.authority)
    form = {key: value for key, value in model_to_dict(settings).items() if key not in ("id", "version")}
    form |= {"intervention_months": 3, "seen_version": settings.version}
    response = client.post(f"/admin/casework/caseworksettings/{settings.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    shorter = assert_kept(episode)
    assert shorter.past_intervention_length_after is not None
    assert before.past_intervention_length_after is not None
    assert shorter.past_intervention_length_after < before.past_intervention_length_after

    # A change to the authority's working time: worked out again (from nothing, to show it).
    Episode.objects.filter(pk=episode.pk).derived_update(next_deadline=None, overdue_after=None)
    authority = episode.authority
    response = client.post(
        f"/admin/organisations/authority/{authority.pk}/change/", _authority_form(authority, closed_days="2026-12-24")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert assert_kept(episode) == shorter


# The team page, sorted, counted and paged in SQL ---------------------------------------------------


def test_the_team_page_counts_every_overdue_family_and_lists_the_most_overdue_first(
    team, coach, team_leader, frameworks, monkeypatch
):
    from earlyhelp.casework import views

    monkeypatch.setattr(views, "TEAM_PAGE_SIZE", 1)
    newest = episode_allocated(team, coach, team_leader, children=[_child(30)], adults=[])
    older = episode_allocated(team, coach, team_leader, children=[_child(31)], adults=[])
    oldest = episode_allocated(team, coach, team_leader, children=[_child(32)], adults=[])
    _dated_back(older, team_leader, 40)
    _dated_back(oldest, team_leader, 200)
    client: Client = signed_in(team_leader)
    pages = [client.get(f"/teams/{team.pk}/", {"page": str(number)}).content.decode() for number in (1, 2, 3)]
    assert [">Child32" in pages[0], ">Child31" in pages[1], ">Child30" in pages[2]] == [True, True, True]
    for text in pages:
        assert "2</span>families with something overdue" in text
        assert "1</span>past 6 months" in text
        assert "Page" in text
    on_time = kept(newest).overdue_after
    assert on_time is not None
    assert on_time > timezone.now()


def test_the_demo_keeps_every_episodes_deadlines(frameworks):
    call_command("load_demo", families=12, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Episode.objects.filter(status="open").count() > 5
    assert deadlines_refresh(Episode.objects.all()) == 0
