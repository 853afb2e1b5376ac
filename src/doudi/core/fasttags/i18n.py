"""``{% translate "literal" %}`` translated once per language (``doudi.core.speed``). ``speed.install`` puts
``do_translate`` into Django's ``i18n`` library in place of Django's tag, so every ``{% load i18n %}`` gets it;
everything else of that library is unchanged."""

from __future__ import annotations

from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

# The active language, kept on the template Context for the rest of that render: reading it (an asgiref Local)
# cost more than the cached translation itself (~1 500 reads on a payroll page). A render's language changes only
# inside ``{% language %}``, whose node ``speed.install`` wraps to drop the kept value (and the URL key that
# depends on it) for its block and restore it after. Included templates get a copy of the Context, value included.
LANGUAGE_ATTR = "_doudi_language"
URL_KEY_ATTR = "_doudi_url_key"


def render_language(context) -> str:
    try:
        return context.__dict__[LANGUAGE_ATTR]
    except KeyError:
        language = context.__dict__[LANGUAGE_ATTR] = get_language()
        return language


class ConstantTranslateNode(django_i18n.TranslateNode):
    """``{% translate "literal" [as var] %}``: rendered once per (language, autoescape)."""

    def render(self, context):
        key = (render_language(context), context.autoescape)
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


_django_language_render = django_i18n.LanguageNode.render


def language_render(self, context):
    """``{% language %}``: Django's node, with the language kept on the Context dropped for the block."""
    saved = {attr: context.__dict__.pop(attr) for attr in (LANGUAGE_ATTR, URL_KEY_ATTR) if attr in context.__dict__}
    try:
        return _django_language_render(self, context)
    finally:
        for attr in (LANGUAGE_ATTR, URL_KEY_ATTR):
            context.__dict__.pop(attr, None)
        context.__dict__.update(saved)


def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    if _constant(node):
        node.__class__ = ConstantTranslateNode
        node.rendered = {}
    return node
