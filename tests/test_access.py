"""The permission matrix: every page, for every role and for someone not signed in.

404 means "not there or not yours": a record's existence is never confirmed to someone who may
not see it.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from earlyhelp.people.access import people_visible_to
from tests.conftest import signed_in
from tests.factories import PersonFactory, level_of_need_decided

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "front_door",
    "coach",
    "team_leader",
    "forum_coordinator",
    "business_support",
    "alice",
    "bob",
    "analyst",
    "administrator",
]
CASEWORK = {"front_door", "coach", "team_leader", "forum_coordinator", "business_support"}
SIGN_IN = "redirect to sign in"


def expect(staff: int, alice: int, bob: int, others: int = 404, anonymous: str | int = SIGN_IN) -> dict[str, str | int]:
    outcome: dict[str, str | int] = {role: staff for role in CASEWORK}
    outcome.update({"alice": alice, "bob": bob, "analyst": others, "administrator": others, "anonymous": anonymous})
    return outcome


# URL name → (how to build its address from the Okafor family, what each role gets on GET)
MATRIX = {
    "home": (lambda o: "/", expect(200, 200, 200, others=200)),
    "sign-in": (lambda o: "/sign-in/", expect(302, 302, 302, others=302, anonymous=200)),
    "health": (lambda o: "/healthz", expect(200, 200, 200, others=200, anonymous=200)),
    "people:search": (lambda o: "/people/", expect(200, 200, 200)),
    "people:person-add": (lambda o: "/people/add/", expect(200, 200, 200)),
    "people:person-matches": (lambda o: "/people/add/possible-matches/", expect(302, 302, 302)),
    "people:person-detail": (lambda o: f"/people/{o.child.pk}/", expect(200, 200, 404)),
    "people:person-edit": (lambda o: f"/people/{o.child.pk}/edit/", expect(200, 200, 404)),
    # Only team leaders see who looked.
    "people:person-access-log": (
        lambda o: f"/people/{o.child.pk}/access-log/",
        expect(404, 404, 404) | {"team_leader": 200},
    ),
    "people:relationship-add": (lambda o: f"/people/{o.child.pk}/relationships/add/", expect(200, 200, 404)),
    # Alice sees the child but not the mother, so not the relationship between them.
    "people:relationship-edit": (
        lambda o: f"/people/{o.child.pk}/relationships/{o.relationship.pk}/",
        expect(200, 404, 404),
    ),
    "people:family-add": (lambda o: "/families/add/", expect(200, 200, 200)),
    "people:family-detail": (lambda o: f"/families/{o.family.pk}/", expect(200, 200, 404)),
    "people:family-edit": (lambda o: f"/families/{o.family.pk}/edit/", expect(200, 200, 404)),
    "people:family-member-add": (lambda o: f"/families/{o.family.pk}/members/add/", expect(200, 200, 404)),
    "people:family-member-edit": (
        lambda o: f"/families/{o.family.pk}/members/{o.child_membership.pk}/",
        expect(200, 200, 404),
    ),
    "sign-out": (lambda o: "/sign-out/", expect(405, 405, 405, others=405, anonymous=SIGN_IN)),
    # Checking a level of need holds no personal data: everyone signed in may; the guidance is public.
    "thresholds:check": (lambda o: "/level-of-need/", expect(200, 200, 200, others=200)),
    "thresholds:public-check": (lambda o: "/guidance/level-of-need/", expect(200, 200, 200, others=200, anonymous=200)),
    "thresholds:matrix": (
        lambda o: "/guidance/level-of-need/matrix/",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    "thresholds:person-decide": (lambda o: f"/people/{o.child.pk}/level-of-need/", expect(200, 200, 404)),
    "thresholds:person-decision": (
        lambda o: f"/people/{o.child.pk}/level-of-need/{level_of_need_decided(o.child).pk}/",
        expect(200, 200, 404),
    ),
    # The JSON API authenticates per router; the thresholds part holds no personal data and is open.
    "api:api-root": (lambda o: "/api/v1/", expect(404, 404, 404, others=404, anonymous=404)),
    "api:openapi-json": (lambda o: "/api/v1/openapi.json", expect(200, 200, 200, others=200, anonymous=200)),
    "api:openapi-view": (lambda o: "/api/v1/docs", expect(200, 200, 200, others=200, anonymous=200)),
    "api:framework_list": (
        lambda o: "/api/v1/thresholds/frameworks",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    "api:framework_detail": (
        lambda o: "/api/v1/thresholds/frameworks/newham",
        expect(200, 200, 200, others=200, anonymous=200),
    ),
    "api:framework_assess": (
        lambda o: "/api/v1/thresholds/frameworks/newham/assessments",
        expect(405, 405, 405, others=405, anonymous=405),
    ),
}


def project_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_the_matrix_covers_every_page_of_the_service():
    assert project_url_names() == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_permission_matrix(request, role, url_name, okafor):
    build, outcomes = MATRIX[url_name]
    if url_name.startswith(("thresholds:", "api:")):
        request.getfixturevalue("frameworks")
    client = Client() if role == "anonymous" else signed_in(request.getfixturevalue(role))
    response = client.get(build(okafor))
    expected = outcomes[role]
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["analyst", "administrator", "bob"])
def test_roles_without_access_cannot_change_a_record(request, role, okafor):
    client = signed_in(request.getfixturevalue(role))
    response = client.post(f"/people/{okafor.child.pk}/edit/", {"first_name": "Changed"})
    assert response.status_code == 404
    okafor.child.refresh_from_db()
    assert okafor.child.first_name == "Tobi"


def test_only_the_administrator_reaches_the_admin_site(administrator, front_door):
    assert signed_in(administrator).get("/admin/").status_code == 200
    assert signed_in(front_door).get("/admin/").status_code == 302


def test_the_admin_site_holds_no_person_or_family_records(administrator):
    page = signed_in(administrator).get("/admin/").content.decode()
    assert "Users" in page
    assert "People" not in page
    assert "Families" not in page
    assert "Audit" not in page


def test_a_partner_finds_only_the_people_they_work_with(alice, okafor):
    PersonFactory(first_name="Tobias", last_name="Okafor")
    page = signed_in(alice).get("/people/", {"name": "Okafor"}).content.decode()
    assert "1 person found" in page
    assert "Tobi Okafor" in page


def test_a_partner_sees_only_their_members_of_a_family(alice, okafor):
    page = signed_in(alice).get(f"/families/{okafor.family.pk}/").content.decode()
    assert "Tobi Okafor" in page
    assert "Grace Okafor" not in page
    assert "1 other member is recorded whose records you do not have access to" in page


def test_a_partner_who_records_a_person_can_go_on_seeing_them(bob):
    signed_in(bob).post(
        "/people/add/",
        {
            "kind": "adult",
            "first_name": "New",
            "last_name": "Person",
            "gender": "not_known",
            "ethnicity": "NOBT",
            "disability": "not_known",
        },
    )
    assert [person.first_name for person in people_visible_to(bob)] == ["New"]


def test_staff_of_another_authority_see_nothing(okafor, team):
    from earlyhelp.organisations.roles import Role
    from tests.factories import AuthorityFactory, UserFactory

    outsider = UserFactory(authority=AuthorityFactory(code="999", name="Elsewhere"), roles=[Role.TEAM_LEADER])
    assert signed_in(outsider).get(f"/people/{okafor.child.pk}/").status_code == 404
    assert not people_visible_to(outsider).exists()
