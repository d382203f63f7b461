"""Ends a session past its idle limit or its longest length (sessions.py), before any view runs."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from earlyhelp.accounts import sessions
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
