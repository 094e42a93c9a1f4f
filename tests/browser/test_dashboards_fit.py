"""The dashboards fit the screen (issue 14, item 4): the portfolio's key figures are inside a
1280 px viewport, and the judgement history chart's labels never overlap nor leave the chart."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role
from tests.browser.axe import assert_accessible
from tests.factories import (
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    UserFactory,
    judgement_area,
)

pytestmark = pytest.mark.browser_context_args(viewport={"width": 1280, "height": 900})

# Every framework and kind of graded inspection, one after another: the labels under the points
# ("Standard inspection (ILACS-2023)", "No headline grade") are the widest there are.
HISTORY = [
    ("sif", datetime.date(2014, 6, 2), {"overall_effectiveness": "inadequate"}),
    ("sif", datetime.date(2017, 1, 9), {}),
    ("standard", datetime.date(2019, 3, 4), {"overall_effectiveness": "requires_improvement"}),
    ("short", datetime.date(2022, 2, 7), {"overall_effectiveness": "good"}),
    ("standard", datetime.date(2023, 3, 13), {"overall_effectiveness": "good"}),
    ("standard", datetime.date(2026, 5, 11), {"impact_of_leaders": "outstanding"}),
]


@pytest.fixture
def viewer():
    viewer = UserFactory(username="regional")
    for index in range(12):
        authority = LocalAuthorityFactory(
            name=f"Bournemouth, Christchurch and Poole {index}", region="South West"
        )
        Membership.objects.create(user=viewer, authority=authority, role=Role.VIEWER)
        for event_type, start, grades in HISTORY[: 1 + index % len(HISTORY)]:
            inspection = InspectionFactory(
                authority=authority, event_type=event_type, start_date=start
            )
            for code, grade in grades.items():
                JudgementFactory(
                    inspection=inspection, area=judgement_area(inspection, code), grade=grade
                )
    return viewer


def test_the_portfolios_key_figures_are_inside_a_1280_px_screen(page, sign_in_browser, viewer):
    sign_in_browser(page, viewer)
    page.goto("/dashboards/")
    table = page.get_by_role("table", name="Authorities and their latest judgements")
    for name in ("Red", "Amber", "Green", "Overdue updates", "Returned to officers"):
        header = table.get_by_role("columnheader", name=name)
        expect(header).to_be_visible()
        box = header.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, (name, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)


def test_the_judgement_history_labels_never_overlap(page, sign_in_browser, viewer):
    sign_in_browser(page, viewer)
    page.goto("/dashboards/")
    page.get_by_role("link", name="Bournemouth, Christchurch and Poole 5", exact=True).click()
    chart = page.get_by_role("img", name="headline grade at each graded inspection")
    expect(chart).to_be_visible()
    boxes = chart.evaluate(
        """(svg) => {
          const frame = svg.getBoundingClientRect();
          return {
            frame: [frame.left, frame.top, frame.right, frame.bottom],
            labels: [...svg.querySelectorAll("text")].map((t) => {
              const r = t.getBoundingClientRect();
              return [t.textContent, r.left, r.top, r.right, r.bottom];
            }),
          };
        }"""
    )
    left, top, right, bottom = boxes["frame"]
    labels = boxes["labels"]
    assert len(labels) >= 4 + 2 * len(HISTORY)  # the grades, and each point's date and label
    for text, x1, y1, x2, y2 in labels:
        assert left - 0.5 <= x1 and x2 <= right + 0.5, f"“{text}” is cut at the chart's edge"
        assert top - 0.5 <= y1 and y2 <= bottom + 0.5, f"“{text}” is cut at the chart's edge"
    for i, (a, ax1, ay1, ax2, ay2) in enumerate(labels):
        for b, bx1, by1, bx2, by2 in labels[i + 1 :]:
            overlap = min(ax2, bx2) - max(ax1, bx1) > 0.5 and min(ay2, by2) - max(ay1, by1) > 0.5
            assert not overlap, f"“{a}” and “{b}” overlap"
    assert_accessible(page)
