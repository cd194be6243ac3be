"""System checks of the shared plumbing: the configured keys are the ones the stored data was written with."""

from django.core.checks import Error, register

from core.keys import key_problems


@register("security")
def keys_match_the_data(app_configs=None, databases=None, **kwargs) -> list[Error]:
    # Run by every management command (db_worker and migrate included) and by `check`; gunicorn's workers call
    # core.keys.ensure_keys_match() from config/wsgi.py, since gunicorn runs no system checks.
    return [
        Error(problem.message, id="core.E001" if not problem.rotation_pending else "core.E002", obj=problem.name)
        for problem in key_problems()
    ]
