from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "earlyhelp.performance"
    label = "performance"
    verbose_name = "Performance framework and returns"
