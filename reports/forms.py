from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from funds.models import Program
from reports.models import Report
from reports.outline import outline_for


class ReportForm(forms.Form):
    """The staff-written parts of a report: one text per editable section, plus the 自评表's overall goal."""

    responsible_persons = forms.CharField(
        label=_("项目负责人"),
        max_length=100,
        required=False,
        help_text=_("封面“项目负责人（签章）”一栏，多人用顿号分隔；定稿前必须填写。"),
    )
    filed_on = forms.DateField(
        label=_("填报时间"),
        required=False,
        widget=DateInput,
        help_text=_("封面“填报时间”，即报告报送的日期；定稿前必须填写，定稿文件中即为此日期。"),
    )
    goal_text = forms.CharField(
        label=_("年度总体目标·预期目标"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留空则列出各指标的年度指标值。"),
    )
    outcome_text = forms.CharField(
        label=_("年度总体目标·实际完成情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留空则列出使用资金、资金使用率和各指标的实际完成值。"),
    )
    # The version the form was opened at: a save over someone else's later save is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report: Report, sources: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.section_keys = []
        for section in outline_for(report.kind):
            if not section.editable:
                continue
            name = f"section_{section.key}"
            self.section_keys.append(section.key)
            self.fields[name] = forms.CharField(
                label=section.heading,
                required=False,
                initial=sources.get(section.key, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        if report.program_id is None:
            self.fields["responsible_persons"].label = _("单位负责人")
            self.fields["responsible_persons"].help_text = _("封面“单位负责人（签章）”一栏；定稿前必须填写。")
            for name in ("goal_text", "outcome_text"):
                del self.fields[name]

    def section_texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key in self.section_keys}


class ExplanationForm(forms.Form):
    finding_key = forms.CharField(widget=forms.HiddenInput, max_length=300)
    explanation = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MonitoringReportForm(forms.Form):
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none())
    as_of = forms.DateField(label=_("监控日期"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.restrict(user)


class WarningExplanationForm(forms.Form):
    warning_key = forms.CharField(widget=forms.HiddenInput, max_length=300)
    reason = forms.CharField(label=_("偏差原因"), required=False, max_length=2000, widget=forms.Textarea)
    corrective_action = forms.CharField(label=_("纠偏措施"), required=False, max_length=2000, widget=forms.Textarea)
