from django.core.management.base import BaseCommand

from funds.choices import ImportKind, UnknownStatusDate
from funds.services.fiscal_years import fiscal_year_get_or_create
from imports.cli import acting_user, add_common_arguments, organization, run_import

KINDS = {
    "model_worker": ImportKind.MODEL_WORKERS,
    "household": ImportKind.HOUSEHOLDS,
    "living_survey": ImportKind.LIVING_SURVEYS,
}


class Command(BaseCommand):
    help = "Validate (and with --confirm, import) a roster or living-survey spreadsheet — the web upload's rules."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument(
            "--unknown-status-date",
            choices=[choice.value for choice in UnknownStatusDate],
            default=UnknownStatusDate.REFUSE.value,
            help="model_worker: a 暂停/已故/resumed row without its date is an error (refuse) or takes 1 Jan of --year",
        )
        parser.add_argument("--year", type=int, help="with --unknown-status-date year_start: the year being entered")

    def handle(self, *args, **options):
        run_import(
            self,
            path=options["file"],
            confirm=options["confirm"],
            user=acting_user(options["user"]),
            kind=KINDS[options["kind"]],
            organization=organization(options["org"]),
            sheet_name=options["sheet"],
            unknown_status_date=options["unknown_status_date"],
            fiscal_year=fiscal_year_get_or_create(year=options["year"]) if options["year"] else None,
        )
