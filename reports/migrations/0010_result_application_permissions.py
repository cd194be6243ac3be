from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reports", content_type__model="resultapplication")
    Group.objects.get(name="finance_staff").permissions.add(*perms.exclude(codename__startswith="delete_"))
    for name in ("auditor", "department_staff"):
        Group.objects.get(name=name).permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_result_application"), ("evaluation", "0012_target_roles_and_guard")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
