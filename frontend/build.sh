#!/usr/bin/env bash
# Compiles GOV.UK Frontend into static/. Run through `make frontend` after changing frontend/ or
# upgrading govuk-frontend; the output is committed so that `make run` needs no Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --silent
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  frontend/app.scss static/css/app.css
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/js/govuk-frontend.min.js
echo "built static/css/app.css and static/js/govuk-frontend.min.js"
