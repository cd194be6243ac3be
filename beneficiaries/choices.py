from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerCategory(models.TextChoices):
    WORKER = "worker", _("职工")
    MIGRANT_WORKER = "migrant_worker", _("农民工")


class HardshipType(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")


class HouseholdStatus(models.TextChoices):
    ARCHIVED = "archived", _("在档")
    LIFTED_OUT = "lifted_out", _("已脱困")


class HonourType(models.TextChoices):
    REGIONAL_MODEL_WORKER = "regional_model_worker", _("自治区劳动模范")
    REGIONAL_ADVANCED_WORKER = "regional_advanced_worker", _("自治区先进工作者")
    NATIONAL_MODEL_WORKER = "national_model_worker", _("全国劳动模范")
    NATIONAL_MAY_DAY_MEDAL = "national_may_day_medal", _("全国五一劳动奖章获得者")
    REGIONAL_TREATMENT = "regional_treatment", _("享受自治区劳模待遇")


class ModelWorkerStatus(models.TextChoices):
    REGISTERED = "registered", _("在册")
    SUSPENDED = "suspended", _("暂停")
    DECEASED = "deceased", _("已故")


class SuspensionReason(models.TextChoices):
    VIOLATION = "violation", _("违法违纪")
    UNDER_INVESTIGATION = "under_investigation", _("被立案调查")
    HONOUR_REVOKED = "honour_revoked", _("荣誉称号被撤销")
    EMIGRATED = "emigrated", _("出国（境）定居")
    LOST_CONTACT = "lost_contact", _("去向不明且失去联系")


class LivingCondition(models.TextChoices):
    GOOD = "good", _("良好")
    AVERAGE = "average", _("一般")
    HARDSHIP = "hardship", _("困难")
    SPECIAL_HARDSHIP = "special_hardship", _("特殊困难")


class RosterEventKind(models.TextChoices):
    """What happened to a person's record (档案变动): the roster keeps the current state, this the history."""

    ARCHIVED = "archived", _("建档")
    REARCHIVED = "rearchived", _("重新建档")
    LIFTED_OUT = "lifted_out", _("脱困")
    REGISTERED = "registered", _("登记入册")
    SUSPENDED = "suspended", _("暂停享受待遇")
    REINSTATED = "reinstated", _("恢复享受待遇")
    DECEASED = "deceased", _("去世")
    UPDATED = "updated", _("信息变更")
