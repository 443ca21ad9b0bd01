#!/usr/bin/env bash
# Fetch the pinned front-end packages (package.json) and copy their dist files into the
# static tree. Pages never load anything from the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp package.json "$tmp/"
(cd "$tmp" && npm install --silent --no-audit --no-fund)
N="$tmp/node_modules"; V=gongjian/static/vendor
mkdir -p $V/htmx $V/bootstrap/css $V/bootstrap/js $V/echarts $V/axe-core
cp $N/htmx.org/dist/htmx.min.js $N/htmx.org/LICENSE $V/htmx/
cp $N/bootstrap/dist/css/bootstrap.min.css $N/bootstrap/dist/css/bootstrap.min.css.map $V/bootstrap/css/
cp $N/bootstrap/dist/js/bootstrap.bundle.min.js $N/bootstrap/dist/js/bootstrap.bundle.min.js.map $V/bootstrap/js/
cp $N/bootstrap/LICENSE $V/bootstrap/
cp $N/echarts/dist/echarts.min.js $N/echarts/LICENSE $V/echarts/
# axe-core: the accessibility checker the e2e tests inject; no page loads it.
cp $N/axe-core/axe.min.js $N/axe-core/LICENSE $V/axe-core/
echo "vendored into $V"
