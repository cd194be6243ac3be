"""The bank's part of "what needs me now" (core.todos): batches waiting for a second finance user to release, and
returned payments waiting for 补发 or 追回."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.scoping import Action
from core.todos import Todo
from funds.models import FiscalYear, User
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome
from payouts.models import BankBatch, BankBatchLine


def finance_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    todos = []
    if user.has_perm("payouts.release_bankbatch"):
        waiting = (
            BankBatch.objects.restrict(user, Action.VIEW)
            .filter(status=BankBatchStatus.PREPARED)
            .exclude(prepared_by=user)
            .select_related("organization", "prepared_by")
        )
        for batch in waiting:
            todos.append(
                Todo(
                    _("待您放行：代发批次 {number}（{org}，{n} 笔，{by} 制单）").format(
                        number=batch.number, org=batch.organization.short_name, n=batch.line_count, by=batch.prepared_by
                    ),
                    reverse("payouts:batch_detail", args=[batch.pk]),
                    urgent=True,
                )
            )
    if user.has_perm("payouts.change_bankbatchline"):
        returned = BankBatchLine.objects.restrict(user, Action.VIEW).filter(
            outcome=LineOutcome.FAILED, follow_up=FollowUp.OPEN
        )
        count = returned.count()
        if count:
            todos.append(
                Todo(
                    _("{n} 笔银行退票待补发或追回").format(n=count),
                    reverse("payouts:returned_list") + "?follow_up=open",
                    count=count,
                )
            )
    return todos
