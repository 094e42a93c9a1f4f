"""The RAG ratings' chart: each rating's colours and letter, and the month-by-month grid of the
ratings reported for each area for improvement (core.charts draws it)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from core.charts import INK, WHITE, Chart, Styles, month_grid_svg, stacked_bars_svg
from improvement_plans.models import Rag

RAG_STYLE: Styles = {
    Rag.RED: ("#d4351c", WHITE, "R"),
    Rag.AMBER: ("#f47738", INK, "A"),
    Rag.GREEN: ("#00703c", WHITE, "G"),
    Rag.COMPLETE: ("#1d70b8", WHITE, "C"),
    None: (WHITE, INK, "–"),
}
# In the legend's order.
RAG_LABEL = {**{rag.value: rag.label for rag in Rag}, None: "No update"}


def rag_trend_svg(
    rows: Sequence[tuple[str, Sequence[str | None]]],
    months: Sequence[datetime.date],
    *,
    chart_id: str = "rag-trend",
    title: str = "RAG rating of each area for improvement, month by month",
) -> Chart:
    """A grid: one row per area for improvement, one column per month, each cell the RAG reported
    for that month (its letter inside, "–" where no update was reported)."""
    return month_grid_svg(
        rows,
        months,
        styles=RAG_STYLE,
        labels=RAG_LABEL,
        chart_id=chart_id,
        title=title,
        row_heading="Area for improvement",
        rows_name="areas for improvement",
    )


# The same colours, named in full: for totals, where a segment's count is written inside it.
RAG_TOTAL_STYLE: Styles = {
    rag: (fill, ink, RAG_LABEL[rag]) for rag, (fill, ink, _letter) in RAG_STYLE.items()
}


def rag_totals_svg(
    rows: Sequence[tuple[str, dict[str | None, int]]],
    *,
    chart_id: str = "rag-totals",
    title: str = "Current areas for improvement by the RAG reported, month by month",
) -> Chart:
    """A stacked bar per month: how many areas for improvement had each RAG reported for it
    ("No update": none reported)."""
    return stacked_bars_svg(
        rows,
        keys=(Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE, None),
        styles=RAG_TOTAL_STYLE,
        chart_id=chart_id,
        title=title,
        counted="areas for improvement counted once a month",
        group_heading="Month",
        groups_name="months",
    )
