"""What every loader of another department's file does with the rows ``reader`` gives it: find its columns by
their accepted headers, and read a date cell. Shared by the data exchange (``verification.loader``) and the
monitoring feeds (``monitoring.feeds.loader``), so a header alias or a date message is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext as _

Rows = list[tuple[int, dict[str, str]]]


def map_columns(rows: Rows, aliases: Mapping[str, Iterable[str]], required: Mapping[str, str], *,
                error: Callable[..., Exception], headers: Iterable[str] | None = None) -> Rows:
    """(row number, {header: text}) → (row number, {column key: stripped text}).

    ``aliases``: column key → accepted headers, the first found wins; ``required``: key → the header named when it
    is missing. ``headers`` defaults to every header seen in a row. A missing required column raises
    ``error(message, code="missing_columns")`` before any row is read.
    """
    seen = set(headers) if headers is not None else set().union(*(r.keys() for _n, r in rows))
    mapping: dict[str, str] = {}
    for key, names in aliases.items():
        for name in names:
            if name in seen:
                mapping[key] = name
                break
    missing = [label for key, label in required.items() if key not in mapping]
    if missing:
        raise error(_("文件缺少必填列：%(cols)s") % {"cols": "、".join(missing)}, code="missing_columns")
    return [(n, {key: str(r.get(col) or "").strip() for key, col in mapping.items()}) for n, r in rows]


def parse_date(text: str, label: str, *, timestamp: bool = False) -> dt.date:
    """A YYYY-MM-DD (or YYYY/MM/DD) cell; with ``timestamp`` also a date and time, whose date is taken (Parquet
    and Excel write timestamps). Raises ValueError with the Chinese reason naming the column."""
    value = text.strip().replace("/", "-")
    try:
        return dt.date.fromisoformat(value[:10] if timestamp else value)
    except ValueError:
        raise ValueError(
            _("%(label)s“%(value)s”不是有效日期（应为 YYYY-MM-DD）") % {"label": label, "value": text}
        ) from None
