"""Signing in through the council's identity provider by OpenID Connect (ADR 23), as an option
beside the password (`SINGLE_SIGN_ON=1`).

- An account is never made by signing on: the provider's e-mail address must be an active user's
  here, whose roles two administrators granted (ADR 18). Anyone else is refused, and the refusal
  is in the audit trail like a wrong password.
- The second step is still asked here, unless the authority trusts the provider's own
  (`SINGLE_SIGN_ON_TRUSTS_PROVIDER_MFA=1`) and the provider says it asked one (`amr` has "mfa").
- Built on mozilla-django-oidc: the authorisation code flow with PKCE and a nonce, the ID token's
  signature checked against the provider's published keys.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from earlyhelp.accounts import two_step
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_sign_in
from earlyhelp.organisations.models import User

PROVIDER_ASKED_SECOND_STEP = "earlyhelp_sign_on_mfa"
REFUSED = (
    "Your council account is not set up to use Early Help. Ask your team leader to request access for you, "
    "or sign in with your e-mail address and password"
)


class CouncilSignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Finds the user the provider vouches for by e-mail address; makes nobody."""

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
        if not email:
            return User.objects.none()
        return User.objects.filter(email=email, is_active=True)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email") or claims.get("preferred_username"))

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user  # the provider's name for them changes nothing here

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        email = str(payload.get("email") or payload.get("preferred_username") or "").strip().lower()
        if user is None:
            account = User.objects.filter(email=email).first() if email else None
            why = "account disabled" if account is not None else "no account with that address"
            record_sign_in(
                verb=AuditEvent.Verb.SIGN_IN_FAILED,
                user=account,
                email=email,
                details={"by": "single sign-on", "why": why},
            )
            return None
        record_sign_in(verb=AuditEvent.Verb.SIGNED_IN, user=user, email=user.email, details={"by": "single sign-on"})
        amr = payload.get("amr") or []
        self.request.session[PROVIDER_ASKED_SECOND_STEP] = isinstance(amr, list) and "mfa" in amr
        return user


def _enabled() -> None:
    if not settings.SINGLE_SIGN_ON:
        raise Http404("Single sign-on is not set up here")


class SignOnStart(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Off to the council's identity provider."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        response: HttpResponse = super().get(request)
        return response


class SignOnReturn(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Back from the provider: signed in as the user it vouched for, or refused."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        response: HttpResponse = super().get(request)
        return response

    def login_success(self) -> HttpResponse:
        # The backend noted whether the provider asked its own second step; signing in (which
        # follows) starts the session afresh, so the note is read first.
        provider_asked = bool(self.request.session.pop(PROVIDER_ASKED_SECOND_STEP, False))
        response: HttpResponse = super().login_success()
        if provider_asked and settings.SINGLE_SIGN_ON_TRUSTS_PROVIDER_MFA:
            two_step.passed_at_provider(self.request.session, self.user)
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, REFUSED)
        response: HttpResponse = super().login_failure()
        return response
