"""One person by hand: the form only collects; the rules are the upload's (imports.people.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import HardshipType, HonourType, SuspensionReason, WorkerCategory
from core.forms import EMPTY_CHOICE, DateInput
from core.scoping import Action
from funds.choices import OrganizationKind
from funds.models import Organization, User


def _choices(choices) -> list:
    return [("", EMPTY_CHOICE), *choices.choices]


class _PersonForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("所属单位"), queryset=Organization.objects.none())
    id_number = forms.CharField(
        label=_("身份证号"), max_length=30, help_text=_("18 位，末位 X 大写；保存后不能修改"), strip=True
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organization.objects.restrict(user, Action.VIEW).exclude(kind=OrganizationKind.FEDERATION)
        self.fields["organization"].queryset = queryset
        self.fields["organization"].empty_label = EMPTY_CHOICE
        if queryset.count() == 1:
            self.fields["organization"].initial = queryset.first()
        if editing:
            # The ID number and the organisation are who and where the person is: not edited in passing.
            del self.fields["id_number"]
            del self.fields["organization"]

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("organization", "version")}


class HouseholdForm(_PersonForm):
    archive_no = forms.CharField(label=_("档案编号"), max_length=40)
    head_name = forms.CharField(label=_("户主姓名"), max_length=50)
    worker_category = forms.ChoiceField(label=_("职工类别"), choices=_choices(WorkerCategory))
    hardship_type = forms.ChoiceField(label=_("困难类型"), choices=_choices(HardshipType))
    member_count = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30)
    archived_on = forms.DateField(label=_("建档日期"), widget=DateInput)

    field_order = [
        "organization",
        "archive_no",
        "head_name",
        "id_number",
        "worker_category",
        "hardship_type",
        "member_count",
        "archived_on",
    ]


class ModelWorkerForm(_PersonForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    honour_type = forms.ChoiceField(label=_("荣誉类型"), choices=_choices(HonourType))
    award_year = forms.IntegerField(label=_("获评年份"), min_value=1950, max_value=2100)
    is_retired = forms.BooleanField(label=_("已退休"), required=False)
    is_farmer_herder = forms.BooleanField(label=_("农牧民"), required=False)
    residence = forms.CharField(label=_("现居住地"), max_length=200, required=False)
    bank_account = forms.CharField(
        label=_("银行账号"), max_length=30, required=False, help_text=_("8 到 30 位数字；修改时留空则保持原账号")
    )

    field_order = [
        "organization",
        "name",
        "id_number",
        "honour_type",
        "award_year",
        "is_retired",
        "is_farmer_herder",
        "residence",
        "bank_account",
    ]


class StatusChangeForm(forms.Form):
    """脱困, 重新建档, 恢复, 去世: the day it took effect and why."""

    on = forms.DateField(label=_("生效日期"), widget=DateInput)
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class SuspensionForm(StatusChangeForm):
    suspension_reason = forms.ChoiceField(label=_("暂停原因"), choices=_choices(SuspensionReason))
    field_order = ["on", "suspension_reason", "reason", "version"]
