from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem, addressed as a clerk finds it in Excel: the row number and the column header.

    `row` 0 means the file as a whole (size, format, totals); `column` '' means the whole row.
    """

    row: int
    column: str
    message: str
    # What only the federation's finance staff may read (the other organisation a person is registered with):
    # telling the uploading operator would let any clerk probe other unions' rosters by ID number.
    detail: str = ""

    def __str__(self) -> str:
        if self.row == 0:
            return _("整个文件：{message}").format(message=self.message)
        if not self.column:
            return _("第{row}行：{message}").format(row=self.row, message=self.message)
        return _("第{row}行 [{column}] {message}").format(row=self.row, column=self.column, message=self.message)

    def as_dict(self) -> dict:
        return asdict(self)


class FileRefused(Exception):
    """The file cannot be read at all (not a spreadsheet, too large, hostile); nothing was parsed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.error = RowError(0, "", message)
