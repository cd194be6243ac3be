"""The one place that decides which rows a user may see or act on.

Every view, form choice field, export, import and admin page narrows its queryset with
``Model.objects.restrict(user, action)`` (as NetBox does). Two things must both hold:

* the user holds the model permission for the action (``funds.view_disbursement`` …), granted through
  the role groups; auditors hold only ``view_*``, so every write is empty for them;
* the row belongs to the user's organisation or one of its descendants. Finance staff and the audit
  office sit at the federation, the root, so they see every organisation; a prefecture operator sees
  their prefecture only.

Models declare how they reach an organisation with ``scope_path`` (an ORM path to `Organization`,
``None`` for reference data every signed-in user may read, e.g. programs and appropriations).
Views fetch single objects with ``get_object_or_404(...restrict(...))`` so a forbidden object is a 404.
"""

from enum import StrEnum
from typing import Protocol

from django.db import models


class ScopedUser(Protocol):
    """What scoping needs of a user (the project's user model provides it): Django's permission API and the ids of
    the organisations the user's data scope covers."""

    is_authenticated: bool
    is_active: bool
    is_superuser: bool

    def has_perm(self, perm: str, obj: object = None) -> bool: ...

    def scope_organization_ids(self) -> list[int]: ...


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"


def _path_is_multi_valued(model: type[models.Model], path: str) -> bool:
    current = model
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        current = field.related_model
    return False


def permission_name(model: type[models.Model], action: Action | str) -> str:
    # A model derived from another (a summary of a ledger) is seen by whoever may see the rows it summarises.
    app_label, model_name = getattr(model, "permission_from", (model._meta.app_label, model._meta.model_name))
    return f"{app_label}.{action}_{model_name}"


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: ScopedUser | None, action: Action | str = Action.VIEW) -> "RestrictedQuerySet":
        model = self.model
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not user.has_perm(permission_name(model, action)):
            return self.none()
        if user.is_superuser:
            return self
        path = getattr(model, "scope_path", None)
        if path is None:
            return self
        org_ids = user.scope_organization_ids()
        if not org_ids:
            return self.none()
        condition = models.Q(**{f"{path}__in": org_ids})
        if getattr(model, "scope_null_is_shared", False):
            # Rows without an organisation (e.g. a province-wide payment standard) apply to everyone.
            condition |= models.Q(**{f"{path}__isnull": True})
        if _path_is_multi_valued(model, path):
            return self.filter(pk__in=model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass


class NaturalKeyManager(RestrictedManager):
    """For reference data kept in fixtures (`setup_reference_data`): rows are found by the model's
    `natural_key_fields` (e.g. an organisation by its code), never by a database id that differs between databases."""

    def get_by_natural_key(self, *key: object) -> models.Model:
        fields = self.model.natural_key_fields
        if len(key) != len(fields):
            raise ValueError(f"{self.model._meta.label} natural key is {fields}, got {key!r}")
        return self.get(**dict(zip(fields, key, strict=True)))
