"""The columns of an upload kind, how a clerk's header is matched to them, and reading a row cell by cell."""

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from imports.cells import CellError
from imports.errors import RowError

if TYPE_CHECKING:
    from imports.tables import Table


# A row refused for what lies in another organisation's data: the uploader learns only this, finance the detail.
def not_accepted_here() -> str:
    return _("该行不能接受。原因涉及其他单位的数据，请联系自治区总工会财务人员查看。")


# The error report's own columns: a corrected report can be uploaded again as it is.
REPORT_COLUMNS = ("原行号", "错误说明")


def normalize_header(header: str) -> str:
    """身份证号码 / 身份证号码  / 金额(元) / 金额（元） / *姓名 / “金额\n（元）” compare equal to their template forms:
    full-width and half-width forms folded (NFKC), every blank and line break removed, brackets unified, the
    required-field marks some templates carry dropped."""
    text = unicodedata.normalize("NFKC", str(header))
    text = "".join(text.split()).replace("*", "").replace("※", "")
    return text.replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = True  # must the column be present (a cell may still be optional)
    help: str = ""
    allowed: tuple[str, ...] = ()  # the values a drop-down in the template offers
    aliases: tuple[str, ...] = ()  # other headers in real use for this column (shown on the explanation sheet)
    sample: Any = ""  # the value the explanation sheet's sample row shows


def known_headers(columns: list[Column]) -> dict[str, str]:
    """Normalised header → column key, for every header and alias ('' for the error report's own columns)."""
    known = {normalize_header(name): "" for name in REPORT_COLUMNS}
    for column in columns:
        for name in (column.header, *column.aliases):
            known[normalize_header(name)] = column.key
    return known


@dataclass
class RowReader:
    """Reads one data row cell by cell, collecting a RowError per bad cell instead of stopping at the first."""

    number: int
    cells: dict[str, Any]
    headers: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    formulas: frozenset[str] = frozenset()  # keys of the cells that hold a formula

    def get(self, key: str, parse: Callable[[Any], Any], *args, **kwargs) -> Any:
        if key in self.formulas:
            self.errors.append(
                RowError(self.number, self.headers[key], _("该单元格是公式，只接受数值：请复制后“选择性粘贴 → 数值”。"))
            )
            return None
        try:
            return parse(self.cells.get(key), *args, **kwargs)
        except CellError as exc:
            self.errors.append(RowError(self.number, self.headers[key], str(exc)))
            return None

    def fail(self, key: str | None, message: str, detail: str = "") -> None:
        self.errors.append(RowError(self.number, self.headers.get(key, "") if key else "", message, detail))

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ColumnMap:
    positions: dict[str, int]  # column key → 0-based position in the file
    errors: list[RowError]  # a missing required column, a column given twice
    unknown: list[str]  # headers that are no column of this upload: not imported, named in the preview


def map_columns(table: "Table", columns: list[Column]) -> ColumnMap:
    """Which position each known column sits in; a missing required or repeated column is an error of the header
    row, and a header that names no column is reported (not imported) rather than refusing the file."""
    known = known_headers(columns)
    by_key = {column.key: column for column in columns}
    positions: dict[str, int] = {}
    errors, unknown = [], []
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = known.get(normalize_header(header))
        if key is None:
            unknown.append(header)
            continue
        if not key:
            continue  # 原行号 / 错误说明 of an error report
        if key in positions:
            errors.append(
                RowError(
                    table.header_row,
                    header,
                    _("与“{other}”是同一列（{column}），出现了两次。").format(
                        other=table.headers[positions[key]], column=by_key[key].header
                    ),
                )
            )
            continue
        positions[key] = index
    for column in columns:
        if column.required and column.key not in positions:
            also = "、".join(column.aliases)
            message = _("缺少该列。") if not also else _("缺少该列（列名也可写作：{also}）。").format(also=also)
            errors.append(RowError(table.header_row, column.header, message))
    return ColumnMap(positions, errors, unknown)


def unknown_columns_note(unknown: list[str]) -> str:
    return _("以下列不是本模板的列，未导入：{names}。").format(names="、".join(f"“{name}”" for name in unknown))


def rows(table: "Table", columns: list[Column], positions: dict[str, int]) -> Iterator[RowReader]:
    headers = {column.key: column.header for column in columns}
    at = {index: key for key, index in positions.items()}
    for number, cells in table.rows:
        in_formulas = table.formulas.get(number)
        yield RowReader(
            number=number,
            cells={key: cells[index] for key, index in positions.items()},
            headers=headers,
            formulas=frozenset(at[i] for i in in_formulas if i in at) if in_formulas else frozenset(),
        )
