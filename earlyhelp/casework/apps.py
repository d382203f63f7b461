from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "earlyhelp.casework"
    label = "casework"
    verbose_name = "Casework: episodes of help, from allocation to closure"
