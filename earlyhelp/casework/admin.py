"""The authority's casework settings and the needs lists, in the admin site for administrators.
Episodes and their records are never edited here: they hold children's data and change only
through the audited services."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from earlyhelp.casework.deadlines import authority_deadlines_refresh
from earlyhelp.casework.models import CaseworkSettings, CodedNeed, NeedsList
from earlyhelp.core.admin import VersionedAdmin


@admin.register(CaseworkSettings)
class CaseworkSettingsAdmin(VersionedAdmin):
    """A save from a stale page is refused (ADR 11), as for the authority's other settings."""

    list_display = ["authority", "service_model", "first_visit_working_days_from_allocation", "intervention_months"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # New timescales apply at once: every open family's deadlines by the new rules.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
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
class NeedsListAdmin(admin.ModelAdmin[NeedsList]):
    """A published list is not edited: a changed list is a new YAML version (configuration.py)."""

    list_display = ["title", "version", "in_use", "loaded_at"]
    inlines = [CodedNeedInline]
    readonly_fields = ["name", "version", "title", "loaded_at"]
