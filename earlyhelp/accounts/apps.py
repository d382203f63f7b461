from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earlyhelp.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Every way of signing in (the sign-in page, the admin site's, a test's force_login) goes
        # through django.contrib.auth.login, which sends this: each session is listed from its start.
        user_logged_in.connect(_session_started, dispatch_uid="earlyhelp.accounts.session_started")


def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from earlyhelp.accounts.sessions import session_started

    if request is not None and hasattr(request, "session"):
        session_started(request, user)
