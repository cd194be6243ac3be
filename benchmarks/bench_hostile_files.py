"""How fast hostile uploads are refused, and what they cost the server (run by hand).

    .venv/bin/python benchmarks/bench_hostile_files.py

Each file is read as an upload is (`imports.reader.read_table`: checks while streaming, then the parser in its
memory-limited child). Printed: the file's size, the time to the refusal, the message, and this process's peak
resident memory of the parser's child processes so far (the server process never holds the parse).
"""

import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _xlsx(sheet: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def files() -> dict[str, bytes]:
    from openpyxl import Workbook

    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    rows = b"<row><c><v>1</v></c></row>" * 5_000_000  # positions implied, as some generators write them
    workbook = Workbook()
    workbook.active["A1"] = "姓名"
    workbook.active["XFD1048576"] = "x"
    far = io.BytesIO()
    workbook.save(far)
    from tests.imports.test_sandbox import sheet_with_a_far_cell_in_the_middle

    return {
        "5,000,000 rows": _xlsx(head + rows + b"</sheetData></worksheet>"),
        "one cell at XFD1048576": far.getvalue(),
        "a cell at ZZ300000 behind a small declared range": sheet_with_a_far_cell_in_the_middle(),
    }


def main() -> None:
    import django

    django.setup()
    from imports.disbursements import COLUMNS
    from imports.errors import FileRefused
    from imports.reader import read_table

    print("| file | size | refused after | parser child peak RSS | message |")
    print("|---|---:|---:|---:|---|")
    for name, data in files().items():
        started = time.perf_counter()
        try:
            read_table(data, filename="x.xlsx", columns=COLUMNS)
            message = "(accepted?)"
        except FileRefused as refusal:
            message = str(refusal)[:60]
        elapsed = time.perf_counter() - started
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"| {name} | {len(data) / 1024:,.0f} KB | {elapsed:.2f} s | {child:.0f} MB | {message}… |")


if __name__ == "__main__":
    main()
