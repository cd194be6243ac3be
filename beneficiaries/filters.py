"""The rosters' filters (django-filter). Organisations are reached through the models' own foreign key, so this app
names the money app's models by relation only (its layering contract)."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from beneficiaries import resident_id
from beneficiaries.choices import (
    HardshipType,
    HonourType,
    HouseholdStatus,
    LivingCondition,
    ModelWorkerStatus,
    WorkerCategory,
)
from beneficiaries.models import Household, LivingSurvey, ModelWorker, resident_id_digest
from core.lists import SearchFilterSet, scoped


def _organizations_of(model):
    # The money app's Organization, reached through the roster's own foreign key (this app's layering contract).
    return scoped(model._meta.get_field("organization").related_model)


class RosterFilterSet(SearchFilterSet):
    """Name, archive number or a whole ID number (found through its digest, then kept out of the address bar)."""

    name_field = ""
    person_path = ""  # from the listed rows to the person ("model_worker__" for surveys)

    @classmethod
    def protect(cls, term: str) -> str | None:
        number = resident_id.normalize(term)
        return resident_id.mask(number) if len(number) == 18 else None

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        number = resident_id.normalize(term)
        if len(number) == 18:
            return queryset.filter(**{f"{self.person_path}id_number_digest": resident_id_digest(number)})
        condition = Q(**{f"{self.person_path}{self.name_field}__icontains": term})
        if not self.person_path and hasattr(queryset.model, "archive_no"):
            condition |= Q(archive_no__iexact=term)
        return queryset.filter(condition)


class HouseholdFilterSet(RosterFilterSet):
    name_field = "head_name"
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=_organizations_of(Household), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HouseholdStatus.choices, empty_label=_("全部"))
    hardship_type = django_filters.ChoiceFilter(
        label=_("困难类型"), choices=HardshipType.choices, empty_label=_("全部")
    )
    worker_category = django_filters.ChoiceFilter(
        label=_("职工类别"), choices=WorkerCategory.choices, empty_label=_("全部")
    )

    class Meta:
        model = Household
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("户主姓名 / 档案编号 / 完整身份证号")


class ModelWorkerFilterSet(RosterFilterSet):
    name_field = "name"
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=_organizations_of(ModelWorker), empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ModelWorkerStatus.choices, empty_label=_("全部"))
    honour_type = django_filters.ChoiceFilter(label=_("荣誉类型"), choices=HonourType.choices, empty_label=_("全部"))

    class Meta:
        model = ModelWorker
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("姓名 / 完整身份证号")


class LivingSurveyFilterSet(RosterFilterSet):
    """生活状况摸底调查: by the worker's name or whole ID number, organisation, year and condition."""

    name_field = "name"
    person_path = "model_worker__"

    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"),
        queryset=_organizations_of(ModelWorker),
        field_name="model_worker__organization",
        empty_label=_("全部"),
    )
    year = django_filters.NumberFilter(label=_("调查年度"), field_name="fiscal_year__year")
    condition = django_filters.ChoiceFilter(label=_("生活状况"), choices=LivingCondition.choices, empty_label=_("全部"))

    class Meta:
        model = LivingSurvey
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("姓名 / 完整身份证号")
