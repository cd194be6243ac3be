from django.db import migrations

from core.db_guards import install_append_only_guard, install_truncate_guard, remove_append_only_guard, remove_truncate_guard
from core.migration_helpers import create_all_permissions

SNAPSHOT_TABLE = "reports_monitoringsnapshot"


def guard(apps, schema_editor):
    install_append_only_guard(schema_editor, SNAPSHOT_TABLE)
    install_truncate_guard(schema_editor, SNAPSHOT_TABLE)


def unguard(apps, schema_editor):
    remove_truncate_guard(schema_editor, SNAPSHOT_TABLE)
    remove_append_only_guard(schema_editor, SNAPSHOT_TABLE)


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editable = ["monitoringreport", "warningexplanation"]
    Group.objects.get(name="finance_staff").permissions.add(
        *Permission.objects.filter(content_type__model__in=editable, codename__regex=r"^(view|add|change)_"),
        *Permission.objects.filter(codename__in=["view_monitoringsnapshot", "add_monitoringsnapshot"]),
    )
    Group.objects.get(name="auditor").permissions.add(
        *Permission.objects.filter(
            content_type__model__in=[*editable, "monitoringsnapshot"], codename__startswith="view_"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_monitoring_reports")]
    operations = [migrations.RunPython(guard, unguard), migrations.RunPython(grant, migrations.RunPython.noop)]
