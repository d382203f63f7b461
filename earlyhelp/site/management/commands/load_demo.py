from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from earlyhelp.site import demo


class Command(BaseCommand):
    help = "Load the demonstration authority, its users and synthetic families (does nothing if already loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=int, default=200, help="How many synthetic families (default 200)")

    def handle(self, *args: Any, families: int, **options: Any) -> None:
        from earlyhelp.casework import demo as casework_demo
        from earlyhelp.forums import demo as forums_demo
        from earlyhelp.frontdoor import demo as frontdoor_demo
        from earlyhelp.people.models import Family
        from earlyhelp.performance import demo as performance_demo
        from earlyhelp.records import demo as records_demo

        try:
            demo.refuse_unless_allowed()
        except demo.DemoRefusedError as refused:
            raise CommandError(str(refused)) from refused
        # The demo's decisions e-mail their outcome; nobody should read those in `make run`'s output.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            before = Family.objects.count()
            authority = demo.load(families=families)
            created = Family.objects.filter(authority=authority).count() - (before if before else 0)
            contacts = frontdoor_demo.load(authority)
            episodes = casework_demo.load(authority)
            records_demo.load(authority)
            forums = forums_demo.load(authority)
            performance_demo.load(authority)
            demo.family_due_for_disposal(authority)
            demo.two_step_for_demo_users()
        if created > 0:
            self.stdout.write(self.style.SUCCESS(f"Loaded {authority} with {created} families."))
        else:
            self.stdout.write(f"The demonstration authority is already loaded: {authority}.")
        if contacts:
            self.stdout.write(f"Added the services directory and {contacts} contacts to the front door's queue.")
        if episodes:
            self.stdout.write(f"Gave the family coaches {episodes} families at every stage of their help.")
        if forums:
            self.stdout.write(f"Set up {forums} Early Help Forums with their meetings a year ahead.")
        self.stdout.write(f"Sign in as any of the demo users with the password '{demo.DEMO_PASSWORD}':")
        for user in demo.DEMO_USERS:
            self.stdout.write(
                f"  {user.email}@{demo.DEMO_EMAIL_DOMAIN}  ({', '.join(role.label for role in user.roles)})"
            )
        self.stdout.write(
            "Then the second step: the code from an authenticator app with the demo users' shared key "
            f"{demo.two_step_key_for_typing()} (demo only), or the code now from: "
            ".venv/bin/python manage.py two_step_code"
        )
