"""`manage.py casework deadlines`: work out again every open episode's soonest deadlines
(`deadlines.py`). The services keep them as they go, and a change to an authority's settings
refreshes its episodes; this is for after a bulk load or a restore.

`manage.py casework not-improving`: check every open family for plan actions that have slipped
since it last changed (`improving.py`); run it each day (docs/casework.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.casework.deadlines import deadlines_refresh
from earlyhelp.casework.improving import not_improving_sweep


class Command(BaseCommand):
    help = "Casework upkeep."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("deadlines", help="Work out again every open episode's soonest deadlines.")
        actions.add_parser("not-improving", help="Flag open families that are not improving (run daily).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "not-improving":
            flagged = not_improving_sweep()
            self.stdout.write(f"Checked every open family: {flagged} newly flagged as not improving.")
            return
        changed = deadlines_refresh()
        self.stdout.write(f"Worked out every open episode's deadlines again: {changed} changed.")
