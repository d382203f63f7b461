"""Two-step sign-in (issue 13, ADR 20): after the password, a code from an authenticator app (a
time-based one-time code, RFC 6238) or one of ten single-use recovery codes.

- Required of the authority's own staff, of administrators and of anyone who may use the admin
  site; of partner practitioners when `TWO_STEP_FOR_PARTNERS` is on, and otherwise of those who
  chose to set it up.
- Whether this session has passed the second step is kept in the session itself, so that a page
  costs no query to check it. Removing a user's authenticator (an administrator's reset) ends
  their sessions at once, so no session outlives the device that let it in.
- Codes are checked by django-otp's devices: a code works once (a later sign-in needs a later
  code), the clock may drift by one step either way, and each wrong code doubles the wait
  before the next try (`OTP_TOTP_THROTTLE_FACTOR`, `OTP_STATIC_THROTTLE_FACTOR`).
- Every attempt, set-up, new set of recovery codes and reset is an audit entry.
"""

from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import SignedInSession
from earlyhelp.accounts.sessions import key_renew, open_sessions_of, sessions_end
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_sign_in
from earlyhelp.organisations.models import User
from earlyhelp.organisations.roles import Role

# The session's record of the second step: passed, or not asked of this user.
SESSION_KEY = "earlyhelp_two_step"
PASSED = "passed"
NOT_ASKED = "not_asked"

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODES = 10


class TwoStepError(Exception):
    """A step refused, with the words to show next to the field."""


def required_of(user: User) -> bool:
    """Must this user give a code at every sign-in? The authority's staff and administrators
    always; partner practitioners when the authority says so, or once they have set it up."""
    if user.agency_id is None or user.is_staff or user.is_superuser or Role.SYSTEM_ADMINISTRATOR in user.roles:
        return True
    return bool(settings.TWO_STEP_FOR_PARTNERS) or app_of(user) is not None


def app_of(user: User) -> TOTPDevice | None:
    """The user's authenticator app, once set up (confirmed with a code from it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def session_state(session: SessionBase) -> str | None:
    state = session.get(SESSION_KEY)
    return state if state in (PASSED, NOT_ASKED) else None


def session_started(session: SessionBase) -> None:
    """A new sign-in: whatever an earlier one passed counts for nothing."""
    session.pop(SESSION_KEY, None)


def settle(session: SessionBase, user: User) -> str | None:
    """For a session that has not yet been settled: note when the second step is not asked of
    its user (a partner who has not set it up, where the authority does not require it)."""
    state = session_state(session)
    if state is None and not required_of(user):
        session[SESSION_KEY] = state = NOT_ASKED
    return state


def _passed(session: SessionBase) -> None:
    # A new session key once the second step is passed, as at sign-in: a key seen before it
    # (a fixation attempt) is worth nothing after it.
    key_renew(session)
    session[SESSION_KEY] = PASSED


def passed_at_provider(session: SessionBase, user: User) -> None:
    """Single sign-on where the authority trusts the identity provider's own second step
    (`accounts/single_sign_on.py`): passed, and recorded as such."""
    _passed(session)
    record_sign_in(
        verb=AuditEvent.Verb.TWO_STEP_PASSED, user=user, email=user.email, details={"by": "the identity provider"}
    )


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class Checked:
    passed: bool
    recovery_code_used: bool = False
    wait_seconds: int = 0


def check(session: SessionBase, user: User, code: str) -> Checked:
    """The second step at sign-in: a code from the app (digits), or a recovery code (used up)."""
    typed = _normalised(code)
    app = app_of(user)
    if app is None:
        raise TwoStepError("Set up an authenticator app first")
    # Checked under the device's row lock: the same code sent twice at once (two tabs, or someone
    # who saw it over a shoulder) lets in only one, as the code's last use is read and moved in turn.
    with transaction.atomic():
        if typed.isdigit():
            recovery = None
            app = TOTPDevice.objects.select_for_update().get(pk=app.pk)
        else:
            recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        return _checked(session, user, typed, app, recovery)


def _checked(session: SessionBase, user: User, typed: str, app: TOTPDevice, recovery: StaticDevice | None) -> Checked:
    device: TOTPDevice | StaticDevice = app if recovery is None else recovery
    wait = _wait_of(device)
    if wait:
        record_sign_in(verb=AuditEvent.Verb.TWO_STEP_FAILED, user=user, email=user.email, details={"why": "waiting"})
        return Checked(passed=False, wait_seconds=wait)
    if recovery is not None and recovery.verify_token(typed):
        _passed(session)
        left = StaticToken.objects.filter(device=recovery).count()
        record_sign_in(
            verb=AuditEvent.Verb.TWO_STEP_PASSED,
            user=user,
            email=user.email,
            details={"by": "recovery code", "recovery_codes_left": left},
        )
        return Checked(passed=True, recovery_code_used=True)
    if recovery is None and typed.isdigit() and len(typed) == app.digits and app.verify_token(typed):
        _passed(session)
        record_sign_in(verb=AuditEvent.Verb.TWO_STEP_PASSED, user=user, email=user.email, details={"by": "app"})
        return Checked(passed=True)
    record_sign_in(verb=AuditEvent.Verb.TWO_STEP_FAILED, user=user, email=user.email, details={"why": "wrong code"})
    return Checked(passed=False)


def _wait_of(device: TOTPDevice | StaticDevice) -> int:
    allowed, why = device.verify_is_allowed()
    if allowed or not why:
        return 0
    locked_until = why.get("locked_until")
    if locked_until is None:
        return 1
    from django.utils import timezone

    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


# Setting up ------------------------------------------------------------------------------------


def app_being_set_up(user: User) -> TOTPDevice:
    """The authenticator app the user is setting up: the same one until confirmed, so that the
    QR code does not change under them between a page and its form."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def key_for_typing(device: TOTPDevice) -> str:
    """The secret key as an authenticator app takes it typed: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def set_up_confirm(session: SessionBase, user: User, code: str) -> list[str]:
    """Confirm the app with a code from it: it replaces any earlier app, the user gets a new set of
    recovery codes (returned, to be shown once), and this session has passed the second step."""
    typed = _normalised(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise TwoStepError("Scan the QR code again: this set-up has already been finished or has ended")
        if not (typed.isdigit() and len(typed) == device.digits):
            raise TwoStepError("Enter the 6-digit code shown in your authenticator app")
        matched = device.verify_token(typed)  # a wrong code counts towards the wait, and stays counted
        if matched:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_new(user)
    if not matched:
        # Recorded outside the transaction above, which a refusal would otherwise take with it.
        record_sign_in(
            verb=AuditEvent.Verb.TWO_STEP_FAILED, user=user, email=user.email, details={"why": "set-up code wrong"}
        )
        raise TwoStepError("That code did not match. Enter the code your app shows now")
    _passed(session)
    record_sign_in(verb=AuditEvent.Verb.TWO_STEP_SET_UP, user=user, email=user.email, details={})
    return codes


def recovery_codes_new(user: User) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_new(user)
    record_sign_in(
        verb=AuditEvent.Verb.TWO_STEP_SET_UP, user=user, email=user.email, details={"recovery_codes": "new set"}
    )
    return codes


def _recovery_codes_new(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


# An administrator's reset --------------------------------------------------------------------


def reset(*, actor: User, user: User) -> int:
    """For a user who lost their phone and their recovery codes: their app and codes are removed
    and their sessions ended, so that they set up again at their next sign-in. Not one's own: an
    administrator who could reset their own second step would need only a password."""
    if actor.pk == user.pk:
        raise TwoStepError("You cannot reset your own two-step sign-in: ask another administrator")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    ended = sessions_end(
        user=user, sessions=open_sessions_of(user), ending=SignedInSession.Ending.TWO_STEP_RESET, actor=actor
    )
    record_sign_in(
        verb=AuditEvent.Verb.TWO_STEP_RESET, user=user, email=user.email, details={"by": actor.email, "sessions": ended}
    )
    return ended
