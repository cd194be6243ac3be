from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from funds.models import FiscalYear, User
from funds.scoping import Action, permission_name


def ensure_allowed(*, user: User, obj: models.Model, action: Action | str) -> None:
    """Services re-check scope themselves, so no caller (view, command, test) can skip it."""
    if not type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("您无权对该{model}执行此操作。").format(model=type(obj)._meta.verbose_name))


def ensure_permission(*, user: User, model: type[models.Model], action: Action | str) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(permission_name(model, action))):
        raise PermissionDenied(_("您无权执行此操作。"))


def fiscal_year_get_or_create(*, year: int) -> FiscalYear:
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear(year=year)
        fiscal_year.full_clean()
        fiscal_year.save()
    return fiscal_year


def clean_without_queries(obj: models.Model) -> None:
    """`full_clean()` for bulk writers: every field and `clean()` rule, but none of the per-row queries.

    Foreign-key existence, uniqueness and constraints are skipped here because the bulk writer holds the
    related objects already and the database enforces the named constraints on insert (all-or-nothing,
    inside the writer's transaction). Roughly 13 queries a row saved this way.
    """
    obj.full_clean(exclude=_relation_names(type(obj)), validate_unique=False, validate_constraints=False)


@cache
def _relation_names(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.is_relation]
