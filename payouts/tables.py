import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.lists import ExportableTable, StatusColumn
from core.money import format_yuan
from payouts.models import BankBatch, BankBatchLine

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class BankBatchTable(ExportableTable):
    number = tables.Column(verbose_name=_("批次号"))
    organization = tables.Column(
        verbose_name=_("发放单位"), accessor="organization__short_name", order_by="organization__code"
    )
    program = tables.Column(verbose_name=_("项目"), accessor="program__short_name", order_by="program__sort_order")
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="fiscal_year__year")
    purpose = tables.Column(verbose_name=_("汇款用途"))
    line_count = tables.Column(verbose_name=_("笔数"), attrs=NUMBER)
    total_amount = tables.Column(verbose_name=_("合计金额（元）"), attrs=NUMBER)
    status = StatusColumn(verbose_name=_("状态"))
    prepared_by = tables.Column(verbose_name=_("制单人"), order_by=("prepared_by__username",))
    prepared_at = tables.DateTimeColumn(verbose_name=_("制单时间"), format="Y-m-d H:i")
    released_by = tables.Column(verbose_name=_("放行人"), order_by=("released_by__username",))

    export_kinds = {"fiscal_year": "number", "line_count": "number", "total_amount": "money", "prepared_at": "datetime"}

    class Meta:
        model = BankBatch
        fields = ()
        sequence = (
            "number",
            "organization",
            "program",
            "fiscal_year",
            "purpose",
            "line_count",
            "total_amount",
            "status",
            "prepared_by",
            "prepared_at",
            "released_by",
        )
        order_by = ("-prepared_at",)
        attrs = {"class": "data", "id": "bank-batches"}

    def render_total_amount(self, value) -> str:
        return format_yuan(value)

    def render_number(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("payouts:batch_detail", args=[record.pk]), value)


class ReturnedPaymentTable(ExportableTable):
    batch = tables.Column(verbose_name=_("代发批次"), accessor="batch__number")
    sequence = tables.Column(verbose_name=_("序号"), attrs=NUMBER)
    organization = tables.Column(verbose_name=_("发放单位"), accessor="batch__organization__short_name")
    payee_name = tables.Column(verbose_name=_("收款人户名"))
    account_masked = tables.Column(verbose_name=_("收款账号（脱敏）"), orderable=False)
    amount = tables.Column(verbose_name=_("金额（元）"), attrs=NUMBER)
    bank_reason = tables.Column(verbose_name=_("银行反馈原因"))
    follow_up = StatusColumn(verbose_name=_("退票处理"))
    follow_up_note = tables.Column(verbose_name=_("处理说明"))

    export_kinds = {"sequence": "number", "amount": "money"}

    class Meta:
        model = BankBatchLine
        fields = ()
        sequence = (
            "batch",
            "sequence",
            "organization",
            "payee_name",
            "account_masked",
            "amount",
            "bank_reason",
            "follow_up",
            "follow_up_note",
        )
        order_by = ("batch", "sequence")
        attrs = {"class": "data", "id": "returned-payments"}

    def render_amount(self, value) -> str:
        return format_yuan(value)

    def render_batch(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("payouts:batch_detail", args=[record.batch_id]), value)


class BankBatchLineTable(ExportableTable):
    sequence = tables.Column(verbose_name=_("序号"), attrs=NUMBER)
    payee_name = tables.Column(verbose_name=_("收款人户名"))
    account_masked = tables.Column(verbose_name=_("收款账号（脱敏）"), orderable=False)
    amount = tables.Column(verbose_name=_("金额（元）"), attrs=NUMBER)
    outcome = StatusColumn(verbose_name=_("代发结果"))
    bank_reason = tables.Column(verbose_name=_("银行反馈原因"))
    settled_on = tables.DateColumn(verbose_name=_("入账日期"), format="Y-m-d")
    follow_up = StatusColumn(verbose_name=_("退票处理"))
    reissue = tables.Column(verbose_name=_("补发记录"), accessor="reissue_id")

    export_kinds = {"sequence": "number", "amount": "money", "settled_on": "date", "reissue": "number"}

    class Meta:
        model = BankBatchLine
        fields = ()
        sequence = (
            "sequence",
            "payee_name",
            "account_masked",
            "amount",
            "outcome",
            "bank_reason",
            "settled_on",
            "follow_up",
            "reissue",
        )
        order_by = ("sequence",)
        attrs = {"class": "data", "id": "batch-lines"}

    def render_payee_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("funds:payment_detail", args=[record.disbursement_id]), value)

    def render_amount(self, value) -> str:
        return format_yuan(value)

    def render_follow_up(self, value, record, bound_column):
        return StatusColumn.render(bound_column.column, value, record, bound_column) if record.follow_up else ""

    def render_reissue(self, value):
        return format_html('<a href="{}">#{}</a>', reverse("funds:payment_detail", args=[value]), value)
