from django.db import migrations

from core.db_guards import install_append_only_guard, remove_append_only_guard
from core.migration_helpers import create_all_permissions

SNAPSHOT_TABLE = "reports_reportsnapshot"


def guard(apps, schema_editor):
    install_append_only_guard(schema_editor, SNAPSHOT_TABLE)


def unguard(apps, schema_editor):
    remove_append_only_guard(schema_editor, SNAPSHOT_TABLE)


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    finance = Group.objects.get(name="finance_staff")
    auditor = Group.objects.get(name="auditor")
    editable = ["report", "reportsection", "findingexplanation", "departmentbudgetline"]
    finance.permissions.add(
        *Permission.objects.filter(
            content_type__model__in=editable, codename__regex=r"^(view|add|change)_"
        ),
        # Finalising adds a snapshot; nobody may change one.
        *Permission.objects.filter(codename__in=["view_reportsnapshot", "add_reportsnapshot"]),
    )
    auditor.permissions.add(
        *Permission.objects.filter(content_type__model__in=[*editable, "reportsnapshot"], codename__startswith="view_")
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("funds", "0007_department_budget_line")]
    operations = [
        migrations.RunPython(guard, unguard),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
