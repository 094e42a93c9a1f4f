"""The RAG ratings' chart: each rating's colours and letter, and the month-by-month grid of the
ratings reported for each area for improvement (core.charts draws it)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from core.charts import INK, WHITE, Chart, Styles, month_grid_svg
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
