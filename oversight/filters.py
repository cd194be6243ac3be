import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.lists import SearchFilterSet, scoped
from funds.models import FiscalYear, Organization, Program
from oversight.choices import DuplicateDecision, DuplicateKind, ObjectionKind, ObjectionStatus, Receipt
from oversight.models import DuplicateCase, Objection, VerificationRound, Visit


class ObjectionFilterSet(SearchFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=scoped(Organization), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ObjectionKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ObjectionStatus.choices, empty_label=_("全部"))
    overdue = django_filters.BooleanFilter(label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        model = Objection
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("姓名 / 内容")

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status=ObjectionStatus.OPEN, deadline__lt=timezone.localdate())

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(
            Q(household__head_name__icontains=term) | Q(model_worker__name__icontains=term) | Q(content__icontains=term)
        )


class VerificationRoundFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(label=_("项目"), queryset=scoped(Program), empty_label=_("全部"))
    organization = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=scoped(Organization), empty_label=_("全部")
    )

    class Meta:
        model = VerificationRound
        fields: list[str] = []

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(name__icontains=term)


class VisitFilterSet(SearchFilterSet):
    receipt = django_filters.ChoiceFilter(
        label=_("是否收到"),
        choices=[("", _("未记录")), *Receipt.choices],
        empty_label=_("全部"),
        method="filter_receipt",
    )

    class Meta:
        model = Visit
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("姓名")

    def filter_receipt(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(receipt=value)

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(
            Q(disbursement__household__head_name__icontains=term) | Q(disbursement__model_worker__name__icontains=term)
        )


class DuplicateCaseFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label=_("疑似重复类型"), choices=DuplicateKind.choices, empty_label=_("全部"))
    decision = django_filters.ChoiceFilter(
        label=_("处理决定"), choices=DuplicateDecision.choices, empty_label=_("全部")
    )

    class Meta:
        model = DuplicateCase
        fields: list[str] = []

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(Q(description__icontains=term) | Q(reason__icontains=term))
