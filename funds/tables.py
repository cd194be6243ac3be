"""The money lists' tables (django-tables2): sortable columns, and how each exports (core.lists)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn
from core.lists import ExportableTable, StatusColumn
from core.money import format_yuan, ratio
from funds.models import AllocationPlan, Appropriation, Disbursement, FundsReceipt, PaymentStandard


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
    status = StatusColumn(verbose_name=_("状态"))
    batch = tables.Column(verbose_name=_("导入批次"), accessor="batch_id")

    export_kinds = {"paid_on": "date", "amount": "money", "batch": "number"}

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

    def render_paid_on(self, record: Disbursement) -> str:
        # The way to one payment's page (its reversal, its batch).
        return format_html(
            '<a href="{}">{}</a>', reverse("funds:payment_detail", args=[record.pk]), record.paid_on.isoformat()
        )

    @staticmethod
    def _person(record: Disbursement):
        return record.household if record.household_id else record.model_worker

    def render_payee(self, record: Disbursement) -> str:
        person = self._person(record)
        if record.household_id:
            return format_html(
                '<a href="{}">{}</a>', reverse("people:household_detail", args=[person.pk]), person.head_name
            )
        return format_html('<a href="{}">{}</a>', reverse("people:model_worker_detail", args=[person.pk]), person.name)

    def render_id_number(self, record: Disbursement) -> str:
        return self._person(record).id_number_masked

    def render_amount(self, value) -> str:
        return format_yuan(value)

    def render_funding_source(self, record: Disbursement) -> str:
        return record.get_funding_source_display()

    def render_payment_method(self, record: Disbursement) -> str:
        return record.get_payment_method_display()

    def render_batch(self, value) -> str:
        if not value:
            return "—"
        return format_html('<a href="{}">#{}</a>', reverse("imports:import_detail", args=[value]), value)

    def export_value(self, record: Disbursement, name: str):
        if name == "payee":
            person = self._person(record)
            return person.head_name if record.household_id else person.name
        if name == "id_number":
            return self.render_id_number(record)
        if name in ("funding_source", "payment_method", "status"):
            return getattr(record, f"get_{name}_display")()
        if name == "amount":
            return record.amount
        return super().export_value(record, name)


class PaymentStandardTable(ExportableTable):
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="fiscal_year__year")
    program = tables.Column(
        verbose_name=_("项目"),
        accessor="payment_kind__program__short_name",
        order_by="payment_kind__program__sort_order",
    )
    payment_kind = tables.Column(verbose_name=_("发放类型"), accessor="payment_kind__name")
    organization = tables.Column(
        verbose_name=_("适用单位"),
        accessor="organization__short_name",
        order_by="organization__code",
        default=_("全区"),
    )
    standard = tables.Column(verbose_name=_("标准"), empty_values=(), orderable=False)
    fixed_amount = tables.Column(verbose_name=_("固定金额（元）"), visible=False)
    min_amount = tables.Column(verbose_name=_("最低金额（元）"), visible=False)
    max_amount = tables.Column(verbose_name=_("最高金额（元）"), visible=False)
    basis = tables.Column(verbose_name=_("依据"))
    edit = tables.Column(verbose_name="", empty_values=(), orderable=False)

    export_kinds = {"fixed_amount": "money", "min_amount": "money", "max_amount": "money", "fiscal_year": "number"}

    class Meta:
        model = PaymentStandard
        fields = ()
        sequence = (
            "fiscal_year",
            "program",
            "payment_kind",
            "organization",
            "standard",
            "fixed_amount",
            "min_amount",
            "max_amount",
            "basis",
            "edit",
        )
        order_by = ("-fiscal_year", "program", "payment_kind")
        attrs = {"class": "data", "id": "standards"}
        empty_text = _("尚未设置补助标准。")
        exclude_from_export = ("standard", "edit")

    def render_standard(self, record: PaymentStandard) -> str:
        return record.describe()

    def render_edit(self, record: PaymentStandard) -> str:
        if self.request is None or not self.request.user.has_perm("funds.change_paymentstandard"):
            return ""
        return format_html('<a href="{}">{}</a>', reverse("funds:standard_edit", args=[record.pk]), _("修改"))

    def export_columns(self):
        # The export states the amounts in their own columns (numbers a spreadsheet can add up), not "3000–12000 元".
        exported = []
        for column in self.base_columns:
            if column in self.Meta.exclude_from_export:
                continue
            header = str(self.base_columns[column].verbose_name)
            exported.append((column, ExportColumn(header, self.export_kinds.get(column, "text"))))
        return exported

    def export_value(self, record: PaymentStandard, name: str):
        if name == "organization":
            return record.organization.short_name if record.organization_id else "全区"
        return super().export_value(record, name)


NUMBER = {"td": {"class": "num"}, "th": {"class": "num"}}


class SubmissionBoardTable(ExportableTable):
    """报送进度: one row per organisation (funds.selectors.submission_board)."""

    organization = tables.Column(
        verbose_name=_("单位"), accessor="organization__short_name", order_by="organization__sort_order"
    )
    allocated = tables.Column(verbose_name=_("已分配（元）"), attrs=NUMBER)
    disbursed_from_plans = tables.Column(verbose_name=_("财政资金已发放（元）"), attrs=NUMBER)
    disbursed = tables.Column(verbose_name=_("全部已发放（元）"), attrs=NUMBER)
    payment_rows = tables.Column(verbose_name=_("发放笔数"), attrs=NUMBER)
    persons_paid = tables.Column(verbose_name=_("发放对象数"), attrs=NUMBER)
    roster = tables.Column(verbose_name=_("名册人数"), attrs=NUMBER)
    surveys = tables.Column(verbose_name=_("生活状况调查"), attrs=NUMBER)
    roster_updated_at = tables.DateTimeColumn(verbose_name=_("名册更新"), format="Y-m-d")
    refused_pending = tables.Column(verbose_name=_("未通过待重报"), attrs=NUMBER)
    state = tables.Column(verbose_name=_("状态"), empty_values=(), order_by=("disbursed_from_plans",))

    export_kinds = {
        "allocated": "money",
        "disbursed_from_plans": "money",
        "disbursed": "money",
        "payment_rows": "count",
        "persons_paid": "count",
        "roster": "count",
        "surveys": "count",
        "roster_updated_at": "datetime",
        "refused_pending": "count",
    }

    class Meta:
        attrs = {"class": "data", "id": "submission-board"}
        empty_text = _("没有可显示的单位。")
        order_by = ("organization",)

    def render_allocated(self, value) -> str:
        return format_yuan(value)

    def render_disbursed_from_plans(self, value) -> str:
        return format_yuan(value)

    def render_disbursed(self, value) -> str:
        return format_yuan(value)

    def render_surveys(self, value, record) -> str:
        return "—" if value is None else f"{value:,} / {record.roster:,}"

    def render_state(self, record) -> str:
        return format_html('<span class="status status-{}">{}</span>', record.state.value, record.state.label)

    def export_value(self, record, name: str):
        if name == "organization":
            return record.organization.short_name
        if name == "state":
            return str(record.state.label)
        value = getattr(record, name)
        return "" if value is None else value


class AllocationPlanTable(ExportableTable):
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="fiscal_year__year")
    program = tables.Column(verbose_name=_("项目"), accessor="program__short_name", order_by="program__sort_order")
    title = tables.Column(verbose_name=_("方案名称"))
    plan_date = tables.DateColumn(verbose_name=_("方案日期"), format="Y-m-d")
    approval_reference = tables.Column(verbose_name=_("批复文号"))
    visible_total = tables.Column(verbose_name=_("分配金额（元）"), attrs=NUMBER)
    status = StatusColumn(verbose_name=_("状态"))
    created_by = tables.Column(verbose_name=_("编制人"), order_by=("created_by__username",))
    approved_by = tables.Column(verbose_name=_("审批人"), order_by=("approved_by__username",))
    approved_at = tables.DateTimeColumn(verbose_name=_("审批时间"), format="Y-m-d H:i")

    export_kinds = {"fiscal_year": "number", "plan_date": "date", "visible_total": "money", "approved_at": "datetime"}

    class Meta:
        model = AllocationPlan
        fields = ()
        sequence = (
            "fiscal_year",
            "program",
            "title",
            "plan_date",
            "approval_reference",
            "visible_total",
            "status",
            "created_by",
            "approved_by",
            "approved_at",
        )
        order_by = ("-fiscal_year", "program", "-plan_date")
        attrs = {"class": "data", "id": "plans"}
        empty_text = _("没有符合条件的分配方案。")

    def render_title(self, record: AllocationPlan) -> str:
        return format_html('<a href="{}">{}</a>', reverse("funds:plan_detail", args=[record.pk]), record.title)

    def render_visible_total(self, value) -> str:
        return format_yuan(value)

    def export_value(self, record: AllocationPlan, name: str):
        match name:
            case "status":
                return record.get_status_display()
            case "created_by" | "approved_by":
                return str(getattr(record, name) or "")
            case "visible_total":
                return record.visible_total
        return super().export_value(record, name)


class AppropriationTable(ExportableTable):
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="fiscal_year__year")
    program = tables.Column(verbose_name=_("项目"), accessor="program__short_name", order_by="program__sort_order")
    document = tables.Column(verbose_name=_("预算文件"))
    initial_budget = tables.Column(verbose_name=_("年初预算数（元）"), attrs=NUMBER)
    annual_budget = tables.Column(verbose_name=_("全年预算数（元）"), attrs=NUMBER)
    received = tables.Column(verbose_name=_("实际到位（元）"), attrs=NUMBER)
    received_rate = tables.Column(verbose_name=_("到位率"), empty_values=(), orderable=False, attrs=NUMBER)
    view = tables.Column(verbose_name="", empty_values=(), orderable=False)

    export_kinds = {
        "fiscal_year": "number",
        "initial_budget": "money",
        "annual_budget": "money",
        "received": "money",
        "received_rate": "percent",
    }

    class Meta:
        model = Appropriation
        fields = ()
        sequence = (
            "fiscal_year",
            "program",
            "document",
            "initial_budget",
            "annual_budget",
            "received",
            "received_rate",
            "view",
        )
        order_by = ("-fiscal_year", "program")
        attrs = {"class": "data", "id": "appropriations"}
        empty_text = _("尚未录入预算。")
        exclude_from_export = ("view",)

    def render_initial_budget(self, value) -> str:
        return format_yuan(value)

    render_annual_budget = render_initial_budget
    render_received = render_initial_budget

    def render_received_rate(self, record: Appropriation) -> str:
        rate = ratio(record.received or 0, record.annual_budget or 0)
        return "—" if rate is None else f"{rate * 100:.2f}%"

    def render_view(self, record: Appropriation) -> str:
        return format_html('<a href="{}">{}</a>', reverse("funds:appropriation_detail", args=[record.pk]), _("查看"))

    def export_value(self, record: Appropriation, name: str):
        if name == "received_rate":
            rate = ratio(record.received or 0, record.annual_budget or 0)
            return "" if rate is None else rate
        return super().export_value(record, name)


class FundsReceiptTable(ExportableTable):
    received_on = tables.DateColumn(verbose_name=_("到位日期"), format="Y-m-d")
    fiscal_year = tables.Column(verbose_name=_("年度"), accessor="appropriation__fiscal_year__year")
    program = tables.Column(
        verbose_name=_("项目"),
        accessor="appropriation__program__short_name",
        order_by="appropriation__program__sort_order",
    )
    source = tables.Column(verbose_name=_("资金来源"))
    amount = tables.Column(verbose_name=_("到位金额（元）"), attrs=NUMBER)
    document = tables.Column(verbose_name=_("拨款文号"))
    note = tables.Column(verbose_name=_("备注"))
    created_by = tables.Column(verbose_name=_("录入人"), order_by=("created_by__username",))
    appropriation = tables.Column(verbose_name="", empty_values=(), orderable=False)

    export_kinds = {"received_on": "date", "fiscal_year": "number", "amount": "money"}

    class Meta:
        model = FundsReceipt
        fields = ()
        sequence = (
            "received_on",
            "fiscal_year",
            "program",
            "source",
            "amount",
            "document",
            "note",
            "created_by",
            "appropriation",
        )
        order_by = ("-received_on", "-pk")
        attrs = {"class": "data", "id": "receipts"}
        empty_text = _("没有符合条件的到位记录。")
        exclude_from_export = ("appropriation",)

    def render_source(self, record: FundsReceipt) -> str:
        return record.get_source_display()

    def render_amount(self, value) -> str:
        return format_yuan(value)

    def render_appropriation(self, record: FundsReceipt) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("funds:appropriation_detail", args=[record.appropriation_id]), _("预算")
        )

    def export_value(self, record: FundsReceipt, name: str):
        match name:
            case "source":
                return record.get_source_display()
            case "created_by":
                return str(record.created_by)
        return super().export_value(record, name)
