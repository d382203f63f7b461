"""The returns, written to a file:

    python manage.py export annex-a --from 2026-06-01 --to 2026-11-30 --out AnnexA.xlsx
    python manage.py export ssd --from 2026-04-01 --to 2027-03-31 --out ssd/
    python manage.py export cin --from 2026-04-01 --to 2027-03-31 --out cin.xml

Annex A is Ofsted's List 1 and List 2 (docs/performance-framework.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.organisations.models import Authority
from earlyhelp.performance.management.commands.kpis import a_date, period_from
from earlyhelp.performance.returns import annex_a, cin, ssd


class Command(BaseCommand):
    help = "Write a return (Annex A, the Standard Safeguarding Dataset, the CIN census) for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("which", choices=["annex-a", "ssd", "cin"])
        parser.add_argument("--from", dest="since", type=a_date, required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="until", type=a_date, required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="Where to write it")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = Authority.objects.current()
        if authority is None:
            raise CommandError("There is no authority set up yet.")
        period = period_from(options)
        out = Path(options["out"])
        if options["which"] == "ssd":
            out.mkdir(parents=True, exist_ok=True)
            for name, rows in ssd.tables(authority, period).items():
                (out / f"{name}.csv").write_bytes(ssd.as_csv(rows, ssd.FIELDS[name]))
            self.stdout.write(f"The Standard Safeguarding Dataset's {len(ssd.FIELDS)} tables, written to {out}/")
            return
        if not out.parent.exists():
            raise CommandError(f"There is no folder {out.parent} to write {out.name} in.")
        if options["which"] == "cin":
            if period.until != cin.census_year_of(period.until).until:
                raise CommandError("The census's reference date is 31 March: end --to on the census year's last day.")
            out.write_bytes(cin.census(authority, period))
            self.stdout.write(f"The children in need census to {period.until:%d/%m/%Y}, written to {out}")
            return
        return_ = annex_a.annex_a(authority, period)
        out.write_bytes(annex_a.as_workbook(return_))
        self.stdout.write(
            f"Annex A for {period.since:%d/%m/%Y} to {period.until:%d/%m/%Y}: "
            f"{len(return_.rows('List 1'))} rows in List 1, {len(return_.rows('List 2'))} in List 2, written to {out}"
        )
