"""The rosters' tables (django-tables2): ID numbers masked, each person linked to their payments."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.lists import ExportableTable


class _RosterTable(ExportableTable):
    id_number = tables.Column(verbose_name=_("身份证号（脱敏）"), empty_values=(), orderable=False)
    organization = tables.Column(
        verbose_name=_("所属单位"), accessor="organization__short_name", order_by="organization__code"
    )
    payments = tables.Column(verbose_name=_("发放记录"), empty_values=(), orderable=False)
    person_filter = ""

    def render_id_number(self, record) -> str:
        return record.id_number_masked

    def render_payments(self, record) -> str:
        return format_html(
            '<a href="{}?{}={}">{}</a>', reverse("funds:payment_list"), self.person_filter, record.pk, _("查看")
        )

    def export_value(self, record, name: str):
        if name == "id_number":
            return record.id_number_masked
        field = name if hasattr(record, f"get_{name}_display") else None
        if field:
            return getattr(record, f"get_{field}_display")()
        return super().export_value(record, name)


class HouseholdTable(_RosterTable):
    archive_no = tables.Column(verbose_name=_("档案编号"))
    head_name = tables.Column(verbose_name=_("户主姓名"), linkify=("people:household_detail", {"pk": tables.A("pk")}))
    worker_category = tables.Column(verbose_name=_("职工类别"))
    hardship_type = tables.Column(verbose_name=_("困难类型"))
    member_count = tables.Column(verbose_name=_("家庭人口"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    archived_on = tables.DateColumn(verbose_name=_("建档日期"), format="Y-m-d")
    status = tables.Column(verbose_name=_("状态"))
    lifted_out_on = tables.DateColumn(verbose_name=_("脱困日期"), format="Y-m-d")
    person_filter = "household"
    export_kinds = {"member_count": "count", "archived_on": "date", "lifted_out_on": "date"}

    class Meta:
        model = Household
        fields = ()
        sequence = (
            "archive_no",
            "head_name",
            "id_number",
            "organization",
            "worker_category",
            "hardship_type",
            "member_count",
            "archived_on",
            "status",
            "lifted_out_on",
            "payments",
        )
        order_by = ("organization", "archive_no")
        attrs = {"class": "data", "id": "households"}
        empty_text = _("没有符合条件的困难职工档案。")
        exclude_from_export = ("payments",)


class ModelWorkerTable(_RosterTable):
    name = tables.Column(verbose_name=_("姓名"), linkify=("people:model_worker_detail", {"pk": tables.A("pk")}))
    honour_type = tables.Column(verbose_name=_("荣誉类型"))
    award_year = tables.Column(verbose_name=_("获评年份"))
    status = tables.Column(verbose_name=_("状态"))
    person_filter = "model_worker"
    export_kinds = {"award_year": "number"}

    class Meta:
        model = ModelWorker
        fields = ()
        sequence = ("name", "id_number", "organization", "honour_type", "award_year", "status", "payments")
        order_by = ("organization", "name")
        attrs = {"class": "data", "id": "model-workers"}
        empty_text = _("没有符合条件的劳模。")
        exclude_from_export = ("payments",)


class LivingSurveyTable(ExportableTable):
    year = tables.Column(verbose_name=_("调查年度"), accessor="fiscal_year__year")
    name = tables.Column(
        verbose_name=_("姓名"),
        accessor="model_worker__name",
        linkify=("people:model_worker_detail", {"pk": tables.A("model_worker_id")}),
    )
    id_number = tables.Column(verbose_name=_("身份证号（脱敏）"), empty_values=(), orderable=False)
    organization = tables.Column(
        verbose_name=_("所属单位"),
        accessor="model_worker__organization__short_name",
        order_by="model_worker__organization__code",
    )
    surveyed_on = tables.DateColumn(verbose_name=_("调查日期"), format="Y-m-d")
    condition = tables.Column(verbose_name=_("生活状况"))
    monthly_income = tables.Column(
        verbose_name=_("月收入（元）"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    surveyor = tables.Column(verbose_name=_("调查人"))
    export_kinds = {"year": "number", "surveyed_on": "date", "monthly_income": "money"}

    class Meta:
        model = LivingSurvey
        fields = ()
        sequence = (
            "year",
            "name",
            "id_number",
            "organization",
            "surveyed_on",
            "condition",
            "monthly_income",
            "surveyor",
        )
        order_by = ("-year", "organization", "name")
        attrs = {"class": "data", "id": "living-surveys"}
        empty_text = _("没有符合条件的生活状况调查。")

    def render_id_number(self, record) -> str:
        return record.model_worker.id_number_masked

    def export_value(self, record, name: str):
        if name == "id_number":
            return record.model_worker.id_number_masked
        if name == "condition":
            return record.get_condition_display()
        return super().export_value(record, name)
