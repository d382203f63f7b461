"""Single sign-on through the council's identity provider (issue 13, ADR 23), against a local
stub provider that the service reaches over HTTP (`tests/oidc_stub.py`)."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from django.conf import settings
from django.test import Client, override_settings

from earlyhelp.accounts.models import SignedInSession
from earlyhelp.accounts.single_sign_on import REFUSED
from earlyhelp.audit.models import AuditEvent
from tests.oidc_stub import StubProvider, serve

pytestmark = pytest.mark.django_db

BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "earlyhelp.accounts.single_sign_on.CouncilSignOnBackend"]


@pytest.fixture
def provider() -> Iterator[StubProvider]:
    stub = StubProvider()
    server = serve(stub)
    with override_settings(AUTHENTICATION_BACKENDS=BACKENDS, **stub.settings()):
        yield stub
    server.shutdown()


def sign_on(client: Client, provider: StubProvider, email: str) -> Any:
    """The browser's round trip: to the provider, which signs `email` in, and back."""
    provider.person = email
    start = client.get("/account/sign-on/")
    assert start.status_code == 302
    assert start["Location"].startswith(provider.base + "/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_without_single_sign_on_set_up_its_pages_are_not_there():
    assert Client().get("/account/sign-on/").status_code == 404
    assert "council account" not in Client().get("/sign-in/").content.decode()


def test_a_user_signs_on_through_the_provider_then_gives_the_second_step_here(provider, coach):
    client = Client()
    assert "Sign in with your council account" in client.get("/sign-in/").content.decode()
    response = sign_on(client, provider, coach.email.upper())
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/account/two-step/")
    assert SignedInSession.objects.filter(user=coach).count() == 1
    event = AuditEvent.objects.filter(verb="signed_in", target_id=coach.pk).get()
    assert event.details["by"] == "single sign-on"


def test_the_providers_own_second_step_counts_where_the_authority_trusts_it(provider, coach):
    provider.amr = ["pwd", "mfa"]
    client = Client()
    with override_settings(SINGLE_SIGN_ON_TRUSTS_PROVIDER_MFA=True):
        sign_on(client, provider, coach.email)
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="two_step_passed", details__by="the identity provider").exists()


def test_the_providers_second_step_is_not_trusted_unless_the_authority_says_so(provider, coach):
    provider.amr = ["mfa"]
    client = Client()
    sign_on(client, provider, coach.email)
    assert client.get("/")["Location"].startswith("/account/two-step/")


def test_nobody_gets_an_account_by_signing_on(provider, authority):
    from earlyhelp.organisations.models import User

    client = Client()
    response = sign_on(client, provider, "stranger@council.example.test")
    assert response["Location"] == "/sign-in/"
    assert REFUSED in client.get("/sign-in/").content.decode()
    assert not User.objects.filter(email="stranger@council.example.test").exists()
    assert client.get("/")["Location"].startswith("/sign-in/")
    failed = AuditEvent.objects.get(verb="sign_in_failed")
    assert failed.details == {
        "email": "stranger@council.example.test",
        "by": "single sign-on",
        "why": "no account with that address",
    }


def test_a_disabled_account_cannot_sign_on(provider, coach):
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    client = Client()
    sign_on(client, provider, coach.email)
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.get(verb="sign_in_failed").details["why"] == "account disabled"


def test_a_forged_state_or_a_code_replayed_signs_nobody_in(provider, coach):
    client = Client()
    provider.person = coach.email
    start = client.get("/account/sign-on/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    forged = back.query.replace("state=", "state=forged")
    assert client.get(f"{back.path}?{forged}").status_code == 400
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    assert SignedInSession.objects.filter(user=coach).count() == 1
    thief = Client()
    assert thief.get(f"{back.path}?{back.query}")["Location"] == "/sign-in/"
    assert thief.get("/")["Location"].startswith("/sign-in/")
    assert SignedInSession.objects.filter(user=coach).count() == 1
