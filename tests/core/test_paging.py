from django.test import RequestFactory

from doudi.core.paging import paginate


def test_pages_keep_the_filters_and_never_drop_rows():
    request = RequestFactory().get("/cases/", {"state": "accepted", "overdue": "1", "page": "3"})
    page = paginate(request, list(range(120)), per_page=50)
    assert list(page.object_list) == list(range(100, 120))
    assert page.paginator.count == 120 and page.paginator.num_pages == 3
    assert "page" not in page.querystring and "state=accepted" in page.querystring and "overdue=1" in page.querystring


def test_a_bad_page_number_shows_a_page_instead_of_failing():
    page = paginate(RequestFactory().get("/", {"page": "abc"}), list(range(10)))
    assert page.number == 1
