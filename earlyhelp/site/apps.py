from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The roof: the pages and commands that bring every domain app together (home, sign-in, the
    demo authority, the URLs and the API's assembly). Nothing below imports it (ADR 12)."""

    name = "earlyhelp.site"
    label = "earlyhelp_site"
    verbose_name = "The service"

    def ready(self) -> None:
        from earlyhelp.site import checks  # noqa: F401  (registers the checks)
