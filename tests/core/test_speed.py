"""The per-request shortcuts of ``core.speed`` give exactly what Django's own tags and methods give."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from doudi.cases.models import Case
from doudi.regions.models import Region


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


def test_constant_translation_follows_the_language_and_as_var():
    text = '{% load i18n %}{% translate "农村" %}|{% translate "城市" as t %}[{{ t }}]'
    with translation.override("zh-hans"):
        assert render(text) == "农村|[城市]"
    with translation.override("en"):
        assert render(text) == "Rural|[Urban]"
    with translation.override("zh-hans"):  # the same compiled node, back again
        assert render(text) == "农村|[城市]"


def test_translation_with_a_variable_is_still_resolved_each_time():
    text = "{% load i18n %}{% translate word %}"
    with translation.override("en"):
        assert render(text, word="农村") == "Rural"
        assert render(text, word="城市") == "Urban"


def test_constant_url_as_django_gives_it():
    assert render("{% url 'web:home' %}") == reverse("web:home")
    assert render("{% url 'web:home' as h %}<{{ h }}>") == f"<{reverse('web:home')}>"
    # An unknown name: empty into the variable, an error on the page, as Django's tag does.
    assert render("{% url 'no-such-view' as h %}[{{ h }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")
    assert render("{% url 'registry:household_detail' 7 %}") == reverse("registry:household_detail", args=[7])


@pytest.mark.django_db
def test_display_labels_per_language_and_unknown_values():
    case = Case(state="submitted", program="dibao", kind="new")
    with translation.override("zh-hans"):
        expected = (case.get_state_display(), case.get_program_display())
        assert expected == ("已提交", "最低生活保障")
    with translation.override("en"):
        assert case.get_state_display() == "Submitted"
    case.state = "no-such-state"
    assert case.get_state_display() == "no-such-state"


def test_region_ancestors_in_one_query(tree, django_assert_num_queries):
    village = Region.objects.get(pk=tree.village_a.pk)
    with django_assert_num_queries(1):
        chain = village.ancestors()
    assert [r.code for r in chain] == [tree.province.code, tree.city.code, tree.county.code, tree.town_a.code,
                                       tree.village_a.code]
    with django_assert_num_queries(0):
        assert village.full_name() == "".join(r.name for r in chain[1:])


def test_language_block_inside_one_render():
    """The language kept for a render is set aside for ``{% language %}``'s block (whatever language that block
    names on each render) and comes back after it."""
    text = ('{% load i18n %}{% translate "农村" %}|{% language lang %}{% translate "农村" %}'
            '[{% translate "城市" as c %}{{ c }}]{% endlanguage %}|{% translate "农村" %}')
    template = engines["django"].from_string(text)  # one compiled template, as a running server has
    with translation.override("zh-hans"):
        assert template.render({"lang": "en"}) == "农村|Rural[Urban]|农村"
        assert template.render({"lang": "zh-hans"}) == "农村|农村[城市]|农村"
        assert template.render({"lang": "en"}) == "农村|Rural[Urban]|农村"
    with translation.override("en"):
        assert template.render({"lang": "zh-hans"}) == "Rural|农村[城市]|Rural"


@pytest.mark.django_db
def test_callable_choices_follow_what_the_callable_returns(monkeypatch):
    """Callable choices are read on every call: the kept mapping is reused only while they return the same labels."""
    from django.db import models as m

    from doudi.benefits import choices as benefit_choices

    case = Case(state="submitted", program="dibao", kind="new")
    with translation.override("zh-hans"):
        assert case.get_program_display() == "最低生活保障"
        assert case.get_program_display() == "最低生活保障"  # the kept mapping

        class Renamed(m.TextChoices):
            DIBAO = "dibao", "低保（新名称）"

        monkeypatch.setattr(benefit_choices, "Program", Renamed)
        assert case.get_program_display() == "低保（新名称）"
        case.program = "tekun"  # no longer among the choices: the value itself, as Django shows it
        assert case.get_program_display() == "tekun"
