from django.db import migrations

from core.db_guards import install_append_only_guard, remove_append_only_guard
from core.migration_helpers import create_all_permissions

TABLE = "audit_auditevent"

# 三权分立: the system administrator keeps reference data, the security administrator keeps accounts, the audit
# administrator reads and verifies the log. None of them holds a permission on money or personal data.
ADMIN_ROLES = {
    "system_admin": [
        ("funds", m, a)
        for m in ("organization", "program", "paymentkind", "fiscalyear")
        for a in ("view", "add", "change")
    ]
    + [("evaluation", "indicatortemplate", a) for a in ("view", "add", "change")],
    "security_admin": [("funds", "user", a) for a in ("view", "add", "change")]
    + [("auth", "group", "view"), ("funds", "organization", "view")]
    + [("otp_totp", "totpdevice", a) for a in ("view", "change", "delete")]
    + [("axes", "accessattempt", a) for a in ("view", "delete")]
    + [("axes", "accessfailurelog", "view")],
    "audit_admin": [("audit", "auditevent", "view"), ("audit", "auditevent", "verify")]
    + [("axes", "accessattempt", "view"), ("axes", "accessfailurelog", "view"), ("funds", "user", "view")],
}


def guard(apps, schema_editor):
    install_append_only_guard(schema_editor, TABLE)


def unguard(apps, schema_editor):
    remove_append_only_guard(schema_editor, TABLE)


def roles(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ADMIN_ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, action in grants:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=f"{action}_{model}")
            )
    Group.objects.get(name="auditor").permissions.add(
        *Permission.objects.filter(content_type__app_label="audit", codename__in=["view_auditevent", "verify_auditevent"])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("funds", "0008_seals_and_first_password"),
        ("otp_totp", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
        ("evaluation", "0005_builtin_templates"),
    ]
    operations = [migrations.RunPython(guard, unguard), migrations.RunPython(roles, migrations.RunPython.noop)]
