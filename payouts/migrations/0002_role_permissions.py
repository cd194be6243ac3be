from django.db import migrations

from core.migration_helpers import create_all_permissions


def grant(apps, schema_editor):
    """Finance prepares, releases (another person), downloads and settles; operators see their own batches and
    outcomes (never the file); auditors read everything; the system administrator keeps the templates."""
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="payouts")
    Group.objects.get(name="finance_staff").permissions.add(*perms.exclude(codename__startswith="delete_"))
    viewing = perms.filter(codename__startswith="view_")
    Group.objects.get(name="auditor").permissions.add(*viewing)
    Group.objects.get(name="org_operator").permissions.add(*viewing.exclude(codename="view_bankfiletemplate"))
    Group.objects.get(name="system_admin").permissions.add(
        *perms.filter(content_type__model="bankfiletemplate").exclude(codename__startswith="delete_")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payouts", "0001_initial"),
        ("funds", "0017_disbursement_account_and_reissue"),
        ("audit", "0002_append_only_and_roles"),
        ("evaluation", "0012_target_roles_and_guard"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
