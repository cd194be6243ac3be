from django.conf import settings


def limit(name: str, default: int) -> int:
    """An upload limit from the settings (config/settings.py documents each)."""
    return int(getattr(settings, name, default))
