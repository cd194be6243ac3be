"""公示 lists mask names and IDs and are recorded; objections hold payments out of bank batches until resolved; 回访
rounds are sized by the formula and drawn reproducibly, and their answers give 受益对象满意度; "未收到" opens a
complaint; the duplicate scan finds what the unique ID constraint cannot; a flagged person's payment warns at upload."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries import resident_id
from core.masking import mask_name
from evaluation.indicators import IndicatorContext, satisfaction_rate
from evaluation.models import SatisfactionSurvey
from oversight.choices import DuplicateKind, ObjectionChannel, ObjectionOutcome, ObjectionStatus, Receipt
from oversight.duplicates import Record, duplicate_scan, find_duplicates, flagged_people
from oversight.models import DuplicateCase, Objection, Publicity
from oversight.sampling import draw, sample_size
from oversight.services import (
    duplicate_decide,
    objection_create,
    objection_resolve,
    verification_round_create,
    visit_record,
)
from payouts.precheck import precheck
from payouts.services import bank_batch_prepare
from tests.factories import HouseholdFactory, organization, program
from tests.payouts.conftest import bank_payments, templates  # noqa: F401  (fixtures)


def test_names_are_masked_as_public_notices_print_them():
    assert [mask_name(n) for n in ("张三明", "李四", "欧阳建国", "王", "")] == ["张*明", "李*", "欧**国", "王", ""]


def test_the_sample_size_follows_cochran_with_the_finite_population_correction():
    # n0 = 1.96² × 0.25 / 0.05² = 384.16: at 1,000,000 the correction leaves 384.01, rounded up to 385.
    assert sample_size(1_000_000) == 385
    assert sample_size(232) == 145  # 384.16 / (1 + 383.16 / 232) = 144.2 → 145
    assert sample_size(232, confidence=99, margin_percent=Decimal(5)) == 173  # 663.58 / 3.856 = 172.09
    assert sample_size(20) == 20 and sample_size(0) == 0
    assert draw(list(range(100)), 5, seed=7) == draw(list(reversed(range(100))), 5, seed=7)


@pytest.fixture
def round_(users, payroll, bank_payments):  # noqa: F811
    return verification_round_create(
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
        name="电话回访",
        method="phone",
        everyone=True,
        acting_user=users.kashgar,
    )


def test_visits_give_the_satisfaction_rate_and_not_received_opens_a_complaint(users, payroll, round_):
    SatisfactionSurvey.objects.create(
        program=program("model_worker"),
        fiscal_year=payroll.year,
        respondents=100,
        satisfied=100,
        surveyed_on=datetime.date(2024, 12, 20),
    )
    ctx = lambda: IndicatorContext(program("model_worker"), payroll.year)  # noqa: E731
    assert satisfaction_rate(ctx()).value == Decimal("100.00")  # no visit recorded: the survey entered by finance
    assert round_.population == 5 and round_.sample_size == 5
    visits = list(round_.visits.order_by("pk"))
    answers = [
        (Receipt.RECEIVED, True),
        (Receipt.RECEIVED, True),
        (Receipt.PROBLEMS, False),
        (Receipt.UNREACHABLE, None),
        (Receipt.NOT_RECEIVED, False),
    ]
    with pytest.raises(ValidationError, match="是否满意"):
        visit_record(
            visit=visits[0],
            receipt=Receipt.RECEIVED,
            satisfied=None,
            visited_on=datetime.date(2024, 12, 16),
            acting_user=users.kashgar,
        )
    for visit, (receipt, satisfied) in zip(visits, answers, strict=True):
        visit_record(
            visit=visit,
            receipt=receipt,
            satisfied=satisfied,
            visited_on=datetime.date(2024, 12, 16),
            acting_user=users.kashgar,
        )
    value = satisfaction_rate(ctx())
    # Reached four (the unreachable one does not count), two satisfied.
    assert (value.numerator, value.denominator, value.value) == (2, 4, Decimal("50.00"))
    complaint = Objection.objects.get(visit=visits[4])
    assert complaint.channel == ObjectionChannel.VERIFICATION and "未收到" in complaint.content
    assert complaint.disbursement_id == visits[4].disbursement_id and complaint.status == ObjectionStatus.OPEN
    with pytest.raises(ValidationError, match="已经记录"):
        visit_record(
            visit=visits[0],
            receipt=Receipt.RECEIVED,
            satisfied=True,
            visited_on=datetime.date(2024, 12, 16),
            acting_user=users.kashgar,
        )
    with pytest.raises(PermissionDenied):
        visit_record(
            visit=visits[0],
            receipt=Receipt.RECEIVED,
            satisfied=True,
            visited_on=datetime.date(2024, 12, 16),
            acting_user=users.hotan,
        )


def test_an_open_objection_holds_the_person_out_of_the_bank_batch_until_resolved(
    users,
    payroll,
    bank_payments,  # noqa: F811
    templates,  # noqa: F811
):
    worker = bank_payments[1].model_worker
    objection = objection_create(
        person=worker,
        channel=ObjectionChannel.PUBLICITY,
        received_on=datetime.date(2024, 11, 18),
        content="反映已迁居区外",
        acting_user=users.kashgar,
    )
    assert objection.deadline == datetime.date(2024, 12, 3)  # fifteen days
    batch = bank_batch_prepare(
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
        template=templates["generic-batch"],
        purpose="",
        payer_name="喀什地区总工会",
        payer_account="3006000000001234567",
        acting_user=users.finance,
    )
    findings = [(f.sequence, f.blocking) for f in precheck(batch) if "未办结的异议" in f.message]
    assert findings == [(2, True)]
    with pytest.raises(ValidationError, match="办理情况"):
        objection_resolve(
            objection=objection, outcome=ObjectionOutcome.DISMISSED, resolution=" ", acting_user=users.kashgar
        )
    objection_resolve(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        resolution="经核实仍在本地居住",
        acting_user=users.kashgar,
    )
    assert precheck(batch) == []
    with pytest.raises(PermissionDenied):
        objection_create(
            person=worker,
            channel="phone",
            received_on=datetime.date(2024, 11, 18),
            content="x",
            acting_user=users.hotan,
        )


def test_the_objection_list_marks_overdue_ones(client, users, payroll, bank_payments):  # noqa: F811
    objection_create(
        person=bank_payments[0].model_worker,
        channel=ObjectionChannel.PHONE,
        received_on=datetime.date(2024, 11, 1),
        content="来电反映",
        acting_user=users.kashgar,
    )
    client.force_login(users.kashgar)
    page = client.get(reverse("oversight:objection_list")).content.decode()
    assert "1 件已超过办结期限未办结" in page and "已逾期" in page
    client.force_login(users.hotan)
    assert "已逾期" not in client.get(reverse("oversight:objection_list")).content.decode()


def test_the_publicity_list_masks_names_and_ids_and_is_recorded(client, users, payroll, bank_payments):  # noqa: F811
    from tests.reports.pdf_text import pdf_text

    client.force_login(users.kashgar)
    response = client.post(
        reverse("reports:publicity_create"),
        {
            "organization": organization("653100").pk,
            "program": program("model_worker").pk,
            "fiscal_year": payroll.year.pk,
            "starts_on": "2024-11-15",
            "ends_on": "2024-11-21",
            "contact": "电话 0998-2821234",
            "format": "pdf",
        },
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content).replace("\n", "")
    assert "喀什地区总工会2024年度劳模专项补助资金发放名单公示" in text.replace(" ", "")
    assert "张*明" in text and "张三明" not in text
    worker = bank_payments[0].model_worker
    assert resident_id.mask(worker.id_number) in text and worker.id_number not in text
    assert "0998-2821234" in text
    record = Publicity.objects.get()
    assert record.line_count == 5 and record.total_amount == Decimal("5000.00") and record.generated_by == users.kashgar
    assert AuditEvent.objects.filter(object_type__contains="publicity", detail__contains="5 persons").exists()
    client.force_login(users.hotan)
    refused = client.post(
        reverse("reports:publicity_create"),
        {
            "organization": organization("653100").pk,
            "program": program("model_worker").pk,
            "fiscal_year": payroll.year.pk,
            "starts_on": "2024-11-15",
            "ends_on": "2024-11-21",
            "contact": "x",
        },
    )
    assert refused.status_code == 200 and "application/pdf" not in refused["Content-Type"]


def _record(model, pk, name, number, org="喀什"):
    return Record(model, pk, name, number, org)


def _valid(first17: str) -> str:
    return first17 + resident_id.check_character(first17)


def test_the_scan_finds_one_id_in_two_rosters_and_one_name_and_birth_date_under_two_ids():
    a = _valid("65310119800101123")
    households = [
        _record("h", 1, "张三", a),
        _record("h", 2, "张三", _valid("65310119800101456")),  # same name and birth date, another ID
        _record("h", 3, "李四", _valid("65310119800102456")),  # same sequence, another birth date: no finding
        _record("h", 4, "李四", _valid("65310119800103456")),
    ]
    workers = [_record("m", 9, "张三", a, org="和田"), _record("m", 10, "王五", _valid("65310119800101789"))]
    found = {(c.kind, c.first.pk, c.second.pk) for c in find_duplicates(households, workers)}
    assert found == {(DuplicateKind.TWO_ROSTERS, 1, 9), (DuplicateKind.NAME_AND_BIRTH, 1, 2)}
    # The same ID as a household head and a model worker of the same organisation is not a finding (one may be both).
    same_org = [_record("m", 9, "张三", a, org="喀什")]
    assert {c.kind for c in find_duplicates(households, same_org)} == {DuplicateKind.NAME_AND_BIRTH}


def test_no_slip_of_one_digit_or_one_swap_can_leave_two_valid_ids():
    """Why the scan does not look for transposed IDs: the check digit catches every such slip."""
    number = _valid("65310119800101123")
    for i in range(17):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        if swapped != number:
            assert resident_id.check_character(swapped[:17]) != swapped[17], i
        for digit in "0123456789":
            wrong = number[:i] + digit + number[i + 1 :]
            if wrong != number:
                assert resident_id.check_character(wrong[:17]) != wrong[17], (i, digit)


def test_finance_decides_each_case_with_a_reason_and_an_unresolved_one_warns_at_upload(users, payroll):
    first = HouseholdFactory(head_name="董桂芝", id_number=_valid("65310119800101123"))
    HouseholdFactory(head_name="董桂芝", id_number=_valid("65310119800101456"))
    assert duplicate_scan(acting_user=users.finance) == 1
    assert duplicate_scan(acting_user=users.finance) == 0  # found once
    case = DuplicateCase.objects.get()
    assert "董桂芝" in case.description and first.id_number not in case.description
    assert flagged_people(for_households=True) == {case.first_household_id, case.second_household_id}
    with pytest.raises(PermissionDenied):
        duplicate_scan(acting_user=users.kashgar)
    with pytest.raises(ValidationError, match="理由"):
        duplicate_decide(case=case, decision="kept_both", reason="", acting_user=users.finance)
    duplicate_decide(case=case, decision="kept_both", reason="经核实为两人，同名同生日", acting_user=users.finance)
    assert flagged_people(for_households=True) == set()
    assert AuditEvent.objects.filter(detail__contains="duplicate decided").exists()


def test_an_overdue_objection_is_on_the_handler_s_home_page(client, users, payroll, bank_payments):  # noqa: F811
    objection_create(
        person=bank_payments[0].model_worker,
        channel=ObjectionChannel.PHONE,
        received_on=datetime.date(2024, 11, 1),
        content="来电反映",
        acting_user=users.kashgar,
    )
    client.force_login(users.kashgar)
    assert "1 件异议或投诉已超过办结期限" in client.get(reverse("funds:home")).content.decode()
    client.force_login(users.hotan)
    assert "已超过办结期限" not in client.get(reverse("funds:home")).content.decode()
