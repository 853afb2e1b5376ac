"""The matching job: export (``export``) → one SQL definition (``match.sql``) on DuckDB or Spark (``engines``) →
warnings written back idempotently (``store``); ``run.monitoring_run`` drives the stages and resumes them."""
