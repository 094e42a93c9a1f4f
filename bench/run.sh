#!/usr/bin/env bash
# `make bench`: the dashboards and the busiest pages under load, at national scale and at ten
# times the data. For each scale:
#   1. a PostgreSQL database (ilacs_bench_x1, ilacs_bench_x10) seeded with
#      `seed_demo --scale national [--times 10]`, reused while the seed code, the migrations and
#      the month are unchanged (a comment on the database records what it holds);
#   2. gunicorn (production settings, several workers, HTTPS with a throwaway certificate) on
#      127.0.0.1 only;
#   3. `manage.py warm_dashboards --rebuild` (today's dashboards into the cache, as production
#      does after a deploy and each night; it prints how long the cold builds took), then locust,
#      headless: concurrent signed-in clients (bench/locustfile.py) after a warm-up, in two
#      scenarios one after the other: "steady" (reads only) and "rush", the month-end rush (a
#      fifth of the requests are writes: officers saving and submitting this month's updates,
#      managers approving and returning them, each restamping its authority's dashboards);
#   4. per scenario and page: p50, p95, requests/s, errors, and p95 divided by the floor page's p95
#      in the same run, the writes as their own rows, PASS/FAIL per dashboard against 3x the
#      floor (bench/report.py). Pages of other issues that are not built yet say so.
# The rush changes the data: a reused database carries on from where the last run left it.
# Tunables: BENCH_USERS (6), BENCH_SECONDS (90), BENCH_RUSH_SECONDS (BENCH_SECONDS),
# BENCH_SCENARIOS ("steady rush"), BENCH_WRITE_SHARE (0.2), BENCH_MANAGERS (1, of the rush's
# clients), BENCH_WORKERS (3), BENCH_THREADS (2), BENCH_SCALES ("1 10"),
# BENCH_PG (postgres://postgres@127.0.0.1:5432), BENCH_DB_PREFIX (ilacs_bench_x: the databases are
# ilacs_bench_x1 and ilacs_bench_x10; another prefix for a trial run), BENCH_RESEED=1,
# BENCH_KEEP=1 (keep the locust CSVs and logs), BENCH_SKIP_EXPORT=1 (not bench/report_export.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON="python3 -m uv run --frozen python"
USERS=${BENCH_USERS:-6}
DURATION=${BENCH_SECONDS:-90}
RUSH_DURATION=${BENCH_RUSH_SECONDS:-$DURATION}
SCENARIOS=${BENCH_SCENARIOS:-"steady rush"}
DB_PREFIX=${BENCH_DB_PREFIX:-ilacs_bench_x}
WORKERS=${BENCH_WORKERS:-3}
THREADS=${BENCH_THREADS:-2}
SCALES=${BENCH_SCALES:-"1 10"}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_HOST_ARGS=(-h 127.0.0.1 -U postgres)
WORK="$(mktemp -d)"
RESULTS="$WORK/results.md"
GUNICORN_PID=""
stop_gunicorn() {
  if [ -n "$GUNICORN_PID" ]; then
    kill "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
    GUNICORN_PID=""
  fi
}
cleanup() {
  stop_gunicorn
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $WORK (locust CSVs and logs)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL is not accepting connections on 127.0.0.1"; exit 1; }
export DEBUG=false
SECRET_KEY="$($PYTHON -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY ALLOWED_HOSTS=127.0.0.1 SITE_URL=https://127.0.0.1 LOG_LEVEL=WARNING
# What a seeded database holds: rebuilt when the seed code, any migration or the month changes.
SEED_ID="$(cat ilacs/demo/*.py ilacs/demo/*.json */migrations/*.py 2>/dev/null | sha1sum | cut -c1-12)-$(date +%Y-%m)"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
$PYTHON manage.py collectstatic --no-input -v 0
STARTED=$(date +%s)

for TIMES in $SCALES; do
  DB="$DB_PREFIX$TIMES"
  export DATABASE_URL="$PG/$DB"
  MARK="ilacs bench: national x$TIMES, $SEED_ID"
  HAVE="$(psql "${PG_HOST_ARGS[@]}" -At -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'" 2>/dev/null || true)"
  echo
  echo "=== National scale x$TIMES: database $DB ==="
  if [ "$HAVE" = "$MARK" ] && [ -z "${BENCH_RESEED:-}" ]; then
    echo "Reusing $DB (already seeded: $MARK)"
    $PYTHON manage.py migrate --no-input -v 0
  else
    psql "${PG_HOST_ARGS[@]}" -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    $PYTHON manage.py migrate --no-input -v 0
    $PYTHON manage.py createcachetable
    $PYTHON manage.py load_authorities
    SEED_START=$(date +%s)
    DEBUG=true $PYTHON manage.py seed_demo --scale national --times "$TIMES" | grep -v "demo-password"
    echo "seeded in $(($(date +%s) - SEED_START))s"
    psql "${PG_HOST_ARGS[@]}" -d "$DB" -q -c "VACUUM ANALYZE"
    psql "${PG_HOST_ARGS[@]}" -q -c "COMMENT ON DATABASE $DB IS '$MARK'"
  fi
  $PYTHON manage.py createcachetable  # harmless to repeat
  $PYTHON bench/prepare.py "$WORK/plan-x$TIMES.json"
  # Today's dashboards built ahead of their first viewer, as production does after a deploy and
  # each night (README, Deploying). --rebuild: every one is built again, so the cold build time
  # (the first view after a change) is measured in every run, not only after a reseed.
  $PYTHON manage.py warm_dashboards --rebuild | tee "$WORK/warm-x$TIMES.txt"

  PORT="$($PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  HOST="https://127.0.0.1:$PORT"
  $PYTHON -m gunicorn ilacs.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --threads "$THREADS" --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" \
    --error-logfile "$WORK/gunicorn-x$TIMES.log" --capture-output &
  GUNICORN_PID=$!
  for _ in $(seq 60); do curl -ksf -o /dev/null "$HOST/accounts/sign-in/" && break; sleep 0.5; done
  curl -ksf -o /dev/null "$HOST/accounts/sign-in/" || { echo "gunicorn did not start"; cat "$WORK/gunicorn-x$TIMES.log"; exit 1; }

  run_locust() {  # $1 csv prefix, $2 seconds, $3 scenario
    BENCH_PLAN="$WORK/plan-x$TIMES.json" BENCH_SCENARIO="$3" $PYTHON -m locust \
      -f bench/locustfile.py --headless --host "$HOST" -u "$USERS" -r "$USERS" -t "$2s" \
      --csv "$1" --only-summary --loglevel WARNING >"$1.log" 2>&1 || true
  }
  echo "warming up (15s), then $USERS signed-in clients on $WORKERS gunicorn workers x $THREADS threads: $SCENARIOS"
  run_locust "$WORK/warmup-x$TIMES" 15 steady
  for SCENARIO in $SCENARIOS; do
    case "$SCENARIO" in
      steady) SECONDS_RUN=$DURATION; WHAT="steady (reads)" ;;
      rush) SECONDS_RUN=$RUSH_DURATION; WHAT="month-end rush (writes ${BENCH_WRITE_SHARE:-0.2} of requests)" ;;
      *) echo "unknown scenario $SCENARIO (steady, rush)"; exit 1 ;;
    esac
    run_locust "$WORK/x$TIMES-$SCENARIO" "$SECONDS_RUN" "$SCENARIO"
    echo
    $PYTHON bench/report.py "$WORK/plan-x$TIMES.json" "$WORK/x$TIMES-$SCENARIO" \
      "National scale x$TIMES, $WHAT: $USERS clients, ${SECONDS_RUN}s, $WORKERS workers x $THREADS threads, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" \
      "$RESULTS"
  done
  { echo "Cold builds (manage.py warm_dashboards --rebuild, before the run; one process, no load):"
    sed 's/^/    /' "$WORK/warm-x$TIMES.txt"; echo; } | tee -a "$RESULTS"

  stop_gunicorn
done

# The committee report export benchmark (issue 6): standalone, its own throwaway database.
if [ -f bench/report_export.py ] && [ -z "${BENCH_SKIP_EXPORT:-}" ]; then
  echo
  echo "=== bench/report_export.py ==="
  (unset DATABASE_URL DEBUG SECRET_KEY ALLOWED_HOSTS SITE_URL; $PYTHON bench/report_export.py) | tee -a "$RESULTS" \
    || echo "bench/report_export.py reported a missed target or failed" | tee -a "$RESULTS"
fi

# The whole report archive imported (issue 12): only when a folder is given (ARCHIVE=DIR) or the
# shared archive sits beside the repository; skipped quietly otherwise. Its own throwaway
# database; the target is 3 minutes for the 331 files on 2 cores.
ARCHIVE=${ARCHIVE:-}
[ -z "$ARCHIVE" ] && [ -d ../shared/data/ofsted-archive ] && ARCHIVE=../shared/data/ofsted-archive
if [ -n "$ARCHIVE" ] && [ -d "$ARCHIVE" ]; then
  echo
  echo "=== Archive import: $ARCHIVE ==="
  ARCHIVE_DB=ilacs_bench_archive
  psql "${PG_HOST_ARGS[@]}" -q -c "DROP DATABASE IF EXISTS $ARCHIVE_DB" -c "CREATE DATABASE $ARCHIVE_DB"
  ( export DATABASE_URL="$PG/$ARCHIVE_DB"
    $PYTHON manage.py migrate --no-input -v 0
    $PYTHON manage.py createcachetable  # as a deployment has it: the dashboards are refreshed after the import
    $PYTHON manage.py load_authorities >/dev/null
    ARCHIVE_START=$(date +%s.%N)
    $PYTHON manage.py import_ofsted_archive "$ARCHIVE" ${BENCH_ARCHIVE_JOBS:+--jobs "$BENCH_ARCHIVE_JOBS"} \
      >"$WORK/archive.txt"
    ARCHIVE_SECONDS=$(echo "$(date +%s.%N) - $ARCHIVE_START" | bc)
    { echo "Archive import (manage.py import_ofsted_archive, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end):"
      echo "    $(grep -E '^[0-9]+ files:' "$WORK/archive.txt")"
      printf '    wall clock, Django start included: %.0f s (target: 180 s)\n\n' "$ARCHIVE_SECONDS"
    } | tee -a "$RESULTS"
  ) || echo "The archive import benchmark failed" | tee -a "$RESULTS"
  psql "${PG_HOST_ARGS[@]}" -q -c "DROP DATABASE IF EXISTS $ARCHIVE_DB" || true
fi

echo
echo "=== Summary ($(($(date +%s) - STARTED))s) ==="
cat "$RESULTS"
OUT=${BENCH_OUT:-/tmp/ilacs-bench-results.md}
cp "$RESULTS" "$OUT"
echo "(also written to $OUT)"
