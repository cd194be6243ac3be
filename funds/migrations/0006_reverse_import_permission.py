from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="funds", codename="reverse_importbatch")
    Group.objects.get(name="finance_staff").permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("funds", "0005_import_batch_flow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
