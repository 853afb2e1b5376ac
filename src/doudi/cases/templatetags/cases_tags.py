from django import template

from doudi.core.templatetags.doudi_money import yuan

register = template.Library()
# The same money filter as {% load doudi_money %}, so case templates need one load only.
register.filter("yuan", yuan)


@register.inclusion_tag("cases/_household_panel.html", takes_context=True)
def household_cases_panel(context, household):
    """The household page's case panel: current entitlements (在保待遇) and only the actions the user may take."""
    from doudi.accounts.choices import Action
    from doudi.cases import selectors
    from doudi.registry.models import Household

    request = context.get("request")
    user = getattr(request, "user", None)
    scoped = Household.objects.filter(pk=household.pk)
    can_change = scoped.restrict(user, Action.CHANGE).exists()
    return {
        "household": household,
        "entitlements": selectors.household_entitlements(actor=user, household_id=household.pk),
        "can_view": scoped.restrict(user, Action.VIEW).exists(),
        "can_view_full": scoped.restrict(user, Action.VIEW_FULL).exists(),
        "can_change": can_change,
        "open_cases": selectors.household_cases(actor=user, household_id=household.pk)
        .exclude(state__in=list(selectors.FINAL_STATES)).count(),
    }
