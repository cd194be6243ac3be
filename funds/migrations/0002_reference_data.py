"""Every fresh database holds the organisation tree, the two programs and their payment kinds."""

from django.db import migrations

FEDERATION = ("650000", "新疆维吾尔自治区总工会", "自治区总工会")
# (code, name, short name, one of 南疆四地州)
PREFECTURES = [
    ("650100", "乌鲁木齐市总工会", "乌鲁木齐市", False),
    ("650200", "克拉玛依市总工会", "克拉玛依市", False),
    ("650400", "吐鲁番市总工会", "吐鲁番市", False),
    ("650500", "哈密市总工会", "哈密市", False),
    ("652300", "昌吉回族自治州总工会", "昌吉州", False),
    ("652700", "博尔塔拉蒙古自治州总工会", "博州", False),
    ("652800", "巴音郭楞蒙古自治州总工会", "巴州", False),
    ("652900", "阿克苏地区总工会", "阿克苏地区", True),
    ("653000", "克孜勒苏柯尔克孜自治州总工会", "克州", True),
    ("653100", "喀什地区总工会", "喀什地区", True),
    ("653200", "和田地区总工会", "和田地区", True),
    ("654000", "伊犁哈萨克自治州总工会", "伊犁州", False),
    ("654200", "塔城地区总工会", "塔城地区", False),
    ("654300", "阿勒泰地区总工会", "阿勒泰地区", False),
]
PROGRAMS = [
    # code, name, short name, beneficiary kind, department, payment kinds (code, name, frequency)
    (
        "hardship",
        "自治区专项帮扶资金",
        "帮扶资金",
        "household",
        "权益保障部",
        [
            ("living_aid", "生活救助", "recurring"),
            ("medical_aid", "医疗救助", "recurring"),
            ("education_aid", "助学救助", "once_per_year"),
            ("vocational_aid", "职业培训和职业介绍", "recurring"),
            ("legal_aid", "法律援助", "recurring"),
        ],
    ),
    (
        "model_worker",
        "劳模专项补助资金",
        "劳模补助",
        "model_worker",
        "经济技术劳动保护部",
        [
            ("spring_festival", "春节慰问金", "once_per_year"),
            ("living_hardship", "生活困难补助金", "once_per_year"),
            ("special_hardship", "特殊困难帮扶金", "once_per_year"),
        ],
    ),
]


def create_reference_data(apps, schema_editor):
    Organization = apps.get_model("funds", "Organization")
    Program = apps.get_model("funds", "Program")
    PaymentKind = apps.get_model("funds", "PaymentKind")

    code, name, short = FEDERATION
    federation = Organization.objects.create(code=code, name=name, short_name=short, kind="federation", sort_order=0)
    for order, (code, name, short, southern) in enumerate(PREFECTURES, start=1):
        Organization.objects.create(
            code=code,
            name=name,
            short_name=short,
            kind="prefecture",
            parent=federation,
            in_southern_xinjiang=southern,
            sort_order=order,
        )
    for order, (code, name, short, beneficiary_kind, department, kinds) in enumerate(PROGRAMS, start=1):
        program = Program.objects.create(
            code=code,
            name=name,
            short_name=short,
            beneficiary_kind=beneficiary_kind,
            managing_department=department,
            sort_order=order,
        )
        for kind_order, (kind_code, kind_name, frequency) in enumerate(kinds, start=1):
            PaymentKind.objects.create(
                program=program, code=kind_code, name=kind_name, frequency=frequency, sort_order=kind_order
            )


def remove_reference_data(apps, schema_editor):
    apps.get_model("funds", "PaymentKind").objects.all().delete()
    apps.get_model("funds", "Program").objects.all().delete()
    Organization = apps.get_model("funds", "Organization")
    Organization.objects.exclude(parent=None).delete()
    Organization.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(create_reference_data, remove_reference_data)]
