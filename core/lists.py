"""How every list page is built (as NetBox does): django-filter for the filters in the query string, django-tables2
for sortable columns and pagination, and one formatted `.xlsx` export of exactly what is filtered.

A view passes the scoped queryset, its FilterSet and its Table; `list_page` answers the page, or the export when
the query string says `export=xlsx`. Exports go through core.exports.formatted_workbook rather than tablib: tablib's
xlsx has no number formats, frozen header, widths, autofilter or totals row, which is what clerks print.
"""

from collections.abc import Callable
from typing import Any

import django_filters
import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRows

from core.exports import ExportColumn, attachment, formatted_workbook, official_language
from core.money import ZERO, format_yuan
from core.scoping import Action
from core.search_tokens import redirect_without_term, term_behind

StrOrPromise = str | Promise
PER_PAGE_CHOICES = (25, 50, 100, 200)
EXPORT_ROW_LIMIT = 200_000


def scoped(model, action: Action = Action.VIEW) -> Callable[[HttpRequest | None], QuerySet]:
    """The choices of a filter: the objects of `model` the requesting user may see (django-filter calls this with the
    request), nothing without a request."""

    def choices(request: HttpRequest | None) -> QuerySet:
        return model.objects.restrict(request.user, action) if request else model.objects.none()

    return choices


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a free-text `q` box; subclasses say what it searches in `search(queryset, term)`.

    A term that is personal data (`protect(term)` returns its masked form) does not stay in the address bar, the
    history or the next page's Referer: list_page answers with a redirect whose `q` is the masked form and a token
    naming the real term, kept in the session.
    """

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")

    @classmethod
    def protect(cls, term: str) -> str | None:
        return None

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = term_behind(self.request, value.strip())
        return self.search(queryset, value) if value else queryset

    def search(self, queryset: QuerySet, term: str) -> QuerySet:
        raise NotImplementedError


class StatusColumn(tables.Column):
    """A state as the app shows states everywhere (a coloured label); exported as its words."""

    def render(self, value, record, bound_column):
        # django-tables2 hands over the choice's words (get_FOO_display); the class needs the stored value.
        stored = bound_column.accessor.resolve(record)
        return format_html('<span class="status status-{}">{}</span>', stored, value)


class ExportableTable(tables.Table):
    """A django-tables2 table that also says how each of its columns exports (Meta.export = {name: kind}, and
    `export_value(record, name)` for a column whose cell is not its plain accessor)."""

    export_kinds: dict[str, str] = {}

    def export_columns(self) -> list[tuple[str, ExportColumn]]:
        return [
            (column.name, ExportColumn(str(column.header), self.export_kinds.get(column.name, "text")))
            for column in self.columns
            if column.name not in getattr(self.Meta, "exclude_from_export", ())
        ]

    def export_value(self, record: Any, name: str) -> Any:
        column = self.columns[name]
        value = column.accessor.resolve(record, quiet=True) if column.accessor else None
        return "" if value is None else value


def summed(*names: str) -> Callable[[QuerySet], dict[str, Any]]:
    """A list's 合计 row: each named column (a field or an annotation) summed by the database over every filtered row,
    not over the page shown."""

    def totals(rows: QuerySet) -> dict[str, Any]:
        sums = rows.aggregate(**{f"total_{name}": Sum(name) for name in names})
        return {name: sums[f"total_{name}"] or ZERO for name in names}

    return totals


def per_page(request: HttpRequest) -> int:
    try:
        wanted = int(request.GET.get("per_page", ""))
    except ValueError:
        return PER_PAGE_CHOICES[0]
    return wanted if wanted in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]


def with_tiebreak(queryset: QuerySet) -> QuerySet:
    """The queryset's order with the primary key last: rows that tie on the sort keep one order from page to page."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not any(isinstance(key, str) and key.lstrip("-") in ("pk", "id") for key in ordering):
        ordering.append("-pk" if ordering and isinstance(ordering[0], str) and ordering[0].startswith("-") else "pk")
    return queryset.order_by(*ordering)


class LateLookupPaginator(Paginator):
    """Pages a queryset in two steps: the page's ids first (the sort and the filters only, no joins — an index walk
    even a million rows deep), then those rows with everything the table shows. The same rows in the same order as
    slicing the queryset; at page 20,000 of the payments this is a tenth of the time."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list  # django-tables2's BoundRows over its TableQuerysetData
        queryset = getattr(getattr(rows, "data", None), "data", None)
        if not isinstance(queryset, QuerySet) or any(rows.pinned_data.values()):
            return self._get_page(rows[bottom:top], number, self)
        ids = list(with_tiebreak(queryset).values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        page_rows = BoundRows(data=[found[pk] for pk in ids if pk in found], table=rows.table)
        return self._get_page(page_rows, number, self)


def list_page(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    filterset_class: type[django_filters.FilterSet],
    table_class: type[ExportableTable],
    template_name: str,
    title: StrOrPromise,
    export_name: StrOrPromise,
    totals: Callable[[QuerySet], dict[str, Any]] | None = None,
    personal_data: bool = False,
    context: dict | None = None,
) -> HttpResponse:
    """The list page (or its export) for a queryset that is already scoped to the user (`restrict`)."""
    term = request.GET.get("q", "").strip()
    masked = filterset_class.protect(term) if issubclass(filterset_class, SearchFilterSet) and term else None
    if masked is not None:
        return redirect_without_term(request, parameter="q", term=term, masked=masked)
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs  # unfiltered when unbound; an invalid filter is shown with its error and not applied
    table = table_class(rows, request=request)
    summed = totals(rows) if totals else {}
    if request.GET.get("export") == "xlsx":
        RequestConfig(request, paginate=False).configure(table)
        return _export(table, title=title, export_name=export_name, totals=summed, personal_data=personal_data)
    RequestConfig(request, paginate={"per_page": per_page(request), "paginator_class": LateLookupPaginator}).configure(
        table
    )
    totals_display = [
        (str(table.columns[name].header) if name in table.columns.names() else name, _formatted(table, name, value))
        for name, value in summed.items()
    ]
    query = request.GET.copy()
    query["export"] = "xlsx"
    query.pop("page", None)
    return render(
        request,
        template_name,
        {
            "title": title,
            "filter": filterset,
            "table": table,
            "totals": summed,
            "totals_display": totals_display,
            "total_count": table.paginator.count,
            "export_query": query.urlencode(),
            "per_page_choices": PER_PAGE_CHOICES,
            "per_page": per_page(request),
            **(context or {}),
        },
    )


def rows_page(
    request: HttpRequest,
    *,
    rows: list,
    table_class: type[ExportableTable],
    template_name: str,
    title: StrOrPromise,
    export_name: StrOrPromise,
    totals: dict[str, Any] | None = None,
    personal_data: bool = False,
    context: dict | None = None,
) -> HttpResponse:
    """A list page (or its export) over rows a selector computed (not a queryset): sortable, paginated and exported
    the same way as list_page's, without the filter form (the page's own selectors choose the rows)."""
    table = table_class(rows, request=request)
    summed = totals or {}
    if request.GET.get("export") == "xlsx":
        RequestConfig(request, paginate=False).configure(table)
        return _export(table, title=title, export_name=export_name, totals=summed, personal_data=personal_data)
    RequestConfig(request, paginate={"per_page": per_page(request)}).configure(table)
    query = request.GET.copy()
    query["export"] = "xlsx"
    query.pop("page", None)
    return render(
        request,
        template_name,
        {
            "title": title,
            "table": table,
            "totals": summed,
            "total_count": table.paginator.count,
            "export_query": query.urlencode(),
            **(context or {}),
        },
    )


def _formatted(table: ExportableTable, name: str, value: Any) -> str:
    kind = table.export_kinds.get(name)
    if kind == "money":
        return format_yuan(value)
    if kind == "count":
        return f"{int(value):,}"
    return str(value)


def _export(table, *, title, export_name, totals, personal_data) -> HttpResponse:
    # Sorted as on the page (the table's order_by), every filtered row (up to a limit), not only the shown page;
    # an official output, so in Chinese whatever the interface language (titles and headers are lazy strings).
    ordered = table.data.data
    with official_language():
        columns = table.export_columns()
        names = [name for name, _column in columns]
        limited = ordered[:EXPORT_ROW_LIMIT]
        records = limited.iterator() if hasattr(limited, "iterator") else iter(limited)
        body = ([table.export_value(record, name) for name in names] for record in records)
        content = formatted_workbook(
            title=str(title),
            columns=[column for _name, column in columns],
            rows=body,
            totals={names.index(name): value for name, value in totals.items() if name in names},
            personal_data=personal_data,
        )
        filename = f"{export_name}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return attachment(content, filename, fallback=f"export-{stamp}.xlsx")
