"""``{% url 'name' %}`` without arguments reversed once per language, script prefix and URL conf
(``doudi.core.speed``). Installed as a builtin template library (``settings.TEMPLATES`` → ``builtins``), which
replaces Django's ``url`` tag; with arguments it is Django's own."""

from __future__ import annotations

from django.conf import settings
from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

from doudi.core.fasttags.i18n import URL_KEY_ATTR, render_language

register = Library()


class ConstantURLNode(URLNode):
    """``{% url 'name' [as var] %}`` with a literal name and no arguments: reversed once per language, script prefix,
    URL conf and current app."""

    def render(self, context):
        # The key is the same for every {% url %} of one render (fasttags.i18n: kept on the Context).
        try:
            key = context.__dict__[URL_KEY_ATTR]
        except KeyError:
            key = context.__dict__[URL_KEY_ATTR] = _url_key(context)
        current_app = key[3]
        try:
            url = self.reversed[key]
        except KeyError:
            try:
                url = reverse(self.view_name.var, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                url = ""
            self.reversed[key] = url
        # As Django's tag: the variable gets the plain path, the page an escaped one.
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _url_key(context) -> tuple:
    try:  # as Django's tag
        current_app = context.request.current_app
    except AttributeError:
        try:
            current_app = context.request.resolver_match.namespace
        except AttributeError:
            current_app = None
    return (render_language(context), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, current_app)


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    if not node.args and not node.kwargs and not node.view_name.is_var and not node.view_name.filters:
        node.__class__ = ConstantURLNode
        node.reversed = {}
    return node
