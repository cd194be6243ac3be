"""The users page's filters (django-filter), on the queryset of accounts.selectors.users_for."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.choices import UserState
from core.lists import SearchFilterSet, scoped
from funds.choices import Role
from funds.models import Organization, User


class UserFilterSet(SearchFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=scoped(Organization), empty_label=_("全部")
    )
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=Role.choices, empty_label=_("全部"), field_name="role_name"
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=UserState.choices, empty_label=_("全部"), method="filter_state"
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = _("用户名 / 姓名 / 邮箱")

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        # 张三 is typed as one word; the account keeps 姓 (last_name) and 名 (first_name) apart.
        return queryset.filter(
            Q(username__icontains=term)
            | Q(email__icontains=term)
            | Q(last_name__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name=term[:1], first_name__startswith=term[1:])
        )

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        match value:
            case UserState.ACTIVE:
                return queryset.filter(is_active=True)
            case UserState.DISABLED:
                return queryset.filter(is_active=False)
            case UserState.LOCKED:
                return queryset.filter(locked=True)
            case UserState.MUST_CHANGE_PASSWORD:
                return queryset.filter(must_change_password=True, is_active=True)
            case UserState.NO_AUTHENTICATOR:
                return queryset.filter(has_authenticator=False, is_active=True)
            case UserState.ROLE_PENDING:
                return queryset.filter(pending_role__isnull=False)
        return queryset
