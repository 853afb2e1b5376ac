"""``{% translate "literal" %}`` translated once per language (``doudi.core.speed``). ``speed.install`` puts
``do_translate`` into Django's ``i18n`` library in place of Django's tag, so every ``{% load i18n %}`` gets it;
everything else of that library is unchanged."""

from __future__ import annotations

from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language


class ConstantTranslateNode(django_i18n.TranslateNode):
    """``{% translate "literal" [as var] %}``: rendered once per (language, autoescape)."""

    def render(self, context):
        key = (get_language(), context.autoescape)
        try:
            value = self.rendered[key]
        except KeyError:
            asvar, self.asvar = self.asvar, None
            try:
                value = self.rendered[key] = super().render(context)
            finally:
                self.asvar = asvar
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _constant(node: django_i18n.TranslateNode) -> bool:
    expr = node.filter_expression
    return node.message_context is None and not expr.filters and getattr(expr.var, "literal", None) is not None


def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if _constant(node):
        node.__class__ = ConstantTranslateNode
        node.rendered = {}
    return node
