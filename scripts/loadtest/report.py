"""Reads the locust results of scripts/loadtest.sh, checks them against the database, prints the
figures and exits non-zero if any requirement failed."""

import csv
import datetime
import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilacs.settings")
django.setup()

from improvement_plans.models import ProgressUpdate, UpdateStatus  # noqa: E402

RECOVERY_LIMIT_SECONDS = 10


def _aggregate(work: Path, phase: str) -> dict:
    with (work / f"{phase}_stats.csv").open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows["Aggregated"]


def main(work: Path) -> int:
    failures = []
    phases = {}
    for phase in ("steady", "outage"):
        results = json.loads((work / f"{phase}.json").read_text())
        aggregate = _aggregate(work, phase)
        statuses = {int(k): v for k, v in results["statuses"].items()}
        phases[phase] = (results, aggregate, statuses)
        server_errors = {s: n for s, n in statuses.items() if s >= 500}
        print(
            f"{phase:>7}: {aggregate['Request Count']} requests, "
            f"{float(aggregate['Requests/s']):.1f}/s, median {aggregate['50%']} ms, "
            f"p95 {aggregate['95%']} ms, p99 {aggregate['99%']} ms; statuses {statuses}"
        )
        if 0 in statuses:
            failures.append(f"{phase}: {statuses[0]} requests got no HTTP response at all")
        if phase == "steady" and server_errors:
            failures.append(f"steady load: 5xx responses {server_errors}")
        if phase == "outage":
            other = {s: n for s, n in server_errors.items() if s != 503}
            if other:
                failures.append(f"outage: 5xx other than 503: {other}")
            if results["unfriendly_503"]:
                failures.append(
                    f"outage: {len(results['unfriendly_503'])} 503s without the friendly page"
                )
            print(
                f"         503 'service unavailable' pages during the restart: {statuses.get(503, 0)}"
            )

    # The probe: a signed-in page every 0.1 s from just before the restart until recovery.
    samples = json.loads((work / "probe.json").read_text())
    restart = float((work / "pg_restart").read_text())
    pg_up = float((work / "pg_up").read_text())
    outage = [s for s in samples if restart <= s["t"] < pg_up]
    by_status = {}
    for sample in samples:
        by_status[sample["status"]] = by_status.get(sample["status"], 0) + 1
    print(
        f"restart: PostgreSQL down and back in {pg_up - restart:.1f} s; probe statuses {by_status}, "
        f"{sum(s['status'] == 503 for s in outage)} of {len(outage)} during the restart were 503"
    )
    if any(s["status"] >= 500 and s["status"] != 503 for s in samples):
        failures.append("probe: 5xx other than 503")
    if any(s["status"] == 503 and not s["friendly"] for s in samples):
        failures.append("probe: a 503 without the friendly page")
    if any(s["status"] == 0 for s in samples):
        failures.append("probe: a request got no HTTP response")
    # Recovered: the first probe request sent after PostgreSQL came back got a 200, within the
    # limit, and no request anywhere got a 503 later than the limit.
    after = [s for s in samples if s["t"] >= pg_up]
    first = after[0] if after else None
    late_503 = [
        t - pg_up
        for t in phases["outage"][0]["times_503"]
        + [s["answered"] for s in samples if s["status"] == 503]
        if t - pg_up > RECOVERY_LIMIT_SECONDS
    ]
    if first is None or first["status"] != 200:
        failures.append(f"the first request after PostgreSQL came back failed: {first}")
        print("recovery: the first request after PostgreSQL came back failed")
    else:
        print(
            f"recovery: the first request sent after PostgreSQL came back ({first['t'] - pg_up:.1f} s "
            f"after) succeeded, answered after {first['answered'] - first['t']:.1f} s in the queue; "
            f"last 503 {max(phases['outage'][0]['times_503'] or [pg_up]) - pg_up:+.1f} s from then"
        )
        if first["t"] - pg_up > RECOVERY_LIMIT_SECONDS:
            failures.append("no successful request within the recovery limit")
    if late_503:
        failures.append(f"503s more than {RECOVERY_LIMIT_SECONDS} s after recovery: {late_503}")

    saved = [u for phase in phases.values() for u in phase[0]["saved_updates"]]
    approved = {pk for phase in phases.values() for pk in phase[0]["approved_updates"]}
    found = {
        (finding_pk, month.isoformat())
        for finding_pk, month in ProgressUpdate.objects.filter(
            area_for_improvement_id__in={u["finding_pk"] for u in saved},
            status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED],
        ).values_list("area_for_improvement_id", "month")
    }
    missing = [u for u in saved if (u["finding_pk"], u["month"]) not in found]
    approved_found = set(
        ProgressUpdate.objects.filter(pk__in=approved, status=UpdateStatus.APPROVED).values_list(
            "pk", flat=True
        )
    )
    print(
        f"updates: {len(saved)} confirmed as submitted, {len(saved) - len(missing)} in the "
        f"database; {len(approved)} confirmed as approved, {len(approved_found)} approved in the "
        "database"
    )
    if missing:
        failures.append(f"{len(missing)} confirmed updates are missing: {missing[:5]}")
    if approved - approved_found:
        failures.append(f"approvals missing: {sorted(approved - approved_found)[:5]}")
    if not saved:
        failures.append("no update was submitted: the load did not exercise the officers' form")

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"at {datetime.datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} CPU cores, load average "
        f"{load} (1, 5, 15 min; locust and PostgreSQL share the machine)"
    )
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("PASSED: zero 5xx under load, friendly 503 during the restart, recovered, no lost update")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
