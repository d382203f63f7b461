"""The service's own targets and the reference figures its demography is compared with: kept by
administrators in the admin site, every change audited."""

from django.contrib import admin

from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.performance.models import AgencyRole, AgencyTarget, ReferenceFigure, Target


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ("kpi", "target", "authority", "set_at")


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(AuditedAdmin):
    list_display = ("source", "dimension", "category", "count", "as_of", "authority")
    list_filter = ("source", "dimension")


@admin.register(AgencyRole)
class AgencyRoleAdmin(AuditedAdmin):
    list_display = (
        "agency",
        "role",
        "contact_with_children",
        "staff",
        "caf_trained",
        "awareness_attended",
        "counted_on",
    )
    list_filter = ("contact_with_children",)


@admin.register(AgencyTarget)
class AgencyTargetAdmin(AuditedAdmin):
    list_display = ("agency", "measure", "target", "by")
