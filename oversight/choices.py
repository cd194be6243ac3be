from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectionKind(models.TextChoices):
    OBJECTION = "objection", _("异议")
    COMPLAINT = "complaint", _("投诉")


class ObjectionChannel(models.TextChoices):
    PUBLICITY = "publicity", _("公示反馈")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("来访")
    LETTER = "letter", _("信函")
    ONLINE = "online", _("网络")
    VERIFICATION = "verification", _("回访发现")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已办结")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class VisitMethod(models.TextChoices):
    HOME = "home", _("入户走访")
    PHONE = "phone", _("电话回访")


class Receipt(models.TextChoices):
    RECEIVED = "received", _("已收到")
    NOT_RECEIVED = "not_received", _("未收到")
    PROBLEMS = "problems", _("收到但有问题")
    UNREACHABLE = "unreachable", _("未联系上")


class DuplicateKind(models.TextChoices):
    TWO_ROSTERS = "two_rosters", _("同一身份证号登记在两个单位")
    NAME_AND_BIRTH = "name_and_birth", _("姓名、出生日期相同而身份证号不同")


class DuplicateDecision(models.TextChoices):
    OPEN = "open", _("待处理")
    MERGED = "merged", _("合并（保留其一）")
    KEPT_BOTH = "kept_both", _("确认不是同一人，均保留")
    REMOVED = "removed", _("删除其一（登记有误）")
