"""Reference data comes from fixtures, found by natural key: a fresh database gets the tree, a second load adds
nothing and keeps what staff changed, another federation deploys with its own files, a bad file writes nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from evaluation.models import IndicatorTemplate
from funds.choices import OrganizationKind
from funds.models import Organization, PaymentKind, Program
from tests.factories import remove_reference_data

# DESIGN.md: the federation and the 14 prefecture unions with their GB/T 2260 codes.
PREFECTURES = {
    "650100": "乌鲁木齐市",
    "650200": "克拉玛依市",
    "650400": "吐鲁番市",
    "650500": "哈密市",
    "652300": "昌吉州",
    "652700": "博州",
    "652800": "巴州",
    "652900": "阿克苏地区",
    "653000": "克州",
    "653100": "喀什地区",
    "653200": "和田地区",
    "654000": "伊犁州",
    "654200": "塔城地区",
    "654300": "阿勒泰地区",
}

pytestmark = pytest.mark.django_db


def load(*paths, **options) -> None:
    call_command("setup_reference_data", *map(str, paths), verbosity=0, **options)


def write(tmp_path, name: str, entries: list[dict]):
    path = tmp_path / name
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


def union(code: str, name: str, kind: str, parent: str | None) -> dict:
    fields = {"code": code, "name": name, "short_name": name[:6], "kind": kind, "parent": parent and [parent]}
    return {"model": "funds.organization", "fields": fields}


def test_the_database_holds_the_federation_its_unions_programs_and_templates():
    federation = Organization.objects.get(kind=OrganizationKind.FEDERATION)
    assert (federation.code, federation.name, federation.parent) == ("650000", "新疆维吾尔自治区总工会", None)
    prefectures = Organization.objects.filter(kind=OrganizationKind.PREFECTURE)
    assert dict(prefectures.values_list("code", "short_name")) == PREFECTURES
    assert set(prefectures.values_list("parent", flat=True)) == {federation.pk}
    southern = set(prefectures.filter(in_southern_xinjiang=True).values_list("short_name", flat=True))
    assert southern == {"喀什地区", "和田地区", "阿克苏地区", "克州"}  # 南疆四地州
    assert Organization.objects.filter(kind=OrganizationKind.INDUSTRY, parent=federation).count() == 3
    assert list(Program.objects.values_list("code", flat=True)) == ["hardship", "model_worker"]
    assert list(PaymentKind.objects.filter(program__code="model_worker").values_list("name", flat=True)) == [
        "春节慰问金",
        "生活困难补助金",
        "特殊困难帮扶金",
    ]
    for code in ("hardship", "model_worker"):
        templates = IndicatorTemplate.objects.filter(program__code=code)
        assert templates.count() == 10
        assert sum(t.weight for t in templates) == 90  # plus 预算执行率's 10, scored apart


def test_loading_again_adds_nothing_and_keeps_what_staff_changed(capsys):
    kashgar = Organization.objects.get(code="653100")
    kashgar.short_name = "喀什"
    kashgar.save()
    IndicatorTemplate.objects.filter(name="受益对象满意度", program__code="hardship").update(target_value=90)
    counts = [m.objects.count() for m in (Organization, Program, PaymentKind, IndicatorTemplate)]

    call_command("setup_reference_data")

    assert [m.objects.count() for m in (Organization, Program, PaymentKind, IndicatorTemplate)] == counts
    assert Organization.objects.get(code="653100").short_name == "喀什"
    assert IndicatorTemplate.objects.get(name="受益对象满意度", program__code="hardship").target_value == 90
    assert "funds.Organization: 0 created, 18 already present" in capsys.readouterr().out


def test_a_row_missing_from_the_database_is_created_under_its_parent():
    Organization.objects.filter(code="I03").delete()
    load()
    restored = Organization.objects.get(code="I03")
    assert (restored.name, restored.parent.code, restored.kind) == ("自治区交通运输产业工会", "650000", "industry")


def test_another_federation_deploys_with_its_own_fixture(tmp_path, settings):
    remove_reference_data()
    tree = write(
        tmp_path,
        "hebei.json",
        [
            union("130000", "河北省总工会", "federation", None),
            union("130100", "石家庄市总工会", "prefecture", "130000"),
        ],
    )
    settings.REFERENCE_DATA_FIXTURES = [str(tree)]
    load()
    assert dict(Organization.objects.values_list("code", "parent__code")) == {"130000": None, "130100": "130000"}


def test_a_fixture_naming_a_database_id_is_refused(tmp_path):
    path = write(tmp_path, "ids.json", [{"model": "funds.program", "pk": 7, "fields": {"code": "x"}}])
    with pytest.raises(CommandError, match=r"entry 1: refer to rows by natural key"):
        load(path)


def test_a_bad_entry_is_named_and_nothing_of_the_load_is_written(tmp_path):
    path = write(
        tmp_path,
        "bad.json",
        [
            union("I04", "自治区建设产业工会", "industry", "650000"),
            union("I05", "自治区邮电产业工会", "industry", "999999"),
            union("I06", "自治区金融产业工会", "industry", None),
        ],
    )
    with pytest.raises(CommandError, match=r"bad\.json, entry 2"):
        load(path)
    assert not Organization.objects.filter(code__in=["I04", "I05"]).exists()

    path.write_text(json.dumps([json.loads(path.read_text())[2]]), encoding="utf-8")
    with pytest.raises(CommandError, match=r"entry 1 \(funds.Organization \('I06',\)\).*只有自治区总工会没有上级单位"):
        load(path)
    assert not Organization.objects.filter(code="I06").exists()
