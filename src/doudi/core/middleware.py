"""Responses that hold personal data are never kept by a browser or a proxy cache.

Rule: every response Django produces gets ``Cache-Control: no-store, private`` unless its view chose a
``Cache-Control`` itself. That covers every signed-in page, HTMX fragment, API answer and export (all of them carry
personal data or the user's own work), the login page, and the public notice (names that must disappear from public
view when the notice period ends). Static files are served by the web server (docs/deployment.md), not by Django,
and keep their own caching.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
