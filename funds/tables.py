"""The money lists' tables (django-tables2): sortable columns, and how each exports (core.lists)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.lists import ExportableTable
from core.money import format_yuan
from funds.models import Disbursement


class DisbursementTable(ExportableTable):
    paid_on = tables.DateColumn(verbose_name=_("发放日期"), format="Y-m-d")
    payee = tables.Column(verbose_name=_("姓名"), empty_values=(), orderable=False)
    id_number = tables.Column(verbose_name=_("身份证号（脱敏）"), empty_values=(), orderable=False)
    paying_organization = tables.Column(
        verbose_name=_("发放单位"), accessor="paying_organization__short_name", order_by="paying_organization__code"
    )
    program = tables.Column(verbose_name=_("项目"), accessor="program__short_name", order_by="program__sort_order")
    payment_kind = tables.Column(verbose_name=_("发放类型"), accessor="payment_kind__name")
    amount = tables.Column(verbose_name=_("金额（元）"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    funding_source = tables.Column(verbose_name=_("资金来源"))
    payment_method = tables.Column(verbose_name=_("发放方式"))
    account_masked = tables.Column(verbose_name=_("收款账号（脱敏）"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    batch = tables.Column(verbose_name=_("导入批次"), accessor="batch_id")

    export_kinds = {"paid_on": "date", "amount": "money", "batch": "count"}

    class Meta:
        model = Disbursement
        fields = ()
        sequence = (
            "paid_on",
            "payee",
            "id_number",
            "paying_organization",
            "program",
            "payment_kind",
            "amount",
            "funding_source",
            "payment_method",
            "account_masked",
            "status",
            "batch",
        )
        order_by = ("-paid_on", "-pk")
        attrs = {"class": "data", "id": "payments"}
        empty_text = _("没有符合条件的发放记录。")

    @staticmethod
    def _person(record: Disbursement):
        return record.household if record.household_id else record.model_worker

    def render_payee(self, record: Disbursement) -> str:
        person = self._person(record)
        return person.head_name if record.household_id else person.name

    def render_id_number(self, record: Disbursement) -> str:
        return self._person(record).id_number_masked

    def render_amount(self, value) -> str:
        return format_yuan(value)

    def render_funding_source(self, record: Disbursement) -> str:
        return record.get_funding_source_display()

    def render_payment_method(self, record: Disbursement) -> str:
        return record.get_payment_method_display()

    def render_status(self, record: Disbursement) -> str:
        return format_html('<span class="status status-{}">{}</span>', record.status, record.get_status_display())

    def render_batch(self, value) -> str:
        if not value:
            return "—"
        return format_html('<a href="{}">#{}</a>', reverse("imports:import_detail", args=[value]), value)

    def export_value(self, record: Disbursement, name: str):
        if name in ("payee", "id_number"):
            return getattr(self, f"render_{name}")(record)
        if name in ("funding_source", "payment_method", "status"):
            return getattr(record, f"get_{name}_display")()
        if name == "amount":
            return record.amount
        return super().export_value(record, name)
