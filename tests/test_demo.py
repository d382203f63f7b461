import pytest
from django.core.management import call_command

from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Role
from earlyhelp.people.identifiers import nhs_number_is_valid, postcode_is_valid, upn_is_valid
from earlyhelp.people.models import Family, Person
from earlyhelp.site import demo

pytestmark = pytest.mark.django_db


def test_the_demo_authority_has_a_user_in_every_role_and_valid_identifiers():
    demo.load(families=12)
    roles = {assignment.role for user in User.objects.all() for assignment in user.role_assignments.all()}
    assert roles == set(Role.values)
    assert Family.objects.count() == 12
    people = list(Person.objects.all())
    assert all(nhs_number_is_valid(person.nhs_number) for person in people if person.nhs_number)
    assert all(person.nhs_number.startswith("999") for person in people if person.nhs_number)
    assert all(upn_is_valid(person.upn) for person in people if person.upn)
    assert any(person.upn for person in people)
    assert all(postcode_is_valid(person.postcode) for person in people if person.postcode)
    assert User.objects.get(email="frontdoor@demo.earlyhelp.test").check_password(demo.DEMO_PASSWORD)


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("load_demo", families=3)
    call_command("load_demo", families=3)
    assert Family.objects.count() == 3 + 1  # and the Hartleys, due for disposal
    assert "already loaded" in capsys.readouterr().out


def test_loading_the_demo_prints_only_what_a_newcomer_needs(capsys, frameworks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as in `make run`
    call_command("load_demo", families=3)
    out = capsys.readouterr().out
    assert "Sign in as any of the demo users" in out
    assert "frontdoor@demo.earlyhelp.test" in out
    assert "Content-Type" not in out
    assert "Subject:" not in out


def test_make_run_shows_the_services_own_error_pages_unless_debug_is_asked_for(monkeypatch):
    import importlib

    import earlyhelp.settings.local as local

    monkeypatch.delenv("DEBUG", raising=False)
    assert importlib.reload(local).DEBUG is False
    monkeypatch.setenv("DEBUG", "1")
    assert importlib.reload(local).DEBUG is True
    monkeypatch.delenv("DEBUG")
    importlib.reload(local)


def test_the_demo_shows_issue_14_at_work(frameworks):
    from earlyhelp.casework.models import FamilyNetworkMeeting, StepDown, StepUp, Supervision
    from earlyhelp.records.models import AgencyReferral, ChronologyEntry

    call_command("load_demo", families=30)
    assert ChronologyEntry.objects.count() == 3
    assert AgencyReferral.objects.count() == 3
    assert StepUp.objects.get().status == StepUp.Status.RAISED
    assert FamilyNetworkMeeting.objects.get().status == FamilyNetworkMeeting.Status.OFFERED
    assert StepDown.objects.get().status == StepDown.Status.PROPOSED
    assert Supervision.objects.filter(kind=Supervision.Kind.CASE).exists()


def test_the_demo_shows_the_early_help_forums_at_work(frameworks):
    from earlyhelp.forums.models import Forum, ForumMeeting, ForumMember, MarketPlaceEvent, RequestForDiscussion

    call_command("load_demo", families=30)
    assert Forum.objects.count() == 10
    assert ForumMeeting.objects.filter(forum__name="Corby Early Help Forum").count() >= 12
    north = Forum.objects.get(name="Northampton North Early Help Forum")
    assert set(north.members.values_list("kind", flat=True)) == set(ForumMember.Kind.values)
    requests = RequestForDiscussion.objects.filter(forum=north)
    assert requests.filter(consent_given=True, status=RequestForDiscussion.Status.DISCUSSED).exists()
    assert requests.filter(consent_given=False, kind=RequestForDiscussion.Kind.CASE).count() == 2
    assert requests.filter(kind=RequestForDiscussion.Kind.COMMUNITY_ISSUE).exists()
    assert north.meetings.filter(status=ForumMeeting.Status.HELD, action_notes_sent_at__isnull=False).exists()
    assert MarketPlaceEvent.objects.filter(area=north.area).exists()


def test_the_demo_shows_the_performance_framework_at_work(frameworks):
    from earlyhelp.casework.models import OutcomeProgress
    from earlyhelp.performance.models import AgencyRole, AgencyTarget, ReferenceFigure

    call_command("load_demo", families=30)
    assert ReferenceFigure.objects.filter(as_of__startswith="Illustrative").count() == 20
    assert AgencyRole.objects.count() == 5
    assert AgencyTarget.objects.count() == 3
    assert OutcomeProgress.objects.filter(point="assessment").exists()
    call_command("load_demo", families=30)  # once only
    assert ReferenceFigure.objects.count() == 20
