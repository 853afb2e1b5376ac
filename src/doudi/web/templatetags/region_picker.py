from django import template

from doudi.web.region_picker import build_picker

register = template.Library()


@register.inclusion_tag("web/_region_picker.html", takes_context=True)
def region_picker(context, name: str = "region", deepest: str = "village", action: str = "view", value: str = ""):
    """``{% region_picker "region" deepest="township" action="change" %}``: cascading selects inside the user's area."""
    request = context.get("request")
    return {"picker": build_picker(getattr(request, "user", None), name=name, value=value, deepest=deepest,
                                   action=action)}
