"""The filters of the money lists (django-filter), every choice narrowed to what the user may see."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from beneficiaries import resident_id
from beneficiaries.models import resident_id_digest
from core.forms import DateInput
from core.lists import SearchFilterSet, scoped
from funds.choices import DisbursementStatus, FundingSource, PaymentMethod, PlanStatus
from funds.models import (
    AllocationPlan,
    Appropriation,
    Disbursement,
    FiscalYear,
    FundsReceipt,
    Organization,
    PaymentKind,
    PaymentStandard,
    Program,
)


def _kinds(request):
    return scoped(PaymentKind)(request).select_related("program")


class DisbursementFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(label=_("项目"), queryset=scoped(Program), empty_label=_("全部"))
    paying_organization = django_filters.ModelChoiceFilter(
        label=_("发放单位"), queryset=scoped(Organization), empty_label=_("全部")
    )
    payment_kind = django_filters.ModelChoiceFilter(label=_("发放类型"), queryset=_kinds, empty_label=_("全部"))
    funding_source = django_filters.ChoiceFilter(
        label=_("资金来源"), choices=FundingSource.choices, empty_label=_("全部")
    )
    payment_method = django_filters.ChoiceFilter(
        label=_("发放方式"), choices=PaymentMethod.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DisbursementStatus.choices, empty_label=_("全部"))
    paid_from = django_filters.DateFilter(
        field_name="paid_on", lookup_expr="gte", label=_("发放日期从"), widget=DateInput
    )
    paid_to = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("至"), widget=DateInput)
    batch = django_filters.NumberFilter(field_name="batch_id", label=_("导入批次号"))
    # A roster row's "发放记录" link: one person's payments (hidden; the search box finds people by name or ID).
    household = django_filters.NumberFilter(field_name="household_id", widget=forms.HiddenInput)
    model_worker = django_filters.NumberFilter(field_name="model_worker_id", widget=forms.HiddenInput)

    class Meta:
        model = Disbursement
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("姓名 / 完整身份证号")
        self.filters["payment_kind"].field.label_from_instance = lambda k: f"{k.program.short_name} · {k.name}"

    @classmethod
    def protect(cls, term: str) -> str | None:
        number = resident_id.normalize(term)
        return resident_id.mask(number) if len(number) == 18 else None

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        # A whole ID number is found through its keyed digest (the number itself is stored encrypted); anything
        # else is a name.
        number = resident_id.normalize(term)
        if len(number) == 18:
            digest = resident_id_digest(number)
            return queryset.filter(Q(household__id_number_digest=digest) | Q(model_worker__id_number_digest=digest))
        return queryset.filter(Q(household__head_name__icontains=term) | Q(model_worker__name__icontains=term))


class PaymentStandardFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(
        label=_("项目"), field_name="payment_kind__program", queryset=scoped(Program), empty_label=_("全部")
    )
    payment_kind = django_filters.ModelChoiceFilter(label=_("发放类型"), queryset=_kinds, empty_label=_("全部"))
    organization = django_filters.ModelChoiceFilter(
        label=_("适用单位"), queryset=scoped(Organization), empty_label=_("全部")
    )

    class Meta:
        model = PaymentStandard
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("依据")
        self.filters["payment_kind"].field.label_from_instance = lambda k: f"{k.program.short_name} · {k.name}"

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(basis__icontains=term)


class AllocationPlanFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(label=_("项目"), queryset=scoped(Program), empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices, empty_label=_("全部"))

    class Meta:
        model = AllocationPlan
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("方案名称 / 批复文号")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=term) | Q(approval_reference__icontains=term))


class AppropriationFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(label=_("项目"), queryset=scoped(Program), empty_label=_("全部"))

    class Meta:
        model = Appropriation
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("预算文件")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(document__icontains=term)


class FundsReceiptFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), field_name="appropriation__fiscal_year", queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(
        label=_("项目"), field_name="appropriation__program", queryset=scoped(Program), empty_label=_("全部")
    )
    source = django_filters.ChoiceFilter(label=_("资金来源"), choices=FundingSource.choices, empty_label=_("全部"))
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("到位日期从"), widget=DateInput
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("至"), widget=DateInput
    )

    class Meta:
        model = FundsReceipt
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("拨款文号 / 备注")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(Q(document__icontains=term) | Q(note__icontains=term))
