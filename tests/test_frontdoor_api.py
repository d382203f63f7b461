"""The referrals API: per-partner keys, whole-or-nothing referrals with precise problems, the
Idempotency-Key, and a schemathesis fuzz of the whole OpenAPI document with no server error."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from earlyhelp.frontdoor.models import Contact
from earlyhelp.frontdoor.partner_systems import partner_system_add
from earlyhelp.people.identifiers import nhs_number_check_digit
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
    """Every schemathesis check but one: "positive data acceptance" expects any request the schema
    allows to be accepted, but a referral's rules (check digits, consent that says who and when
    when given, a child unless in immediate danger) are more than a JSON schema can say. The
    success path is fuzzed instead by `test_every_valid_referral_is_accepted`, below."""
    _, key = partner
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, excluded_checks=[positive_data_acceptance])


def _nhs_number(first_nine: str) -> str | None:
    check = nhs_number_check_digit(first_nine)
    return None if check is None else first_nine + str(check)


NAMES = st.text(alphabet=st.characters(categories=["L"], exclude_characters="\u0130"), min_size=1, max_size=30)
NHS_NUMBERS = st.from_regex(r"999[0-9]{6}", fullmatch=True).map(_nhs_number).filter(bool)


@st.composite
def valid_referrals(draw: st.DrawFn) -> dict[str, Any]:
    """Referrals the front door must accept: every rule of `referral_problems` kept."""
    today = date.today()
    child = {
        "role": "child",
        "first_name": draw(NAMES),
        "last_name": draw(NAMES),
        "date_of_birth": draw(st.dates(today - timedelta(days=17 * 365), today)).isoformat(),
        "gender": draw(st.sampled_from(["female", "male", "not_known"])),
        "nhs_number": draw(st.one_of(st.just(""), NHS_NUMBERS)),
    }
    given = draw(st.booleans())
    consent: dict[str, Any] = {"status": "given" if given else draw(st.sampled_from(["refused", "not_asked"]))}
    if given:
        consent |= {
            "given_by": draw(NAMES),
            "given_on": draw(st.dates(date(2020, 1, 1), today)).isoformat(),
            "how": draw(st.sampled_from(["written", "verbal"])),
            "covers": draw(
                st.lists(st.sampled_from(["early_help_service", "share_with_agencies"]), min_size=1, unique=True)
            ),
        }
    return {
        "referrer": {"name": draw(NAMES)},
        "children": [child],
        "needs": draw(
            st.lists(st.sampled_from(["parental-mental-health", "family-conflict"]), min_size=1, unique=True)
        ),
        "reason": draw(st.text(min_size=1, max_size=200).filter(lambda text: text.strip() and "\x00" not in text)),
        "consent": consent,
    }


@given(referral=valid_referrals())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_valid_referral_is_accepted(referral, partner):
    _, key = partner
    response = post(key, referral)
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("EH")


def test_the_openapi_document_lists_every_answer_the_api_really_gives():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    send = paths["/api/v1/referrals"]["post"]["responses"]
    assert {"200", "201", "400", "401", "409", "413", "422"} <= set(send)
    assess = paths["/api/v1/thresholds/frameworks/{name}/assessments"]["post"]["responses"]
    assert {"200", "400", "404", "413", "422"} <= set(assess)
    assert "401" not in assess  # the thresholds API is open
