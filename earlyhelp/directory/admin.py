"""Administrators maintain the services directory and the list of needs here."""

from django.contrib import admin

from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.core.admin import VersionedAdmin
from earlyhelp.directory.models import Need, Service


@admin.register(Need)
class NeedAdmin(AuditedAdmin):
    list_display = ["name", "plain_name", "families_first_factor", "order", "active"]
    list_editable = ["order", "active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Service)
class ServiceAdmin(AuditedAdmin, VersionedAdmin):
    list_display = ["name", "provider", "levels_label", "ages_label", "families_information_service", "active"]
    list_filter = ["active", "families_information_service", "areas", "needs"]
    search_fields = ["name", "provider", "description"]
    filter_horizontal = ["areas", "needs"]
    fieldsets = (
        (None, {"fields": ("authority", "name", "provider", "description", "families_information_service", "active")}),
        (
            "Who it is for",
            {"fields": ("lowest_level", "highest_level", "youngest_age", "oldest_age", "areas", "needs")},
        ),
        ("How to reach it", {"fields": ("phone", "email", "website", "address", "how_to_access")}),
    )
