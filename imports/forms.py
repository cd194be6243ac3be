"""The upload form, and the confirm / reverse forms of an import's page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_CHOICE
from core.scoping import Action
from funds.choices import ImportKind, UnknownStatusDate
from funds.models import FiscalYear, Organization, Program, User

UPLOAD_KINDS = [
    (ImportKind.DISBURSEMENTS, ImportKind.DISBURSEMENTS.label),
    (ImportKind.MODEL_WORKERS, ImportKind.MODEL_WORKERS.label),
    (ImportKind.HOUSEHOLDS, ImportKind.HOUSEHOLDS.label),
    (ImportKind.LIVING_SURVEYS, ImportKind.LIVING_SURVEYS.label),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("上传内容"), choices=UPLOAD_KINDS)
    organization = forms.ModelChoiceField(
        label=_("上传单位"), queryset=Organization.objects.none(), empty_label=EMPTY_CHOICE
    )
    program = forms.ModelChoiceField(
        label=_("项目"), queryset=Program.objects.none(), required=False, empty_label=EMPTY_CHOICE
    )
    fiscal_year = forms.ModelChoiceField(
        label=_("预算年度"), queryset=FiscalYear.objects.none(), required=False, empty_label=EMPTY_CHOICE
    )
    unknown_status_date = forms.ChoiceField(
        label=_("劳模名册中日期不详的暂停、去世、恢复"),
        choices=UnknownStatusDate.choices,
        initial=UnknownStatusDate.REFUSE,
        widget=forms.RadioSelect(attrs={"class": "choice"}),
        required=False,
        help_text=_("仅用于劳模名册。选择“视为自所选年度 1 月 1 日起生效”须同时选择预算年度。"),
    )
    file = forms.FileField(label=_("文件（.xlsx、.xls 或 .csv）"))
    sheet_name = forms.CharField(
        label=_("工作表"),
        max_length=100,
        required=False,
        help_text=_("只有文件中有多个工作表含有表头时才需填写，如“喀什”。"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.restrict(user, Action.VIEW)
        self.fields["organization"].queryset = organizations
        if user.organization_id and organizations.count() == 1:
            # An operator uploads for their own organisation only; the choice is fixed (and re-checked by the service).
            self.fields["organization"].initial = user.organization
            self.fields["organization"].disabled = True
        self.fields["program"].queryset = Program.objects.restrict(user, Action.VIEW)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.restrict(user, Action.VIEW)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ImportKind.DISBURSEMENTS:
            for name in ("program", "fiscal_year"):
                if not data.get(name):
                    self.add_error(name, _("上传发放明细须选择此项。"))
        data["unknown_status_date"] = data.get("unknown_status_date") or UnknownStatusDate.REFUSE
        if (
            data.get("kind") == ImportKind.MODEL_WORKERS
            and data["unknown_status_date"] == UnknownStatusDate.YEAR_START
            and not data.get("fiscal_year")
        ):
            self.add_error("fiscal_year", _("选择“视为自所选年度 1 月 1 日起生效”须选择年度。"))
        upload = data.get("file")
        limit = settings.IMPORT_MAX_FILE_BYTES
        if upload is not None and upload.size > limit:
            self.add_error(
                "file",
                _("文件大小 {size} MB 超过上限 {limit} MB，请分批上传。").format(
                    size=round(upload.size / 1048576, 1), limit=limit // 1048576
                ),
            )
        return data


class ConfirmImportForm(forms.Form):
    warnings_acknowledged = forms.BooleanField(label=_("我已逐条核实上述提示，确认导入"), required=False)


class ReverseImportForm(forms.Form):
    # Required when asking for a reversal (the service says so); the second user executing it gives none.
    reason = forms.CharField(label=_("冲销原因"), max_length=200, required=False)
