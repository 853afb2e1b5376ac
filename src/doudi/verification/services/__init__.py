"""Writes for verification: authorisations, verification requests and runs, and resolving discrepancies.

Every write is one transaction with its audit row and checks the household is in the actor's scope for changes.
"No authorisation, no query" (S3 Art 58: queries only at the family's request or entrustment) is enforced both
when a request is made and again, on the run date, before any source is asked (``checks``).
"""

from doudi.verification.choices import AuthorisationRole
from doudi.verification.errors import AuthorisationMissing, VerificationError
from doudi.verification.services.authorisations import (
    ADULT_AGE,
    authorisation_esign,
    authorisation_record,
    authorisation_revoke,
)
from doudi.verification.services.compare import compare
from doudi.verification.services.discrepancies import discrepancy_accept, discrepancy_dismiss
from doudi.verification.services.runs import verification_request, verification_run

__all__ = [
    "ADULT_AGE",
    "AuthorisationMissing",
    "AuthorisationRole",
    "VerificationError",
    "authorisation_esign",
    "authorisation_record",
    "authorisation_revoke",
    "compare",
    "discrepancy_accept",
    "discrepancy_dismiss",
    "verification_request",
    "verification_run",
]
