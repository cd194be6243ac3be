from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: scoping, permissions, encrypted fields, money, downloads, admin bases, database guards.

    Its one model records the fingerprints of the keys the data was written with (core.keys). It imports no domain
    app (tests/core/test_layering.py), so any app may depend on it.
    """

    name = "core"
    verbose_name = _("公共组件")

    def ready(self) -> None:
        from django.db.models import fields

        from core import checks  # noqa: F401  (registers the key check)
        from core.forms import EMPTY_CHOICE

        # Django 6.1's new blank choice ("- Select an option -") has no Chinese translation yet; Django asks projects
        # to set their own here. The same words as every form of the app.
        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE
