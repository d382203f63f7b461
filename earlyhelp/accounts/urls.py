from django.urls import path

from earlyhelp.accounts import views

app_name = "accounts"

urlpatterns = [
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("sessions/", views.your_sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.session_end, name="session-end"),
]
