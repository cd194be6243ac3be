"""The bank batch file (代发文件) in a template's layout: the only place account numbers leave the app in clear."""

import csv
import io
from decimal import Decimal

import xlwt
from openpyxl import Workbook

from core.exports import workbook_bytes
from core.money import quantize
from payouts.choices import BatchField, FileFormat
from payouts.models import BankBatch, BankBatchLine

CONTENT_TYPES = {
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.XLS: "application/vnd.ms-excel",
    FileFormat.CSV: "text/csv",
    FileFormat.TXT: "text/plain",
}
# Columns a bank reads as text even where they look like numbers (a 19-digit account in a number cell loses digits).
TEXT_FIELDS = {BatchField.ACCOUNT, BatchField.PAYER_ACCOUNT, BatchField.ID_NUMBER, BatchField.PHONE}


def amount_text(amount: Decimal) -> str:
    """Exactly two decimals, never more: a hidden third decimal makes the bank's total differ from the file's."""
    return format(quantize(amount), "f")


def _value(batch: BankBatch, line: BankBatchLine, number: int, column: dict):
    field = column.get("field")
    payment = line.disbursement
    person = payment.household or payment.model_worker
    values = {
        BatchField.SERIAL: number,
        BatchField.PAYEE_NAME: line.payee_name,
        BatchField.ACCOUNT: line.account,
        BatchField.AMOUNT: quantize(line.amount),
        BatchField.ID_NUMBER: person.id_number if person is not None else "",
        BatchField.PAYEE_BANK: "",
        BatchField.PURPOSE: batch.purpose,
        BatchField.REMARK: f"{batch.number}-{line.sequence}",
        BatchField.PAYER_ACCOUNT: batch.payer_account,
        BatchField.PAYER_NAME: batch.payer_name,
        BatchField.PAYER_BANK: batch.payer_bank,
        BatchField.PROVINCE: "",
        BatchField.CITY: "",
        BatchField.PHONE: "",
        BatchField.FIXED: column.get("value", ""),
    }
    return values.get(field, "")


def batch_rows(batch: BankBatch) -> tuple[list[str], list[list]]:
    columns = batch.template.columns
    lines = batch.lines.select_related("disbursement__household", "disbursement__model_worker").order_by("sequence")
    rows = [[_value(batch, line, n, column) for column in columns] for n, line in enumerate(lines, start=1)]
    return [column["header"] for column in columns], rows


def batch_file(batch: BankBatch) -> tuple[bytes, str, str]:
    """(content, file extension, content type) of the batch's file in its template's format."""
    template = batch.template
    headers, rows = batch_rows(batch)
    fields = [column.get("field") for column in template.columns]
    fmt = FileFormat(template.file_format)
    if fmt == FileFormat.XLSX:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "代发明细"
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
            for cell, field in zip(sheet[sheet.max_row], fields, strict=True):
                if field == BatchField.AMOUNT:
                    cell.number_format = "0.00"
                elif field in TEXT_FIELDS:
                    cell.number_format = "@"
        data = workbook_bytes(workbook)
    elif fmt == FileFormat.XLS:
        workbook = xlwt.Workbook(encoding="utf-8")
        sheet = workbook.add_sheet("代发明细")
        money, text = xlwt.easyxf(num_format_str="0.00"), xlwt.easyxf(num_format_str="@")
        for col, header in enumerate(headers):
            sheet.write(0, col, header)
        for r, row in enumerate(rows, start=1):
            for col, (value, field) in enumerate(zip(row, fields, strict=True)):
                if field == BatchField.AMOUNT:
                    # xlwt writes binary doubles; the value is already quantized, so the cell shows exactly it.
                    sheet.write(r, col, float(value), money)
                else:
                    sheet.write(r, col, str(value), text if field in TEXT_FIELDS else xlwt.Style.default_style)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=template.delimiter or ",", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([amount_text(v) if f == BatchField.AMOUNT else v for v, f in zip(row, fields, strict=True)])
        data = buffer.getvalue().encode(template.encoding or "gbk", errors="strict")
    return data, fmt.value, CONTENT_TYPES[fmt]
