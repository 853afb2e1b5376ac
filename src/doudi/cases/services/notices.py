"""Who issues a case's papers and under which number: the township or county that decides (by the case's authority
level), its office name and complaint phone from the region data, and the 文号 from its yearly sequence."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from doudi.cases.models import Case, Decision, DocumentSequence
from doudi.regions.choices import Level
from doudi.regions.models import Region


def issuing_region(case: Case) -> Region:
    """The deciding unit: the township where the locality delegates confirmation to it, else the county."""
    chain = case.region.ancestors()
    county = next((r for r in chain if r.level == Level.COUNTY), None)
    township = next((r for r in chain if r.level == Level.TOWNSHIP), None)
    return (township if case.authority_level == Level.TOWNSHIP else county) or case.region


def notice_issuer(region: Region) -> Region:
    """The unit that posts the public notice of ``region``'s cases: the township (S1 Art 19), or the region itself
    when it is a township or above."""
    if region.level == Level.VILLAGE and region.parent is not None:
        return region.parent
    return region


def _next_in_sequence(issuer: Region, year: int) -> int:
    try:
        with transaction.atomic():
            DocumentSequence.objects.get_or_create(issuer=issuer, year=year)
    except IntegrityError:
        pass  # created meanwhile by another decision
    seq = DocumentSequence.objects.select_for_update().get(issuer=issuer, year=year)
    DocumentSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    return seq.last + 1


@transaction.atomic
def document_number_assign(decision: Decision) -> str:
    """Give the decision its 文号 (once): ``{机关代字}〔{year}〕{n}号``; the 代字 is the unit's, from the region data,
    or its name where none is entered."""
    if decision.document_number:
        return decision.document_number
    issuer = issuing_region(decision.case)
    year = decision.decided_on.year
    n = _next_in_sequence(issuer, year)
    decision.document_number = f"{issuer.doc_prefix or issuer.name}〔{year}〕{n}号"
    Decision.objects.filter(pk=decision.pk).update(document_number=decision.document_number)
    return decision.document_number
