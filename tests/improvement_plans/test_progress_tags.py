"""The area-state and RAG tags every page shows (improvement_plans.templatetags.progress_tags)."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from improvement_plans.exports import HEADLINE_WORDS

RETURNED = SimpleNamespace(month=datetime.date(2026, 10, 1))


def _render(source: str, **context) -> str:
    return Template("{% load progress_tags %}" + source).render(Context(context))


@pytest.mark.parametrize("state", sorted(HEADLINE_WORDS))
def test_each_state_shows_the_words_the_spreadsheets_use(state):
    progress = SimpleNamespace(headline=state, returned=RETURNED, returned_days_ago=3)
    html = _render("{{ progress|area_state_tag }}", progress=progress)
    assert f">{HEADLINE_WORDS[state]}</strong>" in html
    assert html.startswith('<strong class="govuk-tag govuk-tag--')


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "returned today"), (1, "returned yesterday"), (12, "returned 12 days ago")],
)
def test_a_returned_update_says_its_month_and_how_long_ago(days, words):
    progress = SimpleNamespace(headline="returned", returned=RETURNED, returned_days_ago=days)
    html = _render("{{ progress|area_state_tag }}", progress=progress)
    assert f"October 2026 update, {words}</span>" in html


def test_a_rag_tag_says_the_colour_in_words_and_nothing_reported_says_so():
    assert ">Amber</strong>" in _render("{{ rag|reported_rag_tag }}", rag="amber")
    assert "No update reported" in _render("{{ rag|reported_rag_tag }}", rag=None)
