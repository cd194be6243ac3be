from django.core.management.base import BaseCommand

from funds.choices import ImportKind
from funds.models import Program
from funds.services.fiscal_years import fiscal_year_get_or_create
from imports.cli import acting_user, add_common_arguments, organization, run_import


class Command(BaseCommand):
    help = "Validate (and with --confirm, import) a disbursement list (.xlsx or .csv) — the web upload's rules."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--program", required=True, choices=["hardship", "model_worker"])
        parser.add_argument("--year", required=True, type=int)

    def handle(self, *args, **options):
        run_import(
            self,
            path=options["file"],
            confirm=options["confirm"],
            user=acting_user(options["user"]),
            kind=ImportKind.DISBURSEMENTS,
            organization=organization(options["org"]),
            sheet_name=options["sheet"],
            program=Program.objects.get(code=options["program"]),
            fiscal_year=fiscal_year_get_or_create(year=options["year"]),
        )
