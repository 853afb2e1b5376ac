"""Rules engine benchmark: evaluate all programs, with explanation columns, for N synthetic households."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from doudi.bench.common import peak_rss_mb
from doudi.policy.loader import load_profile
from doudi.rules import evaluate_household
from doudi.rules.engine import evaluate_batch
from doudi.rules.synthetic import synthetic_population

SAMPLE = {
    "id": "bench",
    "area": "urban",
    "members": [
        {"birth_date": "1980-05-01", "employed": True, "income": {"wage": 160000}},
        {"birth_date": "1950-05-01", "self_care_failed": 2, "income": {"basic_pension": 30000}},
        {"birth_date": "2015-05-01", "school_level": "primary"},
    ],
    "temporary": {"type": "expenditure", "cause": "serious_illness", "requested": 500000},
    "medical": {"outpatient_chronic_oop": 300000},
}


def add_arguments(parser) -> None:
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--profile", default="hulunbuir")
    parser.add_argument("--date", default="2026-03-01")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed batch runs; the median is reported")


def run(opts: dict[str, Any]) -> dict[str, Any]:
    on = dt.date.fromisoformat(opts["date"])
    params = load_profile(opts["profile"]).params_as_of(on)
    n = opts["households"]
    hh, mem, sup = synthetic_population(n, seed=opts["seed"])
    times = []
    for _ in range(max(1, opts["repeat"])):
        t = time.perf_counter()
        out = evaluate_batch(hh, mem, params, on, sup)
        times.append(time.perf_counter() - t)
        assert out.height == n
        del out
    seconds = statistics.median(times)
    single = []
    for _ in range(50):
        t = time.perf_counter()
        evaluate_household(SAMPLE, params, on)
        single.append(time.perf_counter() - t)
    return {
        "households": n,
        "seconds": round(seconds, 3),
        "single_household_ms": round(statistics.median(single) * 1000, 2),
        "peak_rss_mb": peak_rss_mb(),
    }
