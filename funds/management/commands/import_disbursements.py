from django.core.management.base import BaseCommand

from funds.choices import ImportKind
from funds.imports.cli import acting_user, organization, run_import
from funds.models import Program
from funds.services.common import fiscal_year_get_or_create


class Command(BaseCommand):
    help = "Validate (and with --confirm, import) a disbursement list (.xlsx or .csv) — the web upload's rules."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="organisation code, e.g. 653100")
        parser.add_argument("--program", required=True, choices=["hardship", "model_worker"])
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--confirm", action="store_true", help="import (all rows or none)")
        parser.add_argument("--user", help="acting user (default: the first superuser)")

    def handle(self, *args, **options):
        run_import(
            self,
            path=options["file"],
            confirm=options["confirm"],
            user=acting_user(options["user"]),
            kind=ImportKind.DISBURSEMENTS,
            organization=organization(options["org"]),
            program=Program.objects.get(code=options["program"]),
            fiscal_year=fiscal_year_get_or_create(year=options["year"]),
        )
