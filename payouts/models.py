"""批量代发: the bank's part of paying. A batch file goes out, the bank's result file (回盘) comes back, and each
payment the bank returned (退票) is re-issued (补发) or recovered (追回). The ledger itself stays in funds: a 退票 is a
`DisbursementReversal` there, a 补发 a new `Disbursement` linked to the one it replaces."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField
from core.scoping import NaturalKeyManager, RestrictedQuerySet
from funds.models.budget import MONEY
from payouts.choices import (
    BankBatchStatus,
    BatchField,
    FileEncoding,
    FileFormat,
    FollowUp,
    LineOutcome,
    ResultField,
    ResultFileStatus,
    TemplatePurpose,
)

# A result template must say at least which payment a row is and what became of it.
RESULT_REQUIRED = (ResultField.ACCOUNT, ResultField.AMOUNT, ResultField.STATUS)


def _words(values: str) -> set[str]:
    return {value.strip() for value in values.replace("，", ",").split(",") if value.strip()}


class BankFileTemplate(models.Model):
    """A bank's file layout as data: ordered columns (header wording and what each holds), file type, encoding.

    `columns` is a list of {"header": "收款账号", "field": "account"} (and "value" for a fixed column). A result
    template also names the words its status column uses for success (`success_values`)."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("模板名称"), max_length=100, unique=True)
    purpose = models.CharField(_("用途"), max_length=10, choices=TemplatePurpose.choices)
    file_format = models.CharField(_("文件类型"), max_length=5, choices=FileFormat.choices, default=FileFormat.XLSX)
    encoding = models.CharField(
        _("文本编码"), max_length=10, choices=FileEncoding.choices, default=FileEncoding.GBK, blank=True
    )
    delimiter = models.CharField(_("分隔符"), max_length=3, blank=True, default=",", help_text=_("文本文件的列分隔符"))
    columns = models.JSONField(_("列"), default=list)
    success_values = models.CharField(
        _("表示成功的处理结果"), max_length=200, blank=True, help_text=_("回盘文件用，多个用“,”分隔，如 成功,交易成功")
    )
    failure_values = models.CharField(
        _("表示失败的处理结果"), max_length=200, blank=True, help_text=_("回盘文件用，多个用“,”分隔，如 失败,退票")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = NaturalKeyManager()
    scope_path = None  # reference data: every finance user may use every template
    natural_key_fields = ("code",)

    class Meta:
        verbose_name = _("银行文件模板")
        verbose_name_plural = _("银行文件模板")
        ordering = ["purpose", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def successes(self) -> set[str]:
        return _words(self.success_values)

    @property
    def failures(self) -> set[str]:
        return _words(self.failure_values)

    def clean(self) -> None:
        fields = BatchField if self.purpose == TemplatePurpose.BATCH else ResultField
        if not isinstance(self.columns, list) or not self.columns:
            raise ValidationError({"columns": _("模板至少要有一列。")})
        seen_headers, seen_fields = set(), set()
        for number, column in enumerate(self.columns, start=1):
            if not isinstance(column, dict) or not str(column.get("header", "")).strip():
                raise ValidationError({"columns": _("第 {n} 列没有表头。").format(n=number)})
            if column.get("field") not in fields.values:
                raise ValidationError(
                    {"columns": _("第 {n} 列“{header}”的内容不是可选项。").format(n=number, header=column["header"])}
                )
            if column["header"] in seen_headers:
                raise ValidationError({"columns": _("表头“{header}”重复。").format(header=column["header"])})
            seen_headers.add(column["header"])
            seen_fields.add(column["field"])
        if self.purpose == TemplatePurpose.RESULT:
            missing = [str(ResultField(f).label) for f in RESULT_REQUIRED if f not in seen_fields]
            if missing:
                raise ValidationError({"columns": _("回盘模板须包含：{fields}。").format(fields="、".join(missing))})
            if not self.successes or not self.failures:
                raise ValidationError({"success_values": _("请填写表示成功和失败的处理结果，如“成功”“失败”。")})
            if self.successes & self.failures:
                raise ValidationError({"failure_values": _("同一处理结果不能既表示成功又表示失败。")})
        elif BatchField.ACCOUNT not in seen_fields or BatchField.AMOUNT not in seen_fields:
            raise ValidationError({"columns": _("代发模板须包含收款账号和金额。")})
        if self.file_format in (FileFormat.CSV, FileFormat.TXT) and not self.delimiter:
            raise ValidationError({"delimiter": _("文本文件须指定列分隔符。")})


class BankBatch(models.Model):
    """One 批量代发 file: posted payments of one organisation not yet sent, prepared by one finance user and released
    to the bank by another. Its lines are frozen when prepared; `content_sha256` names exactly what was released."""

    number = models.CharField(_("批次号"), max_length=40, unique=True)
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("发放单位"), on_delete=models.PROTECT, related_name="bank_batches"
    )
    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    payment_kind = models.ForeignKey(
        "funds.PaymentKind", verbose_name=_("发放类型"), null=True, blank=True, on_delete=models.PROTECT
    )
    import_batch = models.ForeignKey(
        "funds.ImportBatch", verbose_name=_("导入批次"), null=True, blank=True, on_delete=models.PROTECT
    )
    template = models.ForeignKey(
        BankFileTemplate,
        verbose_name=_("代发文件模板"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"purpose": TemplatePurpose.BATCH},
    )
    purpose = models.CharField(_("汇款用途"), max_length=50)
    payer_name = models.CharField(_("付款账号名称"), max_length=100)
    payer_account = models.CharField(_("付款账号"), max_length=40)
    payer_bank = models.CharField(_("付款账号开户行"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BankBatchStatus.choices, default=BankBatchStatus.PREPARED
    )
    line_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_amount = models.DecimalField(_("合计金额（元）"), default=0, **MONEY)
    content_sha256 = models.CharField(_("内容SHA-256"), max_length=64, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制单人"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("制单时间"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("放行人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("放行时间"), null=True, blank=True)
    cancelled_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("代发批次")
        verbose_name_plural = _("代发批次")
        ordering = ["-prepared_at", "-pk"]
        permissions = [
            ("release_bankbatch", _("可以放行代发批次")),
            ("download_bankbatch", _("可以下载代发文件（含完整账号）")),
        ]
        constraints = [
            models.CheckConstraint(
                name="bankbatch_released_by_another_user",
                violation_error_message=_("代发批次须由制单人以外的另一位财务人员放行。"),
                condition=models.Q(released_by__isnull=True) | ~models.Q(released_by=models.F("prepared_by")),
            ),
            models.CheckConstraint(
                name="bankbatch_released_names_who",
                violation_error_message=_("已放行的批次须记录放行人。"),
                condition=models.Q(status__in=[BankBatchStatus.PREPARED, BankBatchStatus.CANCELLED])
                | models.Q(released_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("代发批次 {number}").format(number=self.number)

    def clean(self) -> None:
        if self.template_id and self.template.purpose != TemplatePurpose.BATCH:
            raise ValidationError({"template": _("请选择代发文件模板。")})
        if self.payment_kind_id and self.program_id and self.payment_kind.program_id != self.program_id:
            raise ValidationError({"payment_kind": _("发放类型不属于该项目。")})


class BankBatchLine(models.Model):
    """One payment in a bank batch, as the bank is asked to pay it, and what the bank said of it."""

    batch = models.ForeignKey(BankBatch, verbose_name=_("代发批次"), on_delete=models.PROTECT, related_name="lines")
    disbursement = models.OneToOneField(
        "funds.Disbursement", verbose_name=_("发放记录"), on_delete=models.PROTECT, related_name="bank_line"
    )
    sequence = models.PositiveIntegerField(_("序号"))
    payee_name = models.CharField(_("收款人户名"), max_length=50)
    account = EncryptedCharField(_("收款账号"), context="payouts.bankbatchline.account")
    account_masked = models.CharField(_("收款账号（脱敏）"), max_length=40)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    outcome = models.CharField(_("代发结果"), max_length=10, choices=LineOutcome.choices, default=LineOutcome.PENDING)
    bank_reason = models.CharField(_("银行反馈原因"), max_length=200, blank=True)
    settled_on = models.DateField(_("入账日期"), null=True, blank=True)
    result_file = models.ForeignKey(
        "payouts.BankResultFile",
        verbose_name=_("回盘文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    follow_up = models.CharField(
        _("退票处理"), max_length=10, choices=FollowUp.choices, default=FollowUp.NONE, blank=True
    )
    follow_up_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    reissue = models.OneToOneField(
        "funds.Disbursement",
        verbose_name=_("补发记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissued_line",
    )
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    followed_up_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "batch__organization"

    class Meta:
        verbose_name = _("代发明细")
        verbose_name_plural = _("代发明细")
        ordering = ["batch", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "sequence"], name="bankbatchline_sequence_unique"),
            models.CheckConstraint(
                name="bankbatchline_amount_positive",
                violation_error_message=_("金额必须大于 0。"),
                condition=models.Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="bankbatchline_follow_up_only_when_failed",
                violation_error_message=_("只有失败（退票）的代发才有退票处理。"),
                condition=models.Q(follow_up="") | models.Q(outcome=LineOutcome.FAILED),
            ),
            models.CheckConstraint(
                name="bankbatchline_failed_is_followed_up",
                violation_error_message=_("失败（退票）的代发须有退票处理状态。"),
                condition=~models.Q(outcome=LineOutcome.FAILED) | ~models.Q(follow_up=""),
            ),
            models.CheckConstraint(
                name="bankbatchline_reissued_names_the_payment",
                violation_error_message=_("已补发的退票须关联补发记录。"),
                condition=~models.Q(follow_up=FollowUp.REISSUED) | models.Q(reissue__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return _("{batch} 第 {n} 笔").format(batch=self.batch.number, n=self.sequence)


def result_upload_path(result: "BankResultFile", filename: str) -> str:
    return f"bank-results/{result.batch.organization.code}/{result.file_sha256}.{filename.rsplit('.', 1)[-1][:5]}"


class BankResultFile(models.Model):
    """The bank's result file (回盘) for one batch: validated in full, previewed, then applied all at once."""

    batch = models.ForeignKey(BankBatch, verbose_name=_("代发批次"), on_delete=models.PROTECT, related_name="results")
    template = models.ForeignKey(
        BankFileTemplate,
        verbose_name=_("回盘文件模板"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"purpose": TemplatePurpose.RESULT},
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    source_file = models.FileField(_("原始文件"), upload_to=result_upload_path, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ResultFileStatus.choices)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    succeeded_count = models.PositiveIntegerField(_("成功笔数"), default=0)
    succeeded_amount = models.DecimalField(_("成功金额（元）"), default=0, **MONEY)
    failed_count = models.PositiveIntegerField(_("失败笔数"), default=0)
    failed_amount = models.DecimalField(_("失败金额（元）"), default=0, **MONEY)
    # [[line id, outcome, bank reason, settled on (ISO or "")], …]: what confirm writes, as previewed.
    outcomes = models.JSONField(_("回盘结果"), default=list, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("入账时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "batch__organization"

    class Meta:
        verbose_name = _("回盘文件")
        verbose_name_plural = _("回盘文件")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return _("回盘：{file}（{batch}）").format(file=self.file_name, batch=self.batch.number)
