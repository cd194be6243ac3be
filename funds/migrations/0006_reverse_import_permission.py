from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="funds", codename="reverse_importbatch")
    Group.objects.get(name="finance_staff").permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("funds", "0005_import_batch_flow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
