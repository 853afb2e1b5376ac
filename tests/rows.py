"""One row of any doudi model, filed under a given village: the generic row builder of the permission meta-test.

``row_in(model, village)`` fills what the model requires and follows its required foreign keys, building each
related row in the same village, so the row lands in that village's jurisdiction whatever path its ``scope_path`` /
``person_path`` takes. A model the generic rules cannot build (an unusual required field, a rule in ``save``) gets
an entry in ``FACTORIES``; until it has one, the meta-test fails with the builder's error.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from doudi.regions.models import Region
from doudi.registry.models import Household, Person
from tests import factories as f

_seq = itertools.count(1)

# Models the generic rules do not build well, each with the reason. Empty today: add one when a new model needs it.
FACTORIES: dict[str, Callable[[Region], models.Model]] = {}


def row_in(model: type[models.Model], village: Region) -> models.Model:
    label = model._meta.label
    if label in FACTORIES:
        return FACTORIES[label](village)
    if model is Household:
        return f.household(village)
    if model is Person:
        # A person is in a jurisdiction through a household there.
        return f.household(village).memberships.get().person
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and field.auto_created:
            continue
        value = _value(model, field, village)
        if value is not _SKIP:
            values[field.name] = value
    return model._default_manager.create(**values)


_SKIP = object()


def _on_scope_path(model, field: models.Field) -> bool:
    path = getattr(model, "scope_path", None) or getattr(model, "person_path", None) or ""
    return path.split("__")[0] in (field.name, field.attname)


def _value(model, field: models.Field, village: Region):
    if field.name == getattr(model, "scope_path", None):  # a plain code column, e.g. AuditEvent.region_code
        return village.code
    if field.is_relation:
        # Optional links are left empty, except the one the row's jurisdiction is read through.
        if field.null and not _on_scope_path(model, field):
            return _SKIP
        return _related(field.related_model, village)
    if field.null or field.has_default() or field.blank or getattr(field, "auto_now", False) \
            or getattr(field, "auto_now_add", False):
        return _SKIP
    if field.choices:
        return field.choices[0][0]
    return _plain(field)


def _related(related: type[models.Model], village: Region):
    if related is Region:
        return village
    if related._meta.label == settings.AUTH_USER_MODEL:
        return f.user(f"row-user-{next(_seq)}")
    return row_in(related, village)


def _plain(field: models.Field):
    n = next(_seq)
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2026, 1, 1)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, models.IntegerField):  # every integer kind, money in fen included
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.FileField):
        return f"rows/{n}.pdf"
    if isinstance(field, (models.CharField, models.TextField)):
        text = f"测试{n}"
        return text[-field.max_length:] if field.max_length else text
    raise TypeError(
        f"tests/rows.py cannot fill {field.model._meta.label}.{field.name} ({field.get_internal_type()}): "
        "add a factory for the model to FACTORIES"
    )
