"""Stamps of what a computation read, so its result can be cached exactly: any change makes a new stamp."""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet


def table_stamp(queryset: QuerySet) -> list:
    """(rows, highest id, latest change) of a queryset: an insert, a delete or an edit (through `updated_at`, which
    every write path of these tables sets) changes it. Rows edited without `updated_at` must be stamped otherwise."""
    aggregates = {"n": Count("pk"), "last": Max("pk")}
    if any(field.name == "updated_at" for field in queryset.model._meta.concrete_fields):
        aggregates["changed"] = Max("updated_at")
    return [str(value) for value in queryset.aggregate(**aggregates).values()]


def cached_for_version(version: str, key: tuple, compute: Callable[[], Any], *, timeout: int = 24 * 3600) -> Any:
    """`compute()` once per `version` and `key` (a value of None is computed every time)."""
    cache_key = "versioned:" + hashlib.sha256(repr((version, key)).encode()).hexdigest()
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, timeout=timeout)
    return found
