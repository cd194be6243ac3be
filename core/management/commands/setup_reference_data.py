from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.reference_data import reference_data_load


class Command(BaseCommand):
    help = (
        "Create the reference data a database needs (organisation tree, programs, payment kinds, indicator templates) "
        "from fixtures; rows already present are left as they are. Safe to run on every deployment."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="fixture files (default: settings.REFERENCE_DATA_FIXTURES)")

    def handle(self, *args, fixtures: list[str], **options):
        paths = [Path(name) for name in fixtures or settings.REFERENCE_DATA_FIXTURES]
        try:
            outcome = reference_data_load(paths=paths)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if options["verbosity"] < 1:
            return
        for label in sorted(set(outcome.created) | set(outcome.kept)):
            self.stdout.write(f"{label}: {outcome.created[label]} created, {outcome.kept[label]} already present")
