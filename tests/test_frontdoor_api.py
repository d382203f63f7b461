"""The referrals API: per-partner keys, whole-or-nothing referrals with precise problems, the
Idempotency-Key, and a schemathesis fuzz of the whole OpenAPI document with no server error."""

import json
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.services import partner_system_add
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

REFERRAL = {
    "referrer": {"name": "Dr Ann Lee", "role": "GP", "email": "ann.lee@surgery.example.test"},
    "children": [{"role": "child", "first_name": "Leo", "last_name": "Hart", "date_of_birth": "2014-09-01"}],
    "adults": [{"role": "parent", "first_name": "Dan", "last_name": "Hart", "email": "dan@example.test"}],
    "needs": ["parental-mental-health"],
    "reason": "Dad's depression is affecting Leo's school attendance.",
    "consent": {
        "status": "given",
        "given_by": "Dan Hart (father)",
        "given_on": date.today().isoformat(),
        "how": "verbal",
        "covers": ["early_help_service"],
    },
}


@pytest.fixture
def partner(authority, frameworks):
    agency = AgencyFactory(authority=authority, name="Abington Surgery", kind="gp")
    system, key = partner_system_add(agency_id=agency.pk, authority_id=authority.pk, name="Surgery records")
    return system, key


def post(key: str, body: object, **headers: str):
    return Client().post(
        "/api/v1/referrals",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", **headers},
    )


def test_a_partner_system_sends_a_referral_and_reads_its_status(partner):
    system, key = partner
    response = post(key, REFERRAL)
    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get()
    assert body["reference"] == contact.reference
    assert body["status"] == "awaiting_decision"
    assert contact.source == "partner_system"
    assert contact.partner_system == system
    assert str(contact.referrer_agency) == "Abington Surgery"
    status = Client().get(f"/api/v1/referrals/{contact.reference}", headers={"Authorization": f"Bearer {key}"})
    assert status.status_code == 200
    assert status.json()["status_label"] == "Awaiting a decision"


def test_without_a_valid_key_nothing_is_accepted(partner):
    assert post("not-a-key", REFERRAL).status_code == 401
    assert Client().post("/api/v1/referrals", data=REFERRAL, content_type="application/json").status_code == 401
    assert not Contact.objects.exists()


def test_a_partner_cannot_read_another_partners_referral(partner, authority):
    _, key = partner
    other_agency = AgencyFactory(authority=authority, name="Police", kind="police")
    _, other_key = partner_system_add(agency_id=other_agency.pk, authority_id=authority.pk, name="Police system")
    reference = post(key, REFERRAL).json()["reference"]
    response = Client().get(f"/api/v1/referrals/{reference}", headers={"Authorization": f"Bearer {other_key}"})
    assert response.status_code == 404


def test_a_retried_request_with_the_same_idempotency_key_creates_one_referral(partner):
    _, key = partner
    first = post(key, REFERRAL, **{"Idempotency-Key": "mis-12345"})
    again = post(key, REFERRAL, **{"Idempotency-Key": "mis-12345"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Contact.objects.count() == 1
    changed = post(key, REFERRAL | {"reason": "Something else"}, **{"Idempotency-Key": "mis-12345"})
    assert changed.status_code == 409
    assert Contact.objects.count() == 1


def test_every_problem_is_named_where_it_is_and_nothing_is_saved(partner):
    _, key = partner
    bad = REFERRAL | {
        "referrer": {"name": "Dr Ann Lee", "email": "not-an-address"},
        "children": [{"role": "child", "first_name": "Leo", "last_name": "Hart", "nhs_number": "123"}],
        "needs": ["no-such-need"],
    }
    response = post(key, bad)
    assert response.status_code == 422
    where = {tuple(problem["loc"]): problem["msg"] for problem in response.json()["detail"]}
    assert where[("body", "referral", "children", 0, "date_of_birth")] == "Enter the child's date of birth"
    assert "NHS number" in where[("body", "referral", "children", 0, "nhs_number")]
    assert "no-such-need" in where[("body", "referral", "needs")]
    assert "email address" in where[("body", "referral", "referrer", "email")]
    assert not Contact.objects.exists()


def test_the_openapi_document_is_served_at_the_documented_address():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/referrals" in response.json()["paths"]


# Loaded from the running application, as a partner would read it. (Schemathesis's lazy
# fixture loader does not yet work with pytest 9, and the document needs no database.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def connection_kept_open():
    """Django closes the database connection after each request, as it should in a server; in a
    test that would close the test's own transaction. (Django's test client does the same.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_the_api_never_answers_with_a_server_error(case, partner, connection_kept_open):
    _, key = partner
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=[not_a_server_error])
