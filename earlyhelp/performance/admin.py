"""The service's own targets and the reference figures its demography is compared with: kept by
administrators in the admin site, every change audited."""

from django.contrib import admin

from earlyhelp.audit.admin import AuditedAdmin
from earlyhelp.performance.models import ReferenceFigure, Target


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ("kpi", "target", "authority", "set_at")


@admin.register(ReferenceFigure)
class ReferenceFigureAdmin(AuditedAdmin):
    list_display = ("source", "dimension", "category", "count", "as_of", "authority")
    list_filter = ("source", "dimension")
