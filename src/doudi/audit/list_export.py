"""Exporting a list screen (列表导出): scoped by the ``export`` action and audited, on top of the pure writers in
``doudi.core.exports``.

``list_export`` 404s without the ``export`` action anywhere (the same 404 as "out of scope"), writes one audit event
(count and the screen's filters, ID-like text masked), then masks every ID number left in any cell. Callers pass a
queryset already scoped with ``Action.EXPORT`` and filtered like the screen, and choose columns that carry no health
data (disability, illness, diagnosis).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404, HttpResponseBase
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record
from doudi.core.exports import CHUNK, FORMATS, Column, cell_text, file_response, masked_rows
from doudi.core.ids import mask_ids_in_text

if TYPE_CHECKING:
    from doudi.accounts.models import User


def require_export(user) -> None:
    """No ``export`` grant anywhere: the same 404 as a page out of scope."""
    if not region_prefixes(user, Action.EXPORT):
        raise Http404


def list_export(
    *,
    actor: User,
    fmt: str,
    name: str,
    title: str,
    object_type: str,
    columns: Sequence[Column],
    queryset: QuerySet,
    row: Callable[[object], Sequence],
    filters: Mapping[str, object],
) -> HttpResponseBase:
    """Export one list screen: ``queryset`` is scoped with ``Action.EXPORT`` and filtered like the screen, ``row``
    turns one object into the cells under ``columns``. Audited once, before the first row is written."""
    if fmt not in FORMATS:
        raise Http404
    require_export(actor)
    count = queryset.count()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=object_type,
        object_repr=_("%(title)s导出 %(n)d 条") % {"title": title, "n": count},
        region_code=actor_region_code(actor),
        changes={
            "count": count,
            "format": fmt,
            "filters": {k: mask_ids_in_text(cell_text(v)) for k, v in filters.items() if v not in (None, "", False)},
        },
    )
    rows = masked_rows(row(obj) for obj in queryset.iterator(chunk_size=CHUNK))
    return file_response(fmt=fmt, name=name, title=title, columns=columns, rows=rows)
