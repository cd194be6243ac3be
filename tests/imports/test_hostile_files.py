"""Malformed and hostile uploads get a clear message, never a server error, and nothing is written."""

import io
import zipfile

import pytest

from imports.disbursements import COLUMNS
from imports.errors import FileRefused
from imports.reader import read_table
from tests.spreadsheets import xlsx


def refused(data: bytes, filename: str = "x.xlsx") -> str:
    with pytest.raises(FileRefused) as excinfo:
        read_table(data, filename=filename, columns=COLUMNS)
    return str(excinfo.value)


def minimal_xlsx_zip(extra: dict[str, bytes], sheet: bytes = b"<worksheet/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in extra.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_not_a_spreadsheet_despite_its_name():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert "不是电子表格" in refused(png, "发放明细.xlsx")


def test_an_unreadable_ole2_file_is_refused_with_advice():
    """An OLE2 file calamine cannot read (a broken .xls, a WPS .et it does not know, a Word file): save as .xlsx."""
    assert "另存为” .xlsx" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.et")


def test_empty_file():
    assert "空的" in refused(b"", "a.csv")


def test_header_only():
    assert "没有数据行" in refused(xlsx(["姓名", "身份证号"], []))


def test_zip_bomb_counted_by_bytes_actually_inflated(settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 1024 * 1024
    bomb = minimal_xlsx_zip({"xl/sharedStrings.xml": b"0" * (8 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024  # small on the wire
    assert "压缩炸弹" in refused(bomb)


def test_too_many_zip_entries(settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 50
    flood = minimal_xlsx_zip({f"xl/media/{i}.bin": b"x" for i in range(60)})
    assert "内部文件" in refused(flood)


def test_xml_entity_declaration_is_refused():
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><worksheet/>'
    assert "XML 实体" in refused(minimal_xlsx_zip({}, sheet=laughs))


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in refused(buffer.getvalue())


def test_truncated_xlsx():
    data = xlsx(["姓名"], [["张三"]])
    assert "损坏" in refused(data[: len(data) // 2])


def test_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    assert "超过上限" in refused(b"a,b\r\n" + b"1,2\r\n" * 400, "a.csv")


def test_too_many_rows(settings):
    settings.IMPORT_MAX_ROWS = 10
    assert "超过单次上限 10 行" in refused(xlsx(["姓名", "身份证号"], [[f"人{i}", ""] for i in range(11)]))


def test_nul_bytes_in_a_csv():
    assert "空字符" in refused("姓名\r\n张\x00三\r\n".encode(), "a.csv")


def test_unreadable_encoding():
    assert "编码" in refused(b"\xff\xfe\xfa\xfb\x81\x30" * 10, "a.csv")


def test_the_row_limit_stops_the_read_while_the_sheet_streams_past(settings, monkeypatch):
    """5 million rows zip to a few hundred KB; they are counted as they inflate and refused at the limit, before the
    parser builds anything (here the parser would fail the test if it were reached)."""
    import imports.workbooks

    settings.IMPORT_MAX_ROWS = 1000
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 20001))
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    data = minimal_xlsx_zip({}, sheet=sheet + rows + b"</sheetData></worksheet>")

    def never(*args, **kwargs):
        raise AssertionError("the parser must not be reached")

    monkeypatch.setattr(imports.workbooks.CalamineWorkbook, "from_filelike", never)
    assert "超过单次上限 1000 行" in refused(data)


def test_a_csv_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 100
    assert "超过单次上限 100 行" in refused(b"a,b\r\n" * 100_000, "a.csv")


def test_a_password_protected_workbook_is_named_as_such():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    assert "打开密码" in refused(ole2, "加密.xlsx")


def test_an_enormous_cell_is_refused_at_its_row():
    from imports import cells

    with pytest.raises(cells.CellError, match="内容过长"):
        cells.text("长" * 10_000)
