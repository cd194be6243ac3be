"""The three roles as Django groups with their model permissions (scoping by organisation is core.scoping)."""

from django.db import migrations

from core.migration_helpers import create_all_permissions

FUNDS_REFERENCE = ["organization", "fiscalyear", "program", "paymentkind"]
FUNDS_FINANCE_WRITE = [
    "fiscalyear",
    "appropriation",
    "appropriationline",
    "fundsreceipt",
    "allocationplan",
    "allocationline",
    "paymentstandard",
]
BENEFICIARY_MODELS = ["household", "modelworker", "livingsurvey"]
EVALUATION_MODELS = ["indicatortemplate", "indicator", "satisfactionsurvey"]

ROLE_PERMISSIONS = {
    "finance_staff": {
        "funds": [f"view_{m}" for m in FUNDS_REFERENCE + ["user", "importbatch", "disbursement", "disbursementreversal"]]
        + [f"{a}_{m}" for m in FUNDS_FINANCE_WRITE for a in ("view", "add", "change")]
        + [
            "delete_allocationplan",
            "delete_allocationline",
            "approve_allocationplan",
            "add_importbatch",
            "change_importbatch",
            "add_disbursement",
            "add_disbursementreversal",
        ],
        "beneficiaries": [f"{a}_{m}" for m in BENEFICIARY_MODELS for a in ("view", "add", "change")],
        "evaluation": [f"{a}_{m}" for m in EVALUATION_MODELS for a in ("view", "add", "change")],
    },
    "org_operator": {
        "funds": [f"view_{m}" for m in FUNDS_REFERENCE]
        + ["view_paymentstandard", "view_allocationplan", "view_allocationline"]
        + ["view_importbatch", "add_importbatch", "change_importbatch", "view_disbursement", "add_disbursement"]
        + ["view_disbursementreversal"],
        "beneficiaries": [f"{a}_{m}" for m in BENEFICIARY_MODELS for a in ("view", "add", "change")],
        "evaluation": [],
    },
    # Auditors read everything and change nothing: every view_* permission, no other.
    "auditor": {"funds": "view_*", "beneficiaries": "view_*", "evaluation": "view_*", "reports": "view_*"},
}


def create_groups(apps, schema_editor):
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codenames in by_app.items():
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if codenames == "view_*":
                perms = perms.filter(codename__startswith="view_")
            else:
                perms = perms.filter(codename__in=codenames)
                missing = set(codenames) - set(perms.values_list("codename", flat=True))
                if missing:
                    raise RuntimeError(f"permissions missing for {group_name}: {sorted(missing)}")
            group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0002_reference_data"),
        ("beneficiaries", "0002_initial"),
        ("evaluation", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
