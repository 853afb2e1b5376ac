from django import template

from doudi.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen → "1,234.50" (yuan, two decimals)."""
    if fen is None or fen == "":
        return "—"
    return format_yuan(int(fen))
