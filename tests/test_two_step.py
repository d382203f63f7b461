"""Two-step sign-in (issue 13, ADR 20): a password alone opens nothing for the authority's staff
and administrators; a code from an authenticator app, or a recovery code, once each, does."""

import re

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts import two_step
from earlyhelp.accounts.models import SignedInSession
from earlyhelp.audit.models import AuditEvent
from earlyhelp.site import demo
from tests.conftest import PASSWORD, authenticator_of, code_from, sign_in_through_both_steps, signed_in

pytestmark = pytest.mark.django_db

TWO_STEP = "/account/two-step/"
SET_UP = "/account/two-step/set-up/"
CODES = "/account/two-step/recovery-codes/"


def _password_only(user, client: Client | None = None) -> Client:
    client = client or Client()
    assert client.post("/sign-in/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def _wrong(app) -> str:
    """A code the app shows neither now nor a step either side of now."""
    import time

    from django_otp.oath import hotp

    now = int(time.time() - app.t0) // app.step
    near = {f"{hotp(app.bin_key, step):06d}" for step in range(now - 2, now + 3)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def _verbs(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="organisations.user", target_id=user.pk)
        .order_by("occurred_at", "id")
        .values_list("verb", flat=True)
    )


def test_a_password_alone_opens_no_page_for_the_authoritys_staff(front_door, administrator, okafor):
    authenticator_of(front_door)
    client = _password_only(front_door)
    for path in ("/", f"/people/{okafor.child.pk}/", "/front-door/", "/account/sessions/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, f"{TWO_STEP}?next={path}")
    admin = _password_only(administrator)
    assert admin.get("/admin/").status_code == 302
    assert admin.get("/admin/")["Location"] == f"{TWO_STEP}?next=/admin/"
    # The page between the steps offers no menu to the pages it would send them back from.
    page = client.get(TWO_STEP).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert 'aria-label="Menu"' not in page


def test_the_code_from_the_app_opens_the_page_asked_for(front_door, okafor):
    app = authenticator_of(front_door)
    client = _password_only(front_door)
    response = client.post(f"{TWO_STEP}?next=/people/{okafor.child.pk}/", {"code": code_from(app)})
    assert (response.status_code, response["Location"]) == (302, f"/people/{okafor.child.pk}/")
    assert client.get(f"/people/{okafor.child.pk}/").status_code == 200
    assert client.get(TWO_STEP)["Location"] == "/"  # passed: the step's page sends them on
    assert _verbs(front_door)[-2:] == ["signed_in", "two_step_passed"]


def test_a_code_for_another_site_is_not_followed(front_door):
    app = authenticator_of(front_door)
    client = _password_only(front_door)
    response = client.post(TWO_STEP, {"code": code_from(app), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_next_to_the_field_and_recorded(front_door):
    authenticator_of(front_door)
    client = _password_only(front_door)
    response = client.post(TWO_STEP, {"code": _wrong(authenticator_of(front_door))})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["That code did not match. Enter the code your app shows now, or a recovery code"]
    }
    assert client.get("/")["Location"] == f"{TWO_STEP}?next=/"
    assert _verbs(front_door)[-1] == "two_step_failed"
    empty = client.post(TWO_STEP, {"code": ""})
    assert empty.context["form"].errors == {"code": ["Enter the code from your authenticator app"]}


def test_a_code_works_once(front_door):
    app = authenticator_of(front_door)
    code = code_from(app)
    first = _password_only(front_door)
    assert first.post(TWO_STEP, {"code": code}).status_code == 302
    second = _password_only(front_door, Client())
    refused = second.post(TWO_STEP, {"code": code})
    assert refused.status_code == 200
    assert second.get("/").status_code == 302


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_after_a_wrong_code_even_the_right_one_waits(front_door):
    app = authenticator_of(front_door)
    client = _password_only(front_door)
    client.post(TWO_STEP, {"code": _wrong(app)})
    response = client.post(TWO_STEP, {"code": code_from(app)})
    errors = response.context["form"].errors["code"]
    assert re.fullmatch(r"Too many wrong codes\. Wait (\d+) seconds, then try again", errors[0])
    # 60 seconds from the wrong code, rounded up: a second later is 59.
    assert int(re.findall(r"\d+", errors[0])[0]) in {59, 60}
    assert client.get("/").status_code == 302


def test_the_first_sign_in_sets_up_the_app_and_shows_recovery_codes_once(coach):
    client = _password_only(coach)
    assert client.get(TWO_STEP)["Location"] == f"{SET_UP}?next=/"
    page = client.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "Set up two-step sign-in" in html
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    assert page.context["key"].replace(" ", "") == two_step.key_for_typing(device).replace(" ", "")
    assert client.get(SET_UP).context["key"] == page.context["key"]  # the same key until confirmed
    for not_a_code in ("abc", "12345", "abcdef"):
        wrong = client.post(SET_UP, {"code": not_a_code})
        assert wrong.context["form"].errors == {"code": ["Enter the 6-digit code shown in your authenticator app"]}
    done = client.post(SET_UP, {"code": code_from(device)})
    assert done["Location"] == f"{CODES}?next=/"
    shown = client.get(done["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert client.get(CODES).context["codes"] is None  # shown once
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=coach).confirmed
    assert "two_step_set_up" in _verbs(coach)


def test_a_password_alone_cannot_replace_the_app(coach):
    app = authenticator_of(coach)
    client = _password_only(coach)
    assert client.get(SET_UP)["Location"] == f"{TWO_STEP}?next=/"
    client.post(SET_UP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=coach)) == [app]
    assert client.get(CODES).status_code == 302


def test_a_recovery_code_works_once_and_says_how_many_are_left(coach):
    client = _password_only(coach)
    client.get(SET_UP)
    client.post(SET_UP, {"code": code_from(TOTPDevice.objects.get(user=coach))})
    codes = client.get(CODES).context["codes"]
    later = _password_only(coach, Client())
    used = later.post(TWO_STEP, {"code": codes[0].upper()}, follow=True)
    assert used.redirect_chain[-1][0] == "/"
    assert "You used a recovery code: 9 left." in used.content.decode()
    again = _password_only(coach, Client())
    assert again.post(TWO_STEP, {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=coach).count() == 9


def test_new_recovery_codes_replace_the_old_ones(coach):
    client = signed_in(coach)
    two_step.recovery_codes_new(coach)
    old = list(StaticToken.objects.filter(device__user=coach).values_list("token", flat=True))
    new = client.get(client.post(CODES)["Location"]).context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=coach).count() == 10


def test_passing_the_second_step_gives_the_session_a_new_key(front_door):
    app = authenticator_of(front_door)
    client = _password_only(front_door)
    before = client.session.session_key
    client.post(TWO_STEP, {"code": code_from(app)})
    after = client.session.session_key
    assert after != before
    assert SignedInSession.objects.get(user=front_door).session_key == after
    stolen = Client()
    assert before is not None
    stolen.cookies["sessionid"] = before
    assert stolen.get("/").status_code == 302


def test_partners_are_asked_only_when_the_authority_says_or_they_chose_it(alice, okafor):
    assert not two_step.required_of(alice)
    assert _password_only(alice).get(f"/people/{okafor.child.pk}/").status_code == 200
    with override_settings(TWO_STEP_FOR_PARTNERS=True):
        assert _password_only(alice, Client()).get("/")["Location"] == f"{TWO_STEP}?next=/"
    authenticator_of(alice)
    assert two_step.required_of(alice)
    assert _password_only(alice, Client()).get("/")["Location"] == f"{TWO_STEP}?next=/"


def test_an_administrator_resets_a_lost_phone_and_ends_the_users_sessions(administrator, coach):
    phone = sign_in_through_both_steps(Client(), coach)
    assert phone.status_code == 302
    two_step.recovery_codes_new(coach)
    with pytest.raises(two_step.TwoStepError) as own:
        two_step.reset(actor=administrator, user=administrator)
    assert str(own.value) == "You cannot reset your own two-step sign-in: ask another administrator"
    admin = signed_in(administrator)
    response = admin.post(
        "/admin/organisations/user/", {"action": "reset_two_step", "_selected_action": [coach.pk]}, follow=True
    )
    assert f"{coach}: two-step sign-in reset and 1 session(s) ended." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coach).exists()
    assert not StaticToken.objects.filter(device__user=coach).exists()
    assert set(SignedInSession.objects.filter(user=coach).values_list("ending", flat=True)) == {"two_step_reset"}
    assert "two_step_reset" in _verbs(coach)
    client = _password_only(coach)
    assert client.get("/")["Location"] == f"{TWO_STEP}?next=/"
    assert client.get(TWO_STEP)["Location"] == f"{SET_UP}?next=/"


def test_the_admin_site_shows_no_secret_key(administrator):
    admin = signed_in(administrator)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_demo_users_share_a_published_key_and_production_refuses_it(authority, front_door):
    front_door.email = f"front@{demo.DEMO_EMAIL_DOMAIN}"
    front_door.save()
    assert demo.two_step_for_demo_users() == 1
    assert demo.two_step_for_demo_users() == 0
    device = TOTPDevice.objects.get(user=front_door)
    assert device.key == demo.DEMO_TWO_STEP_KEY
    assert demo.two_step_code_now() == code_from(device)
    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(demo.DemoRefusedError):
        demo.two_step_for_demo_users()


def _details(user) -> list[tuple[str, dict[str, object]]]:
    rows = AuditEvent.objects.filter(target_type="organisations.user", target_id=user.pk).order_by("occurred_at", "id")
    return [(row.verb, {key: value for key, value in row.details.items() if key != "email"}) for row in rows]


@override_settings(OTP_TOTP_THROTTLE_FACTOR=60)
def test_every_step_is_recorded_with_what_happened(administrator, coach):
    client = _password_only(coach)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    assert device.name == "Authenticator app"
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", two_step.key_for_typing(device))
    client.post(SET_UP, {"code": _wrong(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post(SET_UP, {"code": code_from(device)})
    codes = client.get(CODES).context["codes"]
    assert StaticToken.objects.get(token=codes[0]).device.name == "Recovery codes"
    later = _password_only(coach, Client())
    later.post(TWO_STEP, {"code": _wrong(device)})
    later.post(TWO_STEP, {"code": code_from(device)})  # waits: the wrong code just before
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    later.post(TWO_STEP, {"code": code_from(device)})
    _password_only(coach, Client()).post(TWO_STEP, {"code": codes[1]})
    two_step.recovery_codes_new(coach)
    two_step.reset(actor=administrator, user=coach)
    assert [entry for entry in _details(coach) if entry[0] != "signed_in"] == [
        ("two_step_failed", {"why": "set-up code wrong"}),
        ("two_step_set_up", {}),
        ("two_step_failed", {"why": "wrong code"}),
        ("two_step_failed", {"why": "waiting"}),
        ("two_step_passed", {"by": "app"}),
        ("two_step_passed", {"by": "recovery code", "recovery_codes_left": 9}),
        ("two_step_set_up", {"recovery_codes": "new set"}),
        ("signed_out", {"why": "two_step_reset", "sessions": 3, "by": administrator.email}),
        ("two_step_reset", {"by": administrator.email, "sessions": 3}),
    ]


def test_a_finished_set_up_and_a_missing_app_are_explained(coach):
    session = signed_in(coach).session
    with pytest.raises(two_step.TwoStepError) as no_set_up:
        two_step.set_up_confirm(session, coach, "123456")
    assert str(no_set_up.value) == "Scan the QR code again: this set-up has already been finished or has ended"
    with pytest.raises(two_step.TwoStepError) as no_app:
        two_step.check(session, coach, "123456")
    assert str(no_app.value) == "Set up an authenticator app first"
    two_step.app_being_set_up(coach)
    with pytest.raises(two_step.TwoStepError) as wrong:
        two_step.set_up_confirm(
            session, coach, "999999" if code_from(TOTPDevice.objects.get(user=coach)) != "999999" else "888888"
        )
    assert str(wrong.value) == "That code did not match. Enter the code your app shows now"
    assert two_step.SESSION_KEY == "earlyhelp_two_step"
    assert (two_step.PASSED, two_step.NOT_ASKED) == ("passed", "not_asked")


def test_a_code_typed_with_spaces_or_a_dash_is_read_as_its_digits(front_door, okafor):
    app = authenticator_of(front_door)
    code = code_from(app)
    client = _password_only(front_door)
    response = client.post(TWO_STEP, {"code": f" {code[:3]}-{code[3:]} "}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    # Signed in with the app: nothing said about recovery codes.
    assert "recovery code" not in response.content.decode()
