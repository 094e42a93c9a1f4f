"""Prints one scenario's table from locust's CSV: per page p50, p95, requests/s, errors and the
ratio of its p95 (the target) and of its p50 (for context: the p95 of a noisy floor flatters the
ratio) to the floor page's in the same run; the month-end rush's writes (save, submit, approve,
return) as their own rows, the share of requests that were writes and what the clients found
nothing to do for; then PASS or FAIL per dashboard and per API list against the target (p95 within 3x the
floor's). Also appends it, as Markdown, to a file.

    python bench/report.py PLAN.json LOCUST_CSV_PREFIX "title" MARKDOWN_OUT
"""

import csv
import json
import sys
from pathlib import Path

DASHBOARDS = (
    "authority dashboard",
    "authority dashboard as at a year ago",
    "portfolio dashboard",
    "benchmark page",
)
# The read-only API's lists (issue 16) have the same target.
API_PAGES = tuple(
    f"API {name}"
    for name in (
        "authorities",
        "inspections",
        "judgements",
        "findings",
        "plans",
        "actions",
        "updates",
    )
)
TARGET_RATIO = 3.0
WIDTH = max(len(label) for label in DASHBOARDS)


def _number(value: str) -> float | None:
    return float(value) if value not in ("", "N/A", None) else None


def _row(label: str, row: dict, floor_p95, floor_p50) -> str:
    p50, p95 = float(row["50%"]), float(row["95%"])
    ratio = f"{p95 / floor_p95:>10.2f}x" if floor_p95 else f"{'':>11}"
    ratio50 = f"{p50 / floor_p50:>10.2f}x" if floor_p50 else f"{'':>11}"
    return (
        f"| {label:<{WIDTH}} | {p50:>7.0f} | {p95:>7.0f} | {float(row['Requests/s']):>6.1f} |"
        f" {int(row['Request Count']):>8} | {int(row['Failure Count']):>6} | {ratio} | {ratio50} |"
    )


def main(plan_path: str, prefix: str, title: str, markdown_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    stats_path = Path(f"{prefix}_stats.csv")
    if not stats_path.exists():
        log = Path(f"{prefix}.log")
        text = f"{title}\nno results: locust did not run\n" + (
            log.read_text(encoding="utf-8")[-2000:] if log.exists() else ""
        )
        print(text)
        with open(markdown_path, "a", encoding="utf-8") as out:
            out.write(text + "\n\n")
        return 1
    with open(stats_path, newline="", encoding="utf-8") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    extra_path = Path(f"{prefix}_extra.json")
    extra = json.loads(extra_path.read_text(encoding="utf-8")) if extra_path.exists() else {}
    rush = extra["counts"] if extra.get("scenario") == "rush" else None
    floor = stats.get("floor")
    floor_p95 = _number(floor["95%"]) if floor else None
    floor_p50 = _number(floor["50%"]) if floor else None
    data = ", ".join(f"{n:,} {what}" for what, n in plan["data"].items())
    header = (
        f"| {'page':<{WIDTH}} | {'p50 ms':>7} | {'p95 ms':>7} | {'req/s':>6} | {'requests':>8} |"
        f" {'errors':>6} | {'p95 / floor':>11} | {'p50 / floor':>11} |"
    )
    rule = "|" + "|".join("-" * n for n in (WIDTH + 2, 9, 9, 8, 10, 8, 13, 13)) + "|"
    lines = [title, f"data: {data}", "", header, rule]
    failed = []
    for label, template in plan["pages"].items():
        row = stats.get(label)
        if template is None:
            lines.append(f"| {label:<{WIDTH}} | {'not built yet':>7} | | | | | | |")
        elif row is not None:
            lines.append(_row(label, row, floor_p95, floor_p50))
            if int(row["Failure Count"]):
                failed.append(f"{label}: {row['Failure Count']} errors")
    writes = plan.get("writes", [])
    if rush is not None:
        lines.append(f"| {'writes (POST)':<{WIDTH}} | | | | | | | |")
        for label in writes:
            row = stats.get(label)
            if row is None:
                lines.append(f"| {label:<{WIDTH}} | {'none':>7} | | | {0:>8} | {0:>6} | | |")
                continue
            lines.append(_row(label, row, floor_p95, floor_p50))
            if int(row["Failure Count"]):
                failed.append(f"{label}: {row['Failure Count']} errors")
    total = stats.get("Aggregated")
    if total:
        lines.append(
            f"all requests: {float(total['Requests/s']):.1f} req/s, "
            f"{int(total['Failure Count'])} errors of {int(total['Request Count'])}"
        )
    if rush is not None:
        done = sum(
            int(stats[w]["Request Count"]) - int(stats[w]["Failure Count"])
            for w in writes
            if w in stats
        )
        posted = sum(int(stats[w]["Request Count"]) for w in writes if w in stats)
        requests = sum(
            int(row["Request Count"])
            for name, row in stats.items()
            if name != "Aggregated" and not name.endswith("(setup)")
        )
        lines.append(
            f"writes: {posted / max(1, requests):.0%} of requests ({posted} of {requests}), "
            f"{done} succeeded"
        )
        idle = {
            k.removeprefix("nothing to do: "): n
            for k, n in rush.items()
            if k.startswith("nothing to do")
        }
        lines.append(
            "nothing to do (not errors): "
            + (", ".join(f"{what} {n}" for what, n in sorted(idle.items())) or "none")
        )
        if not done:
            failed.append("no write succeeded")
    try:
        with open(f"{prefix}_failures.csv", newline="", encoding="utf-8") as handle:
            failures = sorted(csv.DictReader(handle), key=lambda r: -int(r["Occurrences"]))
    except FileNotFoundError:
        failures = []
    for failure in failures[:5]:
        lines.append(
            f"  error x{failure['Occurrences']}: {failure['Method']} {failure['Name']}: "
            f"{failure['Error'][:160]}"
        )
    for slow in extra.get("slowest", [])[:3]:
        since = slow["after write s"]
        lines.append(
            f"  slowest: {slow['ms']} ms {slow['label']}"
            + (f" {slow['pk']}" if slow["pk"] is not None else "")
            + (
                ", not written to"
                if since is None
                else f", {since:g} s after a write to it"
                if since >= 0
                else ", a write to it finished during the view"
            )
        )
    for label in (*DASHBOARDS, *API_PAGES):
        row = stats.get(label)
        p95 = _number(row["95%"]) if row else None
        if plan["pages"].get(label) is None or p95 is None:
            lines.append(f"{'n/a':<4} {label}: not measured")
            continue
        ratio = p95 / floor_p95 if floor_p95 else float("inf")
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        lines.append(
            f"{verdict:<4} {label}: p95 {p95:.0f} ms = {ratio:.2f}x the floor's"
            f" {floor_p95 or 0:.0f} ms (target {TARGET_RATIO:g}x)"
        )
        if verdict == "FAIL":
            failed.append(f"{label}: p95 is {ratio:.1f}x the floor (target {TARGET_RATIO:g}x)")
    lines.append("targets met" if not failed else "targets missed: " + "; ".join(failed))
    text = "\n".join(lines)
    print(text)
    with open(markdown_path, "a", encoding="utf-8") as out:
        out.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
