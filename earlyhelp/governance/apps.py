from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "earlyhelp.governance"
    label = "governance"
    verbose_name = "Retention and disposal"
