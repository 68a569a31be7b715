#!/usr/bin/env bash
# Install the npm packages and copy their built files into static/vendor (not committed).
# The NHS.UK stylesheet points at NHS-hosted fonts and root-relative images: we keep the
# system font stack (Q is not an NHS service and the CSP allows only our own origin) and
# point the images at our copy.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
stamp=node_modules/.qc-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
NHS=node_modules/nhsuk-frontend/dist/nhsuk
OUT=static/vendor
rm -rf "$OUT"
mkdir -p "$OUT/nhsuk" "$OUT/htmx"
cp -R "$NHS/assets" "$OUT/nhsuk/assets"
cp "$NHS/nhsuk-frontend.min.js" "$OUT/nhsuk/nhsuk-frontend.min.js"
sed -E -e 's#@font-face\{[^}]*assets\.nhs\.uk[^}]*\}##g' \
       -e 's#url\(/assets/#url(assets/#g' \
       -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
       "$NHS/nhsuk-frontend.min.css" > "$OUT/nhsuk/nhsuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*##' "$OUT/nhsuk/nhsuk-frontend.min.js" > "$OUT/nhsuk/tmp.js" \
  && mv "$OUT/nhsuk/tmp.js" "$OUT/nhsuk/nhsuk-frontend.min.js"
cp node_modules/htmx.org/dist/htmx.min.js "$OUT/htmx/htmx.min.js"
if grep -q "assets.nhs.uk" "$OUT/nhsuk/nhsuk-frontend.min.css"; then
  echo "build-assets: NHS font references remain in the stylesheet" >&2; exit 1
fi
echo "Front-end assets built into static/vendor."
