"""Server-rendered SVG charts: no JavaScript, crisp in print and PDF.

Every chart is a `Chart`: the SVG (role="img", named by its <title> and <desc> through
aria-labelledby) and the same data as a table, which the page shows beneath it
(`templates/dashboards/includes/chart.html`). Colour is never the only carrier of meaning: each
mark also carries its label as text (R, A, G, C; a grade's name or a count), every shape has a
dark outline so it keeps 3:1 contrast whatever its fill, and text sits on fills that give it at
least 4.5:1.

The functions take plain values (no model instances, no queries), so reports and PDFs can reuse
them, and the styles of what they plot (each key's fill, text colour and label) from the app
that defines those keys: the RAG ratings' in improvement_plans.charts, the grades' in
inspections.charts.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

INK = "#0b0c0c"
WHITE = "#ffffff"
GRID = "#b1b4b6"
FONT = 'font-family="arial, sans-serif"'

# A key's (fill, text colour, label). Text on each fill has at least 4.5:1 contrast.
type Style = tuple[str, str, str]
type Styles = Mapping[str | None, Style]


@dataclass(frozen=True)
class Chart:
    """An accessible SVG chart and its data as a table (header row, then rows of cells)."""

    chart_id: str
    title: str
    description: str
    svg: SafeString
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    # The table's cells as HTML, for templates/dashboards/includes/chart.html: a chart's table
    # can have hundreds of cells (an area's row per month), which a template loop renders
    # several times slower than a join. The markup is the template's own.
    @property
    def table_head_html(self) -> SafeString:
        return mark_safe(  # every value is escaped
            "".join(
                f'<th scope="col" class="govuk-table__header">{conditional_escape(heading)}</th>'
                for heading in self.table_head
            )
        )

    @property
    def table_body_html(self) -> SafeString:
        """A row per table row (its first cell the row's header), or one saying there is none."""
        if not self.table_rows:
            return format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">No data'
                "</td></tr>",
                len(self.table_head),
            )
        rows = []
        for header, *cells in self.table_rows:
            rows.append(
                '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
                f"{conditional_escape(header)}</th>"
                + "".join(
                    f'<td class="govuk-table__cell">{conditional_escape(cell)}</td>'
                    for cell in cells
                )
                + "</tr>\n        "
            )
        return mark_safe("".join(rows))  # every value is escaped


def _text(
    x: float, y: float, content: str, *, size: int = 14, anchor: str = "start", fill: str = INK
) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" {FONT} font-size="{size}" text-anchor="{anchor}"'
        f' fill="{fill}">{escape(content)}</text>'
    )


# Arial's characters average about half the font size; 0.6 leaves room for wide letters and
# capitals in a label (no font is at hand here to measure with).
CHARACTER_WIDTH = 0.6


def text_width(text: str, size: int) -> float:
    """A generous estimate of `text`'s width in Arial at `size` px."""
    return len(text) * size * CHARACTER_WIDTH


def _svg(chart_id: str, title: str, description: str, width: int, height: int, body: list[str]):
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _month_label(month: datetime.date, first: bool) -> str:
    return f"{month:%b %Y}" if first or month.month == 1 else f"{month:%b}"


def month_grid_svg(
    rows: Sequence[tuple[str, Sequence[str | None]]],
    months: Sequence[datetime.date],
    *,
    styles: Styles,
    labels: Mapping[str | None, str],
    chart_id: str,
    title: str,
    row_heading: str,
    rows_name: str,
) -> Chart:
    """A grid: one row per item (its column headed `row_heading`, such as "Area for improvement";
    `rows_name` says what they are in the description), one column per month, each cell the key reported for that month in its style (its letter inside; the None
    key where nothing was reported). The legend lists `labels` in order."""
    label_width, cell, gap, top = 330, 34, 4, 34
    width = label_width + len(months) * (cell + gap) + 10
    legend_y = top + len(rows) * (cell + gap) + 14
    height = legend_y + 30
    body = []
    for column, month in enumerate(months):
        x = label_width + column * (cell + gap) + cell / 2
        body.append(_text(x, 22, _month_label(month, column == 0), size=12, anchor="middle"))
    for index, (label, rags) in enumerate(rows):
        y = top + index * (cell + gap)
        body.append(_text(0, y + cell / 2 + 5, _shorten(label, 44)))
        for column, rag in enumerate(rags):
            fill, ink, letter = styles[rag]
            x = label_width + column * (cell + gap)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}"'
                f' stroke="{INK}" stroke-width="1"/>'
            )
            body.append(
                _text(x + cell / 2, y + cell / 2 + 5, letter, size=14, anchor="middle", fill=ink)
            )
    x = 0
    for rag in labels:
        fill, ink, letter = styles[rag]
        body.append(
            f'<rect x="{x}" y="{legend_y}" width="22" height="22" fill="{fill}" stroke="{INK}"/>'
        )
        body.append(_text(x + 11, legend_y + 16, letter, size=12, anchor="middle", fill=ink))
        body.append(_text(x + 28, legend_y + 16, labels[rag]))
        x += 40 + 8 * len(labels[rag])
    counts = {rag: 0 for rag in labels}
    for _, rags in rows:
        if rags:
            counts[rags[-1]] += 1
    period = f"{months[0]:%B %Y} to {months[-1]:%B %Y}" if months else "no months"
    latest = ", ".join(f"{n} {labels[rag].lower()}" for rag, n in counts.items() if n)
    description = f"{len(rows)} {rows_name}, {period}. In the latest month: {latest or 'none'}."
    table_rows = tuple((label, *(labels[rag] for rag in rags)) for label, rags in rows)
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, width, height, body),
        table_head=(row_heading, *(f"{m:%b %Y}" for m in months)),
        table_rows=table_rows,
    )


@dataclass(frozen=True)
class HistoryPoint:
    """One point in time: when, what it was (a graded inspection's kind), and the level plotted
    (None when nothing comparable was judged)."""

    start_date: datetime.date
    label: str
    grade: str | None


def level_history_svg(
    points: Sequence[HistoryPoint],
    *,
    levels: Sequence[str],
    styles: Styles,
    chart_id: str,
    title: str,
    judged: str,
) -> Chart:
    """A line through the level (a grade) at each point, `levels` from the top (best first),
    oldest on the left; each level is labelled with its style's name."""
    left, top, row = 190, 20, 48
    no_grade = f"No {judged}" if judged.endswith("grade") else f"No {judged} grade"
    # Each point's labels (its date, its label, "No ... grade") are centred under it: the points
    # are spaced by the widest label, and the last has room for half of it, so that no two labels
    # overlap and none is cut at the edge.
    widest = max(
        (
            max(
                text_width(f"{p.start_date:%b %Y}", 14),
                text_width(p.label, 12),
                text_width(no_grade, 12),
            )
            for p in points
        ),
        default=0,
    )
    step = max(150, math.ceil(widest) + 20)
    half = math.ceil(widest / 2) + 10
    first_x = left + max(20, half - left)
    xs = [first_x + step * index for index in range(len(points))]
    width = max((xs[-1] if xs else first_x) + max(half, 40), 520)
    plot_bottom = top + row * (len(levels) - 1)
    height = plot_bottom + 70
    body = []
    level_y = {grade: top + index * row for index, grade in enumerate(levels)}
    for grade, y in level_y.items():
        body.append(
            f'<line x1="{left - 10}" y1="{y}" x2="{width - 20}" y2="{y}" stroke="{GRID}"'
            f' stroke-dasharray="4 4"/>'
        )
        body.append(_text(left - 16, y + 5, styles[grade][2], anchor="end"))
    path, pen_down = [], False
    for x, point in zip(xs, points, strict=True):
        if point.grade in level_y:
            # A gap in the line where an inspection judged nothing comparable.
            path.append(f"{'L' if pen_down else 'M'}{x} {level_y[point.grade]}")
            pen_down = True
        else:
            pen_down = False
    if path:
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for x, point in zip(xs, points, strict=True):
        body.append(_text(x, plot_bottom + 36, f"{point.start_date:%b %Y}", anchor="middle"))
        body.append(_text(x, plot_bottom + 56, point.label, size=12, anchor="middle"))
        if point.grade in level_y:
            fill = styles[point.grade][0]
            y = level_y[point.grade]
            body.append(
                f'<circle cx="{x}" cy="{y}" r="9" fill="{fill}" stroke="{INK}" stroke-width="2"/>'
            )
        else:
            body.append(_text(x, plot_bottom + 16, no_grade, size=12, anchor="middle"))
    described = [
        f"{p.start_date:%B %Y}: {styles[p.grade][2] if p.grade in level_y else 'not judged'}"
        for p in points
    ]
    description = (
        f"{len(points)} graded inspections. " + "; ".join(described) + "."
        if points
        else "No graded inspections recorded."
    )
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, width, height, body),
        table_head=("Inspection started", "Type", judged.capitalize()),
        table_rows=tuple(
            (
                f"{p.start_date:%-d %B %Y}",
                p.label,
                styles[p.grade][2] if p.grade in level_y else "Not judged",
            )
            for p in points
        ),
    )


def stacked_bars_svg(
    rows: Sequence[tuple[str, dict[str | None, int]]],
    *,
    keys: Sequence[str | None],
    styles: Styles,
    chart_id: str,
    title: str,
    counted: str,
    group_heading: str,
    groups_name: str,
) -> Chart:
    """A horizontal stacked bar per group (headed `group_heading`, such as "Region"; `groups_name`
    in the description, "regions"): how many of the `counted` things ("authorities") have each
    key. Each segment shows its count; the
    legend names the keys."""
    label_width, bar_width, bar, gap, top = 230, 480, 28, 10, 10
    biggest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    legend_y = top + len(rows) * (bar + gap) + 10
    width, height = label_width + bar_width + 60, legend_y + 34
    body = []
    for index, (label, counts) in enumerate(rows):
        y = top + index * (bar + gap)
        body.append(_text(0, y + bar / 2 + 5, _shorten(label, 30)))
        x = float(label_width)
        for grade in keys:
            count = counts.get(grade, 0)
            if not count:
                continue
            fill, ink, _ = styles[grade]
            segment = bar_width * count / biggest
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="{bar}" fill="{fill}"'
                f' stroke="{INK}" stroke-width="1"/>'
            )
            if segment >= 18:
                body.append(
                    _text(x + segment / 2, y + bar / 2 + 5, str(count), anchor="middle", fill=ink)
                )
            x += segment
        body.append(_text(x + 6, y + bar / 2 + 5, f"{sum(counts.values())}", size=12))
    x = 0
    for grade in keys:
        fill, _, name = styles[grade]
        body.append(
            f'<rect x="{x}" y="{legend_y}" width="18" height="18" fill="{fill}" stroke="{INK}"/>'
        )
        body.append(_text(x + 24, legend_y + 14, name, size=13))
        x += 40 + 7 * len(name)
    totals = {grade: sum(counts.get(grade, 0) for _, counts in rows) for grade in keys}
    description = (
        f"{sum(totals.values())} {counted} in {len(rows)} {groups_name}: "
        + ", ".join(f"{n} {styles[g][2].lower()}" for g, n in totals.items() if n)
        + "."
    )
    return Chart(
        chart_id=chart_id,
        title=title,
        description=description,
        svg=_svg(chart_id, title, description, width, height, body),
        table_head=(group_heading, *(styles[g][2] for g in keys), "Total"),
        table_rows=tuple(
            (
                label,
                *(str(counts.get(g, 0)) for g in keys),
                str(sum(counts.values())),
            )
            for label, counts in rows
        ),
    )
