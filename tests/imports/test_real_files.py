"""Files as prefecture offices really send them: titles, blank rows, other sheets, their own header wording, a 合计
row, full-width digits, Excel's floats, legacy .xls, formulas in a cell — accepted, or refused in words a clerk
can act on, every problem in one pass."""

import datetime
import io
from decimal import Decimal

import pytest
import xlwt
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from funds.choices import ImportStatus
from funds.models import Disbursement, ImportBatch
from imports.services import import_batch_confirm
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload

TITLE = "2024年喀什地区劳模专项补助资金发放明细表"


def workbook_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(batch) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in batch.errors]


def with_title(headers: list, rows: list[list], *, total=None):
    """Title merged across the columns in row 1, a blank row, the header in row 3, then the rows and a total."""

    def build(workbook):
        sheet = workbook.active
        sheet.title = "发放明细"
        sheet.append([TITLE])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        if total is not None:
            sheet.append(total)
        for _ in range(3):  # formatted but empty rows, as Excel leaves them
            sheet.append([None] * len(headers))
            sheet.cell(row=sheet.max_row, column=1).number_format = "@"

    return workbook_bytes(build)


def test_a_title_row_blank_rows_and_a_total_row_are_understood(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    data = with_title(DISBURSEMENT_HEADERS, rows, total=["合计", "", "", "", 5000])
    batch = upload(data, users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.row_count == 5 and batch.total_amount == Decimal("5000")
    assert "第 9 行为合计行，已与明细核对，不作为发放记录导入。" in batch.summary["notes"]
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert Disbursement.objects.count() == 5


def test_a_total_row_that_does_not_add_up_is_an_error_of_its_row_and_the_amount_column(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    batch = upload(
        with_title(DISBURSEMENT_HEADERS, rows, total=["合计", "", "", "", "5,100.00"]), users.kashgar, payroll
    )
    assert errors_of(batch) == [(9, "金额（元）")]
    assert "合计行金额 5,100.00 元与以上 5 行之和 5,000.00 元不符" in batch.errors[0]["message"]


def test_the_clerks_own_header_wording_is_matched_and_other_columns_are_named_not_imported(users, payroll):
    headers = ["序 号", "姓名", "公民身份号码", "发放类型", "发放金额(元)", "发放时间", "发放方式", "开户账号 ",
               "资金来源", "备注", "联系电话"]  # fmt: skip
    rows = [[*spring_row(w, i), "13800000000"] for i, w in enumerate(payroll.workers, start=1)]
    batch = upload(xlsx(headers, rows), users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert "以下列不是本模板的列，未导入：“联系电话”。" in batch.summary["notes"]


def test_a_missing_column_says_which_other_wordings_are_accepted(users, payroll):
    headers = [h for h in DISBURSEMENT_HEADERS if h != "身份证号"]
    batch = upload(xlsx(headers, [spring_row(payroll.workers[0])[:2] + spring_row(payroll.workers[0])[3:]]),
                   users.kashgar, payroll)  # fmt: skip
    assert errors_of(batch) == [(1, "身份证号")]
    assert "公民身份号码" in batch.errors[0]["message"]


def test_the_data_sheet_is_found_after_an_instructions_sheet_and_hidden_sheets_are_never_read(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]

    def instructions_first(workbook):
        notes = workbook.active
        notes.title = "填写说明"
        notes.append(["本表用于上报劳模补助发放明细"])
        notes.append(["身份证号须为18位"])
        data = workbook.create_sheet("数据")
        data.append(DISBURSEMENT_HEADERS)
        for row in rows:
            data.append(row)

    assert upload(workbook_bytes(instructions_first), users.kashgar, payroll).status == ImportStatus.PREVIEWED

    def hidden_data(workbook):
        instructions_first(workbook)
        workbook["数据"].sheet_state = "hidden"

    hidden = upload(workbook_bytes(hidden_data), users.kashgar, payroll, name="b.xlsx")
    assert hidden.status == ImportStatus.REFUSED
    assert "表头在隐藏的工作表“数据”中" in hidden.errors[0]["message"]

    def hidden_old_copy(workbook):
        old = workbook.active
        old.title = "旧表"
        old.append(DISBURSEMENT_HEADERS)
        old.append(spring_row(payroll.workers[0], 1, **{"金额（元）": "错误的旧数据"}))
        old.sheet_state = "hidden"
        data = workbook.create_sheet("数据")
        data.append(DISBURSEMENT_HEADERS)
        for row in rows:
            data.append(row)

    visible = upload(workbook_bytes(hidden_old_copy), users.kashgar, payroll, name="c.xlsx")
    assert visible.status == ImportStatus.PREVIEWED, visible.errors


def test_two_sheets_with_headers_are_refused_until_the_uploader_names_one(users, payroll):
    def two_prefectures(workbook):
        for title, workers in (("喀什", payroll.workers[:3]), ("和田", payroll.workers[3:])):
            sheet = workbook.active if title == "喀什" else workbook.create_sheet(title)
            sheet.title = title
            sheet.append(DISBURSEMENT_HEADERS)
            for i, worker in enumerate(workers, start=1):
                sheet.append(spring_row(worker, i))

    data = workbook_bytes(two_prefectures)
    refused = upload(data, users.kashgar, payroll)
    assert "有 2 个工作表都含有表头：“喀什”、“和田”" in refused.errors[0]["message"]
    chosen = upload(data, users.kashgar, payroll, name="b.xlsx", sheet_name="喀什")
    assert chosen.status == ImportStatus.PREVIEWED and chosen.row_count == 3


def test_full_width_digits_currency_signs_excel_floats_and_date_times_are_read_as_meant(users, payroll):
    w = payroll.workers
    full_width_id = w[0].id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    rows = [
        spring_row(w[0], 1, **{"身份证号": full_width_id, "金额（元）": "１０００"}),
        spring_row(w[1], 2, **{"身份证号": w[1].id_number.lower(), "金额（元）": "￥1,000.00"}),
        spring_row(w[2], 3, **{"金额（元）": "1000元", "发放日期": "2024-11-28 00:00:00"}),
        spring_row(w[3], 4, **{"金额（元）": 999.9999999999999, "发放日期": "２０２４－１１－２８"}),
        spring_row(w[4], 5, **{"金额（元）": " 1,000 元 "}),
    ]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.total_amount == Decimal("5000.00")
    more_decimals = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(w[0], 1, **{"金额（元）": 1000.123})]),
                           users.kashgar, payroll, name="b.xlsx")  # fmt: skip
    assert errors_of(more_decimals) == [(2, "金额（元）")] and "两位小数" in more_decimals.errors[0]["message"]


def test_a_legacy_xls_file_is_read(users, payroll):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Sheet1")
    sheet.write_merge(0, 0, 0, 9, TITLE)
    for column, header in enumerate(DISBURSEMENT_HEADERS):
        sheet.write(1, column, header)
    for index, worker in enumerate(payroll.workers, start=1):
        for column, value in enumerate(spring_row(worker, index)):
            sheet.write(index + 1, column, value.isoformat() if isinstance(value, datetime.date) else value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = upload(buffer.getvalue(), users.kashgar, payroll, name="发放明细.xls")
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    assert batch.row_count == 5


def test_a_formula_is_an_error_of_its_own_cell_listed_with_every_other_rows_errors(users, payroll):
    def with_formula(workbook):
        sheet = workbook.active
        sheet.append(DISBURSEMENT_HEADERS)
        for i, worker in enumerate(payroll.workers, start=1):
            sheet.append(spring_row(worker, i))
        sheet["E4"] = "=500*2"
        sheet["C6"] = "110105194912310021"  # wrong check digit, in row 6
        sheet.append(["合计", "", "", "", "=SUM(E2:E6)"])  # a formula in the total row is fine

    batch = upload(workbook_bytes(with_formula), users.kashgar, payroll)
    assert errors_of(batch) == [(4, "金额（元）"), (6, "身份证号")]
    assert "公式" in batch.errors[0]["message"]


def test_the_error_report_is_built_once_and_can_be_corrected_and_uploaded_again(client, users, payroll, monkeypatch):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    bad = [*rows[:2], spring_row(payroll.workers[2], 3, **{"金额（元）": "abc"}), *rows[3:]]
    batch = upload(with_title(DISBURSEMENT_HEADERS, bad, total=["合计", "", "", "", 5000]), users.finance, payroll)
    assert errors_of(batch) == [(6, "金额（元）")]

    import imports.reader

    def no_parsing(*args, **kwargs):
        raise AssertionError("the download must not read the upload again")

    monkeypatch.setattr(imports.reader, "read_table", no_parsing)
    monkeypatch.setattr("imports.services.read_table", no_parsing)
    client.force_login(users.finance)  # finance may unmask: numbers in clear, and the download is audited
    report = client.get(reverse("imports:import_error_report", args=[batch.pk]))
    assert AuditEvent.objects.filter(action="unmask", object_id=str(batch.pk)).exists()
    sheet = load_workbook(io.BytesIO(report.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["原行号", *DISBURSEMENT_HEADERS, "错误说明"]
    assert [row[0] for row in values[2:]] == [4, 5, 6, 7, 8, 9]  # the file's own row numbers, the total row too
    assert values[4][3] == payroll.workers[2].id_number and "abc" in values[4][-1]
    monkeypatch.undo()

    # The clerk corrects the amount in the report itself and uploads it as it is.
    fixed = load_workbook(io.BytesIO(report.content))
    fixed.active.cell(row=5, column=6).value = 1000
    buffer = io.BytesIO()
    fixed.save(buffer)
    again = upload(buffer.getvalue(), users.finance, payroll, name="错误报告-已改.xlsx")
    assert again.status == ImportStatus.PREVIEWED, again.errors
    assert again.total_amount == Decimal("5000")


def test_an_operator_who_may_not_unmask_gets_a_masked_report_that_says_to_correct_the_original(client, users, payroll):
    bad = [spring_row(payroll.workers[0], 1, **{"金额（元）": "abc"})]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, bad), users.kashgar, payroll)
    client.force_login(users.kashgar)
    report = client.get(reverse("imports:import_error_report", args=[batch.pk]))
    values = [[c.value for c in row] for row in load_workbook(io.BytesIO(report.content)).active.iter_rows()]
    assert "已脱敏，不能直接重新上传" in values[0][0]
    assert payroll.workers[0].id_number not in str(values)
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_the_masked_report_masks_headers_with_inner_spaces_and_numbers_under_any_header(client, users, payroll):
    worker = payroll.workers[0]
    headers = [{"身份证号": "身份 证号", "银行账号": "银行 账号"}.get(h, h) for h in DISBURSEMENT_HEADERS]
    bad = spring_row(worker, 1, **{"金额（元）": "abc"})
    # A column of the clerk's own holding the same numbers (as text and as an Excel number).
    batch = upload(
        xlsx([*headers, "联系人证件", "备用卡号"], [[*bad, worker.id_number, 6228480012345678901]]),
        users.kashgar,
        payroll,
    )
    assert batch.status == ImportStatus.REFUSED
    client.force_login(users.kashgar)
    report = client.get(reverse("imports:import_error_report", args=[batch.pk]))
    text = str([[c.value for c in row] for row in load_workbook(io.BytesIO(report.content)).active.iter_rows()])
    assert worker.id_number not in text
    assert "6228480012345678901" not in text
    assert worker.id_number[:4] in text  # masked, not dropped: the clerk still sees which row is whose


def test_the_template_has_a_sample_row_and_drop_downs_that_refuse_typed_values(client, users, payroll):
    client.force_login(users.kashgar)
    content = client.get(reverse("imports:import_template", args=["disbursements"]), {"program": "model_worker"})
    workbook = load_workbook(io.BytesIO(content.content))
    data, notes = workbook.worksheets
    validations = data.data_validations.dataValidation
    assert validations and all(v.showErrorMessage and v.errorStyle == "stop" for v in validations)
    ranges = {str(v.sqref) for v in validations}
    assert ranges == {"D2:D5001", "G2:G5001", "I2:I5001"}  # 发放类型, 发放方式, 资金来源
    assert data["C5001"].number_format == "@" and data["H5001"].number_format == "@"
    notes_rows = [[c.value for c in row] for row in notes.iter_rows()]
    header_at = next(i for i, row in enumerate(notes_rows) if row[: len(DISBURSEMENT_HEADERS)] == DISBURSEMENT_HEADERS)
    assert header_at >= 10  # never taken for the header of a filled-in template
    assert notes_rows[header_at + 1][2] == "11010519491231002X" and notes_rows[header_at + 1][3] == "春节慰问金"
    assert "公民身份号码" in next(row[4] for row in notes_rows if row[0] == "身份证号")
    # Filled in (data on the first sheet, the explanation sheet kept), it is accepted.
    for i, worker in enumerate(payroll.workers, start=2):
        for column, value in enumerate(spring_row(worker, i - 1), start=1):
            data.cell(row=i, column=column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(buffer.getvalue(), users.kashgar, payroll).status == ImportStatus.PREVIEWED


def test_a_system_failure_is_not_reported_as_a_refused_file(client, users, payroll, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    client.force_login(users.kashgar)
    data = io.BytesIO(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]))
    data.name = "发放明细.xlsx"
    monkeypatch.setattr("imports.tasks.import_batch_validate", broken)
    response = client.post(
        reverse("imports:import_upload"),
        {"kind": "disbursements", "program": payroll.program.pk, "fiscal_year": payroll.year.pk, "file": data},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.FAILED
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "处理失败" in page and "校验未通过" not in page


@pytest.mark.parametrize("where", ["XFD1048576", "A1000000", "DA2"])
def test_a_cell_far_outside_the_table_is_refused_before_the_parser_builds_its_grid(users, payroll, where):
    def far(workbook):
        workbook.active.append(DISBURSEMENT_HEADERS)
        workbook.active.append(spring_row(payroll.workers[0]))
        workbook.active[where] = "x"

    data = workbook_bytes(far)
    assert len(data) < 10_000
    batch = upload(data, users.kashgar, payroll)
    assert batch.status == ImportStatus.REFUSED
    message = batch.errors[0]["message"]
    assert "超过上限" in message and (where in message or where.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") in message)
