"""Run ``match.sql`` on the input tables of a work directory with DuckDB (embedded, the default) or Apache Spark
(local mode here; a cluster for a province or the nation). Both write the hits, sorted, to one Parquet file."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import polars as pl

from doudi.monitoring.job.tables import HIT_ORDER, HITS, SCHEMAS, match_sql

ORDER = ", ".join(HIT_ORDER)


def run_duckdb(workdir: Path, out: Path, *, threads: int | None = None, memory_limit: str | None = None) -> int:
    import duckdb

    con = duckdb.connect()
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        con.execute("SET preserve_insertion_order = false")
        for name in SCHEMAS:
            con.read_parquet(str(workdir / f"{name}.parquet")).create_view(name)
        raw = out.with_suffix(".raw.parquet")
        con.sql(match_sql()).order(ORDER).write_parquet(str(raw))
        # One column type on every engine (DuckDB widens SUM to a 128-bit integer).
        frame = pl.read_parquet(raw).select([pl.col(c).cast(t) for c, t in HITS.items()])
        frame.write_parquet(out)
        raw.unlink()
        return frame.height
    finally:
        con.close()


_SPARK = None


def spark_session(master: str = "local[2]"):
    """A Spark session (created once per process). Workers must start the same Python, and locally bind to the
    loopback address (docs/monitoring.md)."""
    global _SPARK
    if _SPARK is None:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        # py4j logs its connection teardown at INFO, also from finalizers after logging has shut down.
        logging.getLogger("py4j").setLevel(logging.WARNING)

        builder = (SparkSession.builder.master(master).appName("doudi-monitoring")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", os.environ.get("DOUDI_SPARK_SHUFFLE_PARTITIONS", "8"))
                   .config("spark.driver.memory", os.environ.get("DOUDI_SPARK_DRIVER_MEMORY", "2g"))
                   .config("spark.sql.session.timeZone", "UTC"))
        # Extra options for the driver's JVM, e.g. the tests' "-XX:TieredStopAtLevel=1" (a short job spends more CPU
        # compiling Spark's own code than running it).
        if os.environ.get("DOUDI_SPARK_JAVA_OPTIONS"):
            builder = builder.config("spark.driver.extraJavaOptions", os.environ["DOUDI_SPARK_JAVA_OPTIONS"])
        _SPARK = builder.getOrCreate()
        _SPARK.sparkContext.setLogLevel("ERROR")
    return _SPARK


def spark_stop() -> None:
    """Stop the session and its JVM (tests and the benchmark call it when done)."""
    global _SPARK
    if _SPARK is not None:
        _SPARK.stop()
        _SPARK = None


def run_spark(workdir: Path, out: Path, *, master: str = "local[2]") -> int:
    spark = spark_session(master)
    for name in SCHEMAS:
        spark.read.parquet(str(workdir / f"{name}.parquet")).createOrReplaceTempView(name)
    spark.sql(match_sql()).createOrReplaceTempView("hits")
    table = spark.table("hits").orderBy(*HIT_ORDER).toArrow()
    frame = pl.from_arrow(table) if table.num_rows else pl.DataFrame(schema=HITS)
    frame.select([pl.col(c).cast(t) for c, t in HITS.items()]).write_parquet(out)
    return frame.height


ENGINES = {"duckdb": run_duckdb, "spark": run_spark}
