from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="evaluation", content_type__model="programyearsettings")
    Group.objects.get(name="finance_staff").permissions.add(*perms.exclude(codename__startswith="delete_"))
    Group.objects.get(name="auditor").permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_program_year_settings"), ("funds", "0003_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
