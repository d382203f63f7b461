from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "earlyhelp.audit"
    label = "audit"
    verbose_name = "Audit trail"
