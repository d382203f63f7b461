from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "earlyhelp.records"
    label = "records"
    verbose_name = "The family's record: chronology, genogram and ecomap"
