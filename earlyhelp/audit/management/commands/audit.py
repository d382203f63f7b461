from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit import chain
from earlyhelp.audit.database import application_role_grants


class Command(BaseCommand):
    help = (
        "The audit trail's hash chain: `verify` walks it and names the first broken entry (exit 1); "
        "`seal` links entries a crash left unlinked; `grants` prints the SQL that gives the service's own "
        "PostgreSQL role what it needs and no more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "grants"])
        parser.add_argument("--role", default="earlyhelp_app", help="for grants: the role the service connects as")

    def handle(self, *args: Any, action: str, role: str, **options: Any) -> None:
        if action == "grants":
            for statement in application_role_grants(role):
                self.stdout.write(f"{statement};")
            return
        if action == "seal":
            sealed = chain.seal()
            self.stdout.write(f"Sealed {sealed:,} entries into the chain.")
            return
        result = chain.verify()
        if result.first_break is not None:
            broken = result.first_break
            where = (
                f"entry {broken.entry_id} (place {broken.sequence:,} in the chain)" if broken.entry_id else "the end"
            )
            raise CommandError(
                f"The audit trail's chain is broken at {where}: {broken.why}. "
                f"{result.entries - 1:,} entries before it verified."
            )
        waiting = f"; {result.unsealed:,} written in the last moments wait to be sealed" if result.unsealed else ""
        self.stdout.write(
            self.style.SUCCESS(f"The audit trail's chain is intact: {result.entries:,} entries{waiting}.")
        )
