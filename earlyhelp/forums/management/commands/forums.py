"""`manage.py forums start-cycle`: queue the forums' hourly cycle (cycle.py) unless it is queued
already; `make run` runs it before starting the worker (`manage.py db_worker`), and a deploy runs
it once after migrating.

`manage.py forums cycle`: run the cycle's due steps now, once, without the worker (for a council
that prefers cron to a worker process, or to catch up by hand). Its e-mails are queued as tasks,
so a worker must still run them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from earlyhelp.forums.cycle import cycle_advance, cycle_start


class Command(BaseCommand):
    help = "The Early Help Forums' cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("start-cycle", help="Queue the hourly cycle unless it is queued already.")
        actions.add_parser("cycle", help="Run the cycle's due steps now, once.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "start-cycle":
            queued = cycle_start()
            self.stdout.write("The forums' cycle is queued." if queued else "The forums' cycle was already queued.")
            return
        steps = cycle_advance(now=timezone.now())
        for step in steps:
            self.stdout.write(step)
        self.stdout.write(f"{len(steps)} step(s) of the forums' cycle done.")
