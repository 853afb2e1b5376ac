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


def copy_frame(table: str, df: pl.DataFrame) -> None:
    from django.db import connection

    buf = io.BytesIO()
    df.write_csv(buf, include_header=False, null_value="\\N")
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(df.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as cp:
            cp.write(buf.getvalue())
