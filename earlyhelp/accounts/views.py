"""Setting a password from an invitation or a reset link (invitations.py); seeing and ending
one's own sessions (sessions.py)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_POST

from earlyhelp.accounts import sessions
from earlyhelp.accounts.models import SignedInSession
from earlyhelp.core.forms import GovukFormRenderer
from earlyhelp.organisations.models import user_of


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    default_renderer = GovukFormRenderer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters, not a common password or one like your name"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        # A message, not a password (bandit B105).
        self.error_messages["password_mismatch"] = (  # nosec B105
            "The two passwords are not the same: enter the same password twice"
        )


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("sign-in")

    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return response


@require_GET
def your_sessions(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    listed = sessions.open_sessions_of(user)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": listed, "this_session": request.session.session_key, "idle_minutes": _idle_minutes()},
    )


@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End one of the user's other sessions, or all of them ("all")."""
    user = user_of(request)
    mine = [
        session for session in sessions.open_sessions_of(user) if session.session_key != request.session.session_key
    ]
    chosen = mine if request.POST.get("which") == "all" else [session for session in mine if session.pk == pk]
    if not chosen:
        raise Http404("No such session")
    ended = sessions.sessions_end(user=user, sessions=chosen, ending=SignedInSession.Ending.ENDED_BY_USER, actor=user)
    messages.success(request, f"Signed out of {ended} other session{'s' if ended != 1 else ''}.")
    return redirect("accounts:sessions")


def _idle_minutes() -> int:
    return int(settings.SESSION_IDLE_SECONDS // 60)
