"""Indexes for the household search on PostgreSQL (nothing on SQLite, where the demo's registry is small).

``doudi_grams(text)`` returns every one- and two-character substring of a value; GIN indexes of it on persons'
names and households' addresses let ``selectors.household_list`` find “contains” matches by index. A trigram index
(pg_trgm) would not do: Chinese names are two or three characters and a two-character pattern has no trigram. Only
plain SQL is used, so no extension (and no superuser) is needed. Building the two indexes reads every person and
household once (about a minute per million households).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION doudi_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, n)), '{}')
    FROM generate_series(1, char_length(value)) AS i, (VALUES (1), (2)) AS len(n)
    WHERE i + n - 1 <= char_length(value)
$$
"""
INDEXES = [
    "CREATE INDEX IF NOT EXISTS registry_person_name_grams ON registry_person USING gin (doudi_grams(name))",
    "CREATE INDEX IF NOT EXISTS registry_household_address_grams ON registry_household "
    "USING gin (doudi_grams(address))",
]
DROP = [
    "DROP INDEX IF EXISTS registry_person_name_grams",
    "DROP INDEX IF EXISTS registry_household_address_grams",
    "DROP FUNCTION IF EXISTS doudi_grams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(_run([FUNCTION, *INDEXES]), _run(DROP), elidable=False)]
