"""The SVG charts (core.charts, in the styles of inspections.charts and improvement_plans.charts): an accessible name, the same data as a table, escaped text, text labels."""

import datetime
import re

from improvement_plans.charts import rag_trend_svg
from improvement_plans.models import Rag
from inspections.charts import HistoryPoint, grade_distribution_svg, judgement_history_svg
from inspections.models import Grade

MONTHS = [datetime.date(2026, m, 1) for m in range(1, 4)]


def _accessible_name_parts(svg: str) -> tuple[str, str, str]:
    labelled_by = re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', svg).group(1)
    title_id, desc_id = labelled_by.split()
    title = re.search(rf'<title id="{title_id}">([^<]*)</title>', svg).group(1)
    desc = re.search(rf'<desc id="{desc_id}">([^<]*)</desc>', svg).group(1)
    return labelled_by, title, desc


def test_a_rag_trend_is_an_image_named_by_its_title_and_description():
    chart = rag_trend_svg(
        [("Plans", [Rag.RED, Rag.AMBER, Rag.GREEN]), ("Supervision", [None, Rag.RED, None])],
        MONTHS,
        chart_id="trend",
        title="RAG by month",
    )
    _, title, desc = _accessible_name_parts(chart.svg)
    assert title == "RAG by month"
    assert "2 areas for improvement, January 2026 to March 2026" in desc
    assert "1 green" in desc and "1 no update" in desc


def test_a_rag_trend_labels_every_cell_with_text_not_only_colour():
    chart = rag_trend_svg([("Plans", [Rag.RED, Rag.AMBER, Rag.COMPLETE])], MONTHS)
    letters = re.findall(r'text-anchor="middle" fill="[^"]+">([RAGC–])</text>', chart.svg)
    assert letters[:3] == ["R", "A", "C"]
    assert ">Red</text>" in chart.svg and ">No update</text>" in chart.svg  # the legend


def test_a_rag_trend_table_holds_the_same_data():
    chart = rag_trend_svg([("Plans", [Rag.RED, None, Rag.GREEN])], MONTHS)
    assert chart.table_head == ("Area for improvement", "Jan 2026", "Feb 2026", "Mar 2026")
    assert chart.table_rows == (("Plans", "Red", "No update", "Green"),)


def test_chart_text_is_escaped():
    chart = rag_trend_svg([("<script>alert(1)</script>", [Rag.RED])], MONTHS[:1])
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg


def test_a_judgement_history_plots_each_grade_and_names_it():
    points = [
        HistoryPoint(datetime.date(2015, 9, 14), "SIF inspection", Grade.INADEQUATE),
        HistoryPoint(datetime.date(2019, 3, 4), "Standard inspection", Grade.GOOD),
        HistoryPoint(datetime.date(2026, 5, 1), "Short inspection", None),
    ]
    chart = judgement_history_svg(points, chart_id="history")
    _, _, desc = _accessible_name_parts(chart.svg)
    assert desc == (
        "3 graded inspections. September 2015: Inadequate; March 2019: Good; May 2026: not judged."
    )
    assert chart.svg.count("<circle") == 2
    assert 'd="M' in chart.svg
    assert chart.table_rows[2] == ("1 May 2026", "Short inspection", "Not judged")


def test_a_grade_distribution_counts_by_region_and_totals():
    chart = grade_distribution_svg(
        [
            ("London", {Grade.GOOD: 3, Grade.INADEQUATE: 1}),
            ("North East", {Grade.OUTSTANDING: 2, None: 1}),
        ]
    )
    _, _, desc = _accessible_name_parts(chart.svg)
    assert desc == "7 authorities in 2 regions: 2 outstanding, 3 good, 1 inadequate, 1 not graded."
    assert chart.table_head[0] == "Region" and chart.table_head[-1] == "Total"
    assert chart.table_rows[0] == ("London", "0", "3", "0", "1", "0", "4")
    assert ">3</text>" in chart.svg  # the count is written on its segment


def test_empty_charts_still_render():
    assert "No graded inspections recorded" in judgement_history_svg([]).svg
    assert grade_distribution_svg([]).table_rows == ()
