from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="evaluation", content_type__model="programyearsettings")
    Group.objects.get(name="finance_staff").permissions.add(*perms.exclude(codename__startswith="delete_"))
    Group.objects.get(name="auditor").permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_program_year_settings"), ("funds", "0003_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
