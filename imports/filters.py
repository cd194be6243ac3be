"""The import history's filters (django-filter), every choice narrowed to what the user may see."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.lists import SearchFilterSet, scoped
from funds.choices import ImportKind, ImportStatus
from funds.models import FiscalYear, ImportBatch, Organization, Program


class ImportBatchFilterSet(SearchFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("单位"),
        queryset=scoped(Organization),
        empty_label=_("全部"),
    )
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("预算年度"),
        queryset=scoped(FiscalYear),
        empty_label=_("全部"),
    )
    program = django_filters.ModelChoiceFilter(
        label=_("项目"),
        queryset=scoped(Program),
        empty_label=_("全部"),
    )
    kind = django_filters.ChoiceFilter(label=_("内容"), choices=ImportKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ImportStatus.choices, empty_label=_("全部"))

    class Meta:
        model = ImportBatch
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("文件名 / 批次号")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        number = term.lstrip("#")
        if number.isdigit():
            return queryset.filter(pk=int(number))
        return queryset.filter(file_name__icontains=term)
