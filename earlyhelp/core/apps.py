from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earlyhelp.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from earlyhelp.core import lookups  # noqa: F401  (registers `any_of`)
