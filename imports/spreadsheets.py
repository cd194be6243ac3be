"""The downloadable template for each import kind, and the error report of a refused file."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from beneficiaries import resident_id
from core.exports import (
    ERROR_FILL,
    HEADER_FILL,
    HEADER_FONT,
    PERSONAL_DATA_NOTICE,
    official,
    safe_cell,
    workbook_bytes,
)
from funds.choices import ImportKind
from funds.models import ImportBatch, Program
from imports.cells import mask_account
from imports.columns import Column
from imports.reader import read_table
from imports.rosters import MODEL_WORKER_NOTES

TEXT_COLUMNS = {"id_number", "bank_account", "archive_no"}
KIND_NOTES = {ImportKind.MODEL_WORKERS: MODEL_WORKER_NOTES}


@official
def template_workbook(kind: ImportKind, columns: list[Column], program: Program | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("数据")
    allowed_by_key = {column.key: column.allowed for column in columns}
    if program is not None:
        allowed_by_key["payment_kind"] = tuple(program.payment_kinds.values_list("name", flat=True))
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.key in TEXT_COLUMNS:
            # Text format, so Excel keeps all 18 digits of an ID number and does not write 6.22E+18.
            sheet.column_dimensions[letter].width = 24
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
        allowed = allowed_by_key.get(column.key)
        if allowed:
            validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
            validation.error = _("请从下拉列表中选择。")
            validation.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填列"), _("说明"), _("允许的值")])
    for cell in notes[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in columns:
        allowed = allowed_by_key.get(column.key) or ()
        notes.append([column.header, _("是") if column.required else _("否"), column.help, "、".join(allowed)])
    notes.append([])
    for sentence in KIND_NOTES.get(kind, ()):
        notes.append([sentence])
    notes.append([_("只填数值，不要使用公式；第 1 行为表头，请勿改动列名。")])
    notes.append([PERSONAL_DATA_NOTICE])
    for letter, width in zip("ABCD", (16, 12, 40, 60), strict=True):
        notes.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


# Headers whose cells hold an ID number or a bank account: masked in the report unless the user may unmask.
SENSITIVE_HEADERS = {"身份证号": resident_id.mask, "银行账号": mask_account}


@official
def error_report_workbook(batch: ImportBatch, *, unmask: bool = False) -> bytes:
    """The original rows with an 错误说明 column; rows with errors are highlighted. ID numbers and accounts are
    masked (rows are found in the original file by their row number) unless `unmask`."""
    by_row: dict[int, list[str]] = {}
    for error in batch.errors:
        text = f"[{error['column']}] {error['message']}" if error["column"] else error["message"]
        by_row.setdefault(error["row"], []).append(text)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("错误报告")
    sheet.append([PERSONAL_DATA_NOTICE])
    for message in by_row.get(0, []):
        sheet.append([_("整个文件：") + message])
    batch.source_file.open("rb")
    try:
        table = read_table(batch.source_file.read(), filename=batch.file_name)
    except Exception:  # the file itself was refused: the messages above are the whole report
        return workbook_bytes(workbook)
    finally:
        batch.source_file.close()
    sheet.append([_("原行号"), *table.headers, _("错误说明")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    maskers = {i: SENSITIVE_HEADERS[h] for i, h in enumerate(table.headers) if h in SENSITIVE_HEADERS and not unmask}
    for number, cells in table.rows:
        messages = by_row.get(number)
        shown = [maskers[i](str(c)) if i in maskers and c not in (None, "") else c for i, c in enumerate(cells)]
        sheet.append([number, *(safe_cell(c) for c in shown), safe_cell("；".join(messages)) if messages else ""])
        if messages:
            for cell in sheet[sheet.max_row]:
                cell.fill = ERROR_FILL
    return workbook_bytes(workbook)
