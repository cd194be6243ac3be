"""Read an uploaded `.xlsx` or `.csv` into header + rows, refusing hostile files before any parser sees them.

Checks, in order: size; the content (not the extension) says what the file is; for `.xlsx`, the zip is
walked entry by entry counting the bytes actually inflated (a zip bomb declares small sizes), limiting the
number of entries, and refusing DTD/entity declarations (XML entity attacks) and formula cells (values
only). Only then does python-calamine (Rust, ~10× faster than openpyxl) read the first sheet. CSV is
decoded as UTF-8 (with or without BOM), else GB18030 (what Excel on a Chinese system saves).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from imports.errors import FileRefused

CHUNK = 1 << 16
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Table:
    headers: list[str]
    # (spreadsheet row number, cells); the header is row 1, so data starts at row 2.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def read_table(data: bytes, *, filename: str) -> Table:
    max_bytes = limit("IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
    if len(data) > max_bytes:
        raise FileRefused(
            _("文件大小 {size} MB 超过上限 {limit} MB，请分批上传。").format(
                size=round(len(data) / 1048576, 1), limit=max_bytes // 1048576
            )
        )
    if not data.strip():
        raise FileRefused(_("文件是空的。"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 格式后上传。"))
    if data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise FileRefused(_("该文件不是电子表格，请上传 .xlsx 或 .csv 文件。"))
    return _read_csv(data)


def _scan_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRefused(_("文件已损坏，或不是有效的 .xlsx 文件。")) from None
    entries = archive.infolist()
    if len(entries) > limit("IMPORT_MAX_ZIP_ENTRIES", 500):
        raise FileRefused(_("文件结构异常（包含 {count} 个内部文件），已拒绝。").format(count=len(entries)))
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise FileRefused(_("该压缩文件不是 Excel 工作簿（.xlsx）。"))
    budget = limit("IMPORT_MAX_INFLATED_BYTES", 300 * 1024 * 1024)
    inflated = 0
    for entry in entries:
        is_xml = entry.filename.endswith((".xml", ".rels"))
        is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
        tail = b""
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > budget:
                        raise FileRefused(_("文件解压后超过 {mb} MB（疑似压缩炸弹），已拒绝。").format(mb=budget >> 20))
                    if is_xml:
                        window = tail + chunk
                        if DOCTYPE.search(window):
                            raise FileRefused(_("文件含有 XML 实体声明，存在安全风险，已拒绝。"))
                        if is_sheet and FORMULA_TAG.search(window):
                            raise _FormulaFound("formula")
                        tail = chunk[-16:]
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError):
            raise FileRefused(_("文件已损坏，或不是有效的 .xlsx 文件。")) from None


class _FormulaFound(FileRefused):
    """Raised by the scan; `_read_xlsx` turns it into a message naming the cells."""


def _locate_formulas(data: bytes) -> str:
    """Name the first formula cells, for the message (only on the refusal path, so openpyxl's speed is fine)."""
    from openpyxl import load_workbook

    cells = []
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    for row in workbook.worksheets[0].iter_rows():
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                cells.append(cell.coordinate)
                if len(cells) == 5:
                    break
        if len(cells) == 5:
            break
    workbook.close()
    return "、".join(cells)


def _read_xlsx(data: bytes) -> Table:
    try:
        _scan_zip(data)
    except _FormulaFound:
        where = _locate_formulas(data)
        raise FileRefused(
            _("文件含有公式（{cells}），只接受数值。请复制后“选择性粘贴 → 数值”再上传。").format(cells=where or "?")
        ) from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own error types for every kind of malformed workbook
        raise FileRefused(_("无法读取该 .xlsx 文件，文件可能已损坏。")) from None
    return _to_table(values)


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("无法识别文件编码，请以 UTF-8 或 GB18030 编码保存为 .csv，或上传 .xlsx。"))
    if "\x00" in text:
        raise FileRefused(_("文件含有空字符（NUL），不是文本格式的 .csv 文件。"))
    max_cell = limit("IMPORT_MAX_CELL_CHARS", 500)
    csv.field_size_limit(max_cell * 4 + 16)
    try:
        values = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileRefused(_("CSV 格式错误：{detail}。").format(detail=exc)) from None
    return _to_table(values)


def _to_table(values: list[list[Any]]) -> Table:
    max_rows = limit("IMPORT_MAX_ROWS", 200_000)
    non_empty = [(number, row) for number, row in enumerate(values, start=1) if any(_present(v) for v in row)]
    if not non_empty:
        raise FileRefused(_("文件没有任何内容。"))
    header_number, header = non_empty[0]
    if header_number != 1:
        raise FileRefused(_("第1行应为表头（列名），请删除表头上方的空行或标题行。"))
    rows = non_empty[1:]
    if not rows:
        raise FileRefused(_("文件只有表头，没有数据行。"))
    if len(rows) > max_rows:
        raise FileRefused(
            _("文件有 {count} 行数据，超过单次上限 {limit} 行，请分批上传。").format(count=len(rows), limit=max_rows)
        )
    headers = [str(h).strip() if h is not None else "" for h in header]
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, rows=[(n, list(r[: len(headers)]) + [""] * (len(headers) - len(r))) for n, r in rows])


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")
