"""`manage.py frontdoor partner-add|partner-list|partner-revoke`: the partner systems allowed to
send referrals through the API, and their keys."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.frontdoor.models import PartnerSystem
from earlyhelp.frontdoor.partner_systems import partner_system_add
from earlyhelp.organisations.models import Agency


class Command(BaseCommand):
    help = "Manage the partner systems that send referrals through the API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("partner-add", help="Add a partner system and print its key (shown once).")
        add.add_argument("--agency", required=True, help="The agency's name, as in the admin site.")
        add.add_argument("--name", required=True, help="What the system is called, e.g. 'SystmOne at Abington'.")
        actions.add_parser("partner-list", help="List partner systems.")
        revoke = actions.add_parser("partner-revoke", help="Stop a partner system's key from working.")
        revoke.add_argument("--name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "partner-add":
            self._add(options["agency"], options["name"])
        elif action == "partner-list":
            for system in PartnerSystem.objects.select_related("agency"):
                state = "active" if system.active else "revoked"
                self.stdout.write(f"{system.name}\t{system.agency}\t{system.key_prefix}…\t{state}")
        else:
            updated = PartnerSystem.objects.filter(name=options["name"]).update(active=False)
            if not updated:
                raise CommandError(f"No partner system called {options['name']!r}.")
            self.stdout.write(f"Revoked the key of {options['name']}.")

    def _add(self, agency_name: str, name: str) -> None:
        agency = Agency.objects.filter(name=agency_name).first()
        if agency is None:
            raise CommandError(f"No agency called {agency_name!r}. Add it in the admin site first.")
        if PartnerSystem.objects.filter(authority_id=agency.authority_id, name=name).exists():
            raise CommandError(f"A partner system called {name!r} already exists.")
        _, key = partner_system_add(agency_id=agency.pk, authority_id=agency.authority_id, name=name)
        self.stdout.write(f"Added {name} for {agency}. Its key, shown only now:\n{key}")
