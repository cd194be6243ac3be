"""Disbursement lists: each rule refuses its bad row at the right row and column; imports are all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from beneficiaries.choices import ModelWorkerStatus, SuspensionReason
from beneficiaries.models import LivingSurvey
from funds.choices import DisbursementStatus, FundingSource, ImportStatus
from funds.models import Disbursement, DisbursementReversal
from imports.services import (
    import_batch_confirm,
    import_batch_request_reversal,
    import_batch_reverse,
)
from tests.factories import LivingSurveyFactory, ModelWorkerFactory, organization
from tests.spreadsheets import DISBURSEMENT_HEADERS, csv_bytes, spring_row, xlsx
from tests.uploads import upload


def errors_of(batch) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in batch.errors]


def test_clean_file_previews_then_imports_with_matching_totals(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    rows.append(spring_row(payroll.workers[0], 6, **{"发放类型": "生活困难补助金", "金额（元）": "8500.50"}))
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.summary["totals"] == {"春节慰问金": [5, "5000.00"], "生活困难补助金": [1, "8500.50"]}
    assert not Disbursement.objects.exists()  # nothing before confirm

    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert batch.status == ImportStatus.IMPORTED
    imported = Disbursement.objects.filter(batch=batch)
    assert imported.count() == 6
    assert imported.aggregate(t=Sum("amount"))["t"] == Decimal("13500.50") == batch.total_amount
    assert set(imported.values_list("account_masked", flat=True)) == {"***************8901"}


BAD_ROWS = [
    # (what is wrong, cell overrides for row 3, column named in the error)
    ("check digit", {"身份证号": "653101198001011231"}, "身份证号"),
    ("ID stored as a number by Excel", {"身份证号": 6.53101198001011e17}, "身份证号"),
    ("name differs from the roster", {"姓名": "别人"}, "姓名"),
    ("kind of another program", {"发放类型": "医疗救助"}, "发放类型"),
    ("zero amount", {"金额（元）": 0}, "金额（元）"),
    ("three decimals", {"金额（元）": "1000.005"}, "金额（元）"),
    ("exponent", {"金额（元）": "1e9"}, "金额（元）"),
    ("NaN", {"金额（元）": "NaN"}, "金额（元）"),
    ("outside the fixed standard", {"金额（元）": 1200}, "金额（元）"),
    ("date outside the fiscal year", {"发放日期": datetime.date(2025, 1, 5)}, "发放日期"),
    ("not a date", {"发放日期": "2024-02-30"}, "发放日期"),
    ("unknown payment method", {"发放方式": "支付宝"}, "发放方式"),
    ("account saved as a number", {"银行账号": 6.22848001234568e18}, "银行账号"),
    ("enormous cell", {"备注": "长" * 600}, "备注"),
    ("unknown funding source", {"资金来源": "捐款"}, "资金来源"),
]


@pytest.mark.parametrize(("case", "overrides", "column"), BAD_ROWS, ids=[c for c, _o, _c in BAD_ROWS])
def test_each_rule_refuses_its_row_and_column(users, payroll, case, overrides, column):
    worker = payroll.workers[1]
    rows = [spring_row(payroll.workers[0], 1), spring_row(worker, 2, **overrides)]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    assert batch.status == ImportStatus.REFUSED
    assert (3, column) in errors_of(batch), batch.errors
    assert all(row == 3 for row, _col in errors_of(batch))


def test_person_not_in_the_uploaders_roster(users, payroll):
    stranger = ModelWorkerFactory(organization=organization("653200"))
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(stranger)]), users.kashgar, payroll)
    assert errors_of(batch) == [(2, "身份证号")]
    # Registered in another prefecture: the clerk is not asked to register the person again, nor told where
    # (that is finance's to see: the detail).
    assert "其他单位的数据" in batch.errors[0]["message"] and "和田" not in batch.errors[0]["message"]
    assert "该身份证号登记在和田地区的劳模名册中，不在本单位名册" in batch.errors[0]["detail"]
    nobody = ModelWorkerFactory.build(organization=organization("653100"))
    unknown = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(nobody)]), users.kashgar, payroll, name="b.xlsx")
    assert "本单位名册中没有该身份证号（劳模名册），请先在名册中登记" in unknown.errors[0]["message"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {
                "status": ModelWorkerStatus.SUSPENDED,
                "suspension_reason": SuspensionReason.LOST_CONTACT,
                "suspended_on": datetime.date(2024, 6, 1),
            },
            "该劳模自 2024-06-01 起暂停享受待遇（去向不明且失去联系），发放日期 2024-11-28 在暂停期间",
        ),
        ({"status": ModelWorkerStatus.DECEASED, "died_on": datetime.date(2024, 8, 1)}, "已于 2024-08-01 去世"),
    ],
)
def test_ineligible_model_worker_on_the_paid_date(users, payroll, change, message):
    worker = payroll.workers[0]
    for name, value in change.items():
        setattr(worker, name, value)
    worker.save()
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(worker)]), users.kashgar, payroll)
    assert errors_of(batch) == [(2, "身份证号")]
    assert message in batch.errors[0]["message"]


def test_a_suspension_that_ended_before_the_paid_date_does_not_stop_the_payment(users, payroll):
    worker = payroll.workers[0]
    worker.suspended_on, worker.suspension_ended_on = datetime.date(2023, 1, 1), datetime.date(2024, 11, 28)
    worker.suspension_reason = SuspensionReason.UNDER_INVESTIGATION
    worker.save()
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(worker)]), users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors


def test_no_living_survey_no_payment(users, payroll):
    worker = payroll.workers[0]
    worker.living_surveys.all().delete()
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(worker)]), users.kashgar, payroll)
    assert "生活状况摸底调查" in batch.errors[0]["message"]


def test_lifted_out_household_is_refused(users, payroll):
    household = payroll.household
    household.status, household.lifted_out_on = "lifted_out", datetime.date(2024, 6, 30)
    household.save()
    row = spring_row(
        household,
        **{
            "姓名": household.head_name,
            "发放类型": "医疗救助",
            "金额（元）": 800,
            "发放日期": datetime.date(2024, 7, 15),
        },
    )
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [row]), users.kashgar, payroll, program_code="hardship")
    assert errors_of(batch) == [(2, "身份证号")]
    assert "脱困" in batch.errors[0]["message"]


def test_duplicate_within_the_file_and_of_a_posted_payment(users, payroll):
    first, second = payroll.workers[:2]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(first, 1), spring_row(first, 2)]), users.kashgar, payroll)
    assert errors_of(batch) == [(3, "")]
    assert "与第2行重复" in batch.errors[0]["message"]

    imported = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(second)]), users.kashgar, payroll)
    import_batch_confirm(batch=imported, acting_user=users.kashgar)
    again = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(second, 7)]), users.kashgar, payroll, name="另一个.xlsx")
    assert errors_of(again) == [(2, "发放类型")]
    assert "每年至多一次" in again.errors[0]["message"]


def test_allocation_cap_is_a_file_level_error(users, payroll):
    rows = [
        spring_row(w, i, **{"发放类型": "生活困难补助金", "金额（元）": 12000}) for i, w in enumerate(payroll.workers)
    ]
    rows += [
        spring_row(payroll.workers[0], 9, **{"发放类型": "春节慰问金"}),
    ]
    # 5 × 12,000 + 1,000 = 61,000 fits the 100,000 allocation; a second file of 5 × 8,000 does not.
    first = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    import_batch_confirm(batch=first, acting_user=users.kashgar)
    more = [spring_row(w, i, **{"发放类型": "春节慰问金"}) for i, w in enumerate(payroll.workers[1:], start=1)]
    extra = ModelWorkerFactory(organization=organization("653100"))
    LivingSurveyFactory(model_worker=extra, fiscal_year=payroll.year)
    department = upload(
        xlsx(DISBURSEMENT_HEADERS, [*more, spring_row(extra, 9, **{"资金来源": "部门预算"})]),
        users.kashgar,
        payroll,
        name="b.xlsx",
    )
    assert department.status == ImportStatus.PREVIEWED  # 4,000 fiscal still fits; department money is outside it
    assert department.summary["sources"] == {"当年财政拨款": [4, "4000.00"], "其他资金": [1, "1000.00"]}
    over = Disbursement.objects.filter(funding_source=FundingSource.CURRENT_FISCAL).aggregate(t=Sum("amount"))["t"]
    assert over == Decimal("61000")


def test_money_from_another_source_counts_against_what_that_source_received(users, payroll):
    """部门预算 money is outside the allocation, but not unlimited: 10,000 元 of it was received for the year."""
    rows = [
        spring_row(w, i, **{"发放类型": "生活困难补助金", "金额（元）": 3000, "资金来源": "其他资金"})
        for i, w in enumerate(payroll.workers[:3], start=1)
    ]
    fits = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    assert fits.status == ImportStatus.PREVIEWED, fits.errors
    import_batch_confirm(batch=fits, acting_user=users.kashgar)
    more = [
        spring_row(payroll.workers[3], 1, **{"发放类型": "生活困难补助金", "金额（元）": 3000, "资金来源": "部门预算"})
    ]
    refused = upload(xlsx(DISBURSEMENT_HEADERS, more), users.kashgar, payroll, name="c.xlsx")
    assert errors_of(refused) == [(0, "资金来源")]
    assert "9,000.00 元，超过2024年劳模补助该来源实际到位的 10,000.00 元" in refused.errors[0]["message"]


def test_over_allocation_refused(users, payroll):
    rows = [
        spring_row(w, i, **{"发放类型": "生活困难补助金", "金额（元）": 12000}) for i, w in enumerate(payroll.workers)
    ]
    # 和田 has 50,000 allocated: move the workers there so the same file is over its cap.
    for worker in payroll.workers:
        worker.organization = organization("653200")
        worker.save()
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.hotan, payroll, org="653200")
    assert errors_of(batch) == [(0, "")]
    assert "超过本单位2024年劳模补助已审批的分配额度 50,000.00 元" in batch.errors[0]["message"]


def test_one_bad_row_among_a_thousand_writes_nothing(users, payroll):
    workers = [ModelWorkerFactory(organization=organization("653100")) for _ in range(999)]
    LivingSurvey.objects.bulk_create(
        [
            LivingSurvey(
                model_worker=w, fiscal_year=payroll.year, surveyed_on=datetime.date(2024, 9, 1), condition="good"
            )
            for w in workers
        ]
    )
    rows = [spring_row(w, i) for i, w in enumerate(workers, start=1)]
    rows.append(spring_row(payroll.workers[0], 1000, **{"金额（元）": -5}))
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.finance, payroll)
    assert batch.status == ImportStatus.REFUSED
    assert errors_of(batch) == [(1001, "金额（元）")]
    assert batch.row_count == 1000
    assert not Disbursement.objects.exists()


def test_confirm_revalidates_and_writes_nothing_if_the_data_changed(users, payroll):
    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    worker = payroll.workers[3]
    worker.status, worker.died_on = ModelWorkerStatus.DECEASED, datetime.date(2024, 11, 1)
    worker.save()
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert batch.status == ImportStatus.REFUSED
    assert not Disbursement.objects.exists()


def test_control_character_in_a_csv_cell(users, payroll):
    # openpyxl will not even write one into an .xlsx; a CSV can carry it.
    rows = [spring_row(payroll.workers[0], **{"备注": "正常\x07"})]
    batch = upload(csv_bytes(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll, name="a.csv")
    assert errors_of(batch) == [(2, "备注")]
    assert "控制字符" in batch.errors[0]["message"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_as_excel_saves_it(users, payroll, encoding):
    rows = [spring_row(w, i, **{"发放日期": "2024/11/28"}) for i, w in enumerate(payroll.workers, start=1)]
    batch = upload(csv_bytes(DISBURSEMENT_HEADERS, rows, encoding), users.kashgar, payroll, name="明细.csv")
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert Disbursement.objects.filter(batch=batch).count() == 5


def test_same_file_twice_is_refused_with_a_pointer_to_the_first(users, payroll):
    data = xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])])
    first = import_batch_confirm(batch=upload(data, users.kashgar, payroll), acting_user=users.kashgar)
    second = upload(data, users.kashgar, payroll)
    assert second.status == ImportStatus.REFUSED
    assert f"批次 #{first.pk}" in second.errors[0]["message"]


def test_operator_cannot_upload_for_another_organisation(users, payroll):
    with pytest.raises(PermissionDenied):
        upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]), users.kashgar, payroll, org="653200")
    assert not Disbursement.objects.exists()


def test_payment_seen_in_another_organisation_is_flagged_not_refused(users, payroll):
    household = payroll.household
    medical = {
        "姓名": household.head_name,
        "发放类型": "医疗救助",
        "金额（元）": 800,
        "发放日期": datetime.date(2024, 7, 1),
    }
    first = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(household, **medical)]), users.kashgar, payroll, program_code="hardship"
    )
    import_batch_confirm(batch=first, acting_user=users.kashgar)
    # Paid by 喀什; the household then moves to 和田, whose finance staff pay it again.
    household.organization = organization("653200")
    household.save()
    second = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(household, **{**medical, "发放日期": datetime.date(2024, 9, 1)})]),
        users.finance,
        payroll,
        org="653200",
        program_code="hardship",
    )
    assert any("可能重复发放" in w["message"] for w in second.warnings)


def test_reversing_an_import_reverses_every_payment(users, payroll):
    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    with pytest.raises(PermissionDenied):
        import_batch_request_reversal(batch=batch, reason="重复上传", acting_user=users.kashgar)
    with pytest.raises(ValidationError):  # nothing requested yet
        import_batch_reverse(batch=batch, acting_user=users.finance2)
    batch = import_batch_request_reversal(batch=batch, reason="重复上传", acting_user=users.finance)
    with pytest.raises(PermissionDenied):  # the maker cannot check their own request
        import_batch_reverse(batch=batch, acting_user=users.finance)
    assert not DisbursementReversal.objects.exists()
    batch = import_batch_reverse(batch=batch, acting_user=users.finance2)
    assert (batch.reversal_requested_by, batch.reversed_by) == (users.finance, users.finance2)
    assert set(Disbursement.objects.filter(batch=batch).values_list("status", flat=True)) == {
        DisbursementStatus.REVERSED
    }
    assert DisbursementReversal.objects.filter(reversed_batch=batch).count() == 5


def test_a_reversal_page_only_executes_the_request_its_user_saw(client, users, payroll):
    from django.urls import reverse

    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    url = reverse("imports:import_reverse", kwargs={"pk": batch.pk})
    # finance-b opened the page before finance-a's request: the request form it posts does not execute that request.
    import_batch_request_reversal(batch=batch, reason="重复上传", acting_user=users.finance)
    client.force_login(users.finance2)
    response = client.post(url, {"intent": "request", "reason": "金额错误"}, follow=True)
    assert "已有冲销申请" in response.content.decode()
    assert not DisbursementReversal.objects.exists()
    # An execute form with a token of another request (or none) is refused as well.
    response = client.post(url, {"intent": "execute", "request_token": "0" * 64}, follow=True)
    assert "冲销申请已变化" in response.content.decode()
    assert not DisbursementReversal.objects.exists()
    page = client.get(reverse("imports:import_detail", kwargs={"pk": batch.pk})).content.decode()
    batch.refresh_from_db()
    assert f'name="request_token" value="{batch.reversal_request_token()}"' in page
    client.post(url, {"intent": "execute", "request_token": batch.reversal_request_token()})
    assert DisbursementReversal.objects.filter(reversed_batch=batch).count() == 5


def test_the_kept_parse_holds_no_clear_id_numbers_and_serves_confirm(users, payroll, settings):
    from pathlib import Path

    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    from django.core.files.storage import default_storage

    kept = list(Path(settings.MEDIA_ROOT).rglob("*.parsed.json"))
    assert len(kept) == 1
    text = default_storage.open(str(kept[0].relative_to(settings.MEDIA_ROOT))).read().decode()
    assert payroll.workers[0].name in text
    assert all(w.id_number not in text for w in payroll.workers)
    # On disk, the kept parse and the uploaded spreadsheet are ciphertext (no name, no ID number readable).
    for stored in Path(settings.MEDIA_ROOT).rglob("*"):
        if stored.is_file():
            raw = stored.read_bytes()
            assert raw.startswith(b"UFENC2\n")
            assert payroll.workers[0].name.encode() not in raw
            assert all(w.id_number.encode() not in raw for w in payroll.workers)
    batch.source_file.delete(save=False)  # confirm no longer needs the spreadsheet itself
    assert import_batch_confirm(batch=batch, acting_user=users.kashgar).status == ImportStatus.IMPORTED


def test_imports_and_reversals_are_on_record_and_payments_are_sealed(users, payroll):
    from audit.models import AuditEvent
    from audit.verify import verify_disbursements

    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    event = AuditEvent.objects.get(action="import", object_type="funds.importbatch", object_id=str(batch.pk))
    assert (event.actor_username, event.changes["rows"]) == (users.kashgar.username, ["", "5"])
    assert all(len(d.seal) == 64 for d in Disbursement.objects.filter(batch=batch))
    assert verify_disbursements().ok
    batch = import_batch_request_reversal(batch=batch, reason="重复上传", acting_user=users.finance)
    import_batch_reverse(batch=batch, acting_user=users.finance2)
    actions = list(
        AuditEvent.objects.filter(object_type="funds.importbatch", object_id=str(batch.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["import", "request_reversal", "reversal"]
    assert verify_disbursements().ok  # a reversal changes the status only, which the seal leaves out


def test_verify_finds_a_payment_altered_or_deleted_behind_the_applications_back(users, payroll):
    from audit.verify import verify_disbursements
    from core.db_guards import install_transition_guard, remove_transition_guard
    from tests.db_tampering import triggers_switched_off

    batch = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]), users.kashgar, payroll
    )
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    first, second = Disbursement.objects.filter(batch=batch).order_by("pk")[:2]
    columns = [f.column for f in Disbursement._meta.concrete_fields]
    guard = {"table": "funds_disbursement", "column": "status", "from_value": "posted", "to_value": "reversed"}
    # Someone with database rights switches the immutability trigger off and edits, then deletes, a payment.
    with triggers_switched_off(
        lambda editor: remove_transition_guard(editor, table=guard["table"]),
        lambda editor: install_transition_guard(editor, columns=columns, **guard),
    ):
        Disbursement.objects.filter(pk=second.pk).update(amount=Decimal("9000.00"))
        result = verify_disbursements()
        assert not result.ok
        assert f"#{second.pk}" in result.first_problem and "修改" in result.first_problem
        Disbursement.objects.filter(pk=first.pk).delete()
        problems = verify_disbursements().problems
        assert any(f"导入批次 #{batch.pk}" in p and "现存 4 笔" in p for p in problems), problems


def test_the_federation_pays_persons_on_its_unions_rosters_from_the_department_budget(users, payroll):
    """Seed 001: 23.62 万 of the 2022 model-worker payments came from the federation's own department budget."""
    kind = {"发放类型": "生活困难补助金", "金额（元）": 5000, "资金来源": "部门预算"}
    row = spring_row(payroll.workers[0], 1, **kind)
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [row]), users.finance, payroll, org="650000", name="本级.xlsx")
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    import_batch_confirm(batch=batch, acting_user=users.finance)
    payment = Disbursement.objects.get(batch=batch)
    assert (payment.paying_organization.code, payment.model_worker.organization.code) == ("650000", "653100")


@pytest.mark.parametrize("invisible", ["\r\n", "\t", "\u202e", "\u2066", "\u2028"])
def test_line_breaks_tabs_and_direction_controls_in_a_name_are_refused_at_their_cell(users, payroll, invisible):
    worker = payroll.workers[0]
    rows = [spring_row(worker, **{"姓名": worker.name[:1] + invisible + worker.name[1:]})]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    assert errors_of(batch) == [(2, "姓名")]
    assert "不可见字符" in batch.errors[0]["message"]


def test_a_note_may_keep_its_line_breaks(users, payroll):
    rows = [spring_row(payroll.workers[0], **{"备注": "第一行\n第二行"})]
    assert upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll).status == ImportStatus.PREVIEWED
