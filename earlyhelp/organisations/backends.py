"""Signing in: Django's own e-mail-and-password check, and the signed-in user loaded with what
every page shows of them (their authority, agency and team) in one query rather than one each."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from earlyhelp.organisations.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("authority", "agency", "team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
