""" "What needs me now" on the home page: each app says what waits for the user in its own terms.

The home page belongs to the money app, which must not reach up into evaluation or reports (the layering
contracts); so the apps register providers in settings.HOME_TODO_PROVIDERS — dotted paths to functions
`(user, fiscal_year) -> list[Todo]`, as Django's own context processors are registered — and the page collects them.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Todo:
    """One thing waiting for the user: what, how many, where to do it. `urgent` items are listed first."""

    message: str
    url: str
    count: int = 1
    urgent: bool = False


def collect_todos(*, user: Any, fiscal_year: Any) -> list[Todo]:
    todos: list[Todo] = []
    for path in settings.HOME_TODO_PROVIDERS:
        todos.extend(import_string(path)(user, fiscal_year))
    return sorted(todos, key=lambda todo: not todo.urgent)
