"""What each role may do. Region grants say *where*; this table says *what*.

The table is deliberately small and explicit: a new action is denied to every role until it is added here.
"""

from __future__ import annotations

from doudi.accounts.choices import Action, Role

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    # Applicants see only their own household, never through a region grant (see scoping.applicant_scope).
    Role.APPLICANT: frozenset({Action.VIEW, Action.VIEW_FULL}),
    Role.VILLAGE_ASSISTANT: frozenset({Action.VIEW, Action.VIEW_FULL, Action.CHANGE}),
    Role.TOWNSHIP_CASEWORKER: frozenset(
        {Action.VIEW, Action.VIEW_FULL, Action.CHANGE, Action.DECIDE, Action.IMPORT, Action.EXPORT}
    ),
    Role.CIVIL_AFFAIRS: frozenset(
        {Action.VIEW, Action.VIEW_FULL, Action.CHANGE, Action.DECIDE, Action.IMPORT, Action.EXPORT,
         Action.SUBMIT_DATA}
    ),
    # Other departments see the list of households in their area (to act on referrals), not full records, and send
    # their own monitoring data for that area.
    Role.DEPARTMENT: frozenset({Action.VIEW, Action.SUBMIT_DATA}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.VIEW_FULL, Action.EXPORT}),
    Role.ADMINISTRATOR: frozenset(
        {
            Action.VIEW,
            Action.VIEW_FULL,
            Action.CHANGE,
            Action.DECIDE,
            Action.IMPORT,
            Action.EXPORT,
            Action.ADMINISTER,
            Action.SUBMIT_DATA,
        }
    ),
}


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
