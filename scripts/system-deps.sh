#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need, if any are missing:
# Chromium for the browser tests, Pango/HarfBuzz and fonts for WeasyPrint's PDFs (Liberation
# for Arial, Noto CJK so Chinese, Japanese and Korean names print rather than show as boxes),
# the PostgreSQL client for backups, and Node.js with npm for the OpenID Connect provider the
# single sign-on test runs (tests/oidc_provider). Does nothing when they are all there.
set -euo pipefail

packages=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-noto-cjk postgresql-client)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node.js may come from elsewhere than Debian (NodeSource's package has npm in it): ask for the
# commands rather than the packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Need root to install: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
