"""Per-request CPU that every page paid for the same answer (docs/benchmarks.md, "Web under load").

- ``{% translate "literal" %}``: a constant message is translated once per language and reused (the catalogue of a
  running process never changes); messages with variables, filters or a context go through Django as before.
  ``core.fasttags.i18n``: ``install`` puts it in Django's ``i18n`` library in place of Django's tag, so every
  ``{% load i18n %}`` gets it (a second library named ``i18n`` would be reported by the system checks). The active
  language is read once per render and kept on the template Context (``{% language %}`` drops it for its block).
- ``{% url 'name' %}`` without arguments (the menu: ~20 on every page): the reversed path is kept per language,
  script prefix and URL conf (``core.fasttags.url``, a builtin library). With arguments it is Django's own tag.
- ``get_FOO_display()``: Django rebuilt the whole value → label mapping of the field and translated every label to
  show one; with fixed choices the mapping is built once per field and only the shown label is translated.
  Callable choices (read from the profiles) keep Django's behaviour. Installed by ``CoreConfig.ready``.
"""

from __future__ import annotations

from functools import partialmethod

from django.db.models import Model
from django.utils.choices import flatten_choices, normalize_choices
from django.utils.encoding import force_str

# --- get_FOO_display ---------------------------------------------------------------------------------------------

_labels: dict[int, tuple[object, dict]] = {}
_django_display = Model._get_FIELD_display


def _get_FIELD_display(self, field):
    choices = field.choices
    if type(choices) is list:  # fixed choices: the mapping once per field
        entry = _labels.get(id(field))
        if entry is None or entry[0] is not choices:
            entry = _labels[id(field)] = (choices, _mapping(field))
        mapping = entry[1]
    else:  # callable choices (a new program needs no migration): read each time, but not every label translated
        mapping = _callable_mapping(field, choices)
    if mapping is None:
        return _django_display(self, field)
    value = getattr(self, field.attname)
    try:
        label = mapping.get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field): as Django does
        return _django_display(self, field)
    return force_str(label, strings_only=True)


def _callable_mapping(field, choices) -> dict | None:
    """Callable choices are called each time (they may change while the process runs), and the mapping is rebuilt
    only when what they return changed: the same values with the very same label objects (``Program.choices`` gives
    a new list of the same members' labels on every call). The kept mapping holds those labels, so their ids cannot
    be reused by other objects while it is kept."""
    func = getattr(choices, "func", None)
    if func is None:
        return _mapping(field)
    raw = func()
    try:
        key = tuple((value, id(label)) for value, label in raw)
        if any(isinstance(label, list | tuple | dict) for _value, label in raw):  # groups: Django's way each time
            return _mapping(field)
    except (TypeError, ValueError):
        return _mapping(field)
    entry = _labels.get(id(field))
    if entry is not None and entry[0] == key:
        return entry[1]
    try:
        mapping = dict(flatten_choices(normalize_choices(raw)))
    except TypeError:
        return None
    _labels[id(field)] = (key, mapping)
    return mapping


def _mapping(field) -> dict | None:
    """value → label (lazy, not yet translated); None when a value cannot be a key (Django's way then)."""
    try:
        return dict(field.flatchoices)
    except TypeError:
        return None


def install() -> None:
    """Every model's ``get_FOO_display`` is a ``partialmethod`` of ``Model._get_FIELD_display`` made when the class was
    created: point the ones Django made (not a model's own method) at the faster function."""
    from django.apps import apps
    from django.templatetags.i18n import LanguageNode
    from django.templatetags.i18n import register as django_i18n

    from doudi.core.fasttags.i18n import do_translate, language_render

    django_i18n.tags["translate"] = django_i18n.tags["trans"] = do_translate
    LanguageNode.render = language_render
    Model._get_FIELD_display = _get_FIELD_display
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod) and current.func is _django_display:
                setattr(model, name, partialmethod(_get_FIELD_display, field=field))
