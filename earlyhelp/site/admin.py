"""An authority's settings, edited by its administrators (ADR 13): each saved change is an audit
row with the values before and after, and a save from a stale page is refused (ADR 11). The
settings are read afresh wherever they are used, so a change takes effect at once, without a
restart."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.casework.deadlines import authority_deadlines_refresh
from earlyhelp.core.admin import VersionedAdmin
from earlyhelp.organisations.models import Authority, User


@admin.register(Authority)
class AuthorityAdmin(VersionedAdmin):
    list_display = ["name", "code", "service_name"]
    fieldsets = (
        (None, {"fields": ("name", "code", "service_name", "front_door_phone", "childrens_social_care_phone")}),
        (
            "The front door's 24-hour clock",
            {
                "fields": (
                    "working_hours",
                    "working_days",
                    "bank_holidays",
                    "closed_days",
                    "decision_target_working_hours",
                    "amber_when_working_hours_left",
                )
            },
        ),
        (
            "Referrals and casework",
            {
                "fields": (
                    "re_referral_days",
                    "self_referral_limit_per_hour",
                    "require_written_consent",
                    "caseload_per_full_time_coach",
                )
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One deployment serves one authority (ADR 13): the demo or the first set-up makes it.
        return super().has_add_permission(request) and not Authority.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every record in the service belongs to it

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        changed = [name for name in form.changed_data if name != "seen_version"]
        before = {name: _plain(form.initial.get(name)) for name in changed}
        with audited_writes():
            super().save_model(request, obj, form, change)
            user = request.user
            changes = {name: [before[name], _plain(getattr(obj, name))] for name in changed}
            if change:
                changes["version"] = [obj.version - 1, obj.version]
            record_change(
                actor=user if isinstance(user, User) else None,
                verb=AuditEvent.Verb.UPDATED if change else AuditEvent.Verb.CREATED,
                target=obj,
                changes=changes,
            )
            # The working time casework counts by may have changed: its open families' deadlines.
            authority_deadlines_refresh(obj)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)
