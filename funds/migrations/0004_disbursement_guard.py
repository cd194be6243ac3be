from django.db import migrations

from funds.db_guards import install_disbursement_guard, remove_disbursement_guard


def install(apps, schema_editor):
    model = apps.get_model("funds", "Disbursement")
    install_disbursement_guard(schema_editor, [f.column for f in model._meta.concrete_fields])


def remove(apps, schema_editor):
    remove_disbursement_guard(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_role_groups")]
    operations = [migrations.RunPython(install, remove)]
