import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.lists import SearchFilterSet, scoped
from funds.models import FiscalYear, Organization, Program
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome
from payouts.models import BankBatch, BankBatchLine


class BankBatchFilterSet(SearchFilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    program = django_filters.ModelChoiceFilter(label=_("项目"), queryset=scoped(Program), empty_label=_("全部"))
    organization = django_filters.ModelChoiceFilter(
        label=_("发放单位"), queryset=scoped(Organization), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=BankBatchStatus.choices, empty_label=_("全部"))

    class Meta:
        model = BankBatch
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("批次号 / 用途")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(Q(number__icontains=term) | Q(purpose__icontains=term))


class ReturnedPaymentFilterSet(SearchFilterSet):
    """退票 across batches: what finance still has to re-issue or recover."""

    fiscal_year = django_filters.ModelChoiceFilter(
        field_name="batch__fiscal_year", label=_("预算年度"), queryset=scoped(FiscalYear), empty_label=_("全部")
    )
    organization = django_filters.ModelChoiceFilter(
        field_name="batch__organization", label=_("发放单位"), queryset=scoped(Organization), empty_label=_("全部")
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("退票处理"), choices=[c for c in FollowUp.choices if c[0]], empty_label=_("全部")
    )

    class Meta:
        model = BankBatchLine
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("户名 / 批次号")
        self.queryset = self.queryset.filter(outcome=LineOutcome.FAILED)

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(Q(payee_name__icontains=term) | Q(batch__number__icontains=term))


class BankBatchLineFilterSet(SearchFilterSet):
    """One batch's lines: by what the bank said and what became of a 退票."""

    outcome = django_filters.ChoiceFilter(label=_("代发结果"), choices=LineOutcome.choices, empty_label=_("全部"))
    follow_up = django_filters.ChoiceFilter(
        label=_("退票处理"), choices=[c for c in FollowUp.choices if c[0]], empty_label=_("全部")
    )

    class Meta:
        model = BankBatchLine
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("户名")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        return queryset.filter(payee_name__icontains=term)
