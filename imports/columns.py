from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from imports.cells import CellError
from imports.errors import RowError
from imports.reader import Table


def normalize_header(header: str) -> str:
    return header.strip().replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = True  # must the column be present (a cell may still be optional)
    help: str = ""
    allowed: tuple[str, ...] = ()  # the values a drop-down in the template offers
    aliases: tuple[str, ...] = ()


@dataclass
class RowReader:
    """Reads one data row cell by cell, collecting a RowError per bad cell instead of stopping at the first."""

    number: int
    cells: dict[str, Any]
    headers: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def get(self, key: str, parse: Callable[[Any], Any], *args, **kwargs) -> Any:
        try:
            return parse(self.cells.get(key), *args, **kwargs)
        except CellError as exc:
            self.errors.append(RowError(self.number, self.headers[key], str(exc)))
            return None

    def fail(self, key: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(key, "") if key else "", message))

    @property
    def ok(self) -> bool:
        return not self.errors


def map_columns(table: Table, columns: list[Column]) -> tuple[dict[str, int], list[RowError]]:
    """Which position each known column sits in; every missing, unknown or repeated header is an error."""
    wanted = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted[normalize_header(name)] = column
    positions: dict[str, int] = {}
    errors = []
    for index, header in enumerate(table.headers):
        column = wanted.get(normalize_header(header))
        if column is None:
            if header:
                errors.append(RowError(1, header, _("不是本模板的列，请使用下载的模板。")))
            continue
        if column.key in positions:
            errors.append(RowError(1, header, _("该列出现了两次。")))
        positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.header, _("缺少该列。")))
    return positions, errors


def rows(table: Table, columns: list[Column], positions: dict[str, int]) -> Iterator[RowReader]:
    headers = {column.key: column.header for column in columns}
    for number, cells in table.rows:
        yield RowReader(number=number, cells={key: cells[index] for key, index in positions.items()}, headers=headers)
