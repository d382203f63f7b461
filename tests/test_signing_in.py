"""Signing in, guarded against guessing and audited (issue 13). The probe: seventy wrong
passwords over two accounts met no lock-out, no slowdown and no audit row, and the right password
worked straight after."""

from unittest import mock

import pytest
from django.test import Client

from earlyhelp.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = (
    "This account cannot sign in from here for 15 minutes, after too many wrong passwords. "
    "If you have forgotten your password, ask your administrator for a link to set a new one"
)
SLOWED = "There have been too many wrong passwords for this account. Wait 30 seconds, then try again"
WRONG = "Enter a correct email address and password"


def _sign_in(email: str, password: str, address: str = "192.0.2.10") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address).post("/sign-in/", {"username": email, "password": password})
    return response.status_code, response.content.decode()


def test_seventy_wrong_passwords_over_two_accounts_lock_them_from_that_source_and_are_all_audited(front_door, coach):
    for attempt in range(35):
        for user in (front_door, coach):
            status, page = _sign_in(user.email, f"guess {attempt}")
            assert status == 200
            assert (WRONG if attempt < 5 else LOCKED) in page
    # The right password, straight after: refused from that source.
    status, page = _sign_in(front_door.email, PASSWORD)
    assert status == 200
    assert LOCKED in page

    rows = AuditEvent.objects.filter(target_type="organisations.user", target_id=front_door.pk)
    assert rows.filter(verb=AuditEvent.Verb.SIGN_IN_FAILED).count() == 5
    assert rows.filter(verb=AuditEvent.Verb.SIGN_IN_REFUSED).count() == 31
    assert not rows.filter(verb=AuditEvent.Verb.SIGNED_IN).exists()
    assert set(rows.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    assert AuditEvent.objects.filter(target_id=coach.pk, verb__startswith="sign_in").count() == 35


def test_a_locked_account_still_signs_in_from_its_own_desk(front_door):
    for attempt in range(5):
        _sign_in(front_door.email, f"guess {attempt}", address="203.0.113.66")
    assert LOCKED in _sign_in(front_door.email, PASSWORD, address="203.0.113.66")[1]
    status, _ = _sign_in(front_door.email, PASSWORD, address="192.0.2.10")
    assert status == 302
    signed_in = AuditEvent.objects.get(verb=AuditEvent.Verb.SIGNED_IN)
    assert (signed_in.actor, signed_in.ip_address) == (front_door, "192.0.2.10")


def test_guessing_from_many_sources_slows_the_account_without_locking_its_owner_out(front_door):
    for attempt in range(10):
        _sign_in(front_door.email, f"guess {attempt}", address=f"198.51.100.{attempt}")
    # From the owner's desk, which has never typed a wrong password: a short wait, not a lock.
    assert SLOWED in _sign_in(front_door.email, PASSWORD)[1]
    with mock.patch("earlyhelp.accounts.signing_in.time.time", return_value=__import__("time").time() + 31):
        status, _ = _sign_in(front_door.email, PASSWORD)
    assert status == 302


def test_the_lock_ends_with_the_cool_off(front_door):
    from django.core.cache import cache

    for attempt in range(5):
        _sign_in(front_door.email, f"guess {attempt}")
    assert LOCKED in _sign_in(front_door.email, PASSWORD)[1]
    cache.clear()  # what the cool-off's expiry does
    assert _sign_in(front_door.email, PASSWORD)[0] == 302


def test_an_address_with_no_account_is_answered_and_audited_as_any_other(front_door):
    answers = [_sign_in("nobody@example.test", f"guess {attempt}")[1] for attempt in range(6)]
    assert WRONG in answers[0]
    assert LOCKED in answers[5]
    rows = AuditEvent.objects.filter(target_type="organisations.user", target_id=0)
    assert rows.count() == 6
    assert {row.details["email"] for row in rows} == {"nobody@example.test"}


def test_signing_out_is_audited(front_door):
    client = Client()
    assert client.post("/sign-in/", {"username": front_door.email, "password": PASSWORD}).status_code == 302
    client.post("/sign-out/")
    verbs = list(AuditEvent.objects.filter(actor=front_door).order_by("id").values_list("verb", flat=True))
    assert verbs == [AuditEvent.Verb.SIGNED_IN, AuditEvent.Verb.SIGNED_OUT]


def test_one_accounts_wrong_passwords_never_lock_or_slow_another(front_door, coach):
    for attempt in range(10):
        _sign_in(front_door.email, f"guess {attempt}", address=f"198.51.100.{attempt}")
    assert SLOWED in _sign_in(front_door.email, PASSWORD)[1]
    assert _sign_in(coach.email, PASSWORD, address="198.51.100.1")[0] == 302


def test_the_wait_is_counted_from_the_accounts_own_last_attempt(front_door, coach):
    import time

    for attempt in range(10):
        _sign_in(front_door.email, f"guess {attempt}", address=f"198.51.100.{attempt}")
    later = time.time() + 31
    with mock.patch("earlyhelp.accounts.signing_in.time.time", return_value=later):
        # Someone else signing in meanwhile does not restart this account's wait.
        assert _sign_in(coach.email, PASSWORD, address="192.0.2.99")[0] == 302
        assert _sign_in(front_door.email, PASSWORD)[0] == 302


def test_the_limits_are_settings_and_counted_from_nothing(front_door, settings):
    settings.SIGN_IN_FAILURES_FROM_ONE_SOURCE = 1
    settings.SIGN_IN_COOL_OFF_SECONDS = 45
    assert WRONG in _sign_in(front_door.email, "guess")[1]
    page = _sign_in(front_door.email, PASSWORD)[1]
    assert "This account cannot sign in from here for 45 seconds, after too many wrong passwords." in page
    settings.SIGN_IN_COOL_OFF_SECONDS = 60
    assert "cannot sign in from here for 1 minute, after" in _sign_in(front_door.email, PASSWORD)[1]


def test_the_slowing_is_a_setting_counted_from_nothing(coach, settings):
    settings.SIGN_IN_FAILURES_BEFORE_SLOWING = 1
    assert WRONG in _sign_in(coach.email, "guess", address="198.51.100.1")[1]
    assert SLOWED in _sign_in(coach.email, PASSWORD, address="198.51.100.2")[1]


def test_each_refusal_says_why_in_the_audit_trail(front_door):
    for attempt in range(6):
        _sign_in(front_door.email, f"guess {attempt}")
    refused = AuditEvent.objects.get(verb=AuditEvent.Verb.SIGN_IN_REFUSED)
    assert refused.details == {"email": front_door.email, "why": "locked from this source"}
    for attempt in range(6):  # 5 more failures make 10 from any source; the 6th is slowed
        _sign_in(front_door.email, f"again {attempt}", address=f"198.51.100.{attempt}")
    slowed = AuditEvent.objects.filter(verb=AuditEvent.Verb.SIGN_IN_REFUSED).order_by("-id").first()
    assert slowed is not None
    assert slowed.details["why"] == "slowed after wrong passwords from several sources"


def test_the_wait_ends_exactly_when_its_seconds_have_passed(front_door):
    at = 1_800_000_000.0
    with mock.patch("earlyhelp.accounts.signing_in.time.time", return_value=at):
        for attempt in range(10):
            _sign_in(front_door.email, f"guess {attempt}", address=f"198.51.100.{attempt}")
    with mock.patch("earlyhelp.accounts.signing_in.time.time", return_value=at + 29.999):
        assert SLOWED in _sign_in(front_door.email, PASSWORD)[1]
    with mock.patch("earlyhelp.accounts.signing_in.time.time", return_value=at + 30):
        assert _sign_in(front_door.email, PASSWORD)[0] == 302


def test_a_count_that_expired_as_it_was_counted_starts_again_at_one(front_door):
    from django.core.cache import cache

    from earlyhelp.accounts import signing_in

    with mock.patch.object(cache, "incr", side_effect=ValueError("expired")):
        signing_in.attempted(front_door.email, "192.0.2.10", succeeded=False)
    assert cache.get(f"sign-in:failures:{front_door.email}:192.0.2.10") == 1
    assert cache.get(f"sign-in:failures:{front_door.email}") == 1


def test_signing_in_rightly_never_counts_towards_the_slowing(front_door, settings):
    settings.SIGN_IN_FAILURES_BEFORE_SLOWING = 1
    assert _sign_in(front_door.email, PASSWORD)[0] == 302
    assert _sign_in(front_door.email, PASSWORD, address="198.51.100.2")[0] == 302
