"""公示 before paying, 异议 / 投诉 about a person or a payment, 回访 after paying (which is where 受益对象满意度 comes
from), and the roster's suspected duplicates with finance's decision on each."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from funds.models.budget import MONEY
from oversight.choices import (
    DuplicateDecision,
    DuplicateKind,
    ObjectionChannel,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    Receipt,
    VisitMethod,
)

ONE_PERSON = models.Q(household__isnull=False, model_worker__isnull=True) | models.Q(
    household__isnull=True, model_worker__isnull=False
)


class Publicity(models.Model):
    """One 公示 list generated for posting: who generated it and when, what it covered, the PDF's hash."""

    organization = models.ForeignKey("funds.Organization", verbose_name=_("单位"), on_delete=models.PROTECT)
    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    payment_kind = models.ForeignKey(
        "funds.PaymentKind", verbose_name=_("发放类型"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    contact = models.CharField(_("异议受理联系方式"), max_length=200)
    line_count = models.PositiveIntegerField(_("人数"), default=0)
    total_amount = models.DecimalField(_("合计金额（元）"), default=0, **MONEY)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        ordering = ["-generated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="publicity_period_in_order",
                violation_error_message=_("公示截止日期不能早于开始日期。"),
                condition=models.Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return _("{org} {year} {program} 公示").format(
            org=self.organization.short_name, year=self.fiscal_year.year, program=self.program.short_name
        )

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("公示截止日期不能早于开始日期。")})


class Objection(models.Model):
    """异议 / 投诉 against a person (and, where it names one, a payment). While open, the person's payments are held
    out of bank batches (payouts' pre-check refuses them)."""

    kind = models.CharField(_("类型"), max_length=10, choices=ObjectionKind.choices, default=ObjectionKind.OBJECTION)
    organization = models.ForeignKey("funds.Organization", verbose_name=_("单位"), on_delete=models.PROTECT)
    household = models.ForeignKey(
        "beneficiaries.Household", verbose_name=_("困难职工家庭"), null=True, blank=True, on_delete=models.PROTECT
    )
    model_worker = models.ForeignKey(
        "beneficiaries.ModelWorker", verbose_name=_("劳模"), null=True, blank=True, on_delete=models.PROTECT
    )
    disbursement = models.ForeignKey(
        "funds.Disbursement", verbose_name=_("发放记录"), null=True, blank=True, on_delete=models.PROTECT
    )
    received_on = models.DateField(_("受理日期"))
    channel = models.CharField(_("渠道"), max_length=15, choices=ObjectionChannel.choices)
    content = models.TextField(_("内容"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("办结期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    outcome = models.CharField(_("办理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    resolution = models.TextField(_("办理情况"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    visit = models.OneToOneField(
        "oversight.Visit",
        verbose_name=_("来自回访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objection",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("异议投诉")
        verbose_name_plural = _("异议投诉")
        ordering = ["status", "deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="objection_exactly_one_person",
                violation_error_message=_("异议须针对一名对象（困难职工家庭或劳模）。"),
                condition=ONE_PERSON,
            ),
            models.CheckConstraint(
                name="objection_resolved_says_how",
                violation_error_message=_("办结须填写办理结果和办理情况。"),
                condition=~models.Q(status=ObjectionStatus.RESOLVED)
                | (~models.Q(outcome="") & ~models.Q(resolution="") & models.Q(resolved_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="objection_deadline_after_receipt",
                violation_error_message=_("办结期限不能早于受理日期。"),
                condition=models.Q(deadline__gte=models.F("received_on")),
            ),
        ]

    def __str__(self) -> str:
        return _("{kind}：{who}（{date}）").format(kind=self.get_kind_display(), who=self.person, date=self.received_on)

    @property
    def person(self):
        return self.household if self.household_id else self.model_worker

    @property
    def is_overdue(self) -> bool:
        return self.status == ObjectionStatus.OPEN and self.deadline < timezone.localdate()

    def clean(self) -> None:
        errors = {}
        if bool(self.household_id) == bool(self.model_worker_id):
            errors["household"] = _("异议须针对一名对象（困难职工家庭或劳模）。")
        person = self.person if not errors else None
        if person is not None and self.organization_id and person.organization_id != self.organization_id:
            errors["organization"] = _("单位须是该对象名册所在的单位。")
        payment = self.disbursement
        if payment is not None and person is not None and payment.beneficiary != person:
            errors["disbursement"] = _("该发放记录不是此对象的。")
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("受理日期不能晚于今天。")
        if self.received_on and self.deadline and self.deadline < self.received_on:
            errors["deadline"] = _("办结期限不能早于受理日期。")
        if errors:
            raise ValidationError(errors)


class VerificationRound(models.Model):
    """回访: a sample of one organisation's payees of a year (random, sized from a confidence level and a margin of
    error; or everyone when the group is small), each visited or called and the answer recorded."""

    organization = models.ForeignKey("funds.Organization", verbose_name=_("单位"), on_delete=models.PROTECT)
    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=100)
    confidence = models.PositiveSmallIntegerField(_("置信水平（%）"), default=95)
    margin = models.DecimalField(_("允许误差（%）"), max_digits=4, decimal_places=1, default=5)
    population = models.PositiveIntegerField(_("总体人数"))
    sample_size = models.PositiveIntegerField(_("样本量"))
    seed = models.BigIntegerField(_("随机种子"))
    method = models.CharField(_("回访方式"), max_length=10, choices=VisitMethod.choices, default=VisitMethod.PHONE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("回访批次")
        verbose_name_plural = _("回访批次")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="verificationround_sample_within_population",
                violation_error_message=_("样本量须在 1 到总体人数之间。"),
                condition=models.Q(sample_size__gte=1, sample_size__lte=models.F("population")),
            ),
            models.CheckConstraint(
                name="verificationround_confidence_offered",
                violation_error_message=_("置信水平须为 90%、95% 或 99%。"),
                condition=models.Q(confidence__in=[90, 95, 99]),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """One sampled payee, and what the visit or call found."""

    round = models.ForeignKey(
        VerificationRound, verbose_name=_("回访批次"), on_delete=models.PROTECT, related_name="visits"
    )
    disbursement = models.ForeignKey("funds.Disbursement", verbose_name=_("发放记录"), on_delete=models.PROTECT)
    receipt = models.CharField(_("是否收到"), max_length=15, choices=Receipt.choices, blank=True)
    satisfied = models.BooleanField(_("是否满意"), null=True, blank=True)
    visited_on = models.DateField(_("回访日期"), null=True, blank=True)
    remarks = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "round__organization"

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "disbursement"], name="visit_one_per_payment_in_round"),
            models.CheckConstraint(
                name="visit_answer_only_when_reached",
                violation_error_message=_("未联系上的不记录是否满意。"),
                condition=~models.Q(receipt=Receipt.UNREACHABLE) | models.Q(satisfied__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return _("回访：{payment}").format(payment=self.disbursement)

    def clean(self) -> None:
        if self.receipt and self.receipt != Receipt.UNREACHABLE and self.satisfied is None:
            raise ValidationError({"satisfied": _("联系上的对象请记录是否满意。")})
        if self.receipt == Receipt.UNREACHABLE and self.satisfied is not None:
            raise ValidationError({"satisfied": _("未联系上的不记录是否满意。")})
        if self.receipt and not self.visited_on:
            raise ValidationError({"visited_on": _("请填写回访日期。")})
        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("回访日期不能晚于今天。")})


class DuplicateCase(models.Model):
    """A suspected duplicate beneficiary (two roster records that may be one person) and finance's decision."""

    kind = models.CharField(_("疑似重复类型"), max_length=20, choices=DuplicateKind.choices)
    key = models.CharField(_("比对键"), max_length=128, unique=True)
    first_household = models.ForeignKey(
        "beneficiaries.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("困难职工家庭甲"),
    )
    second_household = models.ForeignKey(
        "beneficiaries.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("困难职工家庭乙"),
    )
    first_model_worker = models.ForeignKey(
        "beneficiaries.ModelWorker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("劳模甲"),
    )
    second_model_worker = models.ForeignKey(
        "beneficiaries.ModelWorker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("劳模乙"),
    )
    description = models.CharField(_("说明"), max_length=300)
    decision = models.CharField(
        _("处理决定"), max_length=10, choices=DuplicateDecision.choices, default=DuplicateDecision.OPEN
    )
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None  # the federation's finance resolves them: rosters of two organisations are involved

    class Meta:
        verbose_name = _("疑似重复对象")
        verbose_name_plural = _("疑似重复对象")
        ordering = ["decision", "-found_at"]
        constraints = [
            models.CheckConstraint(
                name="duplicatecase_decided_with_reason",
                violation_error_message=_("处理决定须写明理由并记录处理人。"),
                condition=models.Q(decision=DuplicateDecision.OPEN)
                | (~models.Q(reason="") & models.Q(decided_by__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def records(self) -> list:
        return [
            r
            for r in (self.first_household, self.second_household, self.first_model_worker, self.second_model_worker)
            if r is not None
        ]
