from django.db import migrations

from core.db_guards import install_transition_guard, remove_transition_guard

# A payment row may change in one way only: posted -> reversed (with its reversal row); never edited, never deleted.
GUARD = {"table": "funds_disbursement", "column": "status", "from_value": "posted", "to_value": "reversed"}


def install(apps, schema_editor):
    model = apps.get_model("funds", "Disbursement")
    install_transition_guard(schema_editor, columns=[f.column for f in model._meta.concrete_fields], **GUARD)


def remove(apps, schema_editor):
    remove_transition_guard(schema_editor, table=GUARD["table"])


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_role_groups")]
    operations = [migrations.RunPython(install, remove)]
