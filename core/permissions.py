"""Permission checks that services repeat themselves, so no caller (view, command, test) can skip them."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import Action, ScopedUser, permission_name


def ensure_allowed(*, user: ScopedUser, obj: models.Model, action: Action | str) -> None:
    """The user may act on this very row: the model permission and the row within the user's scope."""
    if not type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("您无权对该{model}执行此操作。").format(model=type(obj)._meta.verbose_name))


def ensure_permission(*, user: ScopedUser, model: type[models.Model], action: Action | str) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(permission_name(model, action))):
        raise PermissionDenied(_("您无权执行此操作。"))
