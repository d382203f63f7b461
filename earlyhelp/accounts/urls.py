from django.contrib.auth.decorators import login_not_required
from django.urls import path

from earlyhelp.accounts import single_sign_on, views
from earlyhelp.accounts.middleware import two_step_exempt

app_name = "accounts"

urlpatterns = [
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("two-step/", views.two_step_check, name="two-step"),
    path("two-step/set-up/", views.two_step_set_up, name="two-step-set-up"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    # Before signing in: open to all, and no second step yet (single_sign_on.py).
    path("sign-on/", two_step_exempt(login_not_required(single_sign_on.SignOnStart.as_view())), name="sign-on"),
    path(
        "sign-on/return/",
        two_step_exempt(login_not_required(single_sign_on.SignOnReturn.as_view())),
        name="sign-on-return",
    ),
    path("sessions/", views.your_sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
]
