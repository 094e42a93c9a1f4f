"""Accessibility check for browser tests: axe-core through pytest-playwright-axe."""

from playwright.sync_api import Page
from pytest_playwright_axe import Axe

WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_accessible(page: Page) -> None:
    """Fails with a readable list if axe-core finds any WCAG 2.2 A/AA violation on the page."""
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_A_AA}},
        html_report_generated=False,
        json_report_generated=False,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
    ]
    assert violations == [], f"axe found violations on {page.url}:\n" + "\n".join(violations)
    # A scan that checked nothing would pass vacuously: make sure rules actually ran.
    assert len(results["passes"]) >= 10, "axe ran too few checks to trust the result"
