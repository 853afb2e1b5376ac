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
