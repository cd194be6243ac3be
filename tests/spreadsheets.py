"""Real .xlsx and .csv files, built the way Excel and WPS save them."""

import io

from openpyxl import Workbook

DISBURSEMENT_HEADERS = [
    "序号",
    "姓名",
    "身份证号",
    "发放类型",
    "金额（元）",
    "发放日期",
    "发放方式",
    "银行账号",
    "资金来源",
    "备注",
]


def xlsx(headers: list, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list, rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(str(v) for v in headers)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
