"""The parser runs where its crash cannot take the server down: out of memory, out of time, or aborted (as calamine
does when it cannot allocate), the child dies and the upload is refused with a message."""

import io
import os
import time
import zipfile

import pytest

from imports.disbursements import COLUMNS
from imports.errors import FileRefused
from imports.reader import read_table
from imports.sandbox import SandboxFailure, run_isolated


def _abort():
    os.abort()


def _allocate():
    return bytearray(8 << 30)


def _sleep():
    time.sleep(30)


def _refuse():
    raise FileRefused("不行")


def test_the_result_comes_back_and_a_refusal_is_raised_again_here():
    assert run_isolated(sum, [1, 2, 3], memory_bytes=256 << 20, seconds=10) == 6
    with pytest.raises(FileRefused, match="不行"):
        run_isolated(_refuse, memory_bytes=256 << 20, seconds=10)


@pytest.mark.parametrize(("function", "reason"), [(_abort, "memory"), (_allocate, "memory"), (_sleep, "timeout")])
def test_a_child_that_aborts_runs_out_of_memory_or_of_time_leaves_this_process_standing(function, reason):
    with pytest.raises(SandboxFailure) as failure:
        run_isolated(function, memory_bytes=256 << 20, seconds=2)
    assert failure.value.reason == reason


def sheet_with_a_far_cell_in_the_middle() -> bytes:
    """Declared A1:B3, last cell A3 — but row 2 holds a cell at ZZ300000: only the parser finds it."""
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B3"/>'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\xe5\x8f\xb7</t></is></c></row>'
        b'<row r="2"><c r="ZZ300000" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="3"><c r="A3" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
        b'name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
        b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_grid_the_checks_cannot_see_is_refused_by_the_parsers_memory_limit(settings):
    settings.IMPORT_PARSE_MEMORY_BYTES = 512 << 20
    with pytest.raises(FileRefused, match="超出内存上限"):
        read_table(sheet_with_a_far_cell_in_the_middle(), filename="x.xlsx", columns=COLUMNS)
