"""The authority's casework settings and the needs lists, in the admin site for administrators.
Episodes and their records are never edited here: they hold children's data and change only
through the audited services."""

from django.contrib import admin

from earlyhelp.casework.models import CaseworkSettings, CodedNeed, NeedsList
from earlyhelp.core.admin import VersionedAdmin


@admin.register(CaseworkSettings)
class CaseworkSettingsAdmin(VersionedAdmin):
    """A save from a stale page is refused (ADR 11), as for the authority's other settings."""

    list_display = ["authority", "service_model", "first_visit_working_days_from_allocation", "intervention_months"]


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
