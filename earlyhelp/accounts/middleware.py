"""Ends a session past its idle limit or its longest length (sessions.py), and holds a session at
the second step of signing in until it is passed (two_step.py), before any view runs."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import sessions, two_step
from earlyhelp.accounts.models import SignedInSession
from earlyhelp.organisations.models import User

ENDED = {
    SignedInSession.Ending.IDLE: "You were signed out because you had not used the service for a while. Sign in again",
    SignedInSession.Ending.TOO_LONG: (
        "You were signed out because you had been signed in for a long time. Sign in again"
    ),
}


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User):
            now = timezone.now()
            ending = sessions.ending_due(request, now)
            if ending is not None:
                sessions.session_end_here(request, user, ending)
                messages.info(request, ENDED[SignedInSession.Ending(ending)])
                return redirect("sign-in")
            sessions.seen(request, now)
        return self.get_response(request)


def two_step_exempt(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page a user signed in with their password may open before the second step: the second
    step's own pages, and signing out."""
    view.two_step_exempt = True  # type: ignore[attr-defined]
    return view


class TwoStepMiddleware:
    """Until the second step is passed (two_step.py), a user signed in with a password opens only
    the pages that lead to it; every other page, the admin site's included, sends them there.
    Checked from the session alone: no query on a page once the step is passed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or getattr(view_func, "two_step_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):  # the sign-in page, a set-password link
            return None
        if two_step.settle(request.session, user) is not None:
            return None
        return redirect_to_login(request.get_full_path(), reverse("accounts:two-step"))
