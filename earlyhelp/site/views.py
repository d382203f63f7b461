"""Signing in and out, and the home page each role lands on."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from earlyhelp.accounts.models import SignedInSession
from earlyhelp.accounts.sessions import session_end_here
from earlyhelp.core.forms import GovukFormRenderer
from earlyhelp.core.middleware import too_large
from earlyhelp.organisations.models import User, user_of
from earlyhelp.site import home as home_page


class SignInForm(AuthenticationForm):
    default_renderer = GovukFormRenderer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.error_messages["invalid_login"] = "Enter a correct email address and password"

    def clean_username(self) -> str:
        # Email addresses are stored in lower case; people type them every which way.
        return str(self.cleaned_data["username"]).strip().lower()

    def get_invalid_login_error(self) -> ValidationError:
        # Locked or slowed after wrong passwords (accounts/signing_in.py): say so, and for how long.
        refusal = getattr(self.request, "sign_in_refusal", None)
        if refusal:
            return ValidationError(refusal, code="sign_in_refused")
        return super().get_invalid_login_error()


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    template_name = "registration/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The council's identity provider, where single sign-on is set up (ADR 23).
        context["single_sign_on"] = settings.SINGLE_SIGN_ON_BUTTON if settings.SINGLE_SIGN_ON else ""
        return context


class SignOutView(LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            session_end_here(request, user, SignedInSession.Ending.SIGNED_OUT)
        return super().post(request, *args, **kwargs)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(request, "home.html", {"home": home_page.for_user(user)})


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database and the cache both answer, else 503 naming which."""
    parts = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(parts.values())
    answers = {name: "ok" if up else "failed" for name, up in parts.items()}
    return JsonResponse({"status": "ok" if healthy else "unavailable", **answers}, status=200 if healthy else 503)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        return False


def _cache_answers() -> bool:
    token = secrets.token_hex(8)
    try:
        cache.set("healthz", token, timeout=10)
        return bool(cache.get("healthz") == token)
    except Exception:  # any backend's failure means the same: the cache is down
        return False


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (say, a body bigger than it reads): the service's own page, or 413 when too large."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return render(request, "400.html", status=400)
