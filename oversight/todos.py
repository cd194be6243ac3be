"""Objections' part of "what needs me now" (core.todos): the open ones past their due date, for whoever handles them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scoping import Action
from core.todos import Todo
from funds.models import FiscalYear, User
from oversight.choices import ObjectionStatus
from oversight.models import Objection


def objection_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    if not user.has_perm("oversight.change_objection"):
        return []
    overdue = (
        Objection.objects.restrict(user, Action.CHANGE)
        .filter(status=ObjectionStatus.OPEN, deadline__lt=timezone.localdate())
        .count()
    )
    if not overdue:
        return []
    return [
        Todo(
            _("{n} 件异议或投诉已超过办结期限").format(n=overdue),
            reverse("oversight:objection_list") + "?overdue=on",
            count=overdue,
            urgent=True,
        )
    ]
