from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    """Finance does everything; an operator generates its 公示, registers and handles objections about its own people,
    and runs and records its 回访; auditors read; duplicate cases are finance's (two organisations' rosters)."""
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="oversight")
    Group.objects.get(name="finance_staff").permissions.add(*perms.exclude(codename__startswith="delete_"))
    Group.objects.get(name="auditor").permissions.add(*perms.filter(codename__startswith="view_"))
    operator = perms.exclude(codename__startswith="delete_").exclude(content_type__model="duplicatecase")
    Group.objects.get(name="org_operator").permissions.add(*operator)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("audit", "0002_append_only_and_roles"),
        ("evaluation", "0012_target_roles_and_guard"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
