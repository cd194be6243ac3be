import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from beneficiaries import eligibility, resident_id
from beneficiaries.choices import (
    HardshipType,
    HonourType,
    HouseholdStatus,
    LivingCondition,
    ModelWorkerStatus,
    RosterEventKind,
    SuspensionReason,
    WorkerCategory,
)
from core.crypto import DigestField, EncryptedCharField, lookup_digest
from core.masking import mask_account
from core.scoping import RestrictedQuerySet

# One digest space for every resident ID, so the same person is recognised across rosters.
RESIDENT_ID_PURPOSE = "resident_id"


def resident_id_digest(number: str) -> str:
    return lookup_digest(resident_id.normalize(number), purpose=RESIDENT_ID_PURPOSE)


class PersonWithResidentID(models.Model):
    """Shared storage of a resident ID: encrypted value, keyed digest for lookup, masked display."""

    id_number = EncryptedCharField(_("身份证号"), validators=[resident_id.validate_resident_id])
    id_number_digest = DigestField(_("身份证号摘要"), source="id_number", purpose=RESIDENT_ID_PURPOSE, unique=True)

    class Meta:
        abstract = True

    @property
    def id_number_masked(self) -> str:
        return resident_id.mask(self.id_number)

    def clean(self) -> None:
        if self.id_number:
            self.id_number = resident_id.normalize(self.id_number)
        self._meta.get_field("id_number_digest").refresh(self)


class HouseholdQuerySet(RestrictedQuerySet):
    def eligible_on(self, day: datetime.date) -> "HouseholdQuerySet":
        """In archive on `day`: archived on or before it and not lifted out by then."""
        return self.filter(eligibility.household_in_archive_q(day))


class Household(PersonWithResidentID):
    """困难职工家庭: an archived hardship household, identified by the head's resident ID ("先建档、后帮扶、实名制")."""

    archive_no = models.CharField(_("档案编号"), max_length=40, unique=True)
    head_name = models.CharField(_("户主姓名"), max_length=50)
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="households"
    )
    worker_category = models.CharField(_("职工类别"), max_length=20, choices=WorkerCategory.choices)
    hardship_type = models.CharField(_("困难类型"), max_length=20, choices=HardshipType.choices)
    member_count = models.PositiveSmallIntegerField(
        _("家庭人口"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    archived_on = models.DateField(_("建档日期"))
    status = models.CharField(
        _("状态"), max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.ARCHIVED
    )
    lifted_out_on = models.DateField(_("脱困日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("困难职工家庭")
        verbose_name_plural = _("困难职工家庭")
        ordering = ["organization__sort_order", "archive_no"]
        constraints = [
            models.CheckConstraint(
                name="household_member_count_positive",
                violation_error_message=_("家庭人口至少为 1 人。"),
                condition=models.Q(member_count__gte=1),
            ),
            models.CheckConstraint(
                name="household_status_matches_lifted_out_date",
                violation_error_message=_("状态为“已脱困”时必须填写脱困日期，“在档”时不填。"),
                condition=models.Q(status=HouseholdStatus.ARCHIVED, lifted_out_on__isnull=True)
                | models.Q(status=HouseholdStatus.LIFTED_OUT, lifted_out_on__isnull=False),
            ),
            models.CheckConstraint(
                name="household_lifted_out_after_archived",
                violation_error_message=_("脱困日期不能早于建档日期。"),
                condition=models.Q(lifted_out_on__isnull=True) | models.Q(lifted_out_on__gte=models.F("archived_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.archive_no}）"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == HouseholdStatus.LIFTED_OUT and not self.lifted_out_on:
            errors["lifted_out_on"] = _("状态为“已脱困”时必须填写脱困日期。")
        if self.status == HouseholdStatus.ARCHIVED and self.lifted_out_on:
            errors["lifted_out_on"] = _("状态为“在档”时不能填写脱困日期；重新建档请清空脱困日期。")
        if self.lifted_out_on and self.archived_on and self.lifted_out_on < self.archived_on:
            errors["lifted_out_on"] = _("脱困日期不能早于建档日期。")
        if errors:
            raise ValidationError(errors)

    def is_eligible_on(self, day: datetime.date) -> bool:
        return eligibility.household_in_archive(self.archived_on, self.lifted_out_on, day)


class ModelWorkerQuerySet(RestrictedQuerySet):
    def living_on(self, day: datetime.date) -> "ModelWorkerQuerySet":
        """在册健在 on `day`: on the roster and alive (suspended workers included: they stay on the roster)."""
        return self.filter(eligibility.registered_q(day) & eligibility.alive_q(day))

    def suspended_on(self, day: datetime.date) -> "ModelWorkerQuerySet":
        """On the roster, alive and suspended on `day`."""
        return self.living_on(day).filter(eligibility.suspended_q(day))

    def eligible_on(self, day: datetime.date) -> "ModelWorkerQuerySet":
        """Living, registered and not suspended on `day` (the living survey is checked separately)."""
        return self.filter(eligibility.model_worker_eligible_q(day))

    def died_between(self, first: datetime.date, last: datetime.date) -> "ModelWorkerQuerySet":
        return self.filter(died_on__gte=first, died_on__lte=last)


class ModelWorker(PersonWithResidentID):
    """A registered model worker (劳模) entitled to subsidies while living and not suspended."""

    name = models.CharField(_("姓名"), max_length=50)
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="model_workers"
    )
    honour_type = models.CharField(_("荣誉类型"), max_length=30, choices=HonourType.choices)
    award_year = models.PositiveSmallIntegerField(
        _("获评年份"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ModelWorkerStatus.choices, default=ModelWorkerStatus.REGISTERED
    )
    suspension_reason = models.CharField(_("暂停原因"), max_length=30, choices=SuspensionReason.choices, blank=True)
    suspended_on = models.DateField(_("暂停日期"), null=True, blank=True)
    suspension_ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    died_on = models.DateField(_("去世日期"), null=True, blank=True)
    is_retired = models.BooleanField(_("是否退休"), default=False)
    lives_outside_region = models.BooleanField(_("区外居住"), default=False)
    is_farmer_herder = models.BooleanField(_("是否农牧民"), default=False)
    residence = models.CharField(_("现居住地"), max_length=200, blank=True)
    bank_account = EncryptedCharField(_("银行账号"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ModelWorkerQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("劳模")
        verbose_name_plural = _("劳模")
        ordering = ["organization__sort_order", "name"]
        # One permission for every person's full ID number and bank account (households' too); each use is logged.
        permissions = [("unmask_personal_data", _("可以查看完整身份证号和银行账号"))]
        constraints = [
            models.CheckConstraint(
                name="modelworker_suspension_has_reason_and_date",
                violation_error_message=_("暂停享受待遇时必须填写暂停原因和暂停日期。"),
                condition=~models.Q(status=ModelWorkerStatus.SUSPENDED)
                | (models.Q(suspended_on__isnull=False) & ~models.Q(suspension_reason="")),
            ),
            models.CheckConstraint(
                name="modelworker_deceased_iff_died_on",
                violation_error_message=_("状态为“已故”时必须填写去世日期，其他状态不填。"),
                condition=models.Q(status=ModelWorkerStatus.DECEASED, died_on__isnull=False)
                | (~models.Q(status=ModelWorkerStatus.DECEASED) & models.Q(died_on__isnull=True)),
            ),
            models.CheckConstraint(
                name="modelworker_suspension_ends_after_start",
                violation_error_message=_("恢复日期不能早于暂停日期。"),
                condition=models.Q(suspension_ended_on__isnull=True)
                | models.Q(suspended_on__isnull=False, suspension_ended_on__gte=models.F("suspended_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.bank_account or "")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.status == ModelWorkerStatus.SUSPENDED:
            if not self.suspension_reason:
                errors["suspension_reason"] = _("暂停享受待遇时必须选择暂停原因。")
            if not self.suspended_on:
                errors["suspended_on"] = _("暂停享受待遇时必须填写暂停日期。")
        if self.status == ModelWorkerStatus.DECEASED and not self.died_on:
            errors["died_on"] = _("状态为“已故”时必须填写去世日期。")
        if self.status != ModelWorkerStatus.DECEASED and self.died_on:
            errors["died_on"] = _("只有状态为“已故”时才填写去世日期。")
        if self.suspension_ended_on and (not self.suspended_on or self.suspension_ended_on < self.suspended_on):
            errors["suspension_ended_on"] = _("恢复日期不能早于暂停日期。")
        if errors:
            raise ValidationError(errors)

    def is_suspended_on(self, day: datetime.date) -> bool:
        return eligibility.suspended(self.suspended_on, self.suspension_ended_on, day)

    def is_eligible_on(self, day: datetime.date) -> bool:
        return eligibility.model_worker_eligible(
            award_year=self.award_year,
            died_on=self.died_on,
            suspended_on=self.suspended_on,
            suspension_ended_on=self.suspension_ended_on,
            day=day,
        )


class LivingSurvey(models.Model):
    """生活状况摸底调查: must be done for the year (by end of October) before a model worker is paid."""

    model_worker = models.ForeignKey(
        ModelWorker, verbose_name=_("劳模"), on_delete=models.PROTECT, related_name="living_surveys"
    )
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("调查年度"), on_delete=models.PROTECT)
    surveyed_on = models.DateField(_("调查日期"))
    condition = models.CharField(_("生活状况"), max_length=20, choices=LivingCondition.choices)
    monthly_income = models.DecimalField(_("月收入（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    surveyor = models.CharField(_("调查人"), max_length=50, blank=True)
    summary = models.TextField(_("情况摘要"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "model_worker__organization"

    class Meta:
        verbose_name = _("劳模生活状况调查")
        verbose_name_plural = _("劳模生活状况调查")
        ordering = ["-fiscal_year__year", "model_worker"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_worker", "fiscal_year"],
                name="livingsurvey_one_per_worker_year",
                violation_error_message=_("该劳模本年度已有生活状况调查记录。"),
            ),
            models.CheckConstraint(
                name="livingsurvey_income_not_negative",
                violation_error_message=_("月收入不能为负数。"),
                condition=models.Q(monthly_income__isnull=True) | models.Q(monthly_income__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return _("{name} {year}年生活状况调查").format(name=self.model_worker.name, year=self.fiscal_year.year)

    def clean(self) -> None:
        if self.fiscal_year_id and self.surveyed_on and not self.fiscal_year.contains(self.surveyed_on):
            raise ValidationError({"surveyed_on": _("调查日期必须在{year}年内。").format(year=self.fiscal_year.year)})


class RosterEvent(models.Model):
    """One entry of a person's archive history (建档, 脱困, 重新建档, 暂停, 恢复, 去世, 信息变更): when it took effect,
    why, and who recorded it — by hand on the person's page or through an import batch.

    The roster row holds only the current state (one suspension, one 脱困 date); this keeps every earlier one.
    Append-only like the audit log: nothing edits or deletes an event.
    """

    household = models.ForeignKey(
        Household,
        verbose_name=_("困难职工家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    model_worker = models.ForeignKey(
        ModelWorker, verbose_name=_("劳模"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # The person's organisation when it happened: who may see the entry (scoping), kept if the person moves later.
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("变动类型"), max_length=20, choices=RosterEventKind.choices)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    import_batch = models.ForeignKey(
        "funds.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_events",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    changes = models.JSONField(_("变更（前/后）"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("档案变动记录")
        verbose_name_plural = _("档案变动记录")
        ordering = ["-effective_on", "-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="rosterevent_one_person",
                violation_error_message=_("一条档案变动记录只属于一户困难职工家庭或一名劳模。"),
                condition=models.Q(household__isnull=False, model_worker__isnull=True)
                | models.Q(household__isnull=True, model_worker__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"

    @property
    def changes_display(self) -> list[tuple[str, list[str]]]:
        """The before/after as the page shows it: field names and choice words, not column names and codes."""
        model = Household if self.household_id else ModelWorker
        fields = {field.attname: field for field in model._meta.concrete_fields}
        shown = []
        for name, pair in sorted(self.changes.items()):
            field = fields.get(name)
            if field is None:
                continue
            choices = dict(field.flatchoices) if field.choices else {}
            if field.get_internal_type() == "BooleanField":
                choices = {"True": _("是"), "False": _("否")}
            shown.append((str(field.verbose_name), [str(choices.get(value, value)) for value in pair]))
        return shown
