#!/usr/bin/env bash
# `make archive-check ARCHIVE=DIR`: the report importer run dry over a folder of Ofsted report PDFs
# (manage.py check_ofsted_archive): counts by outcome and every implausible result. It uses a
# throwaway SQLite database holding only the authorities, so it never touches real data.
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-${ARCHIVE:-}}
if [ -z "$ARCHIVE" ] || [ ! -d "$ARCHIVE" ]; then
  echo "Give the folder of report PDFs: make archive-check ARCHIVE=../shared/data/ofsted-archive" >&2
  exit 2
fi
PYTHON=.venv/bin/python
[ -x "$PYTHON" ] || PYTHON="python3 -m uv run --frozen python"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite:///$WORK/archive-check.sqlite3" LOG_LEVEL=WARNING
$PYTHON manage.py migrate --no-input -v 0
$PYTHON manage.py load_authorities >/dev/null
$PYTHON manage.py check_ofsted_archive "$ARCHIVE" ${JOBS:+--jobs "$JOBS"}
