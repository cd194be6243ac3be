import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.lists import ExportableTable, StatusColumn
from core.money import format_yuan
from oversight.models import DuplicateCase, Objection, VerificationRound, Visit

NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class ObjectionTable(ExportableTable):
    received_on = tables.DateColumn(verbose_name=_("受理日期"), format="Y-m-d")
    kind = tables.Column(verbose_name=_("类型"), accessor="get_kind_display", order_by="kind")
    person = tables.Column(verbose_name=_("对象"), empty_values=(), orderable=False)
    organization = tables.Column(verbose_name=_("单位"), accessor="organization__short_name")
    channel = tables.Column(verbose_name=_("渠道"), accessor="get_channel_display", order_by="channel")
    content = tables.Column(verbose_name=_("内容"))
    handler = tables.Column(verbose_name=_("承办人"))
    deadline = tables.DateColumn(verbose_name=_("办结期限"), format="Y-m-d")
    status = StatusColumn(verbose_name=_("状态"))

    export_kinds = {"received_on": "date", "deadline": "date"}

    class Meta:
        model = Objection
        fields = ()
        sequence = (
            "received_on",
            "kind",
            "person",
            "organization",
            "channel",
            "content",
            "handler",
            "deadline",
            "status",
        )
        order_by = ("status", "deadline")
        attrs = {"class": "data", "id": "objections"}
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}

    def render_person(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("oversight:objection_detail", args=[record.pk]), record.person
        )

    def render_deadline(self, value, record):
        if record.is_overdue:
            return format_html('<strong class="error">{} {}</strong>', value.isoformat(), _("已逾期"))
        return value.isoformat()

    def export_value(self, record, name):
        if name == "person":
            return str(record.person)
        return super().export_value(record, name)


class VerificationRoundTable(ExportableTable):
    name = tables.Column(verbose_name=_("名称"))
    organization = tables.Column(verbose_name=_("单位"), accessor="organization__short_name")
    program = tables.Column(verbose_name=_("项目"), accessor="program__short_name")
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="fiscal_year__year")
    population = tables.Column(verbose_name=_("总体人数"), attrs=NUMBER)
    sample_size = tables.Column(verbose_name=_("样本量"), attrs=NUMBER)
    recorded = tables.Column(verbose_name=_("已记录"), attrs=NUMBER)
    created_by = tables.Column(verbose_name=_("创建人"))

    export_kinds = {"fiscal_year": "number", "population": "number", "sample_size": "number", "recorded": "number"}

    class Meta:
        model = VerificationRound
        fields = ()
        sequence = (
            "name",
            "organization",
            "program",
            "fiscal_year",
            "population",
            "sample_size",
            "recorded",
            "created_by",
        )
        attrs = {"class": "data", "id": "rounds"}

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("oversight:round_detail", args=[record.pk]), value)


class VisitTable(ExportableTable):
    payee = tables.Column(verbose_name=_("姓名"), empty_values=(), orderable=False)
    payment_kind = tables.Column(verbose_name=_("发放类型"), accessor="disbursement__payment_kind__name")
    amount = tables.Column(verbose_name=_("金额（元）"), accessor="disbursement__amount", attrs=NUMBER)
    paid_on = tables.DateColumn(verbose_name=_("发放日期"), accessor="disbursement__paid_on", format="Y-m-d")
    receipt = StatusColumn(verbose_name=_("是否收到"))
    satisfied = tables.Column(verbose_name=_("是否满意"))
    visited_on = tables.DateColumn(verbose_name=_("回访日期"), format="Y-m-d")
    remarks = tables.Column(verbose_name=_("备注"))

    export_kinds = {"amount": "money", "paid_on": "date", "visited_on": "date"}

    class Meta:
        model = Visit
        fields = ()
        sequence = ("payee", "payment_kind", "amount", "paid_on", "receipt", "satisfied", "visited_on", "remarks")
        attrs = {"class": "data", "id": "visits"}

    def render_payee(self, record):
        payment = record.disbursement
        person = payment.household or payment.model_worker
        name = person.head_name if payment.household_id else person.name
        return format_html('<a href="{}">{}</a>', reverse("oversight:visit_detail", args=[record.pk]), name)

    def render_amount(self, value):
        return format_yuan(value)

    def render_satisfied(self, value):
        return _("满意") if value else _("不满意")

    def export_value(self, record, name):
        if name == "satisfied":
            return "" if record.satisfied is None else str(self.render_satisfied(record.satisfied))
        if name == "payee":
            payment = record.disbursement
            return payment.household.head_name if payment.household_id else payment.model_worker.name
        return super().export_value(record, name)


class DuplicateCaseTable(ExportableTable):
    found_at = tables.DateTimeColumn(verbose_name=_("发现时间"), format="Y-m-d H:i")
    kind = tables.Column(verbose_name=_("疑似重复类型"), accessor="get_kind_display", order_by="kind")
    description = tables.Column(verbose_name=_("说明"))
    decision = StatusColumn(verbose_name=_("处理决定"))
    reason = tables.Column(verbose_name=_("理由"))
    decided_by = tables.Column(verbose_name=_("处理人"))

    export_kinds = {"found_at": "datetime"}

    class Meta:
        model = DuplicateCase
        fields = ()
        sequence = ("found_at", "kind", "description", "decision", "reason", "decided_by")
        attrs = {"class": "data", "id": "duplicates"}

    def render_description(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("oversight:duplicate_detail", args=[record.pk]), value)
