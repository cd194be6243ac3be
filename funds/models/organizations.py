from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TwoPersonDecision, decided_by_another_person
from core.scoping import NaturalKeyManager, RestrictedQuerySet
from funds.choices import OrganizationKind, Role


class Organization(models.Model):
    """A union in the tree: the federation at the root, prefecture and industry unions beneath it."""

    code = models.CharField(_("单位代码"), max_length=20, unique=True)
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    in_southern_xinjiang = models.BooleanField(_("南疆四地州"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = NaturalKeyManager()
    scope_path = "id"
    natural_key_fields = ("code",)

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="organization_root_is_federation",
                violation_error_message=_("只有自治区总工会没有上级单位，其他单位必须有上级单位。"),
                condition=models.Q(kind=OrganizationKind.FEDERATION, parent__isnull=True)
                | (~models.Q(kind=OrganizationKind.FEDERATION) & models.Q(parent__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位。")})
                ancestor = ancestor.parent

    def holds_users_or_data(self) -> bool:
        """Whether anything but the tree itself points at this organisation or one below it (users, rosters,
        payments, plans, imports …): then moving it changes who may see that data."""
        ids = self.subtree_ids()
        for relation in self._meta.related_objects:
            model = relation.related_model
            if model is Organization or model is OrganizationMove or not relation.one_to_many:
                continue
            if model._base_manager.filter(**{f"{relation.field.name}__in": ids}).exists():
                return True
        return False

    def subtree_ids(self) -> list[int]:
        """This organisation and every descendant (the tree is shallow: a query per level)."""
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            frontier = list(Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class OrganizationMove(TwoPersonDecision):
    """Re-parenting an organisation that holds users or data, proposed by one administrator and confirmed by another.

    Moving 和田 under 喀什 would give 喀什's operator 和田's rosters and payments: a change of scope no single person
    should make alone.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="moves"
    )
    from_parent = models.ForeignKey(
        Organization, verbose_name=_("原上级单位"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_parent = models.ForeignKey(
        Organization, verbose_name=_("新上级单位"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta(TwoPersonDecision.Meta):
        verbose_name = _("单位隶属调整")
        verbose_name_plural = _("单位隶属调整")
        constraints = [
            decided_by_another_person(_("单位隶属调整须由申请人以外的另一位管理员确认。")),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="pending"),
                name="organizationmove_one_pending_per_organization",
                violation_error_message=_("该单位已有待确认的隶属调整。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.to_parent}"


class ScopedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Belongs to one organisation; the role is the user's group."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    must_change_password = models.BooleanField(
        _("须修改密码"), default=True, help_text=_("新账号和被重置密码的账号在下次登录时必须先修改密码。")
    )

    objects = ScopedUserManager()
    scope_path = "organization"

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="user_has_organization_unless_superuser",
                violation_error_message=_("每个用户必须属于一个单位。"),
                condition=models.Q(is_superuser=True) | models.Q(organization__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    @property
    def display_name(self) -> str:
        """The name as the menu shows it: 姓名 (Chinese order, no space), else the user name."""
        return f"{self.last_name}{self.first_name}".strip() or self.username

    def clean(self) -> None:
        super().clean()
        if not self.is_superuser and self.organization_id is None:
            raise ValidationError({"organization": _("每个用户必须属于一个单位。")})

    @cached_property
    def roles(self) -> frozenset[Role]:
        """Every role the user's groups name. The admin refuses a second one; rules that depend on the role (the
        second factor) look at all of them, so a user given two anyway gets the stricter rule, not the first's."""
        names = set(self.groups.values_list("name", flat=True))
        return frozenset(role for role in Role if role.value in names)

    @cached_property
    def role(self) -> Role | None:
        return next((role for role in Role if role in self.roles), None)

    def scope_organization_ids(self) -> list[int]:
        if not hasattr(self, "_scope_ids"):
            self._scope_ids = self.organization.subtree_ids() if self.organization_id else []
        return self._scope_ids
