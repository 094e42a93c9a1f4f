"""Prints the benchmark's table from locust's CSV: per page p50, p95, requests/s, errors and the
ratio of its p95 (the target) and of its p50 (for context: the p95 of a noisy floor flatters the
ratio) to the floor page's in the same run. Also appends it, as Markdown, to a file.

    python bench/report.py PLAN.json LOCUST_CSV_PREFIX "title" MARKDOWN_OUT
"""

import csv
import json
import sys
from pathlib import Path

DASHBOARDS = ("authority dashboard", "portfolio dashboard")
TARGET_RATIO = 3.0


def main(plan_path: str, prefix: str, title: str, markdown_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    floor = stats.get("floor")
    floor_p95 = float(floor["95%"]) if floor and floor["95%"] not in ("", "N/A") else None
    floor_p50 = float(floor["50%"]) if floor and floor["50%"] not in ("", "N/A") else None
    data = ", ".join(f"{n:,} {what}" for what, n in plan["data"].items())
    lines = [
        f"{title}",
        f"data: {data}",
        "",
        f"| {'page':<20} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>6} | {'requests':>8} |"
        f" {'errors':>6} | {'p95 / floor':>11} | {'p50 / floor':>11} |",
        f"|{'-' * 22}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 10}|{'-' * 8}|{'-' * 13}|{'-' * 13}|",
    ]
    failed = []
    for label, template in plan["pages"].items():
        row = stats.get(label)
        if template is None or row is None:
            lines.append(f"| {label:<20} | {'not built yet':>7} | | | | | | |")
            continue
        p50, p95 = float(row["50%"]), float(row["95%"])
        errors = int(row["Failure Count"])
        ratio = p95 / floor_p95 if floor_p95 else float("nan")
        ratio50 = p50 / floor_p50 if floor_p50 else float("nan")
        lines.append(
            f"| {label:<20} | {p50:>7.0f} | {p95:>7.0f} | {float(row['Requests/s']):>6.1f} |"
            f" {int(row['Request Count']):>8} | {errors:>6} | {ratio:>10.2f}x | {ratio50:>10.2f}x |"
        )
        if errors:
            failed.append(f"{label}: {errors} errors")
        if label in DASHBOARDS and ratio > TARGET_RATIO:
            failed.append(f"{label}: p95 is {ratio:.1f}x the floor (target {TARGET_RATIO:g}x)")
    total = stats.get("Aggregated")
    if total:
        lines.append(
            f"all requests: {float(total['Requests/s']):.1f} req/s, "
            f"{int(total['Failure Count'])} errors of {int(total['Request Count'])}"
        )
    lines.append("targets met" if not failed else "targets missed: " + "; ".join(failed))
    text = "\n".join(lines)
    print(text)
    with open(markdown_path, "a", encoding="utf-8") as out:
        out.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
