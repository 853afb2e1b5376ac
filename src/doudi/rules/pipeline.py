"""The engine's stages as data: a ``Pipeline`` records ``with_columns``/``select`` steps once and replays them on a
Polars frame (batches) or on one household's rows (``rowexpr``). Its own module so that the stages (``members``,
``programs``) and the engine that runs them all import it from below."""

from __future__ import annotations

from typing import Any

import polars as pl


class Pipeline:
    """A sequence of ``with_columns``/``select`` steps recorded once and replayed on any frame (``apply``) or on
    one row, a dict (``apply_row``, for a pipeline built with ``rowexpr``)."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[tuple[str, tuple, dict]] = []

    def with_columns(self, *exprs: Any, **named: Any) -> Pipeline:
        self.steps.append(("with_columns", exprs, named))
        return self

    def select(self, *exprs: Any, **named: Any) -> Pipeline:
        self.steps.append(("select", exprs, named))
        return self

    def apply(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        for method, exprs, named in self.steps:
            lf = getattr(lf, method)(*exprs, **named)
        return lf

    def apply_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """The same steps on one row (a dict; not modified): a ``with_columns`` step computes all its values from
        the row as it was before the step, then adds them."""
        row = dict(row)
        for method, exprs, named in self.steps:
            new: dict[str, Any] = {}
            for item in (y for x in exprs for y in (x if isinstance(x, list) else [x])):
                if isinstance(item, str):
                    new[item] = row[item]
                else:
                    new[item.name] = item.fn(row)
            for k, e in named.items():
                new[k] = e.fn(row)
            if method == "with_columns":
                row.update(new)
            else:
                row = new
        return row
