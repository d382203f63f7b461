"""How long a signed-in session lasts, and seeing and ending one's own (issue 13).

- A session ends after `SESSION_IDLE_SECONDS` without a request (30 minutes) and at the latest
  `SESSION_LONGEST_SECONDS` after signing in (12 hours), whatever the user is doing; and when the
  browser closes (`SESSION_EXPIRE_AT_BROWSER_CLOSE`: the cookie is not kept on disk).
- Each signed-in browser is a `SignedInSession`, so that its user sees where they are signed in
  and ends any of them, and an administrator disabling an account ends all of its sessions.
- The times live in the session itself, read with it on every request (no query of their own);
  the last-seen time is written at most once a minute, the list's at most every five.
"""

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.accounts.models import SignedInSession
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import record_sign_in
from earlyhelp.core.addresses import client_address
from earlyhelp.organisations.models import User

SIGNED_IN_AT = "earlyhelp_signed_in_at"
LAST_SEEN_AT = "earlyhelp_last_seen_at"
SEEN_WRITTEN_EVERY = timedelta(minutes=1)
LIST_WRITTEN_EVERY = timedelta(minutes=5)


def session_started(request: HttpRequest, user: User) -> None:
    """At every sign-in (the form, the admin site's, a test's force_login): note its times and list it."""
    from earlyhelp.accounts import two_step

    now = timezone.now()
    two_step.session_started(request.session)
    request.session[SIGNED_IN_AT] = now.isoformat()
    request.session[LAST_SEEN_AT] = now.isoformat()
    if request.session.session_key is None:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "signed_in_at": now,
            "last_seen_at": now,
            "ip_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


def key_renew(session: SessionBase) -> None:
    """A new key for the session, its data kept (as at signing in), and its listing moved to it."""
    before = session.session_key
    session.cycle_key()
    if before:
        SignedInSession.objects.filter(session_key=before).update(session_key=session.session_key)


def ending_due(request: HttpRequest, now: datetime) -> str | None:
    """Why this request's session must end now, or None."""
    signed_in, seen = request.session.get(SIGNED_IN_AT), request.session.get(LAST_SEEN_AT)
    if not signed_in or not seen:
        return None
    if now - datetime.fromisoformat(signed_in) > timedelta(seconds=settings.SESSION_LONGEST_SECONDS):
        return SignedInSession.Ending.TOO_LONG
    if now - datetime.fromisoformat(seen) > timedelta(seconds=settings.SESSION_IDLE_SECONDS):
        return SignedInSession.Ending.IDLE
    return None


def seen(request: HttpRequest, now: datetime) -> None:
    last = request.session.get(LAST_SEEN_AT)
    if last is None:
        return
    before = datetime.fromisoformat(last)
    if now - before < SEEN_WRITTEN_EVERY:
        return
    request.session[LAST_SEEN_AT] = now.isoformat()
    listed = request.session.get("earlyhelp_listed_at")
    if listed is None or now - datetime.fromisoformat(listed) >= LIST_WRITTEN_EVERY:
        request.session["earlyhelp_listed_at"] = now.isoformat()
        SignedInSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=now)


def session_end_here(request: HttpRequest, user: User, ending: str) -> None:
    """End the request's own session (idle, too long, or signing out)."""
    key = request.session.session_key
    record_sign_in(verb=AuditEvent.Verb.SIGNED_OUT, user=user, email=user.email, details={"why": ending})
    logout(request)
    if key:
        SignedInSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), ending=ending
        )


def _store(session_key: str) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key=session_key)
    return store


def sessions_end(*, user: User, sessions: list[SignedInSession], ending: str, actor: User | None) -> int:
    """End other sessions (a user's own, from another; an administrator's disabling): the
    session's data is deleted, so its next request is signed out."""
    now = timezone.now()
    for session in sessions:
        _store(session.session_key).delete()
        session.ended_at, session.ending = now, ending
        session.save(update_fields=["ended_at", "ending"])
    if sessions:
        record_sign_in(
            verb=AuditEvent.Verb.SIGNED_OUT,
            user=user,
            email=user.email,
            details={"why": ending, "sessions": len(sessions), "by": actor.email if actor else "system"},
        )
    return len(sessions)


def open_sessions_of(user: User) -> list[SignedInSession]:
    return list(SignedInSession.objects.filter(user=user, ended_at__isnull=True))
