"""Accounts and roles (ADR 18): nobody grants themselves a role; a role that opens children's
records waits for a second administrator; administrators never set or see a password; and the
admin site writes nothing the audit trail does not see."""

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client

from earlyhelp.accounts import granting
from earlyhelp.accounts.models import RoleRequest
from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import RoleAssignment, User
from earlyhelp.organisations.roles import Role
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_administrator(authority, team):
    return UserFactory(
        authority=authority,
        team=team,
        roles=[Role.SYSTEM_ADMINISTRATOR],
        full_name="Second Administrator",
        is_staff=True,
        is_superuser=True,
    )


def _change_form(client: Client, user: User) -> dict[str, str]:
    """The admin's change form for `user`, as a browser would post it back."""
    page = client.get(f"/admin/organisations/user/{user.pk}/change/").content.decode()
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        form[name] = value
    for name in re.findall(r'<select[^>]*name="([^"]+)"', page):
        selected = re.search(rf'name="{re.escape(name)}".*?<option value="([^"]*)" selected', page, re.S)
        form[name] = selected[1] if selected else ""
    form.pop("is_active", None)
    form["is_active"] = "on"
    return form


def test_an_administrator_cannot_give_themselves_a_role_in_the_admin_site(administrator, okafor):
    """The probe's fault: the administrator added "Team leader" to their own account and opened a
    child's record. The role inline adds nothing now, and a role request for oneself is refused."""
    client = signed_in(administrator)
    form = _change_form(client, administrator)
    # What the old inline accepted: a new role row on their own account.
    form |= {
        "role_assignments-TOTAL_FORMS": "2",
        "role_assignments-1-role": Role.TEAM_LEADER,
        "role_assignments-1-user": str(administrator.pk),
    }
    client.post(f"/admin/organisations/user/{administrator.pk}/change/", form)
    assert not RoleAssignment.objects.filter(user=administrator, role=Role.TEAM_LEADER).exists()

    page = client.post(
        "/admin/accounts/rolerequest/add/",
        {"user": administrator.pk, "role": Role.TEAM_LEADER, "reason": "Covering the team"},
    ).content.decode()
    assert "Nobody can grant a role to themselves: ask another administrator" in page
    assert not RoleRequest.objects.exists()
    assert not RoleAssignment.objects.filter(user=administrator, role=Role.TEAM_LEADER).exists()
    assert signed_in(User.objects.get(pk=administrator.pk)).get(f"/people/{okafor.child.pk}/").status_code == 404


def test_a_role_that_opens_records_waits_for_a_second_administrator(
    administrator, second_administrator, authority, okafor
):
    newcomer = UserFactory(authority=authority, full_name="New Starter")
    response = signed_in(administrator).post(
        "/admin/accounts/rolerequest/add/",
        {"user": newcomer.pk, "role": Role.TEAM_LEADER, "reason": "Joins Family Support Team North"},
    )
    assert response.status_code == 302
    request = RoleRequest.objects.get()
    assert request.status == RoleRequest.Status.WAITING
    assert signed_in(User.objects.get(pk=newcomer.pk)).get(f"/people/{okafor.child.pk}/").status_code == 404

    # The administrator who asked cannot approve it.
    changelist = "/admin/accounts/rolerequest/"
    page = (
        signed_in(administrator)
        .post(changelist, {"action": "approve", "_selected_action": [request.pk]}, follow=True)
        .content.decode()
    )
    assert "A second administrator decides: you asked for this role, so someone else must approve it" in page
    assert RoleRequest.objects.get().status == RoleRequest.Status.WAITING

    signed_in(second_administrator).post(changelist, {"action": "approve", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (RoleRequest.Status.GRANTED, second_administrator)
    assert signed_in(User.objects.get(pk=newcomer.pk)).get(f"/people/{okafor.child.pk}/").status_code == 200

    grant = AuditEvent.objects.for_target("organisations.user", newcomer.pk).get()
    assert grant.actor == second_administrator
    assert grant.details["roles"] == [[], ["team_leader"]]
    asked = AuditEvent.objects.for_target("accounts.rolerequest", request.pk).order_by("id")
    assert [event.actor for event in asked] == [administrator, second_administrator]


def test_a_role_that_opens_no_records_is_granted_as_asked(administrator, authority):
    newcomer = UserFactory(authority=authority)
    request = granting.role_request(
        actor=administrator, user=newcomer, role=Role.PERFORMANCE_ANALYST, reason="Joins the data team"
    )
    assert request.status == RoleRequest.Status.GRANTED
    assert request.decided_by is None
    assert request.decision_note == "Opens no records: granted as asked"
    assert User.objects.get(pk=newcomer.pk).roles == frozenset({Role.PERFORMANCE_ANALYST})
    assert granting.needs_second_administrator(Role.SYSTEM_ADMINISTRATOR)
    assert granting.needs_second_administrator(Role.PARTNER_PRACTITIONER)
    assert not granting.needs_second_administrator(Role.PERFORMANCE_ANALYST)


def test_nobody_approves_a_role_for_themselves(administrator, second_administrator):
    request = granting.role_request(
        actor=administrator, user=second_administrator, role=Role.TEAM_LEADER, reason="Acting up"
    )
    with pytest.raises(Exception, match="Nobody can approve or refuse a role for themselves"):
        granting.role_request_approve(actor=second_administrator, request=request, note="", seen_version=None)
    assert not RoleAssignment.objects.filter(user=second_administrator, role=Role.TEAM_LEADER).exists()


def test_only_an_administrator_asks_for_or_approves_a_role(team_leader, administrator, authority):
    newcomer = UserFactory(authority=authority)
    with pytest.raises(Exception, match="Only a system administrator can grant or remove roles"):
        granting.role_request(actor=team_leader, user=newcomer, role=Role.FAMILY_COACH, reason="New coach")
    request = granting.role_request(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="New coach")
    from django.core.exceptions import ValidationError

    for decide in (granting.role_request_approve, granting.role_request_refuse):
        with pytest.raises(ValidationError) as refused:
            decide(actor=team_leader, request=request, note="Why", seen_version=None)
        assert refused.value.message_dict == {"role": ["Only a system administrator can grant or remove roles"]}
    with pytest.raises(ValidationError) as removing:
        granting.role_remove(actor=team_leader, user=newcomer, role=Role.FAMILY_COACH, reason="Why")
    assert removing.value.message_dict == {"role": ["Only a system administrator can grant or remove roles"]}


def test_a_role_removed_in_the_admin_site_goes_at_once_and_is_audited(administrator, coach, okafor):
    client = signed_in(administrator)
    form = _change_form(client, coach)
    assignment = RoleAssignment.objects.get(user=coach)
    form |= {"role_assignments-0-id": str(assignment.pk), "role_assignments-0-DELETE": "on"}
    response = client.post(f"/admin/organisations/user/{coach.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not RoleAssignment.objects.filter(user=coach).exists()
    assert signed_in(User.objects.get(pk=coach.pk)).get(f"/people/{okafor.child.pk}/").status_code == 404
    removal = AuditEvent.objects.for_target("organisations.user", coach.pk).filter(details__has_key="roles").get()
    assert removal.details["roles"] == [["family_coach"], []]
    assert removal.actor == administrator


def test_administrators_never_set_a_password_a_new_user_sets_their_own(
    administrator, authority, team, django_capture_on_commit_callbacks
):
    client = signed_in(administrator)
    assert 'name="password' not in client.get("/admin/organisations/user/add/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/organisations/user/add/",
            {
                "email": "new.coach@example.test",
                "full_name": "New Coach",
                "job_title": "Family coach",
                "authority": authority.pk,
                "team": team.pk,
                "fte": "1.00",
                "is_active": "on",
                "role_assignments-TOTAL_FORMS": "0",
                "role_assignments-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(email="new.coach@example.test")
    assert not newcomer.has_usable_password()
    assert len(mail.outbox) == 1
    link = re.search(r"http://127\.0\.0\.1:8000(/account/set-password/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    assert AuditEvent.objects.for_target("organisations.user", newcomer.pk).filter(verb="created").exists()

    newcomer_browser = Client()
    page = newcomer_browser.get(link[1], follow=True)
    assert "Set your password" in page.content.decode()
    form_address = page.redirect_chain[-1][0]
    too_short = newcomer_browser.post(form_address, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in too_short.content.decode()
    done = newcomer_browser.post(
        form_address, {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"}
    )
    assert done.status_code == 302
    assert "Your password is set" in newcomer_browser.get(done["Location"]).content.decode()
    assert Client().login(username="new.coach@example.test", password="a long new passphrase 42")
    # The link works once.
    assert "This link has expired" in Client().get(link[1], follow=True).content.decode()


def test_a_mismatched_new_password_is_named_beside_its_field(administrator, coach):
    from earlyhelp.accounts.invitations import set_password_path

    client = Client()
    address = client.get(set_password_path(coach), follow=True).redirect_chain[-1][0]
    page = client.post(address, {"new_password1": "a long new passphrase 42", "new_password2": "another"})
    assert "The two passwords are not the same: enter the same password twice" in page.content.decode()


def test_every_model_in_the_admin_site_is_audited_there():
    assert admin.site._registry, "the admin site registers models"
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdmin) and model._meta.label != "accounts.RoleRequest"
    ]
    assert unaudited == []


def test_a_team_changed_in_the_admin_site_is_audited_with_before_and_after(administrator, team):
    client = signed_in(administrator)
    response = client.post(
        f"/admin/organisations/team/{team.pk}/change/",
        {"name": "Family Support Team North East", "kind": team.kind, "area": team.area_id},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.for_target("organisations.team", team.pk).get()
    assert event.actor == administrator
    assert event.details == {"name": ["Family Support Team North", "Family Support Team North East"]}


def test_a_user_moved_to_another_team_in_the_admin_site_is_audited(administrator, coach, authority):
    from tests.factories import TeamFactory

    other = TeamFactory(area__authority=authority, name="Family Support Team South")
    client = signed_in(administrator)
    form = _change_form(client, coach) | {"team": str(other.pk)}
    response = client.post(f"/admin/organisations/user/{coach.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.for_target("organisations.user", coach.pk).get()
    assert event.details == {"team": ["Family Support Team North", "Family Support Team South"]}


def test_an_account_disabled_in_the_admin_site_is_signed_out_at_once(administrator, coach, okafor):
    session = signed_in(coach)
    assert session.get(f"/people/{okafor.child.pk}/").status_code == 200
    client = signed_in(administrator)
    form = _change_form(client, coach)
    del form["is_active"]
    assert client.post(f"/admin/organisations/user/{coach.pk}/change/", form).status_code == 302
    assert session.get(f"/people/{okafor.child.pk}/").status_code == 302  # to sign in
    event = AuditEvent.objects.for_target("organisations.user", coach.pk).get(verb=AuditEvent.Verb.UPDATED)
    assert event.details == {"is_active": [True, False]}


def _problems(**given) -> dict[str, list[str]]:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        granting.role_request(**given)
    return refused.value.message_dict


def test_each_reason_a_role_request_is_refused_is_named_at_its_field(administrator, team_leader, authority):
    from tests.factories import AuthorityFactory

    newcomer = UserFactory(authority=authority, full_name="New Starter")
    elsewhere = UserFactory(authority=AuthorityFactory(code="999", name="Elsewhere"), full_name="Someone Elsewhere")
    assert _problems(actor=team_leader, user=newcomer, role=Role.FAMILY_COACH, reason="x") == {
        "role": ["Only a system administrator can grant or remove roles"]
    }
    assert _problems(actor=administrator, user=administrator, role="nonsense", reason=" ") == {
        "user": ["Nobody can grant a role to themselves: ask another administrator"],
        "role": ["Choose the role"],
        "reason": ["Say why they need this role"],
    }
    assert _problems(actor=administrator, user=elsewhere, role=Role.FAMILY_COACH, reason="x") == {
        "user": ["Choose someone who works with this authority"]
    }
    assert _problems(actor=administrator, user=team_leader, role=Role.TEAM_LEADER, reason="x") == {
        "role": ["Team leader already has the role “Team leader”"]
    }
    granting.role_request(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="Joins")
    assert _problems(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="Joins") == {
        "role": ["“Family coach” for New Starter is already waiting for a second administrator"]
    }


def test_a_role_request_is_audited_with_who_what_and_why(administrator, authority):
    newcomer = UserFactory(authority=authority, email="new.starter@example.test")
    request = granting.role_request(
        actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="  Joins the north team  "
    )
    asked = AuditEvent.objects.for_target("accounts.rolerequest", request.pk).get()
    assert (asked.verb, asked.actor) == (AuditEvent.Verb.CREATED, administrator)
    assert asked.details == {
        "user": "new.starter@example.test",
        "role": "family_coach",
        "reason": "Joins the north team",
    }


def test_deciding_twice_or_without_being_an_administrator_is_refused_with_what_happened(
    administrator, second_administrator, team_leader, authority
):
    from django.core.exceptions import ValidationError

    newcomer = UserFactory(authority=authority)
    request = granting.role_request(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="Joins")
    with pytest.raises(ValidationError) as refused:
        granting.role_request_refuse(actor=second_administrator, request=request, note=" ", seen_version=None)
    assert refused.value.message_dict == {"decision_note": ["Say why the role is refused"]}
    granting.role_request_refuse(
        actor=second_administrator, request=request, note="Not starting now", seen_version=None
    )
    with pytest.raises(ValidationError) as again:
        granting.role_request_approve(actor=second_administrator, request=request, note="", seen_version=None)
    assert again.value.message_dict == {"status": ["This request was already refused by Second Administrator"]}
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (RoleRequest.Status.REFUSED, "Not starting now")
    refused_row = AuditEvent.objects.for_target("accounts.rolerequest", request.pk).order_by("id").last()
    assert refused_row is not None
    assert refused_row.details == {"status": ["waiting", "refused"]}


def test_removing_a_role_says_why_and_refuses_a_role_not_held(administrator, coach):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        granting.role_remove(actor=administrator, user=coach, role=Role.TEAM_LEADER, reason="Left")
    assert refused.value.message_dict == {"role": ["Family coach does not have that role"]}
    with pytest.raises(ValidationError) as unexplained:
        granting.role_remove(actor=administrator, user=coach, role=Role.FAMILY_COACH, reason=" ")
    assert unexplained.value.message_dict == {"reason": ["Say why the role is removed"]}
    granting.role_remove(actor=administrator, user=coach, role=Role.FAMILY_COACH, reason="Left the service")
    removed = AuditEvent.objects.for_target("organisations.user", coach.pk).get()
    assert removed.details == {"roles": [["family_coach"], []], "reason": "Left the service"}


def test_who_may_decide_a_role_request_is_said_word_for_word(administrator, second_administrator, authority):
    from django.core.exceptions import ValidationError

    request = granting.role_request(
        actor=administrator, user=second_administrator, role=Role.TEAM_LEADER, reason="Acting up"
    )
    for actor, message in (
        (second_administrator, "Nobody can approve or refuse a role for themselves"),
        (administrator, "A second administrator decides: you asked for this role, so someone else must approve it"),
    ):
        with pytest.raises(ValidationError) as refused:
            granting.role_request_approve(actor=actor, request=request, note="", seen_version=None)
        assert refused.value.message_dict == {"status": [message]}


def test_a_decision_from_a_stale_page_is_refused_and_one_from_the_page_as_saved_is_taken(
    administrator, second_administrator, authority
):
    from django.core.exceptions import ValidationError

    newcomer = UserFactory(authority=authority)
    request = granting.role_request(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="Joins")
    assert request.version == 1
    with pytest.raises(ValidationError) as stale:
        granting.role_request_refuse(actor=second_administrator, request=request, note="No", seen_version=0)
    assert stale.value.message_dict == {"status": ["Someone changed this request after you opened it: open it again"]}
    refused = granting.role_request_refuse(actor=second_administrator, request=request, note="No", seen_version=1)
    assert (refused.status, refused.version) == (RoleRequest.Status.REFUSED, 2)
    again = granting.role_request(actor=administrator, user=newcomer, role=Role.FAMILY_COACH, reason="Joins now")
    granted = granting.role_request_approve(actor=second_administrator, request=again, note="Yes", seen_version=1)
    assert (granted.status, granted.version, granted.decision_note) == (RoleRequest.Status.GRANTED, 2, "Yes")
    decided = AuditEvent.objects.for_target("accounts.rolerequest", again.pk).order_by("id").last()
    assert decided is not None
    assert decided.details == {"status": ["waiting", "granted"]}


def test_an_administrator_cannot_change_a_users_email_address_and_send_themselves_its_link(administrator, coach):
    client = signed_in(administrator)
    form = _change_form(client, coach) | {"email": "administrator.own@example.test"}
    assert client.post(f"/admin/organisations/user/{coach.pk}/change/", form).status_code == 302
    assert User.objects.get(pk=coach.pk).email == coach.email
