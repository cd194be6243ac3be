from django.core.management.base import BaseCommand

from funds.choices import ImportKind
from funds.imports.cli import acting_user, organization, run_import

KINDS = {
    "model_worker": ImportKind.MODEL_WORKERS,
    "household": ImportKind.HOUSEHOLDS,
    "living_survey": ImportKind.LIVING_SURVEYS,
}


class Command(BaseCommand):
    help = "Validate (and with --confirm, import) a roster or living-survey spreadsheet — the web upload's rules."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--org", required=True, help="organisation code, e.g. 653100")
        parser.add_argument("--confirm", action="store_true", help="import (all rows or none)")
        parser.add_argument("--user", help="acting user (default: the first superuser)")

    def handle(self, *args, **options):
        run_import(
            self,
            path=options["file"],
            confirm=options["confirm"],
            user=acting_user(options["user"]),
            kind=KINDS[options["kind"]],
            organization=organization(options["org"]),
        )
