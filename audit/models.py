from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from core.scoping import RestrictedQuerySet


class AuditEvent(models.Model):
    """One recorded event: who, when, from where, what, and what changed (before/after).

    Append-only: the database refuses UPDATE and DELETE (audit/migrations, core.db_guards). Rows are chained:
    `chain_hash` is an HMAC over this row's content and the previous row's `chain_hash`, keyed by a secret outside
    the database, so editing, removing or inserting a row anywhere before the last one breaks the chain at that row
    (`python manage.py verify_audit`). Clear ID numbers never enter the log; values are masked before recording.
    """

    sequence = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # the log outlives anything it mentions
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.CharField(_("来源地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    changes = models.JSONField(_("变更（前/后）"), default=dict, blank=True)
    previous_hash = models.CharField(_("上一条哈希"), max_length=64)
    chain_hash = models.CharField(_("本条哈希"), max_length=64, unique=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["occurred_at"], name="auditevent_occurred_at"),
            models.Index(fields=["actor_username", "occurred_at"], name="auditevent_actor"),
            models.Index(fields=["action", "occurred_at"], name="auditevent_action"),
            models.Index(fields=["object_type", "object_id"], name="auditevent_object"),
        ]
        permissions = [("verify_auditevent", _("可以校验审计日志与发放记录的完整性"))]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_username} {self.get_action_display()} {self.object_repr}"


class AuditHead(models.Model):
    """Where the chain ends, kept apart from the table it protects and signed with the chain key.

    One row, moved forward by every event in the same transaction. Deleting the newest events, truncating the log or
    restarting it from genesis leaves the events short of the head — which cannot be rewritten to match without the
    key (held outside the database) — so `verify_audit` reports it. A database trigger lets the row only move forward.
    """

    sequence = models.PositiveBigIntegerField(_("最后序号"))
    chain_hash = models.CharField(_("最后哈希"), max_length=64)
    signature = models.CharField(_("签名"), max_length=64)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("审计日志链头")
        verbose_name_plural = _("审计日志链头")

    def __str__(self) -> str:
        return f"#{self.sequence}"
