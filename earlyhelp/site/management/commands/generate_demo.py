from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.site import county, demo


class Command(BaseCommand):
    help = (
        "Add county-scale synthetic data to the demonstration authority: people, families, relationships, "
        "five years of contacts with their decisions, and audit rows (for measuring speed; see docs/performance.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        size = parser.add_mutually_exclusive_group(required=True)
        size.add_argument("--scale", choices=sorted(county.SCALES), help="smoke: 3,000 people; county: 250,000")
        size.add_argument("--people", type=int, help="How many people to add")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same data (default 2026)")
        parser.add_argument("--years", type=int, default=county.YEARS, help="Years of contacts (default 5)")

    def handle(self, *args: Any, scale: str | None, people: int | None, seed: int, years: int, **options: Any) -> None:
        try:
            demo.refuse_unless_allowed()
        except demo.DemoRefusedError as refused:
            raise CommandError(str(refused)) from refused
        wanted = county.SCALES[scale] if scale else people
        if wanted is None or wanted < 1 or wanted > 5_000_000:
            raise CommandError("--people must be between 1 and 5,000,000")
        if years < 0 or years > 30:
            raise CommandError("--years must be between 0 and 30")
        verbose = int(options.get("verbosity", 1)) > 1
        result = county.generate(
            people=wanted, seed=seed, years=years, say=self.stdout.write if verbose else (lambda text: None)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {result.people:,} people in {result.families:,} families, {result.relationships:,} "
                f"relationships, {result.contacts:,} contacts and {result.audit_rows:,} audit rows "
                f"in {result.seconds:.0f} s."
            )
        )
