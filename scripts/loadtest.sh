#!/usr/bin/env bash
# Load and fault test (`make loadtest`): the app under gunicorn (production settings, HTTPS with a
# throwaway self-signed certificate) on PostgreSQL (a cluster of its own, database ilacs_load,
# rebuilt from scratch).
#   Phase 1: 50 simulated people (officers logging and submitting updates, managers on the
#            dashboards and approving) for 60 s. Must have zero 5xx; prints the p95.
#   Phase 2: the same load again, and PostgreSQL is restarted mid-run. Requests during the outage
#            must get the friendly 503 page and nothing else in 5xx; the app must recover on its
#            own within 10 s of PostgreSQL accepting connections again (a probe watches a
#            signed-in page every 0.1 s through the restart).
#   Then: every update the app confirmed (submitted or approved) must be in the database.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON="python3 -m uv run --frozen python"
LOCUST="$PYTHON -m locust"
PG_VERSION="$(ls /etc/postgresql | head -n 1)"
DB=ilacs_load
USERS=${LOADTEST_USERS:-50}
DURATION=${LOADTEST_SECONDS:-60}
WORK="$(mktemp -d)"
GUNICORN_PID=""
cleanup() {
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# A PostgreSQL cluster of its own (created on first run), so that restarting it mid-run cannot
# disturb anything else using the machine's main cluster.
CLUSTER=${LOADTEST_PG_CLUSTER:-loadtest}
PG_PORT=${LOADTEST_PG_PORT:-5499}
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$CLUSTER"; then
  echo "Creating PostgreSQL cluster $PG_VERSION/$CLUSTER on port $PG_PORT"
  pg_createcluster "$PG_VERSION" "$CLUSTER" --port "$PG_PORT" -- --auth-local=trust --auth-host=trust >/dev/null
fi
PG_PORT="$(pg_lsclusters -h | awk -v c="$CLUSTER" '$2 == c {print $3}')"
if ! pg_isready -h 127.0.0.1 -p "$PG_PORT" -q; then
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$CLUSTER" start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p "$PG_PORT" -q && break; sleep 1; done
fi

# The production environment, as a deployment sets it (README, "Deploying").
export DEBUG=false
SECRET_KEY="$($PYTHON -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB"
export LOG_LEVEL=WARNING
export LOADTEST_PLAN="$WORK/plan.json"
PORT="$($PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HOST="https://127.0.0.1:$PORT"
export SITE_URL="$HOST"

echo "=== Setting up database $DB (demo data + load users) ==="
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$PYTHON manage.py migrate --no-input -v 0
$PYTHON manage.py createcachetable
$PYTHON manage.py collectstatic --no-input -v 0
$PYTHON manage.py seed_demo --force >/dev/null
$PYTHON scripts/loadtest/seed.py "$LOADTEST_PLAN"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
echo "=== Starting gunicorn on $HOST ==="
# gunicorn.conf.py (preload, keep-alive) applies, as in production.
$PYTHON -m gunicorn ilacs.wsgi --bind "127.0.0.1:$PORT" --workers 3 --threads 4 \
  --certfile "$WORK/cert.pem" --keyfile "$WORK/key.pem" --error-logfile "$WORK/gunicorn.log" \
  --capture-output --timeout 120 &
GUNICORN_PID=$!
for _ in $(seq 60); do curl -ksf "$HOST/health/" >/dev/null && break; sleep 0.5; done
curl -ksf "$HOST/health/" >/dev/null || { echo "gunicorn did not start"; cat "$WORK/gunicorn.log"; exit 1; }

run_locust() {  # $1 phase name, $2 seconds
  LOADTEST_RESULTS="$WORK/$1.json" $LOCUST -f scripts/loadtest/locustfile.py --headless \
    --host "$HOST" -u "$USERS" -r 10 -t "$2s" --stop-timeout 30 --csv "$WORK/$1" --only-summary \
    --loglevel WARNING >"$WORK/$1.locust.log" 2>&1 || true
}

echo "=== Phase 1: $USERS users for ${DURATION}s ==="
run_locust steady "$DURATION"

echo "=== Phase 2: $USERS users for 45s, PostgreSQL restarted after 15s ==="
run_locust outage 45 &
LOCUST_PID=$!
sleep 15
$PYTHON scripts/loadtest/probe.py "$HOST" "$LOADTEST_PLAN" "$WORK/probe.json" "$WORK/pg_up" &
PROBE_PID=$!
sleep 1
echo "Restarting PostgreSQL $PG_VERSION/$CLUSTER at $(date +%T)"
date +%s.%N >"$WORK/pg_restart"
pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$CLUSTER" restart
for _ in $(seq 600); do pg_isready -h 127.0.0.1 -p "$PG_PORT" -q && break; sleep 0.1; done
date +%s.%N >"$WORK/pg_up"
wait "$PROBE_PID" || true
wait "$LOCUST_PID" || true

echo "=== Results ==="
if ! $PYTHON scripts/loadtest/report.py "$WORK"; then
  mkdir -p /tmp/ilacs-loadtest && cp "$WORK"/*.log "$WORK"/*.json "$WORK"/*.csv /tmp/ilacs-loadtest/ 2>/dev/null
  echo "Logs kept in /tmp/ilacs-loadtest"
  exit 1
fi
