"""Setting a password from an invitation or a reset link (invitations.py); the second step of
signing in and setting it up (two_step.py); seeing and ending one's own sessions (sessions.py)."""

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from earlyhelp.accounts import sessions, two_step
from earlyhelp.accounts.middleware import two_step_exempt
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


# Two-step sign-in ------------------------------------------------------------------------------

# Shown once, on the page after they are made: the session holds them until then.
NEW_RECOVERY_CODES = "earlyhelp_new_recovery_codes"


class CodeForm(forms.Form):
    default_renderer = GovukFormRenderer

    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )


def _next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else reverse("home")


@two_step_exempt
@require_http_methods(["GET", "POST"])
def two_step_check(request: HttpRequest) -> HttpResponse:
    """The second step at sign-in: a code from the authenticator app, or a recovery code."""
    user = user_of(request)
    if two_step.session_state(request.session) is not None:
        return redirect(_next_page(request))
    if two_step.app_of(user) is None:
        return redirect(f"{reverse('accounts:two-step-set-up')}?next={_next_page(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked = two_step.check(request.session, user, form.cleaned_data["code"])
        if checked.passed:
            if checked.recovery_code_used:
                left = two_step.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Each works once; get new ones from "
                    "your two-step sign-in page if you are running low.",
                )
            return redirect(_next_page(request))
        if checked.wait_seconds:
            form.add_error("code", f"Too many wrong codes. Wait {checked.wait_seconds} seconds, then try again")
        else:
            form.add_error("code", "That code did not match. Enter the code your app shows now, or a recovery code")
    return render(request, "accounts/two_step.html", {"form": form, "next": _next_page(request)})


@two_step_exempt
@require_http_methods(["GET", "POST"])
def two_step_set_up(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: before the first sign-in's second step, or, once past
    it, to move to a new phone. Never for a session that has not passed a step an app already
    guards: a password alone must not be enough to replace the app."""
    user = user_of(request)
    passed = two_step.session_state(request.session) == two_step.PASSED
    if two_step.app_of(user) is not None and not passed:
        return redirect(f"{reverse('accounts:two-step')}?next={_next_page(request)}")
    device = two_step.app_being_set_up(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_step.set_up_confirm(request.session, user, form.cleaned_data["code"])
        except two_step.TwoStepError as refused:
            form.add_error("code", str(refused))
        else:
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(request, "Your authenticator app is set up.")
            return redirect(f"{reverse('accounts:recovery-codes')}?next={_next_page(request)}")
    qr_code = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b0c0c", omitsize=False)
    return render(
        request,
        "accounts/two_step_set_up.html",
        {"form": form, "qr_code": qr_code, "key": two_step.key_for_typing(device), "next": _next_page(request)},
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The user's two-step sign-in: new recovery codes shown once, a new set made on request."""
    user = user_of(request)
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = two_step.recovery_codes_new(user)
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(NEW_RECOVERY_CODES, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "left": two_step.recovery_codes_left(user),
            "has_app": two_step.app_of(user) is not None,
            "next": _next_page(request),
        },
    )
