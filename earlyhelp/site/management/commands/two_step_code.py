from typing import Any

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.site import demo


class Command(BaseCommand):
    help = (
        "Demo only: the code every demo user's authenticator app shows now, for two-step sign-in "
        "(and gives any demo user without an app the demo's)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo.two_step_for_demo_users()
        except demo.DemoRefusedError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(demo.two_step_code_now())
