"""The matching job is one definition: DuckDB and Spark (local mode) give identical warnings on the same data."""

from __future__ import annotations

import importlib.util
import shutil

import polars as pl
import pytest

from doudi.monitoring.job.engines import run_duckdb, run_spark, spark_stop
from doudi.monitoring.synthetic import generate

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                       reason="needs the spark extra (pip install -e '.[spark]') and Java 17"),
]


@pytest.fixture(autouse=True)
def _stop_spark(monkeypatch):
    # A small comparison: two shuffle partitions for two local cores (the default 8 is sized for the benchmark's
    # millions of rows), and a JVM that compiles with its quick compiler only — the job runs for seconds, so the
    # optimising compiler cost more CPU than it saved (42 → 28 s of CPU for this test, docs/benchmarks.md).
    monkeypatch.setenv("DOUDI_SPARK_SHUFFLE_PARTITIONS", "2")
    monkeypatch.setenv("DOUDI_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1")
    yield
    spark_stop()


def test_duckdb_and_spark_give_identical_hits(tmp_path):
    info = generate(tmp_path, persons=4000, records=60000, seed=7)
    n_duck = run_duckdb(tmp_path, tmp_path / "duck.parquet")
    n_spark = run_spark(tmp_path, tmp_path / "spark.parquet")
    duck, spark = pl.read_parquet(tmp_path / "duck.parquet"), pl.read_parquet(tmp_path / "spark.parquet")
    assert n_duck == n_spark == duck.height > 100
    assert duck.equals(spark)
    fired = set(duck["rule_id"].unique().to_list())
    assert len(fired) >= 15, "the synthetic data exercises most rules"
    assert len(info["rules"]) == 21
