"""What the benchmarks share: a dedicated PostgreSQL database, bulk loading by COPY, peak memory."""

from __future__ import annotations

import io
import resource

import polars as pl


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def use_database(name: str) -> None:
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://…")
    s = connection.settings_dict
    conninfo = dict(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None,
                    dbname="postgres", autocommit=True)
    with psycopg.connect(**conninfo) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    s["NAME"] = name
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _blank_columns(table: str, present: list[str]) -> dict[str, object]:
    """The table's NOT NULL text and boolean columns without a database default that the frame does not fill:
    Django's ``blank=True`` text fields and ``default=False`` flags have their default in Python only, so a COPY
    that omits them (a column added after the benchmark was written) would fail on NULL."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
                    "AND is_nullable = 'NO' AND column_default IS NULL", [table])
        rows = cur.fetchall()
    fill = {"character varying": "", "text": "", "boolean": False}
    return {name: fill[kind] for name, kind in rows if name not in present and kind in fill}


def copy_frame(table: str, df: pl.DataFrame) -> None:
    from django.db import connection

    blanks = _blank_columns(table, df.columns)
    if blanks:
        df = df.with_columns(**{name: pl.lit(value) for name, value in blanks.items()})
    buf = io.BytesIO()
    df.write_csv(buf, include_header=False, null_value="\\N")
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(df.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as cp:
            cp.write(buf.getvalue())
