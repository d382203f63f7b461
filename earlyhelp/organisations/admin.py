"""System administrators manage the organisation and its users here. No person or family record
is registered with the admin site: those are reached only through the audited pages. The
authority's own settings are edited in `site/admin.py`, where each change is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from earlyhelp.organisations.models import Agency, Area, RoleAssignment, Team, User


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "authority"]
    list_filter = ["authority"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind", "area"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "area", "urn"]
    list_filter = ["kind", "area"]
    search_fields = ["name", "urn"]


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation_name", "is_active"]
    list_filter = ["is_active", "role_assignments__role", "team", "agency"]
    search_fields = ["full_name", "email"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("About them", {"fields": ("full_name", "job_title", "authority", "team", "agency", "fte")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "authority", "password1", "password2")}),
    )
