"""Signing in: Django's own e-mail-and-password check, and the signed-in user loaded with what
every page needs of them (their authority, agency, team and roles) in one query rather than one
each: every request loads them, so each query saved here is saved on every page."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from earlyhelp.core.compiled import Compiled
from earlyhelp.organisations.models import RoleAssignment, User
from earlyhelp.organisations.roles import Role


class _Joined(Aggregate):
    """Texts joined with commas: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _role_names() -> Subquery:
    return Subquery(
        RoleAssignment.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(names=_Joined("role"))
        .values("names")
    )


# The signed-in user, loaded on every request: its SQL built once (core/compiled.py, ADR 26).
_SIGNED_IN: "Compiled[User]" = Compiled(
    lambda user: (
        User.objects.select_related("authority", "agency", "team").annotate(role_names=_role_names()).filter(pk=user)
    )
)


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _SIGNED_IN.list(user=pk)
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        # What User.roles would otherwise fetch with a query of its own.
        names: str = getattr(user, "role_names", None) or ""
        user.__dict__["roles"] = frozenset(Role(name) for name in names.split(",") if name)
        return user
