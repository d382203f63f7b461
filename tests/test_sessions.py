"""Sessions (issue 13): ended after 30 minutes idle and 12 hours in all, not kept when the browser
closes; a user sees and ends their own; an administrator disabling an account ends its sessions."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from earlyhelp.accounts.models import SignedInSession
from earlyhelp.accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from earlyhelp.audit.models import AuditEvent
from tests.conftest import PASSWORD, sign_in_through_both_steps, signed_in

pytestmark = pytest.mark.django_db


def _browser(user, address: str = "192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=f"Browser at {address}")
    assert sign_in_through_both_steps(client, user).status_code == 302
    return client


def _age(client: Client, **ago: timedelta) -> None:
    session = client.session
    for key, delta in ago.items():
        session[{"signed_in": SIGNED_IN_AT, "seen": LAST_SEEN_AT}[key]] = (timezone.now() - delta).isoformat()
    session.save()


def test_the_session_cookie_is_not_kept_when_the_browser_closes(front_door):
    client = Client()
    response = client.post("/sign-in/", {"username": front_door.email, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]


def test_a_session_idle_for_thirty_minutes_is_ended(front_door, okafor):
    client = _browser(front_door)
    _age(client, seen=timedelta(minutes=29))
    assert client.get(f"/people/{okafor.child.pk}/").status_code == 200
    _age(client, seen=timedelta(minutes=31))
    response = client.get(f"/people/{okafor.child.pk}/", follow=True)
    assert response.redirect_chain[0][0] == "/sign-in/"
    assert "You were signed out because you had not used the service for a while" in response.content.decode()
    assert client.get("/").status_code == 302  # signed out for good, not just for one page
    ended = SignedInSession.objects.get()
    assert ended.ending == SignedInSession.Ending.IDLE
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.SIGNED_OUT, details__why="idle").count() == 1


def test_a_session_ends_twelve_hours_after_signing_in_however_busy(front_door):
    client = _browser(front_door)
    _age(client, signed_in=timedelta(hours=11, minutes=59), seen=timedelta(minutes=1))
    assert client.get("/").status_code == 200
    _age(client, signed_in=timedelta(hours=12, minutes=1), seen=timedelta(seconds=5))
    assert client.get("/").status_code == 302
    assert SignedInSession.objects.get().ending == SignedInSession.Ending.TOO_LONG


def test_using_the_service_keeps_the_session_alive(front_door):
    client = _browser(front_door)
    _age(client, seen=timedelta(minutes=20))
    assert client.get("/").status_code == 200  # seen now
    assert timezone.now() - datetime.fromisoformat(client.session[LAST_SEEN_AT]) < timedelta(seconds=5)


def test_a_user_sees_their_sessions_and_ends_another(front_door):
    at_desk, at_home = _browser(front_door, "192.0.2.10"), _browser(front_door, "198.51.100.7")
    page = at_desk.get("/account/sessions/").content.decode()
    assert "2 sessions" in page
    assert "This browser" in page
    assert "198.51.100.7" in page
    other = SignedInSession.objects.get(ip_address="198.51.100.7")
    response = at_desk.post(f"/account/sessions/{other.pk}/end/", follow=True)
    assert "Signed out of 1 other session." in response.content.decode()
    assert at_home.get("/").status_code == 302
    assert at_desk.get("/").status_code == 200
    assert SignedInSession.objects.get(pk=other.pk).ending == SignedInSession.Ending.ENDED_BY_USER


def test_nobody_ends_someone_elses_session(front_door, coach):
    _browser(coach, "198.51.100.7")
    theirs = SignedInSession.objects.get(user=coach)
    assert _browser(front_door).post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert SignedInSession.objects.get(pk=theirs.pk).ended_at is None


def test_signing_out_everywhere_else(front_door):
    at_desk = _browser(front_door)
    others = [_browser(front_door, f"198.51.100.{n}") for n in range(3)]
    at_desk.post("/account/sessions/0/end/", {"which": "all"})
    assert all(other.get("/").status_code == 302 for other in others)
    assert at_desk.get("/").status_code == 200


def test_disabling_an_account_in_the_admin_site_ends_its_sessions(administrator, coach):
    from tests.test_accounts import _change_form

    sessions = [_browser(coach, f"198.51.100.{n}") for n in range(2)]
    client = signed_in(administrator)
    form = _change_form(client, coach)
    del form["is_active"]
    assert client.post(f"/admin/organisations/user/{coach.pk}/change/", form).status_code == 302
    assert all(session.get("/").status_code == 302 for session in sessions)
    assert set(SignedInSession.objects.filter(user=coach).values_list("ending", flat=True)) == {"account_disabled"}
