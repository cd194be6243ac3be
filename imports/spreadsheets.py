"""The downloadable template for each import kind, and the error report of a refused file."""

import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
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
    append_row,
    display_width,
    official,
    print_setup,
    workbook_bytes,
)
from core.masking import mask_account
from funds.choices import ImportKind
from funds.models import ImportBatch, Program
from imports.columns import Column, known_headers, normalize_header
from imports.errors import RowError
from imports.rosters import MODEL_WORKER_NOTES
from imports.tables import HEADER_SEARCH_ROWS, Table

TEXT_COLUMNS = {"id_number", "bank_account", "archive_no"}
KIND_NOTES = {ImportKind.MODEL_WORKERS: MODEL_WORKER_NOTES}
# Rows of the template formatted as text and offering the drop-downs (the same range for both).
TEMPLATE_ROWS = 5000


@official
def template_workbook(kind: ImportKind, columns: list[Column], program: Program | None = None) -> bytes:
    """The 数据 sheet (header, text-formatted ID and account columns, drop-downs that refuse typed values) and a
    填写说明 sheet: each column, whether it is required, what it takes, the other headers accepted, and a sample row
    (below the first ten rows, so that it is never taken for the header of a filled-in file)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("数据")
    allowed_by_key = {column.key: column.allowed for column in columns}
    samples = {column.key: column.sample for column in columns}
    if program is not None:
        kinds = tuple(program.payment_kinds.values_list("name", flat=True))
        allowed_by_key["payment_kind"] = kinds
        samples["payment_kind"] = kinds[0] if kinds else ""
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.key in TEXT_COLUMNS:
            # Text format, so Excel keeps all 18 digits of an ID number and does not write 6.22E+18.
            sheet.column_dimensions[letter].width = 24
            for row in range(2, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
        allowed = allowed_by_key.get(column.key)
        if allowed:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(allowed) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle=_("不是允许的值"),
                error=_("请从下拉列表中选择：{allowed}").format(allowed="、".join(allowed)),
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填列"), _("说明"), _("允许的值"), _("列名也可写作")])
    for cell in notes[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in columns:
        allowed = allowed_by_key.get(column.key) or ()
        notes.append(
            [
                column.header,
                _("是") if column.required else _("否"),
                column.help,
                "、".join(allowed),
                "、".join(column.aliases),
            ]
        )
    notes.append([])
    for sentence in KIND_NOTES.get(kind, ()):
        notes.append([sentence])
    notes.append([_("只填数值，不要使用公式；表头上方可以有标题行，表格最后可以有“合计”行（会与明细核对，不导入）。")])
    notes.append([PERSONAL_DATA_NOTICE])
    notes.append([])
    while notes.max_row < HEADER_SEARCH_ROWS + 1:
        notes.append([])
    notes.append([_("填写示例（请在“数据”工作表中填写，不要在本页填写）：")])
    notes.append([column.header for column in columns])
    for cell in notes[notes.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    notes.append([samples.get(column.key, "") for column in columns])
    for letter, width in zip("ABCDE", (16, 12, 40, 60, 30), strict=True):
        notes.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


# The columns whose cells hold an ID number or a bank account: masked in the report unless the user may unmask.
SENSITIVE_KEYS = {"id_number": resident_id.mask, "bank_account": mask_account}
# Whatever its header says (a misspelt one, another kind's file, a column the clerk added): a cell that looks like a
# resident ID or a bank-card number is masked in the masked report too. The header decides only in addition.
LOOKS_LIKE_ID = re.compile(r"\d{17}[\dXx]")
LOOKS_LIKE_ACCOUNT = re.compile(r"\d{12,30}")


def mask_by_content(value):
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    text = "".join(str(value).split())
    if LOOKS_LIKE_ID.fullmatch(text):
        return resident_id.mask(text)
    if LOOKS_LIKE_ACCOUNT.fullmatch(text):
        return mask_account(text)
    return value


def error_report_path(batch: ImportBatch, *, unmask: bool) -> str:
    variant = "clear" if unmask else "masked"
    return f"imports/{batch.organization.code}/{batch.file_sha256}.{batch.pk}.errors.{variant}.xlsx"


def store_error_reports(batch: ImportBatch, table: Table | None, errors: list[RowError], columns: list[Column]) -> None:
    """Build both versions of the error report once, when the file is refused, and keep them (encrypted at rest)."""
    for unmask in (False, True):
        path = error_report_path(batch, unmask=unmask)
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(error_report_workbook(batch, table, errors, columns, unmask=unmask)))


def stored_error_report(batch: ImportBatch, *, unmask: bool) -> bytes | None:
    path = error_report_path(batch, unmask=unmask)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        return stored.read()


@official
def error_report_workbook(
    batch: ImportBatch, table: Table | None, errors: list[RowError], columns: list[Column], *, unmask: bool = False
) -> bytes:
    """The clerk's own rows and columns under their original row numbers, with an 错误说明 column and the rows in
    error highlighted; problems of the whole file or of its header on a sheet of their own.

    With `unmask` (users who may see full numbers) the ID and account columns are in clear, and the corrected report
    can be uploaded again as it is (原行号 and 错误说明 are ignored on upload); otherwise they are masked and the
    report says to correct the original file.
    """
    header_row = table.header_row if table is not None else 1
    by_row: dict[int, list[str]] = {}
    whole_file: list[str] = []
    for error in errors:
        if error.row == 0 or (error.row == header_row and table is not None):
            whole_file.append(str(error))
            continue
        message = f"{error.message}（{error.detail}）" if unmask and error.detail else error.message
        text = f"[{error.column}] {message}" if error.column else message
        by_row.setdefault(error.row, []).append(text)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("错误报告")
    if unmask:
        sheet.append(
            [_("改正标红的行后，可以直接上传本文件（“原行号”“错误说明”两列会被忽略）。") + PERSONAL_DATA_NOTICE]
        )
    else:
        sheet.append(
            [
                _("本报告中的身份证号、银行账号已脱敏，不能直接重新上传：请按“原行号”在原文件中改正后重新上传。")
                + PERSONAL_DATA_NOTICE
            ]
        )
    if table is not None:
        header = [_("原行号"), *table.headers, _("错误说明")]
        widths = [display_width(value) for value in header]
        append_row(sheet, header)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        known = known_headers(columns)
        maskers = {}
        if not unmask:
            for index, header in enumerate(table.headers):
                key = known.get(normalize_header(header)) if header else None
                if key in SENSITIVE_KEYS:
                    maskers[index] = SENSITIVE_KEYS[key]
        totals = [(number, cells) for number, _label, cells in table.totals]
        for number, cells in sorted([*table.rows, *totals], key=lambda row: row[0]):
            messages = by_row.get(number)
            shown = [maskers[i](str(c)) if i in maskers and c not in (None, "") else c for i, c in enumerate(cells)]
            if not unmask:
                shown = [mask_by_content(c) for c in shown]
            values = [number, *shown, "；".join(messages) if messages else ""]
            widths = [max(width, display_width(value)) for width, value in zip(widths, values, strict=False)]
            append_row(sheet, values)
            if messages:
                for cell in sheet[sheet.max_row]:
                    cell.fill = ERROR_FILL
        sheet.freeze_panes = "B3"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(widths))}{sheet.max_row}"
        print_setup(sheet, title_rows="2:2")
    if whole_file or table is None:
        overview = workbook.create_sheet(_("整个文件的问题"))
        overview.append([_("问题")])
        for message in whole_file:
            append_row(overview, [message])
    return workbook_bytes(workbook)
