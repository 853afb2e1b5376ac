"""Search terms stay out of URLs (issue 13 item 4).

A list screen's search form posts its term; the server keeps the term in the user's session under an opaque token
and answers with a redirect to the list's URL carrying only ``s=<token>`` (post/redirect/get; HTMX follows the
redirect and pushes that URL). So a resident ID or a phone number typed into a search box never reaches the address
bar, the browser history, paging and export links, or a proxy's access log. The list (and its export) read the term
back with ``search_term``. An old link with the term in ``?q=`` still works; if the term holds a long number it is
moved behind a token at once (``legacy_redirect``).
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpResponseRedirect, QueryDict

PARAM = "s"
_SESSION_KEY = "doudi_search_terms"
_KEEP = 20  # the last searches of a session that a paging or export link may still name
_LONG_NUMBER = re.compile(r"\d{10,}")  # resident IDs (and their first digits), phone numbers, account numbers


def needs_token(term: str) -> bool:
    return bool(_LONG_NUMBER.search(term or ""))


def term_token(request, term: str) -> str:
    """The token that names ``term`` in this session (the same term keeps its token)."""
    terms: dict[str, str] = dict(request.session.get(_SESSION_KEY, {}))
    token = next((t for t, v in terms.items() if v == term), None) or secrets.token_urlsafe(9)
    terms.pop(token, None)
    terms[token] = term
    request.session[_SESSION_KEY] = dict(list(terms.items())[-_KEEP:])
    return token


def search_term(request, name: str = "q") -> str:
    """The list's search term: behind the token if there is one (an unknown or expired token is no search), else
    the plain ``?q=`` of an old link."""
    token = request.GET.get(PARAM)
    if token:
        return request.session.get(_SESSION_KEY, {}).get(token, "")
    return request.GET.get(name, "")


def list_url(request, *, term: str, params: dict[str, str] | None = None, path: str | None = None) -> str:
    """The list's URL for ``term`` and the other filters, the term behind a token."""
    query = QueryDict(mutable=True)
    if term:
        query[PARAM] = term_token(request, term)
    for key, value in (params or {}).items():
        if value:
            query[key] = value
    encoded = query.urlencode()
    return (path or request.path) + (f"?{encoded}" if encoded else "")


def redirect_to_list(request, *, term: str, params: dict[str, str] | None = None,
                     path: str | None = None) -> HttpResponseRedirect:
    """303 See Other: the browser (and HTMX, which then pushes the new URL) fetches the list by GET."""
    response = HttpResponseRedirect(list_url(request, term=term, params=params, path=path))
    response.status_code = 303
    return response


def legacy_redirect(request, name: str = "q") -> HttpResponseRedirect | None:
    """A GET that names a long number in ``?q=``: the same list, with the term behind a token."""
    term = request.GET.get(name, "")
    if not needs_token(term):
        return None
    params = {k: v for k, v in request.GET.items() if k not in (name, PARAM, "page")}
    return redirect_to_list(request, term=term, params=params)
