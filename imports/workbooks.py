"""Read an uploaded file into its sheets of cells, refusing hostile files before any parser sees them.

What the file is comes from its content, never its name: `.xlsx` (a zip), legacy `.xls` / WPS `.et` (OLE2, which
python-calamine reads where it can), or `.csv` (UTF-8 with or without BOM, else GB18030 as Excel saves it on a
Chinese system). For `.xlsx` the zip is walked entry by entry before calamine opens it: the bytes actually
inflated are counted (a zip bomb declares small sizes), the number of entries is limited, DTD/entity declarations
are refused, each sheet's declared and last cell are checked against the row and column limits (a single cell at
XFD1048576 would make the dense grid hundreds of GB), rows are counted as they stream past (so a 5-million-row
sheet is refused at the limit, not after parsing it), and formula cells are located so that each becomes an error
of its own row and column. This module runs inside `imports.sandbox`: whatever still goes wrong in the parser
cannot take the server down.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from imports.errors import FileRefused
from imports.limits import limit

CHUNK = 1 << 16
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ROOT_PREFIX = re.compile(rb"<(?:(\w+):)?worksheet[\s>]")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d{1,8})?(?::([A-Z]{1,3})(\d{1,8}))?"')
LAST_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,8})"')
CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Rows a sheet may have above its header and below its data (title, blank and total rows) beyond the row limit.
ROW_MARGIN = 50


@dataclass
class RawSheet:
    name: str
    hidden: bool
    # rows[i] is spreadsheet row i + 1, as the cells read (calamine types, or text for CSV)
    rows: list[list[Any]]
    # cells holding a formula: (row number, 0-based column)
    formulas: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class RawWorkbook:
    sheets: list[RawSheet]
    kind: str  # "xlsx", "xls" or "csv"


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def read_workbook(data: bytes) -> RawWorkbook:
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
    if data.startswith(OLE2):
        return _read_ole2(data)
    if data.startswith(NOT_SPREADSHEETS):
        raise FileRefused(_("该文件不是电子表格，请上传 .xlsx、.xls 或 .csv 文件。"))
    return _read_csv(data)


def _too_many_rows(count: int, *, stopped: bool = False) -> FileRefused:
    """`stopped`: the read stopped at `count` rows, as soon as the limit was passed (the file has at least those)."""
    max_rows = limit("IMPORT_MAX_ROWS", 200_000)
    if stopped:
        return FileRefused(
            _("文件超过单次上限 {limit} 行（读到第 {count} 行即停止），请分批上传。").format(
                count=count, limit=max_rows
            )
        )
    return FileRefused(
        _("文件有 {count} 行数据，超过单次上限 {limit} 行，请分批上传。").format(count=count, limit=max_rows)
    )


def _check_extent(sheet: str, last_column: str | None, last_row: int | None, declared: str = "") -> None:
    """`declared`: the sheet's declared used range (its <dimension>), named in the message; else the last cell."""
    max_rows = limit("IMPORT_MAX_ROWS", 200_000) + ROW_MARGIN
    max_columns = limit("IMPORT_MAX_COLUMNS", 100)
    too_wide = last_column is not None and column_number(last_column) > max_columns
    too_long = last_row is not None and last_row > max_rows
    if too_wide or too_long:
        where = declared or f"{last_column or ''}{last_row or ''}"
        raise FileRefused(
            _(
                "工作表“{sheet}”的{what}到了 {where}，超过上限（{rows} 行、{columns} 列），已拒绝。"
                "请删除表格以外的单元格（或复制数据区域到新工作簿）后重新上传。"
            ).format(
                sheet=sheet,
                what=_("使用范围") if declared else _("最后一个单元格"),
                where=where,
                rows=max_rows,
                columns=max_columns,
            )
        )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """worksheet part name (xl/worksheets/sheet1.xml) → the sheet's name as the clerk sees it."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "").lstrip("/")
        targets[rel.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
    names = {}
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{REL_NS}id"))
        if part:
            names[part] = sheet.get("name", "")
    return names


def _scan_sheet(stream, sheet: str) -> bool:
    """Stream one worksheet's XML: entity declarations, its extent, its row count. True if it holds formulas."""
    max_rows = limit("IMPORT_MAX_ROWS", 200_000) + ROW_MARGIN
    first = stream.read(CHUNK)
    root = ROOT_PREFIX.search(first)
    prefix = root.group(1) + b":" if root and root.group(1) else b""
    formula_tags = (b"<" + prefix + b"f>", b"<" + prefix + b"f ", b"<" + prefix + b"f/")
    row_tags = (b"<" + prefix + b"row ", b"<" + prefix + b"row>")
    dimension = DIMENSION.search(first)
    if dimension:
        last_column = (dimension.group(3) or dimension.group(1) or b"").decode() or None
        last_row = dimension.group(4) or dimension.group(2)
        declared = dimension.group(0).split(b'ref="', 1)[1].rstrip(b'"').decode()
        _check_extent(sheet, last_column, int(last_row) if last_row else None, declared)
    rows = 0
    formulas = False
    tail = b""
    chunk = first
    while chunk:
        window = tail + chunk
        if DOCTYPE.search(window):
            raise FileRefused(_("文件含有 XML 实体声明，存在安全风险，已拒绝。"))
        if not formulas and any(t in window for t in formula_tags):
            formulas = True
        rows += chunk.count(row_tags[0]) + chunk.count(row_tags[1])
        if rows > max_rows:
            raise _too_many_rows(rows, stopped=True)
        tail = chunk[-64:]
        last = chunk
        chunk = stream.read(CHUNK)
    refs = LAST_REF.findall((tail + last)[-4096:]) if first else []
    if refs:
        column, row = refs[-1]
        _check_extent(sheet, column.decode(), int(row))
    return formulas


def _formula_cells(archive: zipfile.ZipFile, part: str) -> set[tuple[int, int]]:
    """Where the formulas are (only for sheets that have any: a full parse, off the common path)."""
    found = set()
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag.endswith("}c") or element.tag == "c":
                if any(child.tag.endswith("}f") or child.tag == "f" for child in element):
                    match = CELL_REF.fullmatch(element.get("r", ""))
                    if match:
                        found.add((int(match.group(2)), column_number(match.group(1)) - 1))
                element.clear()
    return found


def _scan_zip(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Refuse what must not reach the parser; return each sheet's formula cells (by sheet name)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRefused(_("文件已损坏，或不是有效的 .xlsx 文件。")) from None
    entries = archive.infolist()
    if len(entries) > limit("IMPORT_MAX_ZIP_ENTRIES", 500):
        raise FileRefused(_("文件结构异常（包含 {count} 个内部文件），已拒绝。").format(count=len(entries)))
    names = {entry.filename for entry in entries}
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise FileRefused(_("文件设有打开密码，请取消密码后重新上传。"))
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise FileRefused(_("该压缩文件不是 Excel 工作簿（.xlsx）。"))
    sheet_names = _sheet_names(archive)
    budget = limit("IMPORT_MAX_INFLATED_BYTES", 300 * 1024 * 1024)
    inflated = 0
    with_formulas = []
    for entry in entries:
        is_xml = entry.filename.endswith((".xml", ".rels"))
        is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
        try:
            with archive.open(entry) as raw:
                stream = _Counting(raw, budget - inflated)
                if is_sheet:
                    sheet = sheet_names.get(entry.filename, entry.filename)
                    if _scan_sheet(stream, sheet):
                        with_formulas.append(entry.filename)
                else:
                    tail = b""
                    while chunk := stream.read(CHUNK):
                        if is_xml and DOCTYPE.search(tail + chunk):
                            raise FileRefused(_("文件含有 XML 实体声明，存在安全风险，已拒绝。"))
                        tail = chunk[-16:]
                inflated += stream.count
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise FileRefused(_("文件已损坏，或不是有效的 .xlsx 文件。")) from None
    formulas = {}
    for part in with_formulas:
        try:
            formulas[sheet_names.get(part, part)] = _formula_cells(archive, part)
        except ElementTree.ParseError:
            raise FileRefused(_("文件已损坏，或不是有效的 .xlsx 文件。")) from None
    return formulas


class _Counting:
    """A zip member stream that counts what it inflates and stops at the budget (zip bombs declare small sizes)."""

    def __init__(self, raw, budget: int):
        self.raw, self.budget, self.count = raw, budget, 0

    def read(self, size: int) -> bytes:
        chunk = self.raw.read(size)
        self.count += len(chunk)
        if self.count > self.budget:
            mb = limit("IMPORT_MAX_INFLATED_BYTES", 300 * 1024 * 1024) >> 20
            raise FileRefused(_("文件解压后超过 {mb} MB（疑似压缩炸弹），已拒绝。").format(mb=mb))
        return chunk


def _calamine_sheets(workbook: CalamineWorkbook, formulas: dict[str, set]) -> list[RawSheet]:
    max_rows = limit("IMPORT_MAX_ROWS", 200_000) + ROW_MARGIN
    sheets = []
    for metadata in workbook.sheets_metadata:
        if metadata.typ != SheetTypeEnum.WorkSheet:
            continue
        rows = workbook.get_sheet_by_name(metadata.name).to_python(skip_empty_area=False)
        if len(rows) > max_rows:
            raise _too_many_rows(len(rows))
        sheets.append(
            RawSheet(
                name=metadata.name,
                hidden=metadata.visible != SheetVisibleEnum.Visible,
                rows=rows,
                formulas=formulas.get(metadata.name, set()),
            )
        )
    return sheets


def _read_xlsx(data: bytes) -> RawWorkbook:
    formulas = _scan_zip(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return RawWorkbook(_calamine_sheets(workbook, formulas), "xlsx")
    except FileRefused:
        raise
    except Exception:  # calamine raises its own error types for every kind of malformed workbook
        raise FileRefused(_("无法读取该 .xlsx 文件，文件可能已损坏。")) from None


def _read_ole2(data: bytes) -> RawWorkbook:
    """Excel 97–2003 (.xls), still common in prefecture offices; WPS .et where calamine can read it."""
    if "EncryptedPackage".encode("utf-16-le") in data:  # an .xlsx with an opening password is an OLE2 container
        raise FileRefused(_("文件设有打开密码，请取消密码后重新上传。"))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return RawWorkbook(_calamine_sheets(workbook, {}), "xls")
    except FileRefused:
        raise
    except PasswordError:
        raise FileRefused(_("文件设有打开密码，请取消密码后重新上传。")) from None
    except Exception:
        raise FileRefused(
            _("无法读取该文件。若是 WPS 表格（.et）或旧版 Excel 文件，请在 WPS 或 Excel 中“另存为” .xlsx 后上传。")
        ) from None


def _read_csv(data: bytes) -> RawWorkbook:
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
    max_rows = limit("IMPORT_MAX_ROWS", 200_000) + ROW_MARGIN
    csv.field_size_limit(max_cell * 4 + 16)
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > max_rows:
                raise _too_many_rows(len(rows), stopped=True)
    except csv.Error as exc:
        raise FileRefused(_("CSV 格式错误：{detail}。").format(detail=exc)) from None
    return RawWorkbook([RawSheet(name="", hidden=False, rows=rows)], "csv")
