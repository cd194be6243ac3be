from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py load_demo`: the demo data set and one account per role. No models; refused with DEBUG off."""

    name = "demo"
    verbose_name = _("演示数据")
