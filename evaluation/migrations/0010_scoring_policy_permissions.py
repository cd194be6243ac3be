from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="evaluation", content_type__model__in=["scoringpolicy", "scoringrule"]
    )
    # Reference data: the system administrator keeps the policies; finance chooses one per program-year.
    Group.objects.get_or_create(name="system_admin")[0].permissions.add(*perms.exclude(codename__startswith="delete_"))
    for name in ("finance_staff", "auditor"):
        Group.objects.get(name=name).permissions.add(*perms.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_scoring_policies"), ("audit", "0002_append_only_and_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
