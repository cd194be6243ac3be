"""The import history's table (django-tables2): every upload, its state and its figures."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.lists import ExportableTable, StatusColumn
from core.money import format_yuan
from funds.choices import ImportKind
from funds.models import ImportBatch

MONEY_KINDS = (ImportKind.DISBURSEMENTS, ImportKind.DEMO)


class ImportBatchTable(ExportableTable):
    batch = tables.Column(verbose_name=_("批次"), accessor="pk")
    created_at = tables.DateTimeColumn(verbose_name=_("上传时间"), format="Y-m-d H:i")
    organization = tables.Column(
        verbose_name=_("单位"), accessor="organization__short_name", order_by="organization__code"
    )
    kind = tables.Column(verbose_name=_("内容"), empty_values=())
    file_name = tables.Column(verbose_name=_("文件名"))
    row_count = tables.Column(verbose_name=_("行数"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    total_amount = tables.Column(
        verbose_name=_("合计金额（元）"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}, empty_values=()
    )
    status = StatusColumn(verbose_name=_("状态"))
    created_by = tables.Column(verbose_name=_("上传人"), accessor="created_by__username")

    export_kinds = {"batch": "number", "created_at": "datetime", "row_count": "count", "total_amount": "money"}

    class Meta:
        model = ImportBatch
        fields = ()
        sequence = (
            "batch",
            "created_at",
            "organization",
            "kind",
            "file_name",
            "row_count",
            "total_amount",
            "status",
            "created_by",
        )
        order_by = ("-created_at", "-pk")
        attrs = {"class": "data", "id": "imports"}
        empty_text = _("尚无导入记录。")

    def render_batch(self, value) -> str:
        return format_html('<a href="{}">#{}</a>', reverse("imports:import_detail", args=[value]), value)

    def _kind(self, record: ImportBatch) -> str:
        text = record.get_kind_display()
        if record.program_id:
            text += f"（{record.program.short_name} {record.fiscal_year.year}）"
        return text

    def render_kind(self, record: ImportBatch) -> str:
        return self._kind(record)

    def render_total_amount(self, record: ImportBatch) -> str:
        return format_yuan(record.total_amount) if record.kind in MONEY_KINDS else "—"

    def export_value(self, record: ImportBatch, name: str):
        if name == "kind":
            return self._kind(record)
        if name == "status":
            return record.get_status_display()
        if name == "total_amount":
            return record.total_amount if record.kind in MONEY_KINDS else ""
        return super().export_value(record, name)
