"""`manage.py casework deadlines`: work out again every open episode's soonest deadlines
(`deadlines.py`). The services keep them as they go, and a change to an authority's settings
refreshes its episodes; this is for after a bulk load or a restore."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.casework.deadlines import deadlines_refresh


class Command(BaseCommand):
    help = "Casework upkeep."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("deadlines", help="Work out again every open episode's soonest deadlines.")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = deadlines_refresh()
        self.stdout.write(f"Worked out every open episode's deadlines again: {changed} changed.")
