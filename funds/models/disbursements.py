import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedCharField
from core.models import TwoPersonDecision, decided_by_another_person
from core.scoping import RestrictedQuerySet
from funds.choices import (
    BeneficiaryKind,
    DisbursementStatus,
    FundingSource,
    ImportKind,
    ImportStatus,
    PaymentMethod,
    UnknownStatusDate,
)
from funds.models.budget import MONEY


def import_upload_path(batch: "ImportBatch", filename: str) -> str:
    # The stored name is the content hash, never the clerk's file name (which may hold personal data).
    return f"imports/{batch.organization.code}/{batch.file_sha256}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class ImportBatch(models.Model):
    """One uploaded spreadsheet (or demo load); every row it wrote points back to it."""

    kind = models.CharField(_("导入类型"), max_length=20, choices=ImportKind.choices)
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="import_batches"
    )
    program = models.ForeignKey(
        "funds.Program", verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT
    )
    fiscal_year = models.ForeignKey(
        "funds.FiscalYear", verbose_name=_("预算年度"), null=True, blank=True, on_delete=models.PROTECT
    )
    # 劳模名册 only: how a status without its date is dated (the year is `fiscal_year`). Stated in the preview.
    unknown_status_date = models.CharField(
        _("日期不详的状态"), max_length=20, choices=UnknownStatusDate.choices, default=UnknownStatusDate.REFUSE
    )
    # The sheet to read when a workbook has more than one with the upload's headers ('' = the only one).
    sheet_name = models.CharField(_("工作表"), max_length=100, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    # How many payments the confirm wrote, kept beside the batch as well as in the audit log (verify_audit counts).
    posted_count = models.PositiveIntegerField(_("写入发放笔数"), default=0)
    total_amount = models.DecimalField(_("合计金额（元）"), default=0, **MONEY)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.VALIDATING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    source_file = models.FileField(_("原始文件"), upload_to=import_upload_path, blank=True)
    summary = models.JSONField(_("预览汇总"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    progress_total = models.PositiveIntegerField(_("总行数"), default=0)
    # Maker–checker: one finance user asks for the reversal (with the reason), another carries it out.
    reversal_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("冲销申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversal_requested_at = models.DateTimeField(_("冲销申请时间"), null=True, blank=True)
    reversal_reason = models.CharField(_("冲销原因"), max_length=200, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("冲销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("冲销时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-pk"]
        permissions = [("reverse_importbatch", _("可以整批冲销导入"))]
        constraints = [
            models.CheckConstraint(
                name="importbatch_reversal_by_another_user",
                violation_error_message=_("整批冲销须由申请人以外的另一位财务人员执行。"),
                condition=models.Q(reversed_by__isnull=True)
                | (
                    models.Q(reversal_requested_by__isnull=False)
                    & ~models.Q(reversed_by=models.F("reversal_requested_by"))
                ),
            ),
            models.CheckConstraint(
                name="importbatch_year_start_names_the_year",
                violation_error_message=_("“日期不详的，视为自所选年度 1 月 1 日起生效”须选择年度。"),
                condition=~models.Q(unknown_status_date=UnknownStatusDate.YEAR_START)
                | models.Q(fiscal_year__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["kind", "organization", "file_sha256"],
                condition=models.Q(status__in=["imported", "importing"]) & ~models.Q(file_sha256=""),
                name="importbatch_same_file_imported_once",
                violation_error_message=_("同一文件已经导入过，不能重复导入。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{kind}：{file}（{org}）").format(
            kind=self.get_kind_display(), file=self.file_name, org=self.organization.short_name
        )

    def reversal_request_token(self) -> str:
        """Names one reversal request (who, when, why, how many payments): the executing form carries it, so a page
        opened before another request, or before the batch changed, cannot execute what its user never saw."""
        if not self.reversal_requested_by_id:
            return ""
        requested_at = self.reversal_requested_at.isoformat() if self.reversal_requested_at else ""
        content = f"{self.pk}|{self.reversal_requested_by_id}|{requested_at}|{self.reversal_reason}|{self.posted_count}"
        return hashlib.sha256(content.encode()).hexdigest()

    def clean(self) -> None:
        if self.unknown_status_date == UnknownStatusDate.YEAR_START and self.fiscal_year_id is None:
            raise ValidationError({"fiscal_year": _("“日期不详的，视为自所选年度 1 月 1 日起生效”须选择年度。")})

    @property
    def status_dates_from(self):
        """The date a status without its date takes, under the uploader's choice; None: such rows are errors."""
        if self.unknown_status_date == UnknownStatusDate.YEAR_START and self.fiscal_year_id:
            return self.fiscal_year.starts_on
        return None


# Sealed when present, so the payments sealed before these fields existed keep their seals.
SEALED_IF_PRESENT = ("bank_account", "reissue_of_id")


def payment_seal_content(values: dict) -> dict:
    """The content a payment's seal covers, from its field values (`Disbursement.SEALED_FIELDS` and
    `SEALED_IF_PRESENT` by attribute name). One definition for the model and the bulk writer, which builds rows
    without model instances: both must produce byte-identical seals."""
    from core.money import quantize

    content = {name: values[name] for name in Disbursement.SEALED_FIELDS}
    content["amount"] = format(quantize(values["amount"]), "f")
    content["paid_on"] = values["paid_on"].isoformat()
    for name in SEALED_IF_PRESENT:
        if values.get(name):
            content[name] = values[name]
    return content


class Disbursement(models.Model):
    """One payment to one person (a hardship household or a model worker), by real name.

    A posted row is never edited or deleted — database triggers (core.db_guards) refuse it; a correction
    is a `DisbursementReversal` (which flips the status to reversed) plus a new row.
    """

    # No single-column indexes on program, year, kind or paying organisation: the composite indexes below lead with
    # year and organisation, and program and kind are a handful of values each (an index on them is never chosen;
    # it only slows every insert).
    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT, db_index=False)
    fiscal_year = models.ForeignKey(
        "funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT, db_index=False
    )
    payment_kind = models.ForeignKey(
        "funds.PaymentKind", verbose_name=_("发放类型"), on_delete=models.PROTECT, db_index=False
    )
    household = models.ForeignKey(
        "beneficiaries.Household",
        verbose_name=_("困难职工家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    model_worker = models.ForeignKey(
        "beneficiaries.ModelWorker",
        verbose_name=_("劳模"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    paid_on = models.DateField(_("发放日期"))
    payment_method = models.CharField(_("发放方式"), max_length=20, choices=PaymentMethod.choices)
    account_masked = models.CharField(_("收款账号（脱敏）"), max_length=40, blank=True)
    # The account as uploaded, encrypted: the bank batch file (代发文件) needs it in clear; nobody reads it elsewhere.
    bank_account = EncryptedCharField(_("收款账号"), blank=True, context="funds.disbursement.bank_account")
    # 补发: the payment that re-issues one the bank returned (退票), linked to it.
    reissue_of = models.OneToOneField(
        "self",
        verbose_name=_("补发的原发放"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissued_by",
    )
    paying_organization = models.ForeignKey(
        "funds.Organization",
        verbose_name=_("发放单位"),
        on_delete=models.PROTECT,
        related_name="disbursements",
        db_index=False,
    )
    funding_source = models.CharField(
        _("资金来源"), max_length=20, choices=FundingSource.choices, default=FundingSource.CURRENT_FISCAL
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=DisbursementStatus.choices, default=DisbursementStatus.POSTED
    )
    # Copied from the payment kind so that the once-a-year rule can be a partial unique index: a database
    # constraint cannot look through a foreign key. clean() keeps the copy honest.
    once_per_year = models.BooleanField(_("每年至多一次"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # HMAC of the row's content, keyed outside the database (audit.chain): `verify_audit` finds a row edited behind
    # the application's back even where the immutability triggers were switched off.
    seal = models.CharField(_("防篡改校验值"), max_length=64, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "paying_organization"

    class Meta:
        verbose_name = _("资金发放")
        verbose_name_plural = _("资金发放")
        ordering = ["-paid_on", "-pk"]
        indexes = [
            models.Index(fields=["fiscal_year", "program", "status"], name="disb_year_program_status"),
            models.Index(fields=["paying_organization", "fiscal_year"], name="disb_org_year"),
            # The lists' default order (newest first), so a page deep in a million rows is an index walk.
            # `include`: a scoped user's page is found in the index alone, without a heap visit per skipped row.
            models.Index(fields=["paid_on", "id"], name="disb_paid_on_id", include=["paying_organization"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="disbursement_amount_positive",
                violation_error_message=_("金额必须大于 0。"),
                condition=models.Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="disbursement_exactly_one_beneficiary",
                violation_error_message=_("一笔发放必须且只能对应一个发放对象（困难职工家庭或劳模）。"),
                condition=models.Q(household__isnull=False, model_worker__isnull=True)
                | models.Q(household__isnull=True, model_worker__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["household", "payment_kind", "fiscal_year"],
                condition=models.Q(status=DisbursementStatus.POSTED, once_per_year=True, household__isnull=False),
                name="disbursement_household_once_per_year",
                violation_error_message=_("该困难职工家庭本年度已有一笔同类型发放（每年至多一次），不能重复发放。"),
            ),
            models.UniqueConstraint(
                fields=["model_worker", "payment_kind", "fiscal_year"],
                condition=models.Q(status=DisbursementStatus.POSTED, once_per_year=True, model_worker__isnull=False),
                name="disbursement_model_worker_once_per_year",
                violation_error_message=_("该劳模本年度已有一笔同类型发放（每年至多一次），不能重复发放。"),
            ),
            models.UniqueConstraint(
                fields=["household", "payment_kind", "paid_on", "amount"],
                condition=models.Q(status=DisbursementStatus.POSTED, once_per_year=False, household__isnull=False),
                name="disbursement_household_no_identical_recurring",
                violation_error_message=_("已有同一家庭、同一日期、同一金额的同类型发放，不能重复发放。"),
            ),
            models.UniqueConstraint(
                fields=["model_worker", "payment_kind", "paid_on", "amount"],
                condition=models.Q(status=DisbursementStatus.POSTED, once_per_year=False, model_worker__isnull=False),
                name="disbursement_model_worker_no_identical_recurring",
                violation_error_message=_("已有同一劳模、同一日期、同一金额的同类型发放，不能重复发放。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{who} {kind} {amount} 元（{date}）").format(
            who=self.beneficiary, kind=self.payment_kind, amount=self.amount, date=self.paid_on
        )

    SEALED_FIELDS = (
        "program_id",
        "fiscal_year_id",
        "payment_kind_id",
        "household_id",
        "model_worker_id",
        "amount",
        "paid_on",
        "payment_method",
        "account_masked",
        "paying_organization_id",
        "funding_source",
        "batch_id",
        "once_per_year",
        "note",
        "created_by_id",
    )

    def seal_content(self) -> dict:
        """What the seal covers: everything a payment says, but not its status (reversal is recorded apart)."""
        return payment_seal_content({name: getattr(self, name) for name in (*self.SEALED_FIELDS, *SEALED_IF_PRESENT)})

    @property
    def beneficiary(self):
        return self.household if self.household_id else self.model_worker

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.payment_kind_id and self.program_id and self.payment_kind.program_id != self.program_id:
            errors.setdefault("payment_kind", []).append(_("发放类型不属于该项目。"))
        if self.payment_kind_id and self.once_per_year != self.payment_kind.once_per_year:
            errors.setdefault("once_per_year", []).append(_("“每年至多一次”必须与发放类型一致。"))
        if self.program_id:
            wants_household = self.program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
            if wants_household and not self.household_id:
                errors.setdefault("household", []).append(_("帮扶资金只能发放给已建档的困难职工家庭。"))
            if not wants_household and not self.model_worker_id:
                errors.setdefault("model_worker", []).append(_("劳模专项补助只能发放给在册劳模。"))
        if self.household_id and self.model_worker_id:
            errors.setdefault("household", []).append(_("一笔发放只能对应一个发放对象。"))
        if self.fiscal_year_id and self.paid_on and not self.fiscal_year.contains(self.paid_on):
            errors.setdefault("paid_on", []).append(
                _("发放日期必须在{year}年度内。").format(year=self.fiscal_year.year)
            )
        if errors:
            raise ValidationError(errors)


class DisbursementReversal(models.Model):
    """冲销: the record that cancels one posted disbursement (never a deletion or an edit of it)."""

    disbursement = models.OneToOneField(
        Disbursement, verbose_name=_("被冲销的发放"), on_delete=models.PROTECT, related_name="reversal"
    )
    reason = models.CharField(_("冲销原因"), max_length=200)
    reversed_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("整批冲销的导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("冲销人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("冲销时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "disbursement__paying_organization"

    class Meta:
        verbose_name = _("发放冲销")
        verbose_name_plural = _("发放冲销")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("冲销：{disbursement}").format(disbursement=self.disbursement)


class PaymentReversalRequest(TwoPersonDecision):
    """冲销一笔发放, asked by one person (the union's operator or finance) and executed by finance staff other than
    the asker — a single wrong payment is corrected by a reversal and a new row, as a whole batch is."""

    disbursement = models.ForeignKey(
        Disbursement, verbose_name=_("发放记录"), on_delete=models.PROTECT, related_name="reversal_requests"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_path = "disbursement__paying_organization"

    class Meta(TwoPersonDecision.Meta):
        verbose_name = _("单笔冲销申请")
        verbose_name_plural = _("单笔冲销申请")
        constraints = [
            decided_by_another_person(_("单笔冲销须由申请人以外的财务人员确认。")),
            models.UniqueConstraint(
                fields=["disbursement"],
                condition=models.Q(status="pending"),
                name="paymentreversalrequest_one_pending_per_payment",
                violation_error_message=_("该笔发放已有待确认的冲销申请。"),
            ),
        ]

    def __str__(self) -> str:
        return _("冲销申请：{disbursement}").format(disbursement=self.disbursement)
