from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from evaluation.models import Indicator, ProgramYearSettings, SatisfactionSurvey


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["target_value", "target_text", "weight", "manual_value", "manual_text", "deviation_reason"]
        widgets = {
            "deviation_reason": forms.Textarea(attrs={"rows": 2}),
            "target_value": forms.NumberInput(attrs={"step": "any"}),
            "manual_value": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {"manual_value": _("手工填报的完成值；定性指标填得分比例（0–100）")}

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if frozen:  # the 绩效目标表 is submitted or approved: targets change only by a 目标调整
            for name in ("target_value", "target_text", "weight"):
                self.fields[name].disabled = True
        # Stored with four places (rates such as 0.9625); shown as typed: 447, not 447.0000.
        for name in ("target_value", "manual_value"):
            value = self.initial.get(name)
            if isinstance(value, Decimal):
                self.initial[name] = format(value.normalize(), "f")


IndicatorFormSet = forms.modelformset_factory(Indicator, form=IndicatorForm, extra=0)


class ProgramYearSettingsForm(forms.ModelForm):
    class Meta:
        model = ProgramYearSettings
        fields = [
            "payment_deadline",
            "eligibility_date",
            "payments_open_on",
            "survey_deadline",
            "targets_due",
            "first_monitoring_on",
            "second_monitoring_on",
            "self_evaluation_due",
            "scoring_policy",
        ]
        widgets = {
            name: DateInput
            for name in (
                "payment_deadline",
                "eligibility_date",
                "payments_open_on",
                "survey_deadline",
                "targets_due",
                "first_monitoring_on",
                "second_monitoring_on",
                "self_evaluation_due",
            )
        }


class SatisfactionSurveyForm(forms.ModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["respondents", "satisfied", "surveyed_on", "method", "note"]
        widgets = {"surveyed_on": DateInput}
