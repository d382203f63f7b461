"""Administrators never set or see a password (ADR 18): a new user is sent an invitation to set
their own, and a user who has forgotten theirs is sent a link to set a new one. Each link works
once, for `PASSWORD_RESET_TIMEOUT` seconds (Django's signed token, which a password change
invalidates), and each sending is an audit row on the user."""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited, record_change
from earlyhelp.organisations.models import User


class Kind(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


def set_password_path(user: User) -> str:
    return reverse(
        "accounts:set-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@audited
def invitation_send(*, actor: User | None, user: User, kind: Kind) -> None:
    link = settings.SERVICE_URL.rstrip("/") + set_password_path(user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    if kind is Kind.INVITATION:
        subject = f"You have been given an account on {settings.SERVICE_NAME}"
        opening = f"An administrator has given you an account on {settings.SERVICE_NAME}, for {user.email}."
    else:
        subject = f"Set a new password for {settings.SERVICE_NAME}"
        opening = f"You, or an administrator for you, asked to set a new password for {user.email}."
    body = (
        f"{opening}\n\nSet your password here (the link works once, for {hours} hours):\n{link}\n\n"
        "If you did not expect this e-mail, tell your service's administrator and do not use the link."
    )
    record_change(actor=actor, verb=AuditEvent.Verb.UPDATED, target=user, changes={"password link sent": kind.value})
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
