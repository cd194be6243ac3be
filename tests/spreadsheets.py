"""Real .xlsx and .csv files, built the way Excel and WPS save them (no Django here: the browser journeys use it)."""

import datetime
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


def spring_row(worker, serial: int = 1, **overrides) -> list:
    row = {
        "序号": serial,
        "姓名": getattr(worker, "name", None) or getattr(worker, "head_name", ""),
        "身份证号": worker.id_number,
        "发放类型": "春节慰问金",
        "金额（元）": 1000,
        "发放日期": datetime.date(2024, 11, 28),
        "发放方式": "银行代发",
        "银行账号": "6228480012345678901",
        "资金来源": "",
        "备注": "",
    }
    row.update(overrides)
    return list(row.values())
