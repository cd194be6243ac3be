"""The lists' paginator: a page's rows fetched by id after the sort, the same rows in the same order as a slice."""

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from beneficiaries.models import ModelWorker
from beneficiaries.tables import ModelWorkerTable
from core.lists import LateLookupPaginator, with_tiebreak
from tests.factories import ModelWorkerFactory, organization


@pytest.mark.parametrize("sort", ["name", "-name", "award_year", "-award_year"])
def test_every_page_holds_the_rows_a_slice_of_the_sorted_list_holds(users, sort):
    for i in range(23):
        ModelWorkerFactory(name=f"劳模{i % 7}", award_year=2000 + i % 3, organization=organization("653100"))
    seen = []
    for page in (1, 2, 3, 4, 5):
        request = RequestFactory().get("/", {"page": page, "sort": sort})
        request.user = users.finance
        table = ModelWorkerTable(ModelWorker.objects.restrict(users.finance), request=request)
        RequestConfig(request, paginate={"per_page": 5, "paginator_class": LateLookupPaginator}).configure(table)
        expected = list(with_tiebreak(table.data.data)[(page - 1) * 5 : page * 5])
        assert [row.record for row in table.page.object_list] == expected
        seen += expected
    assert len(seen) == 23 and len({worker.pk for worker in seen}) == 23
    assert table.paginator.count == 23
