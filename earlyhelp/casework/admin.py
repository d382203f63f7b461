"""The authority's casework settings and the needs lists, in the admin site for administrators.
Episodes and their records are never edited here: they hold children's data and change only
through the audited services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.casework.deadlines import authority_deadlines_refresh
from earlyhelp.casework.models import CaseworkSettings, CodedNeed, NeedsList
from earlyhelp.core.admin import VersionedAdmin


@admin.register(CaseworkSettings)
class CaseworkSettingsAdmin(AuditedAdmin, VersionedAdmin):
    """A save from a stale page is refused (ADR 11), as for the authority's other settings."""

    list_display = ["authority", "service_model", "first_visit_working_days_from_allocation", "intervention_months"]

    def after_save(self, request: HttpRequest, obj: Any, change: bool) -> None:
        # New timescales apply at once: every open family's deadlines by the new rules.
        authority_deadlines_refresh(obj.authority)


class CodedNeedInline(admin.TabularInline[CodedNeed, NeedsList]):
    model = CodedNeed
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(NeedsList)
class NeedsListAdmin(AuditedAdmin):
    """A published list is not edited: a changed list is a new YAML version (configuration.py)."""

    list_display = ["title", "version", "in_use", "loaded_at"]
    inlines = [CodedNeedInline]
    readonly_fields = ["name", "version", "title", "loaded_at"]
