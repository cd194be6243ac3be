from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: scoping, permissions, encrypted fields, money, downloads, admin bases, database guards.

    It holds no domain models and imports no domain app (tests/core/test_layering.py), so any app may depend on it.
    """

    name = "core"
    verbose_name = _("公共组件")
