"""Setting a password from an invitation or a reset link (invitations.py)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from earlyhelp.core.forms import GovukFormRenderer


class NewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    default_renderer = GovukFormRenderer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = "At least 12 characters, not a common password or one like your name"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.error_messages["password_mismatch"] = "The two passwords are not the same: enter the same password twice"


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("sign-in")

    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return response
