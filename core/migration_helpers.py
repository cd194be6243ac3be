"""Helpers for data migrations (imported by migrations, so they must stay backwards compatible)."""

from django.contrib.auth.management import create_permissions


def create_all_permissions(apps) -> None:
    """Django creates model permissions only after `migrate` finishes; a migration that grants them must create
    them first (the historical app configs need `models_module` set for create_permissions to act)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
