"""Bad input never makes a server error: Hypothesis sends every page (public and signed in, as
the front door and as a partner) odd values for every query parameter and form field the service
reads, and the request limits refuse oversized bodies, NUL bytes and half characters clearly."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import signed_in
from tests.test_access import MATRIX

pytestmark = pytest.mark.django_db

# Every name a view reads from the query string or a form, by hand or through a form.
NAMES = [
    "page", "framework", "level", "domain", "words", "q", "person", "family", "team", "to", "draft", "check",
    "indicators", "name", "postcode", "nhs_number", "upn", "date_of_birth_0", "date_of_birth_1", "date_of_birth_2",
    "action", "version", "choice", "note", "outcome", "service", "meeting_area", "reasons", "consent", "given_on_0",
    "given_on_1", "given_on_2", "covers", "first_name", "last_name", "kind", "role", "other_person", "area", "age",
    "need", "immediate_danger", "because", "discussion", "form", "decision", "ending", "reason", "learning",
    "invited", "summary", "barrier", "consent_given", "presenting_issues", "level_of_need", "what-0", "due_on-0_0",
    "due_on-0_2", "member-1", "guest_name-0", "done_on_1", "since_0", "since_2", "until_1", "coach", "format",
    "list", "sustained", "looked_at", "checked_on_0", "point", "status-sf-education",
]  # fmt: skip
ODD = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["²", "١٢", "\x00", "9" * 30, "-1", "0", "1e9", "%00", "   ", "\u202eevil", "2026-02-31"]),
)
QUERIES = st.dictionaries(st.sampled_from(NAMES), st.one_of(ODD, st.lists(ODD, max_size=3)), max_size=5)
PAGES = sorted(name for name in MATRIX if not name.startswith("api:") and name not in {"sign-out", "health"})


@pytest.fixture
def every_client(
    okafor,
    frameworks,
    front_door,
    alice,
    coach,
    team_leader,
    head_of_service,
    information_governance,
    social_worker,
    forum_coordinator,
    business_support,
):
    return {
        "forum_coordinator": signed_in(forum_coordinator),
        "information_governance": signed_in(information_governance),
        "anonymous": Client(),
        "front_door": signed_in(front_door),
        "partner": signed_in(alice),
        "coach": signed_in(coach),
        "team_leader": signed_in(team_leader),
        "head_of_service": signed_in(head_of_service),
    }


@pytest.fixture
def built_urls() -> dict[str, str]:
    return {}


@pytest.mark.parametrize("url_name", PAGES)
@given(query=QUERIES, form=QUERIES)
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_page_answers_odd_input_with_a_server_error(url_name, query, form, every_client, built_urls, okafor):
    if url_name not in built_urls:  # built once: building makes records
        built_urls[url_name] = MATRIX[url_name][0](okafor)
    url = built_urls[url_name]
    for client in every_client.values():
        assert client.get(url, query).status_code < 500, (url, query)
        assert client.post(url, form).status_code < 500, (url, form)


def test_a_nul_byte_in_a_query_parameter_is_refused_clearly(frameworks):
    response = Client().get("/guidance/level-of-need/", {"framework": "\x00"})
    assert response.status_code == 400
    assert "null character" in response.content.decode()


def test_a_superscript_level_is_not_a_level(frameworks):
    assert Client().get("/guidance/level-of-need/matrix/", {"level": "²"}).status_code == 200


def test_an_oversized_api_body_gets_a_json_413(frameworks):
    body = json.dumps({"indicators": ["x" * 100] * 30000})
    response = Client().post(
        "/api/v1/thresholds/frameworks/northamptonshire/assessments", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "larger than this service accepts" in response.json()["detail"]


def test_an_oversized_form_gets_the_services_own_413_page(alice):
    response = signed_in(alice).post("/refer/reasons/", {"reason": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too long" in response.content.decode()


def test_an_unpaired_surrogate_in_json_is_refused_where_it_is(frameworks):
    body = '{"indicators": ["l2-learning-01"], "facts": {"caf_exists": false}, "note": "\\ud800"}'
    response = Client().post(
        "/api/v1/thresholds/frameworks/northamptonshire/assessments", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "note"]
    assert "unpaired surrogate" in response.json()["detail"][0]["msg"]


def test_a_paired_surrogate_in_json_is_an_ordinary_character(frameworks):
    body = '{"indicators": ["l2-learning-01"], "facts": {}}'.replace("{}", '{"caf_exists": false}')
    body = body[:-1] + ', "x": "\\ud83d\\ude00"}'
    response = Client().post(
        "/api/v1/thresholds/frameworks/northamptonshire/assessments", body, content_type="application/json"
    )
    assert response.status_code != 500
    assert response.status_code in (200, 422)
