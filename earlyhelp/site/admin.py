"""An authority's settings, edited by its administrators (ADR 13): each saved change is an audit
row with the values before and after, and a save from a stale page is refused (ADR 11). The
settings are read afresh wherever they are used, so a change takes effect at once, without a
restart."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.casework.deadlines import authority_deadlines_refresh
from earlyhelp.core.admin import VersionedAdmin
from earlyhelp.organisations.models import Authority


@admin.register(Authority)
class AuthorityAdmin(AuditedAdmin, VersionedAdmin):
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

    def after_save(self, request: HttpRequest, obj: Any, change: bool) -> None:
        # The working time casework counts by may have changed: its open families' deadlines.
        authority_deadlines_refresh(obj)
