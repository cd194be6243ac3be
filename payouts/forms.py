from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import EMPTY_CHOICE, DateInput
from core.scoping import Action
from funds.choices import ImportKind, ImportStatus
from funds.models import FiscalYear, ImportBatch, Organization, PaymentKind, Program, User
from payouts.choices import BatchField, ResultField, TemplatePurpose
from payouts.models import BankFileTemplate


class BankBatchForm(forms.Form):
    """制单: which unsent payments go to the bank, in which layout, from which account."""

    organization = forms.ModelChoiceField(
        label=_("发放单位"), queryset=Organization.objects.none(), empty_label=EMPTY_CHOICE
    )
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none(), empty_label=EMPTY_CHOICE)
    fiscal_year = forms.ModelChoiceField(
        label=_("预算年度"), queryset=FiscalYear.objects.none(), empty_label=EMPTY_CHOICE
    )
    payment_kind = forms.ModelChoiceField(
        label=_("发放类型"), queryset=PaymentKind.objects.none(), required=False, empty_label=_("全部类型")
    )
    import_batch = forms.ModelChoiceField(
        label=_("导入批次"),
        queryset=ImportBatch.objects.none(),
        required=False,
        empty_label=_("全部批次"),
        help_text=_("只代发某一次上传的发放明细时选择"),
    )
    template = forms.ModelChoiceField(
        label=_("代发文件模板"), queryset=BankFileTemplate.objects.none(), empty_label=EMPTY_CHOICE
    )
    purpose = forms.CharField(
        label=_("汇款用途"),
        max_length=50,
        required=False,
        help_text=_("留空：单一发放类型时为该类型名称，否则为项目名称"),
    )
    payer_name = forms.CharField(label=_("付款账号名称"), max_length=100)
    payer_account = forms.CharField(label=_("付款账号"), max_length=40)
    payer_bank = forms.CharField(label=_("付款账号开户行"), max_length=100, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user, Action.VIEW)
        self.fields["program"].queryset = Program.objects.restrict(user, Action.VIEW)
        self.fields["fiscal_year"].queryset = FiscalYear.objects.restrict(user, Action.VIEW).order_by("-year")
        self.fields["payment_kind"].queryset = PaymentKind.objects.restrict(user, Action.VIEW).select_related("program")
        self.fields["template"].queryset = BankFileTemplate.objects.restrict(user, Action.VIEW).filter(
            purpose=TemplatePurpose.BATCH, is_active=True
        )
        self.fields["import_batch"].queryset = (
            ImportBatch.objects.restrict(user, Action.VIEW)
            .filter(kind=ImportKind.DISBURSEMENTS, status=ImportStatus.IMPORTED)
            .select_related("organization")
            .order_by("-imported_at")
        )

    def clean(self):
        data = super().clean()
        kind, program = data.get("payment_kind"), data.get("program")
        if kind and program and kind.program_id != program.pk:
            self.add_error("payment_kind", _("发放类型不属于所选项目。"))
        batch, organization = data.get("import_batch"), data.get("organization")
        if batch and organization and batch.organization_id != organization.pk:
            self.add_error("import_batch", _("该导入批次不是所选单位的。"))
        account = "".join((data.get("payer_account") or "").split())
        if account and not account.isdigit():
            self.add_error("payer_account", _("付款账号只能是数字。"))
        return data


class ResultUploadForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("回盘文件模板"), queryset=BankFileTemplate.objects.none(), empty_label=EMPTY_CHOICE
    )
    file = forms.FileField(label=_("银行回盘文件"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = BankFileTemplate.objects.restrict(user, Action.VIEW).filter(
            purpose=TemplatePurpose.RESULT, is_active=True
        )


class ReissueForm(forms.Form):
    bank_account = forms.CharField(label=_("更正后的收款账号"), max_length=40)
    paid_on = forms.DateField(label=_("补发日期"), widget=DateInput)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


def _choices_help(fields) -> str:
    return "；".join(f"{value}＝{label}" for value, label in fields.choices)


def _column_content(column: dict) -> str:
    return f"fixed:{column.get('value', '')}" if column.get("field") == "fixed" else str(column.get("field", ""))


class ColumnsField(forms.CharField):
    """A template's columns as text, one a line: "表头=内容" (or "表头=fixed:值"), parsed into the stored list."""

    widget = forms.Textarea(attrs={"rows": 12, "class": "mono"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{c.get('header', '')}={_column_content(c)}" for c in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        columns = []
        for number, raw in enumerate((value or "").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            header, sep, field = (part.strip() for part in line.replace("＝", "=").partition("="))
            if not sep or not header or not field:
                raise ValidationError(_("第 {n} 行应写作“表头=内容”。").format(n=number))
            if field.startswith("fixed:"):
                columns.append({"header": header, "field": "fixed", "value": field[len("fixed:") :]})
            else:
                columns.append({"header": header, "field": field})
        return columns


class BankFileTemplateForm(forms.ModelForm):
    """A bank's layout entered in the app (finance with the permission to add templates)."""

    columns = ColumnsField(
        label=_("列（每行一列：表头=内容）"),
        help_text=_("代发可用内容：{batch}。回盘可用内容：{result}。固定值写作 表头=fixed:值").format(
            batch=_choices_help(BatchField), result=_choices_help(ResultField)
        ),
    )

    class Meta:
        model = BankFileTemplate
        fields = [
            "name",
            "code",
            "purpose",
            "file_format",
            "encoding",
            "delimiter",
            "columns",
            "success_values",
            "failure_values",
            "note",
            "is_active",
        ]
