from django import template

from doudi.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen → "1,234.00" (yuan); "—" for None."""
    return format_yuan(fen)
