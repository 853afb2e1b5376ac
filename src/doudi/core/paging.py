"""One way to page long lists, so no screen silently cuts a county's list at an arbitrary row."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def paginate(request, items, per_page: int = PER_PAGE) -> Page:
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.querystring = params.urlencode()  # the filters, kept on every page link
    return page
