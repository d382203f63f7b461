from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "earlyhelp.sharing"
    label = "sharing"
    verbose_name = "Consent and information sharing"
