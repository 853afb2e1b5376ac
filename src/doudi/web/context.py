from __future__ import annotations


def shell(request):
    """Values every page of the shell needs (the user's roles and jurisdictions for the header)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    grants = list(user.grants.select_related("region"))
    return {"shell_grants": grants}
