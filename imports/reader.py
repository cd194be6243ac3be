"""An uploaded file → the table of one upload kind: read in a sandbox (imports.workbooks), then located
(imports.tables). Every refusal is a `FileRefused` with a message a clerk can act on."""

from django.utils.translation import gettext as _

from imports.columns import Column
from imports.errors import FileRefused
from imports.limits import limit
from imports.sandbox import SandboxFailure, run_isolated
from imports.tables import Table, locate_table
from imports.workbooks import RawWorkbook, read_workbook

__all__ = ["Table", "read_table", "read_workbook_isolated"]


def read_workbook_isolated(data: bytes) -> RawWorkbook:
    """`read_workbook` in a memory- and time-limited child process (imports.sandbox)."""
    try:
        return run_isolated(
            read_workbook,
            data,
            memory_bytes=limit("IMPORT_PARSE_MEMORY_BYTES", 2 << 30),
            seconds=limit("IMPORT_PARSE_SECONDS", 300),
        )
    except SandboxFailure as failure:
        if failure.reason == "memory":
            raise FileRefused(
                _(
                    "读取文件时超出内存上限（文件中可能有远在表格以外的单元格或异常的格式）。"
                    "请把数据区域复制到新的工作簿，另存为 .xlsx 后重新上传。"
                )
            ) from None
        if failure.reason == "timeout":
            raise FileRefused(
                _("读取文件超时，文件可能过大或结构异常。请分批上传，或另存为新的 .xlsx 后重新上传。")
            ) from None
        raise RuntimeError(f"reading the upload failed: {failure}") from None


def read_table(data: bytes, *, filename: str, columns: list[Column], sheet: str = "") -> Table:
    """The table of an upload whose columns are `columns`; `sheet` names the sheet when several hold one."""
    return locate_table(read_workbook_isolated(data), columns, sheet=sheet)
