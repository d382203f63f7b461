"""The sign-in check, guarded (signing_in.py) and audited: every attempt is an audit row, and a
refused one never reaches the password check."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from earlyhelp.accounts import signing_in
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_sign_in
from earlyhelp.core.addresses import client_address
from earlyhelp.organisations.backends import UserBackend
from earlyhelp.organisations.models import User


class GuardedUserBackend(UserBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if password is None:
            return None  # not a password sign-in (single sign-on's return, say): another backend's
        email = str(username or kwargs.get("email") or "").strip().lower()
        address = client_address(request) if request is not None else None
        account = User.objects.filter(email=email).first() if email else None
        refused = signing_in.refusal(email, address)
        if refused is not None:
            record_sign_in(
                verb=AuditEvent.Verb.SIGN_IN_REFUSED, user=account, email=email, details={"why": refused.why}
            )
            if request is not None:
                request.sign_in_refusal = refused.message  # type: ignore[attr-defined]
            raise PermissionDenied(refused.message)  # stops Django trying any other backend
        user = super().authenticate(request, username=email, password=password, **kwargs)
        signing_in.attempted(email, address, succeeded=user is not None)
        if user is None:
            record_sign_in(verb=AuditEvent.Verb.SIGN_IN_FAILED, user=account, email=email, details={})
        else:
            record_sign_in(verb=AuditEvent.Verb.SIGNED_IN, user=user, email=email, details={})
        return user
