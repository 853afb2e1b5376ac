from django import template

from doudi.core.templatetags.doudi_money import yuan

register = template.Library()
# The same money filter as {% load doudi_money %}, so case templates need one load only.
register.filter("yuan", yuan)


@register.inclusion_tag("cases/_household_panel.html", takes_context=True)
def household_cases_panel(context, household):
    """The household page's case panel: current entitlements (在保待遇) and only the actions the user may take."""
    from doudi.accounts.choices import Action
    from doudi.accounts.scoping import allows
    from doudi.cases import selectors
    from doudi.registry.models import Household

    request = context.get("request")
    user = getattr(request, "user", None)
    scoped = Household.objects.filter(pk=household.pk)

    def may(action: str) -> bool:
        # The single-object form of restrict() first (the household is loaded: no query); the query only for what a
        # region grant does not cover (an applicant's own household).
        return allows(user, action, household.region_id) or scoped.restrict(user, action).exists()

    return {
        "household": household,
        "entitlements": selectors.household_entitlements(actor=user, household_id=household.pk),
        "can_view": may(Action.VIEW),
        "can_view_full": may(Action.VIEW_FULL),
        "can_change": may(Action.CHANGE),
        "open_cases": selectors.household_cases(actor=user, household_id=household.pk)
        .exclude(state__in=list(selectors.FINAL_STATES)).count(),
    }
