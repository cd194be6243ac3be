from django.db import migrations

from core.db_guards import install_truncate_guard, remove_truncate_guard


def guard(apps, schema_editor):
    install_truncate_guard(schema_editor, "reports_reportsnapshot")


def unguard(apps, schema_editor):
    remove_truncate_guard(schema_editor, "reports_reportsnapshot")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_finalisation_maker_checker")]
    operations = [migrations.RunPython(guard, unguard)]
