"""Helpers for data migrations (imported by migrations, so they must stay backwards compatible)."""

from django.contrib.auth.management import create_permissions


def create_all_permissions(apps) -> None:
    """Django creates model permissions only after `migrate` finishes; a migration that grants them must create
    them first (the historical app configs need `models_module` set for create_permissions to act)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_model_permissions(apps, *, app_label: str, model: str, grants: dict[str, tuple[str, ...]]) -> None:
    """Give each named group (created if missing) the listed actions ("view", "add", …) on one model."""
    create_all_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
            )
        )
