from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_CHOICE, DateInput, MoneyField
from core.scoping import Action
from funds.choices import FundingSource, OrganizationKind
from funds.models import (
    DepartmentBudgetLine,
    FiscalYear,
    Organization,
    PaymentKind,
    PaymentStandard,
    Program,
    User,
)

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class AppropriationForm(forms.Form):
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none(), empty_label=EMPTY_CHOICE)
    year = forms.IntegerField(label=_("预算年度"), min_value=2000, max_value=2100)
    document = forms.CharField(label=_("预算文件"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.restrict(user, Action.VIEW)
        for source in FundingSource:
            self.fields[f"initial_{source}"] = MoneyField(
                label=_("{source} · 年初预算数（元）").format(source=source.label), initial=0, **MONEY_FIELD
            )
            self.fields[f"annual_{source}"] = MoneyField(
                label=_("{source} · 全年预算数（元）").format(source=source.label), initial=0, **MONEY_FIELD
            )
        if editing:
            self.fields["program"].disabled = True
            self.fields["year"].disabled = True

    def budget_rows(self):
        return [(source.label, self[f"initial_{source}"], self[f"annual_{source}"]) for source in FundingSource]

    def budgets(self) -> dict:
        return {
            source: (self.cleaned_data[f"initial_{source}"], self.cleaned_data[f"annual_{source}"])
            for source in FundingSource
        }


class FundsReceiptForm(forms.Form):
    source = forms.ChoiceField(label=_("资金来源"), choices=FundingSource.choices, initial=FundingSource.CURRENT_FISCAL)
    amount = MoneyField(label=_("到位金额（元）"), min_value=Decimal("0.01"))
    received_on = forms.DateField(label=_("到位日期"), widget=DateInput)
    document = forms.CharField(label=_("拨款文号"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class AllocationPlanForm(forms.Form):
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none(), empty_label=EMPTY_CHOICE)
    fiscal_year = forms.ModelChoiceField(
        label=_("预算年度"), queryset=FiscalYear.objects.none(), empty_label=EMPTY_CHOICE
    )
    title = forms.CharField(label=_("方案名称"), max_length=200)
    plan_date = forms.DateField(label=_("方案日期"), widget=DateInput)
    approval_reference = forms.CharField(label=_("审议会议"), max_length=200, required=False)
    # The version the form was opened at: saving over someone else's later save is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.restrict(user, Action.VIEW)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.restrict(user, Action.VIEW)


class AllocationLineForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("分配单位"), queryset=Organization.objects.none(), empty_label=EMPTY_CHOICE
    )
    amount = MoneyField(label=_("分配金额（元）"), min_value=Decimal("0.01"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, Action.VIEW).exclude(
            kind=OrganizationKind.FEDERATION
        )


class BaseAllocationLineFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            organization = form.cleaned_data["organization"]
            if organization in seen:
                raise ValidationError(_("“{org}”出现了两次，请合并为一行。").format(org=organization.short_name))
            seen.add(organization)
        if not seen:
            raise ValidationError(_("请至少填写一个分配单位。"))

    def line_data(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("organization")
        ]


AllocationLineFormSet = forms.formset_factory(
    AllocationLineForm, formset=BaseAllocationLineFormSet, extra=3, can_delete=True
)


class PaymentStandardForm(forms.ModelForm):
    class Meta:
        model = PaymentStandard
        fields = [
            "fiscal_year",
            "payment_kind",
            "organization",
            "standard_type",
            "fixed_amount",
            "min_amount",
            "max_amount",
            "basis",
        ]
        field_classes = {"fixed_amount": MoneyField, "min_amount": MoneyField, "max_amount": MoneyField}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.restrict(user, Action.VIEW)
        self.fields["payment_kind"].queryset = PaymentKind.objects.restrict(user, Action.VIEW).select_related("program")
        self.fields["payment_kind"].label_from_instance = lambda kind: f"{kind.program.short_name} · {kind.name}"
        self.fields["organization"].queryset = Organization.objects.restrict(user, Action.VIEW)
        self.fields["organization"].empty_label = _("全区统一（不限单位）")
        for name in ("fiscal_year", "payment_kind"):
            self.fields[name].empty_label = EMPTY_CHOICE


class DepartmentBudgetLineForm(forms.ModelForm):
    year = forms.IntegerField(label=_("预算年度"), min_value=2000, max_value=2100)

    class Meta:
        model = DepartmentBudgetLine
        fields = ["name", "initial_budget", "annual_budget", "executed", "note"]
        field_classes = {"initial_budget": MoneyField, "annual_budget": MoneyField, "executed": MoneyField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["year", *self.Meta.fields])
        if self.instance.pk:
            self.fields["year"].initial = self.instance.fiscal_year.year
            self.fields["year"].disabled = True
