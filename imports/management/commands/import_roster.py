from django.core.management.base import BaseCommand

from funds.choices import ImportKind
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

    def handle(self, *args, **options):
        run_import(
            self,
            path=options["file"],
            confirm=options["confirm"],
            user=acting_user(options["user"]),
            kind=KINDS[options["kind"]],
            organization=organization(options["org"]),
        )
