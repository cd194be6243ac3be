from django.db import migrations

from core.db_guards import install_append_only_guard, install_truncate_guard, remove_append_only_guard, remove_truncate_guard
from core.migration_helpers import create_all_permissions

VERSION_TABLE = "evaluation_targettableversion"


def guard(apps, schema_editor):
    install_append_only_guard(schema_editor, VERSION_TABLE)
    install_truncate_guard(schema_editor, VERSION_TABLE)


def unguard(apps, schema_editor):
    remove_truncate_guard(schema_editor, VERSION_TABLE)
    remove_append_only_guard(schema_editor, VERSION_TABLE)


def grant(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(*codenames: str):
        found = Permission.objects.filter(codename__in=codenames)
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing: {sorted(missing)}")
        return found

    # 业务部门: drafts and submits the 绩效目标表 and edits its indicators while a draft; asks for 目标调整. Reads the
    # evaluation and the reports, never payments, rosters or the budget's rows.
    department, _ = Group.objects.get_or_create(name="department_staff")
    department.permissions.add(
        *perms(
            "view_targettable",
            "add_targettable",
            "change_targettable",
            "view_targettableversion",
            "view_targetadjustment",
            "add_targetadjustment",
            "view_indicator",
            "change_indicator",
            "add_indicator",
            "view_indicatortemplate",
            "view_program",
            "view_fiscalyear",
            "view_organization",
            "view_report",
            "view_reportsnapshot",
            "view_monitoringreport",
            "view_monitoringsnapshot",
            "view_warningexplanation",
        )
    )
    # Finance reviews (审核通过 / 退回, 目标调整) and may draft as well; auditors read.
    Group.objects.get(name="finance_staff").permissions.add(
        *perms(
            "view_targettable",
            "add_targettable",
            "change_targettable",
            "review_targettable",
            "view_targettableversion",
            "view_targetadjustment",
            "add_targetadjustment",
            "change_targetadjustment",
        )
    )
    Group.objects.get(name="auditor").permissions.add(
        *perms("view_targettable", "view_targettableversion", "view_targetadjustment")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0011_target_tables"),
        ("reports", "0008_monitoring_guards_and_permissions"),
        ("funds", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(guard, unguard), migrations.RunPython(grant, migrations.RunPython.noop)]
