from django.urls import path

from earlyhelp.accounts import views

app_name = "accounts"

urlpatterns = [
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("two-step/", views.two_step_check, name="two-step"),
    path("two-step/set-up/", views.two_step_set_up, name="two-step-set-up"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("sessions/", views.your_sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
]
