"""Moving a model from one app to another without touching its data (docs/decisions.md, "Apps split, tables kept").

The model keeps its table (``Meta.db_table``); the new app's migration creates it in Django's *state* only and the
old app's migration deletes it from the state only, both through ``SeparateDatabaseAndState``. ``content_type_moved``
also relabels the model's content type, so admin history and permissions follow the model instead of going stale.
"""

from __future__ import annotations

from django.db import migrations


def content_type_moved(old_app: str, new_app: str, *models: str) -> migrations.RunPython:
    def forward(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=new_app, model=model).exists():
                content_type.objects.filter(app_label=old_app, model=model).update(app_label=new_app)

    def backward(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=old_app, model=model).exists():
                content_type.objects.filter(app_label=new_app, model=model).update(app_label=old_app)

    return migrations.RunPython(forward, backward, elidable=True)


def tables_ensured(*labels: str) -> migrations.RunPython:
    """Create what a moved model's table lacks in *this* database, and nothing else.

    For models whose old app is gone (the reserve fund's ``funds`` app): a database built before the move already has
    the tables and columns, so nothing happens; a new database gets them here, because the old app's migrations no
    longer exist to create them. Runs after the ``SeparateDatabaseAndState`` that created the models in the state.
    """

    def forward(apps, schema_editor):
        introspection = schema_editor.connection.introspection
        with schema_editor.connection.cursor() as cursor:
            tables = set(introspection.table_names(cursor))
        for label in labels:
            model = apps.get_model(label)
            table = model._meta.db_table
            if table not in tables:
                schema_editor.create_model(model)
                continue
            with schema_editor.connection.cursor() as cursor:
                columns = {c.name for c in introspection.get_table_description(cursor, table)}
            for field in model._meta.local_fields:
                if field.column not in columns:
                    schema_editor.add_field(model, field)

    return migrations.RunPython(forward, migrations.RunPython.noop)
