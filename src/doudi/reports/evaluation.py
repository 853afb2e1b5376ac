"""绩效评价 of townships (for a county) or counties (for a city): seed 000 六(一), 001 三(三), 004 三(一) ask that the
work be evaluated; no text fixes the indicators, so each indicator's weight is a dated profile value
(``evaluation.weight.<indicator>``, with its source or marked 示意值) and the score is computed from the records:

- ``case_timeliness``: decisions made within the case's overall limit (``step.total.*`` of the aggregates);
- ``visit_rate``: care targets visited within their interval (``care.selectors.visit_rates``);
- ``hotline_timeliness``: tickets resolved within their limit among those resolved or past it (``tickets.*``);
- ``inspection_accuracy``: 双随机 items inspected without a finding (``inspect.*``).

An area's score is the weighted mean of the indicators it has data for (an indicator without any case counted is
left out and the weights of the others carry it; the table shows which were counted), in basis points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.policy.services import profile_load_effective
from doudi.policy.values import EVALUATION_INDICATORS
from doudi.regions.models import Region
from doudi.reports.compute import child_len
from doudi.reports.dashboards import percent
from doudi.statistics.selectors import by_area, latest_refresh


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    weight_bp: int
    source: str

    @property
    def weight(self) -> str:
        return percent(self.weight_bp)


@dataclass
class AreaScore:
    code: str
    name: str
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)  # indicator → (numerator, denominator)
    score_bp: int | None = None
    rank: int | None = None

    def rate_bp(self, key: str) -> int | None:
        num, den = self.parts.get(key, (0, 0))
        return num * 10_000 // den if den else None

    def shown(self, key: str) -> str:
        num, den = self.parts.get(key, (0, 0))
        return f"{percent(self.rate_bp(key))}（{num}/{den}）" if den else "—"

    @property
    def cells(self) -> list[tuple[str, str]]:
        return [(key, self.shown(key)) for key in EVALUATION_INDICATORS]

    @property
    def score(self) -> str:
        return "—" if self.score_bp is None else f"{self.score_bp // 100}.{self.score_bp % 100 // 10}"


@dataclass
class Evaluation:
    region: Region | None
    indicators: list[Indicator]
    rows: list[AreaScore]
    as_of: dt.datetime | None
    level: str = ""


def indicators(region: Region, on: dt.date) -> list[Indicator]:
    """The weights in force in ``region``'s profile (indicators without a weight are not evaluated)."""
    profile = profile_load_effective(name_or_path=region.effective_profile())
    out = []
    for key, label in EVALUATION_INDICATORS.items():
        entry = profile.resolve(f"evaluation.weight.{key}", on)
        if entry is None or not entry.value:
            continue
        source = entry.source or ""
        if entry.illustrative:
            note = entry.note or ""
            # the marker in the reader's language; a profile note that already says 示意值 keeps its own words
            source = note if note.startswith("示意") else f"{note}{_('（示意值）')}"
        out.append(Indicator(key, _(label), entry.value, source))
    return out


def _visits(user, on: dt.date, length: int) -> dict[str, tuple[int, int]]:
    from doudi.care.selectors import visit_rates

    out: dict[str, list[int]] = {}
    for r in visit_rates(actor=user, on=on):
        part = out.setdefault(r.township.code[:length], [0, 0])
        part[0] += r.visited
        part[1] += r.targets
    return {k: (v[0], v[1]) for k, v in out.items()}


def _parts(figures: dict[str, int]) -> dict[str, tuple[int, int]]:
    def total(suffix: str) -> int:
        return sum(v for k, v in figures.items() if k.startswith("tickets.") and k.endswith(suffix))

    return {
        "case_timeliness": (figures.get("step.total.on_time", 0), figures.get("step.total.n", 0)),
        "hotline_timeliness": (total(".on_time"), total(".resolved") + total(".overdue")),
        "inspection_accuracy": (figures.get("inspect.clear", 0), figures.get("inspect.done", 0)),
    }


def score(parts: dict[str, tuple[int, int]], weights: list[Indicator]) -> int | None:
    """Σ weight × rate / Σ weight over the indicators with data (basis points), None when none has data."""
    num = den = 0
    for ind in weights:
        n, d = parts.get(ind.key, (0, 0))
        if d:
            num += ind.weight_bp * (n * 10_000 // d)
            den += ind.weight_bp
    return num // den if den else None


def evaluate(user, region: Region | None, on: dt.date | None = None) -> Evaluation:
    """The child areas of ``region`` (the user's widest area), scored and ranked (ties share a rank)."""
    on = on or timezone.localdate()
    refresh = latest_refresh()
    if region is None or region.level in ("township", "village"):
        return Evaluation(region, [], [], refresh.finished_at if refresh else None)
    weights = indicators(region, on)
    length = child_len(region)
    children = list(Region.objects.filter(parent=region).exclude(level="village").order_by("code"))
    figures = {}
    if refresh is not None:
        for prefix in ("step.total.", "tickets.", "inspect."):
            for area, keys in by_area(user, prefix=prefix, region=region.prefix, length=length,
                                      refresh=refresh).items():
                figures.setdefault(area, {}).update(keys)
    visits = _visits(user, on, length) if any(i.key == "visit_rate" for i in weights) else {}
    rows = []
    for child in children:
        area = child.code[:length]
        parts = _parts(figures.get(area, {}))
        parts["visit_rate"] = visits.get(area, (0, 0))
        row = AreaScore(child.code, child.name, parts)
        row.score_bp = score(parts, weights)
        rows.append(row)
    rows.sort(key=lambda r: (r.score_bp is None, -(r.score_bp or 0), r.code))
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row.score_bp is None:
            continue
        if row.score_bp != previous:
            rank, previous = i, row.score_bp
        row.rank = rank
    level = children[0].get_level_display() if children else ""
    return Evaluation(region, weights, rows, refresh.finished_at if refresh else None, level)
