from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_CHOICE, DateInput
from core.scoping import Action
from funds.models import FiscalYear, Organization, PaymentKind, Program, User
from oversight.choices import (
    DuplicateDecision,
    ObjectionChannel,
    ObjectionKind,
    ObjectionOutcome,
    Receipt,
    VisitMethod,
)


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ObjectionKind.choices)
    channel = forms.ChoiceField(label=_("渠道"), choices=ObjectionChannel.choices)
    received_on = forms.DateField(label=_("受理日期"), widget=DateInput)
    deadline = forms.DateField(label=_("办结期限"), widget=DateInput, required=False, help_text=_("留空：受理后 15 天"))
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=ObjectionOutcome.choices)
    resolution = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ScopedYearForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("单位"), queryset=Organization.objects.none(), empty_label=EMPTY_CHOICE
    )
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none(), empty_label=EMPTY_CHOICE)
    fiscal_year = forms.ModelChoiceField(
        label=_("预算年度"), queryset=FiscalYear.objects.none(), empty_label=EMPTY_CHOICE
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, Action.VIEW)
        self.fields["program"].queryset = Program.objects.restrict(user, Action.VIEW)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.restrict(user, Action.VIEW).order_by("-year")
        if self.fields["organization"].queryset.count() == 1:
            self.fields["organization"].initial = self.fields["organization"].queryset.first()


class VerificationRoundForm(ScopedYearForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    method = forms.ChoiceField(label=_("回访方式"), choices=VisitMethod.choices)
    confidence = forms.TypedChoiceField(
        label=_("置信水平"), choices=[(90, "90%"), (95, "95%"), (99, "99%")], coerce=int, initial=95
    )
    margin = forms.DecimalField(
        label=_("允许误差（%）"), min_value=Decimal("1"), max_value=Decimal("20"), decimal_places=1, initial=5
    )
    size = forms.IntegerField(
        label=_("样本量"), min_value=1, required=False, help_text=_("留空：按置信水平和允许误差计算")
    )
    everyone = forms.BooleanField(label=_("全部回访（不抽样）"), required=False)


class VisitForm(forms.Form):
    receipt = forms.ChoiceField(label=_("是否收到"), choices=Receipt.choices)
    satisfied = forms.TypedChoiceField(
        label=_("是否满意"),
        choices=[("", _("—（未联系上不填）")), ("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        required=False,
        empty_value=None,
    )
    visited_on = forms.DateField(label=_("回访日期"), widget=DateInput)
    remarks = forms.CharField(label=_("备注"), max_length=200, required=False)


class PublicityForm(ScopedYearForm):
    payment_kind = forms.ModelChoiceField(
        label=_("发放类型"), queryset=PaymentKind.objects.none(), required=False, empty_label=_("全部类型")
    )
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("公示截止日期"), widget=DateInput)
    contact = forms.CharField(
        label=_("异议受理联系方式"), max_length=200, help_text=_("如：电话 0998-1234567（工作日）")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["payment_kind"].queryset = PaymentKind.objects.restrict(user, Action.VIEW).select_related("program")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("公示截止日期不能早于开始日期。"))
        kind, program = data.get("payment_kind"), data.get("program")
        if kind and program and kind.program_id != program.pk:
            self.add_error("payment_kind", _("发放类型不属于所选项目。"))
        return data


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理决定"), choices=[c for c in DuplicateDecision.choices if c[0] != DuplicateDecision.OPEN]
    )
    reason = forms.CharField(label=_("理由"), max_length=300)
