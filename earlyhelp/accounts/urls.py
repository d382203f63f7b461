from django.urls import path

from earlyhelp.accounts import views

app_name = "accounts"

urlpatterns = [
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
]
