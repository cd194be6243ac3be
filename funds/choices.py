from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    FEDERATION = "federation", _("自治区总工会")
    PREFECTURE = "prefecture", _("地州市工会")
    INDUSTRY = "industry", _("产业（集团）公司工会")


class BeneficiaryKind(models.TextChoices):
    HOUSEHOLD = "household", _("困难职工家庭")
    MODEL_WORKER = "model_worker", _("劳模")


class PaymentFrequency(models.TextChoices):
    ONCE_PER_YEAR = "once_per_year", _("每年至多一次")
    RECURRING = "recurring", _("可多次发放")


class FundingSource(models.TextChoices):
    # The three rows of the 自评表 header under 年度资金总额.
    CURRENT_FISCAL = "current_fiscal", _("当年财政拨款")
    CARRIED_OVER = "carried_over", _("上年结转资金")
    OTHER = "other", _("其他资金")


# The sources an allocation plan distributes: a sub-unit's payments from these draw on what the plan gave it.
# Money from the other sources (上年结转, 部门预算等其他资金) is not allocated by this year's plans; it counts
# against what was received from that source.
PLAN_FUNDED_SOURCES = frozenset({FundingSource.CURRENT_FISCAL})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审批")
    APPROVED = "approved", _("已审批")


class StandardType(models.TextChoices):
    FIXED = "fixed", _("固定标准")
    RANGE = "range", _("区间标准")


class PaymentMethod(models.TextChoices):
    BANK_AGENCY = "bank_agency", _("银行代发")
    PERSONAL_TRANSFER = "personal_transfer", _("个人账户转账")
    CASH = "cash", _("现金")


class DisbursementStatus(models.TextChoices):
    POSTED = "posted", _("已入账")
    REVERSED = "reversed", _("已冲销")


class ImportKind(models.TextChoices):
    DISBURSEMENTS = "disbursements", _("发放明细")
    MODEL_WORKERS = "model_workers", _("劳模名册")
    HOUSEHOLDS = "households", _("困难职工档案")
    LIVING_SURVEYS = "living_surveys", _("劳模生活状况摸底调查")
    DEMO = "demo", _("演示数据")


class UnknownStatusDate(models.TextChoices):
    """What a roster row with 状态 暂停 / 已故 (or 在册 after a suspension) but no date means; never guessed."""

    REFUSE = "refuse", _("不接受：须填写暂停日期、去世日期或恢复日期")
    YEAR_START = "year_start", _("日期不详的，视为自所选年度 1 月 1 日起生效")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("校验中")
    REFUSED = "refused", _("校验未通过")
    PREVIEWED = "previewed", _("待确认")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    REVERSED = "reversed", _("已整批冲销")
    # The uploader decided not to import a previewed file (wrong file, wrong month): nothing was written.
    DISCARDED = "discarded", _("已放弃")
    # The system failed (not the file): nothing was written; the uploader may try again or call the administrator.
    FAILED = "failed", _("处理失败")


class Role(models.TextChoices):
    """Each role is a Django group of the same name (created by migration funds 0003)."""

    FINANCE = "finance_staff", _("财务人员")
    OPERATOR = "org_operator", _("单位经办人")
    AUDITOR = "auditor", _("审计人员")
    # The federation's program department (权益保障部 for 帮扶, 经济技术劳动保护部 for 劳模): drafts and submits the
    # year's 绩效目标表; sees indicators and reports, never payments or personal data.
    DEPARTMENT = "department_staff", _("业务部门人员")
    # 三权分立 (等保 2.0 level 3): the system, security and audit administrators check one another; none handles money.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# Roles that must sign in with a second factor (TOTP) where TWO_FACTOR_REQUIRED is on.
TWO_FACTOR_ROLES = {Role.FINANCE, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
