from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "earlyhelp.forums"
    label = "forums"
    verbose_name = "Early Help Forums and neighbourhood action meetings"
