"""The grades' charts: each grade's colours and name, best first, and the charts of grades
(core.charts draws them)."""

from __future__ import annotations

from collections.abc import Sequence

from core.charts import INK, WHITE, Chart, HistoryPoint, Styles, level_history_svg, stacked_bars_svg
from inspections.models import Grade

__all__ = [
    "GRADE_ORDER",
    "GRADE_STYLE",
    "HistoryPoint",
    "grade_distribution_svg",
    "judgement_history_svg",
]

GRADE_STYLE: Styles = {
    Grade.OUTSTANDING: ("#1d70b8", WHITE, "Outstanding"),
    Grade.GOOD: ("#00703c", WHITE, "Good"),
    Grade.REQUIRES_IMPROVEMENT: ("#f47738", INK, "Requires improvement"),
    Grade.INADEQUATE: ("#d4351c", WHITE, "Inadequate"),
    None: (WHITE, INK, "Not graded"),
}
# Best first: the order of the y axis and of the stacked bars.
GRADE_ORDER = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)


def judgement_history_svg(
    points: Sequence[HistoryPoint],
    *,
    chart_id: str = "judgement-history",
    title: str = "Overall effectiveness at each graded inspection",
    judged: str = "overall effectiveness",
) -> Chart:
    """A line through the grade at each graded inspection, best grade at the top, oldest on the
    left; each point is labelled with its grade's name."""
    return level_history_svg(
        points,
        levels=GRADE_ORDER,
        styles=GRADE_STYLE,
        chart_id=chart_id,
        title=title,
        judged=judged,
    )


def grade_distribution_svg(
    rows: Sequence[tuple[str, dict[str | None, int]]],
    *,
    chart_id: str = "grade-distribution",
    title: str = "Latest overall effectiveness grade, by region",
) -> Chart:
    """A horizontal stacked bar per region: how many authorities have each latest grade."""
    return stacked_bars_svg(
        rows,
        keys=(*GRADE_ORDER, None),
        styles=GRADE_STYLE,
        chart_id=chart_id,
        title=title,
        counted="authorities",
        group_heading="Region",
        groups_name="regions",
    )
