import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import caches

from core.money import ZERO
from imports.errors import RowError

ProgressCallback = Callable[[int, int], None]
SAMPLE_SIZE = 20  # rows shown as they will be written
SAMPLE_LIMIT = 220  # with the rows that carry a warning, at most this many (the batch's summary stays small)


@dataclass
class Outcome:
    """What validating a file found: the rows ready to write, every error, the flags, and the preview totals."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    # Each updated row as it was before (core.changes.snapshot), in to_update's order: the rosters' history.
    before_update: list[dict] = field(default_factory=list)
    unchanged: int = 0
    row_count: int = 0
    total_amount: Decimal = ZERO
    # For the preview: label → (rows, amount in yuan)
    totals: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    # The same per funding source (payments only)
    source_totals: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    # The same amounts keyed by FundingSource value (not by label), for the checks a confirm repeats under a lock.
    amount_by_source: dict[str, Decimal] = field(default_factory=dict)
    # What the preview shows of the rows to be written: the first SAMPLE_SIZE and every row with a warning.
    sample_headers: list[str] = field(default_factory=list)
    sample: list[list] = field(default_factory=list)
    # For a sub-unit's payments: its approved allocation, what it had paid, this file, and what is left after it.
    allocation: dict[str, Decimal] | None = None
    # Sentences the preview states: choices the uploader made and how many rows they touched.
    notes: list[str] = field(default_factory=list)
    # The table read from the file (None when the file was refused, or the kept parse was used): the error report's rows
    table: Any = None
    # Rebuilt from the kept parse under an unchanged watermark (imports.disbursements.replan): the batch keeps what
    # its preview recorded (samples, warnings, totals); only a refusal of the money caps is recorded over it.
    from_preview: bool = False
    # What the checks depended on, as the preview found it (imports.disbursements.watermark).
    watermark: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_total(self, label: str, amount: Decimal = ZERO) -> None:
        count, total = self.totals.get(label, (0, ZERO))
        self.totals[label] = (count + 1, total + amount)

    def add_source_total(self, label: str, amount: Decimal) -> None:
        count, total = self.source_totals.get(label, (0, ZERO))
        self.source_totals[label] = (count + 1, total + amount)

    def order_totals(self, labels: list[str], source_labels: list[str]) -> None:
        """Put the preview's rows in the order the program sets (payment kinds, then funding sources)."""
        self.totals = {label: self.totals[label] for label in labels if label in self.totals}
        self.source_totals = {
            label: self.source_totals[label] for label in source_labels if label in self.source_totals
        }

    def take_sample(self, row: int, cells: list, *, warned: bool = False) -> None:
        if len(self.sample) < SAMPLE_SIZE or (warned and len(self.sample) < SAMPLE_LIMIT):
            self.sample.append([row, *("" if cell is None else str(cell) for cell in cells)])

    def summary(self) -> dict:
        return {
            "sample_headers": [str(header) for header in self.sample_headers],
            "sample": self.sample,
            "allocation": {key: str(value) for key, value in self.allocation.items()} if self.allocation else None,
            "create": len(self.to_create),
            "update": len(self.to_update),
            "unchanged": self.unchanged,
            "rows": self.row_count,
            "total_amount": str(self.total_amount),
            "totals": {label: [count, str(total)] for label, (count, total) in self.totals.items()},
            "sources": {label: [count, str(total)] for label, (count, total) in self.source_totals.items()},
            "notes": self.notes,
            "watermark": self.watermark,
        }


def progress_key(batch_id: int) -> str:
    return f"import-progress-{batch_id}"


def report_progress(batch_id: int, phase: str, done: int, total: int) -> None:
    """Progress lives in the shared cache, not the batch row: the import's own transaction is not committed
    until it ends, so a row update would be invisible to the page polling it."""
    # `at` is the heartbeat: a batch whose worker died stops beating (imports.services.import_batch_release_if_stale).
    progress = {"phase": phase, "done": done, "total": total, "at": time.time()}
    caches["default"].set(progress_key(batch_id), progress, timeout=24 * 3600)


def read_progress(batch_id: int) -> dict | None:
    return caches["default"].get(progress_key(batch_id))
